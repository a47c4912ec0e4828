-- language=PostgreSQL
-- Primary key, unique, check, foreign key and exclusion constraints.
-- Constraints cloned onto partitions from their parent are left out: they
-- belong to the parent. NOT NULL constraints (PostgreSQL 18) are columns'.
SELECT con.conrelid AS table_oid,
       con.conname::text AS name,
       con.contype::text AS kind,
       con.condeferrable,
       con.condeferred,
       con.convalidated,
       ARRAY(SELECT a.attname::text
             FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS columns,
       fn.nspname::text AS ref_schema,
       fc.relname::text AS ref_table,
       ARRAY(SELECT a.attname::text
             FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS ref_columns,
       con.confdeltype::text AS on_delete,
       con.confupdtype::text AS on_update,
       CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) END AS check_expr,
       CASE WHEN con.contype = 'u' THEN {nulls_not_distinct} ELSE false END AS nulls_not_distinct
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_index i ON i.indexrelid = con.conindid AND con.contype = 'u'
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE n.nspname = ANY($1::name[])
  AND c.relkind IN ('r', 'p')
  AND con.contype IN ('p', 'u', 'c', 'f')
  AND con.conparentid = 0
  AND con.conislocal
ORDER BY con.conrelid, con.conname
