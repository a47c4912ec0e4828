CREATE TABLE t_new (id bigint PRIMARY KEY, a int);
CREATE INDEX t_new_a_idx ON t_new (a);
ALTER TABLE t_new ADD CONSTRAINT t_new_a CHECK (a > 0);
