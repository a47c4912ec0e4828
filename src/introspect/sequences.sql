-- language=PostgreSQL
-- Sequences. Free-standing ones are objects of their own; one owned by a
-- column (serial, identity, OWNED BY) comes with that column (owner_oid,
-- owner_attnum): its options belong to the column. Extension-owned ones
-- are not user schema.
SELECT n.nspname::text AS schema,
       c.relname::text AS name,
       format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
       d.description AS comment,
       o.refobjid AS owner_oid,
       o.refobjsubid::int2 AS owner_attnum
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
LEFT JOIN LATERAL (
       SELECT dep.refobjid, dep.refobjsubid FROM pg_depend dep
       WHERE dep.classid = 'pg_class'::regclass AND dep.objid = c.oid
         AND dep.deptype IN ('a', 'i') AND dep.refclassid = 'pg_class'::regclass
         AND dep.refobjsubid > 0
       LIMIT 1) o ON true
WHERE n.nspname = ANY($1::name[])
  AND NOT EXISTS (
        SELECT 1 FROM pg_depend e
        WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
ORDER BY n.nspname, c.relname
