-- language=PostgreSQL
-- Functions and procedures by signature (input argument types), with the
-- result type, language, arguments (names, modes, defaults), body and
-- options. {function_body} is the body as stored: `prosrc`, or on 14+ the
-- deparsed BEGIN ATOMIC body when there is one (`prosqlbody`).
-- Aggregates, extension-owned ones and those the server made for a type
-- (a range type's constructors depend on it internally) are left out.
SELECT n.nspname::text AS schema,
       p.proname::text || '(' || coalesce(
           (SELECT string_agg(format_type(a.t, NULL), ', ' ORDER BY a.ord)
            FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY a(t, ord)), '') || ')' AS signature,
       CASE WHEN p.prokind = 'p' THEN 'procedure'
            -- RETURNS TABLE (a int, ...): its columns are the result.
            WHEN 't' = ANY(p.proargmodes) THEN pg_get_function_result(p.oid)
            WHEN p.proretset THEN 'SETOF ' || format_type(p.prorettype, NULL)
            ELSE format_type(p.prorettype, NULL) END AS returns,
       l.lanname::text AS language,
       pg_get_function_arguments(p.oid) AS arguments,
       {function_body} AS body,
       p.provolatile::text AS volatility,
       p.proisstrict AS strict,
       p.prosecdef AS security_definer,
       p.proleakproof AS leakproof,
       p.proparallel::text AS parallel,
       coalesce(p.proconfig, '{}') AS config,
       p.procost::float8 AS cost,
       p.prorows::float8 AS rows,
       d.description AS comment
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
LEFT JOIN pg_description d
       ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0
JOIN pg_language l ON l.oid = p.prolang
WHERE n.nspname = ANY($1::name[])
  AND p.prokind IN ('f', 'p')
  AND NOT EXISTS (
        SELECT 1 FROM pg_depend d
        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype IN ('e', 'i'))
ORDER BY 1, 2
