-- language=PostgreSQL
-- Indexes that no constraint owns (those are reported as constraints), with
-- key columns or expressions, non-default operator classes, direction,
-- INCLUDE columns and partial predicate. Indexes attached to a partitioned
-- parent index belong to the parent.
-- Keys are read with one join and aggregate over all indexes, not with
-- subqueries per index. Plain columns are quote_ident(attname), which is
-- what pg_get_indexdef prints; an index with expression keys or a predicate
-- is deparsed once, whole (`definition`), and the client takes its
-- expressions, their COLLATE and its WHERE clause from there: each deparse
-- opens the table, and one call per index instead of one per expression,
-- one for the predicate and one for the collations cost a fifth of this
-- query at 5,000 tables.
WITH idx AS MATERIALIZED (
    SELECT i.indexrelid, i.indrelid, i.indkey, i.indclass, i.indcollation
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY($1::name[])
      AND c.relkind IN ('r', 'p', 'm')
      AND NOT EXISTS (
            SELECT 1 FROM pg_constraint con
            WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
              AND con.contype IN ('p', 'u', 'x'))
      AND NOT EXISTS (SELECT 1 FROM pg_inherits inh WHERE inh.inhrelid = i.indexrelid)
),
k AS MATERIALIZED (
    -- indkey, indclass and indcollation are 0-based vectors; indclass and
    -- indcollation have no entries for INCLUDE columns.
    SELECT idx.indexrelid, idx.indrelid, u.attnum, u.ord::int AS ord,
           idx.indclass[(u.ord - 1)::int] AS opc_oid,
           idx.indcollation[(u.ord - 1)::int] AS coll_oid
    FROM idx, unnest(idx.indkey::int2[]) WITH ORDINALITY u(attnum, ord)
),
keys AS (
    SELECT k.indexrelid,
           -- NULL for an expression: it is in the definition.
           array_agg(CASE WHEN k.attnum <> 0 THEN quote_ident(a.attname::text) END
                     ORDER BY k.ord) AS columns,
           array_agg(CASE WHEN opc.opcdefault THEN '' ELSE opc.opcname::text END
                     ORDER BY k.ord) FILTER (WHERE opc.oid IS NOT NULL) AS opclasses,
           -- A key's COLLATE: '' when it is the column's own; for an
           -- expression the server's definition says whether it was given
           -- ('?' before the name: the client looks there).
           array_agg(CASE WHEN co.oid IS NULL THEN ''
                          WHEN k.attnum <> 0 AND k.coll_oid = a.attcollation THEN ''
                          ELSE CASE WHEN k.attnum = 0 THEN '?' ELSE '' END
                               || CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                                       ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
                     END ORDER BY k.ord) FILTER (WHERE opc.oid IS NOT NULL) AS collations
    FROM k
    -- One index probe per key column (OFFSET 0 keeps it a subquery): a
    -- join here hashed all of pg_attribute, a sixth of this query's time.
    LEFT JOIN LATERAL (SELECT pa.attname, pa.attcollation FROM pg_attribute pa
                       WHERE pa.attrelid = k.indrelid AND pa.attnum = k.attnum
                       OFFSET 0) a ON true
    LEFT JOIN pg_opclass opc ON opc.oid = k.opc_oid
    LEFT JOIN pg_collation co ON co.oid = k.coll_oid
    LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
    GROUP BY k.indexrelid
)
SELECT i.indrelid AS table_oid,
       ic.relname::text AS name,
       i.indisunique,
       am.amname::text AS method,
       i.indnkeyatts::int AS key_count,
       keys.columns,
       i.indoption::int2[] AS options,
       coalesce(keys.opclasses, '{}') AS opclasses,
       coalesce(keys.collations, '{}') AS collations,
       CASE WHEN i.indexprs IS NOT NULL OR i.indpred IS NOT NULL
            THEN pg_get_indexdef(i.indexrelid, 0, true) END AS definition,
       {nulls_not_distinct} AS nulls_not_distinct,
       coalesce(ic.reloptions, '{}')::text[] AS reloptions,
       i.indisvalid,
       d.description AS comment
FROM idx
JOIN pg_index i ON i.indexrelid = idx.indexrelid
JOIN keys ON keys.indexrelid = i.indexrelid
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_description d
       ON d.objoid = i.indexrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
ORDER BY i.indrelid, ic.relname
