-- +migrate Up
CREATE TABLE articles (
    id         serial PRIMARY KEY,
    title      text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- +migrate StatementBegin
CREATE FUNCTION touch_updated_at() RETURNS trigger AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
-- +migrate StatementEnd

CREATE TRIGGER articles_touch BEFORE UPDATE ON articles
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- +migrate Down
DROP TABLE articles;
DROP FUNCTION touch_updated_at();
