-- language=PostgreSQL
-- After a lock timeout: the relations of this database that another
-- backend holds in ACCESS EXCLUSIVE mode (the only mode that blocks a
-- reader), with that backend's pid and, where this role may see it, the
-- start of its query.
SELECT n.nspname::text AS schema,
       c.relname::text AS name,
       l.pid,
       CASE WHEN a.query IS NULL OR a.query = '<insufficient privilege>' THEN NULL
            ELSE left(btrim(regexp_replace(a.query, '\s+', ' ', 'g')), 80)
       END AS query
FROM pg_catalog.pg_locks l
JOIN pg_catalog.pg_class c ON c.oid = l.relation
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
WHERE l.granted
  AND l.mode = 'AccessExclusiveLock'
  AND l.locktype = 'relation'
  AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
  AND l.pid <> pg_backend_pid()
ORDER BY 1, 2, 3
