SET lock_timeout = '2s';
ALTER TABLE t_timeout ADD COLUMN b int;
