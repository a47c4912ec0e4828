-- language=PostgreSQL
-- Indexes that no constraint owns (those are reported as constraints), with
-- key columns or expressions, non-default operator classes, direction,
-- INCLUDE columns and partial predicate. Indexes attached to a partitioned
-- parent index belong to the parent.
SELECT i.indrelid AS table_oid,
       ic.relname::text AS name,
       i.indisunique,
       am.amname::text AS method,
       i.indnkeyatts::int AS key_count,
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
             FROM generate_series(1, i.indnatts) k
             ORDER BY k) AS columns,
       i.indoption::int2[] AS options,
       ARRAY(SELECT CASE WHEN opc.opcdefault THEN '' ELSE opc.opcname::text END
             FROM unnest(i.indclass::oid[]) WITH ORDINALITY k(opc_oid, ord)
             JOIN pg_opclass opc ON opc.oid = k.opc_oid
             ORDER BY k.ord) AS opclasses,
       pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       {nulls_not_distinct} AS nulls_not_distinct
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
WHERE n.nspname = ANY($1::name[])
  AND c.relkind IN ('r', 'p')
  AND NOT EXISTS (
        SELECT 1 FROM pg_constraint con
        WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
          AND con.contype IN ('p', 'u', 'x'))
  AND NOT EXISTS (SELECT 1 FROM pg_inherits inh WHERE inh.inhrelid = i.indexrelid)
ORDER BY i.indrelid, ic.relname
