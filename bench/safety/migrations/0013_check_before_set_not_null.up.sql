SET lock_timeout = '2s';
ALTER TABLE t_not_null_check ADD CONSTRAINT t_not_null_check_a CHECK (a IS NOT NULL) NOT VALID;
