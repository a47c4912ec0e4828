-- language=PostgreSQL
-- Collations defined in the selected schemas (not extension-owned).
-- {collation_locale} is the locale column of this server's catalog
-- (PostgreSQL 15 added colliculocale, 17 renamed it colllocale).
SELECT n.nspname::text AS schema,
       c.collname::text AS name,
       CASE c.collprovider WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin' ELSE 'libc' END AS provider,
       {collation_locale} AS locale,
       c.collisdeterministic AS deterministic,
       d.description AS comment
FROM pg_collation c
LEFT JOIN pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_collation'::regclass AND d.objsubid = 0
JOIN pg_namespace n ON n.oid = c.collnamespace
WHERE n.nspname = ANY($1::name[])
  AND NOT EXISTS (
        SELECT 1 FROM pg_depend d
        WHERE d.classid = 'pg_collation'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2
