SET lock_timeout = '2s';
ALTER TABLE t_check_nv ADD CONSTRAINT t_check_nv_a CHECK (a > 0) NOT VALID;
