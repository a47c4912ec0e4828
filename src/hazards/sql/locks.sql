-- Read from a second connection while the migration's transaction is open.
SELECT l.relation::int8, l.mode
FROM pg_catalog.pg_locks l
WHERE l.pid = $1 AND l.locktype = 'relation' AND l.granted
  AND l.relation::int8 = ANY ($2::int8[])
