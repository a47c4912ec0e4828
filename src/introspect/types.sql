-- language=PostgreSQL
-- Enum and domain types (not extension-owned).
SELECT n.nspname::text AS schema,
       t.typname::text AS name,
       t.typtype::text AS kind,
       ARRAY(SELECT e.enumlabel::text FROM pg_enum e
             WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type,
       CASE WHEN t.typtype = 'd' AND t.typcollation <> 0 AND t.typcollation <> bt.typcollation
            THEN CASE WHEN cn.nspname = 'pg_catalog' THEN co.collname::text
                      ELSE cn.nspname || '.' || co.collname END
       END AS collation,
       t.typnotnull,
       t.typdefault,
       -- Checks by name: definition, name, validity, comment.
       ARRAY(SELECT pg_get_constraintdef(con.oid, true) FROM pg_constraint con
             WHERE con.contypid = t.oid AND con.contype = 'c'
             ORDER BY con.conname) AS checks,
       ARRAY(SELECT con.conname::text FROM pg_constraint con
             WHERE con.contypid = t.oid AND con.contype = 'c'
             ORDER BY con.conname) AS check_names,
       ARRAY(SELECT con.convalidated FROM pg_constraint con
             WHERE con.contypid = t.oid AND con.contype = 'c'
             ORDER BY con.conname) AS check_validated,
       ARRAY(SELECT cd.description FROM pg_constraint con
             LEFT JOIN pg_description cd
                    ON cd.objoid = con.oid AND cd.classoid = 'pg_constraint'::regclass
                   AND cd.objsubid = 0
             WHERE con.contypid = t.oid AND con.contype = 'c'
             ORDER BY con.conname) AS check_comments,
       d.description AS comment
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_description d
       ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0
LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
WHERE n.nspname = ANY($1::name[])
  AND t.typtype IN ('e', 'd')
  AND NOT EXISTS (
        SELECT 1 FROM pg_depend d
        WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
ORDER BY n.nspname, t.typname
