ALTER TABLE t_check ADD CONSTRAINT t_check_a CHECK (a > 0);
