-- language=PostgreSQL
-- Free-standing sequences: those owned by a column (serial, identity, OWNED
-- BY) are part of that column, and extension-owned ones are not user schema.
SELECT n.nspname::text AS schema,
       c.relname::text AS name,
       format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
       d.description AS comment
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::name[])
  AND NOT EXISTS (
        SELECT 1 FROM pg_depend d
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
          AND (d.deptype = 'e'
               OR (d.deptype IN ('a', 'i') AND d.refclassid = 'pg_class'::regclass
                   AND d.refobjsubid > 0)))
ORDER BY n.nspname, c.relname
