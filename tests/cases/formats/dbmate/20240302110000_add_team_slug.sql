-- migrate:up
ALTER TABLE teams ADD COLUMN slug text;
UPDATE teams SET slug = lower(regexp_replace(name, '\W+', '-', 'g'));
ALTER TABLE teams ALTER COLUMN slug SET NOT NULL;

-- migrate:down
ALTER TABLE teams DROP COLUMN slug;
