-- language=PostgreSQL
-- Extensions installed into the selected schemas, with their version.
SELECT n.nspname::text AS schema, x.extname::text AS name, x.extversion AS version
FROM pg_extension x
JOIN pg_namespace n ON n.oid = x.extnamespace
WHERE n.nspname = ANY($1::name[])
ORDER BY 1, 2
