ALTER TABLE accounts ADD COLUMN disabled boolean NOT NULL DEFAULT false;
INSERT INTO run_log (step) VALUES ('3 up, before the block');
BEGIN;
CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email));
INSERT INTO run_log (step) VALUES ('3 up, in the block');
COMMIT;
