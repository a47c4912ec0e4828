-- migrate:up transaction:false
CREATE UNIQUE INDEX CONCURRENTLY teams_slug_key ON teams (slug);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY teams_slug_key;
