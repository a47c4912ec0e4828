-- language=PostgreSQL
-- Rules (CREATE RULE) on the selected schemas' tables and views, as
-- pg_get_ruledef prints them. A view's own query is its _RETURN rule: that
-- one is the view.
SELECT r.ev_class AS table_oid,
       r.rulename::text AS name,
       pg_get_ruledef(r.oid, true) AS definition,
       r.ev_enabled::text AS enabled,
       d.description AS comment
FROM pg_rewrite r
LEFT JOIN pg_description d
       ON d.objoid = r.oid AND d.classoid = 'pg_rewrite'::regclass AND d.objsubid = 0
JOIN pg_class c ON c.oid = r.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1::name[])
  AND c.relkind IN ('r', 'p', 'v', 'm')
  AND r.rulename <> '_RETURN'
ORDER BY r.ev_class, r.rulename
