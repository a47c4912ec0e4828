-- +migrate Up notransaction
CREATE INDEX CONCURRENTLY comments_article_id_idx ON comments (article_id, posted_at);

-- +migrate Down notransaction
DROP INDEX CONCURRENTLY comments_article_id_idx;
