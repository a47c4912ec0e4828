ALTER TABLE t_unique ADD CONSTRAINT t_unique_a UNIQUE (a);
