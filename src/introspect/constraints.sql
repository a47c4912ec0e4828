-- language=PostgreSQL
-- Primary key, unique, check, foreign key and exclusion constraints.
-- Constraints cloned onto partitions from their parent are left out: they
-- belong to the parent. NOT NULL constraints (PostgreSQL 18) are columns'.
-- Columns come as attribute numbers (conkey, confkey); the client names them
-- from the columns query (and, for foreign keys to tables outside the
-- selected schemas, one query for those tables) instead of a subquery per
-- row, which cost most of this query's time on large catalogs.
SELECT con.conrelid AS table_oid,
       con.conname::text AS name,
       con.contype::text AS kind,
       con.condeferrable,
       con.condeferred,
       con.convalidated,
       {conenforced} AS enforced,
       {conperiod} AS period,
       coalesce(con.conkey, '{}') AS column_numbers,
       con.confrelid AS ref_oid,
       fn.nspname::text AS ref_schema,
       fc.relname::text AS ref_table,
       coalesce(con.confkey, '{}') AS ref_column_numbers,
       con.confdeltype::text AS on_delete,
       {confdelsetcols} AS on_delete_column_numbers,
       con.confupdtype::text AS on_update,
       con.confmatchtype = 'f' AS match_full,
       con.connoinherit AS no_inherit,
       CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) END AS check_expr,
       CASE WHEN con.contype = 'u' THEN {nulls_not_distinct} ELSE false END AS nulls_not_distinct,
       -- Exclusion constraints: each key of their index WITH its operator.
       CASE WHEN con.contype = 'x' THEN
           ARRAY(SELECT pg_get_indexdef(con.conindid, k.ord::int, true) || ' WITH ' || op.oprname
                 FROM unnest(con.conexclop) WITH ORDINALITY k(opr, ord)
                 JOIN pg_operator op ON op.oid = k.opr
                 ORDER BY k.ord) END AS exclusion_elements,
       CASE WHEN con.contype = 'x' THEN
           (SELECT am.amname::text FROM pg_class ic JOIN pg_am am ON am.oid = ic.relam
            WHERE ic.oid = con.conindid) END AS exclusion_method,
       CASE WHEN con.contype = 'x' THEN
           (SELECT pg_get_expr(xi.indpred, xi.indrelid, true) FROM pg_index xi
            WHERE xi.indexrelid = con.conindid) END AS exclusion_predicate,
       -- The key's index (primary key, unique, exclusion): its INCLUDE
       -- columns (after the indnkeyatts keys) and storage parameters.
       coalesce(ARRAY(SELECT u.attnum FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(attnum, ord)
                      WHERE u.ord > i.indnkeyatts ORDER BY u.ord), '{}') AS include_numbers,
       coalesce(ic.reloptions, '{}')::text[] AS index_options,
       d.description AS comment
FROM pg_constraint con
LEFT JOIN pg_description d
       ON d.objoid = con.oid AND d.classoid = 'pg_constraint'::regclass AND d.objsubid = 0
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_index i ON i.indexrelid = con.conindid AND con.contype IN ('p', 'u', 'x')
LEFT JOIN pg_class ic ON ic.oid = i.indexrelid
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE n.nspname = ANY($1::name[])
  AND c.relkind IN ('r', 'p')
  AND con.contype IN ('p', 'u', 'c', 'f', 'x')
  AND con.conparentid = 0
  AND con.conislocal
ORDER BY con.conrelid, con.conname
