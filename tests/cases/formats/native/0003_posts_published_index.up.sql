-- schemagate:no-transaction
-- Built without locking posts against writes.
CREATE INDEX CONCURRENTLY posts_published_idx ON posts (published_at DESC)
    WHERE published_at IS NOT NULL;
