-- +migrate Up
CREATE TABLE comments (
    id         serial PRIMARY KEY,
    article_id integer NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    body       text NOT NULL,
    posted_at  timestamptz NOT NULL DEFAULT now()
);

-- +migrate Down
DROP TABLE comments;
