SET lock_timeout = '2s';
ALTER TABLE t_unique_idx ADD CONSTRAINT t_unique_idx_a UNIQUE USING INDEX t_unique_idx_a;
