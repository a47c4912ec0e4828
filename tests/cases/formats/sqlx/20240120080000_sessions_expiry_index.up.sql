-- no-transaction
CREATE INDEX CONCURRENTLY user_sessions_expires_at_idx ON user_sessions (expires_at);
