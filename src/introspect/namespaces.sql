-- language=PostgreSQL
-- The comment initdb gives `public` is no comment of the user's.
SELECT n.nspname::text AS name,
       CASE WHEN n.nspname = 'public' AND d.description = 'standard public schema'
            THEN NULL ELSE d.description END AS comment
FROM pg_namespace n
LEFT JOIN pg_description d
       ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::name[])
ORDER BY 1
