BEGIN;
ALTER TABLE accounts ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
INSERT INTO run_log (step) VALUES ('2 up, first block');
COMMIT;

BEGIN;
CREATE INDEX accounts_created_at_idx ON accounts (created_at);
INSERT INTO run_log (step) VALUES ('2 up, second block');
COMMIT;
