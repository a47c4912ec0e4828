-- migrate:up
CREATE TABLE tags (id bigint PRIMARY KEY, label text NOT NULL);
CREATE TABLE run_log (n serial PRIMARY KEY, step text NOT NULL);
INSERT INTO run_log (step) VALUES ('tags up');

-- migrate:down
DROP TABLE run_log;
DROP TABLE tags;

-- A second pair, appended by hand: dbmate takes the first of each marker,
-- so everything below belongs to the down section above.
-- migrate:up
CREATE TABLE tag_aliases (alias text PRIMARY KEY);

-- migrate:down
DROP TABLE tag_aliases;
