BEGIN;
CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE run_log (n serial PRIMARY KEY, step text NOT NULL);
INSERT INTO run_log (step) VALUES ('1 up');
COMMIT;
