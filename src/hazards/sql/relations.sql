-- Tables, partitioned tables and materialized views of user schemas; with
-- $1, only those oids. The runner's tracking table is not the user's.
-- Runs in the migration's own session, whose search_path a migration may
-- set: every operator is qualified.
SELECT c.oid::int8, pg_catalog.concat(n.nspname, '.', c.relname), c.relfilenode::int8
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
WHERE c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'p', 'm']::"char"[])
  AND n.nspname OPERATOR(pg_catalog.<>) ALL (ARRAY['pg_catalog', 'information_schema']::name[])
  AND NOT n.nspname::text OPERATOR(pg_catalog.~~) 'pg\_toast%'
  AND NOT n.nspname::text OPERATOR(pg_catalog.~~) 'pg\_temp\_%'
  AND c.relname OPERATOR(pg_catalog.<>) 'schemagate_migrations'::name
  AND ($1::int8[] IS NULL OR c.oid::int8 OPERATOR(pg_catalog.=) ANY ($1::int8[]))
