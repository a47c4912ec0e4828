-- schemagate:no-transaction
CREATE INDEX CONCURRENTLY t_index_cc_a_idx ON t_index_cc (a);
