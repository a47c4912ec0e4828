-- schemagate:no-transaction
CREATE UNIQUE INDEX CONCURRENTLY t_unique_idx_a ON t_unique_idx (a);
