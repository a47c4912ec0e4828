-- migrate:up
CREATE UNIQUE INDEX tags_label_key ON tags (label);
INSERT INTO run_log (step) VALUES ('label index up');

-- migrate:down
DROP INDEX tags_label_key;
