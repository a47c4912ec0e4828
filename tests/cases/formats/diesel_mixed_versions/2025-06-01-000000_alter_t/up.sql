ALTER TABLE t ADD COLUMN note text;
INSERT INTO run_log (step) VALUES ('alter_t');
