ALTER TABLE t_volatile ADD COLUMN seen timestamptz DEFAULT clock_timestamp();
