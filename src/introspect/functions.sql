-- language=PostgreSQL
-- Functions and procedures by signature (input argument types), with the
-- result type and language. Aggregates and extension-owned ones are left out.
SELECT n.nspname::text AS schema,
       p.proname::text || '(' || coalesce(
           (SELECT string_agg(format_type(a.t, NULL), ', ' ORDER BY a.ord)
            FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY a(t, ord)), '') || ')' AS signature,
       CASE WHEN p.prokind = 'p' THEN 'procedure'
            WHEN p.proretset THEN 'SETOF ' || format_type(p.prorettype, NULL)
            ELSE format_type(p.prorettype, NULL) END AS returns,
       l.lanname::text AS language
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
WHERE n.nspname = ANY($1::name[])
  AND p.prokind IN ('f', 'p')
  AND NOT EXISTS (
        SELECT 1 FROM pg_depend d
        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
ORDER BY 1, 2
