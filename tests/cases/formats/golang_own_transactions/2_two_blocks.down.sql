DROP INDEX accounts_created_at_idx;
ALTER TABLE accounts DROP COLUMN created_at;
