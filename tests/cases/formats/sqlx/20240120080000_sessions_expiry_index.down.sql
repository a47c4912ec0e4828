-- no-transaction
DROP INDEX CONCURRENTLY user_sessions_expires_at_idx;
