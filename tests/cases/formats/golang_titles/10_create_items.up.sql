CREATE TABLE items (id bigint PRIMARY KEY);
CREATE TABLE run_log (n serial PRIMARY KEY, step text NOT NULL);
INSERT INTO run_log (step) VALUES ('10 up');
