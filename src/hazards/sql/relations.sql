-- Tables, partitioned tables and materialized views of user schemas; with
-- $1, only those oids. The runner's tracking table is not the user's.
SELECT c.oid::int8, n.nspname || '.' || c.relname, c.relfilenode::int8
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND c.relname <> 'schemagate_migrations'
  AND ($1::int8[] IS NULL OR c.oid::int8 = ANY ($1::int8[]))
