CREATE INDEX t_index_a_idx ON t_index (a);
