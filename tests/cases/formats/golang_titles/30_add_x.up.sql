ALTER TABLE items ADD COLUMN x integer;
INSERT INTO run_log (step) VALUES ('30 up');
