-- language=PostgreSQL
-- Extended statistics (CREATE STATISTICS): table, kinds, columns and
-- expressions ({statistics_expressions}: 14+, an empty array before).
-- Kind 'e' (statistics on expressions) follows from the expressions and is
-- not a kind one declares.
SELECT n.nspname::text AS schema,
       s.stxname::text AS name,
       c.relname::text AS table_name,
       ARRAY(SELECT CASE k WHEN 'd' THEN 'ndistinct' WHEN 'f' THEN 'dependencies' ELSE 'mcv' END
             FROM unnest(s.stxkind) k WHERE k IN ('d', 'f', 'm')) AS kinds,
       ARRAY(SELECT a.attname::text
             FROM unnest(s.stxkeys::int2[]) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = s.stxrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS columns,
       {statistics_expressions} AS expressions,
       -- -1 (NULL from 17) is the default target.
       nullif(coalesce(s.stxstattarget::int, -1), -1) AS target,
       d.description AS comment
FROM pg_statistic_ext s
LEFT JOIN pg_description d
       ON d.objoid = s.oid AND d.classoid = 'pg_statistic_ext'::regclass AND d.objsubid = 0
JOIN pg_namespace n ON n.oid = s.stxnamespace
JOIN pg_class c ON c.oid = s.stxrelid
WHERE n.nspname = ANY($1::name[])
  AND NOT EXISTS (
        SELECT 1 FROM pg_depend d
        WHERE d.classid = 'pg_statistic_ext'::regclass AND d.objid = s.oid AND d.deptype = 'e')
ORDER BY 1, 2
