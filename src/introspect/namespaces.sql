-- language=PostgreSQL
SELECT n.nspname::text AS name FROM pg_namespace n WHERE n.nspname = ANY($1::name[]) ORDER BY 1
