CREATE TABLE t (id bigint PRIMARY KEY);
CREATE TABLE run_log (n serial PRIMARY KEY, step text NOT NULL);
INSERT INTO run_log (step) VALUES ('create_t');
