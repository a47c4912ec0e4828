SET lock_timeout = '2s';
ALTER TABLE t_not_null_check ALTER COLUMN a SET NOT NULL;
