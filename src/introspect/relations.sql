-- language=PostgreSQL
-- Tables, partitioned tables, views and materialized views of the selected
-- schemas, with comment, partitioning and view definition. Extension-owned
-- relations and schemagate's own tracking table are not user schema.
SELECT c.oid,
       n.nspname::text AS schema,
       c.relname::text AS name,
       c.relkind::text AS kind,
       c.relrowsecurity,
       c.relforcerowsecurity,
       -- Storage parameters and view options, `name=value` each; the TOAST
       -- table's as `toast.name=value`, as ALTER TABLE ... SET (toast.x) sets them.
       coalesce(c.reloptions, '{}')::text[]
         || coalesce((SELECT array_agg('toast.' || o) FROM pg_class tc, unnest(tc.reloptions) o
                      WHERE tc.oid = c.reltoastrelid AND c.reltoastrelid <> 0), '{}')::text[]
         AS reloptions,
       d.description AS comment,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_by,
       pn.nspname::text AS parent_schema,
       pc.relname::text AS parent_name,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END AS view_definition,
       -- A view's columns that have a comment or a default, in order:
       -- name, comment, default (a table's are read with its columns).
       -- Flat: name, comment, default, name, ...
       CASE WHEN c.relkind IN ('v', 'm') THEN ARRAY(
           SELECT u.x
           FROM pg_attribute a
           LEFT JOIN pg_description vd ON vd.objoid = a.attrelid
                AND vd.classoid = 'pg_class'::regclass AND vd.objsubid = a.attnum
           LEFT JOIN pg_attrdef vad ON vad.adrelid = a.attrelid AND vad.adnum = a.attnum
           CROSS JOIN LATERAL unnest(ARRAY[a.attname::text, vd.description,
                                           pg_get_expr(vad.adbin, vad.adrelid)])
                WITH ORDINALITY u(x, k)
           WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             AND (vd.description IS NOT NULL OR vad.adbin IS NOT NULL)
           ORDER BY a.attnum, u.k) END AS view_columns,
       c.relpersistence = 'u' AS unlogged,
       c.relreplident::text AS replica_identity,
       (SELECT ic.relname::text FROM pg_index ri JOIN pg_class ic ON ic.oid = ri.indexrelid
        WHERE ri.indrelid = c.oid AND ri.indisreplident) AS replica_index,
       (SELECT ic.relname::text FROM pg_index ci JOIN pg_class ic ON ic.oid = ci.indexrelid
        WHERE ci.indrelid = c.oid AND ci.indisclustered) AS cluster_index,
       -- A typed table's type (CREATE TABLE ... OF type), as SQL spells it.
       CASE WHEN c.reloftype <> 0 THEN format_type(c.reloftype, NULL) END AS of_type,
       -- A table's access method (USING), unless heap, the default.
       CASE WHEN c.relkind IN ('r', 'p') AND c.relam <> 0 THEN
           (SELECT am.amname::text FROM pg_am am WHERE am.oid = c.relam AND am.amname <> 'heap')
       END AS access_method,
       -- INHERITS parents, in order (a partition's parent is partition_of).
       ARRAY(SELECT hn.nspname::text FROM pg_inherits h
             JOIN pg_class hc ON hc.oid = h.inhparent JOIN pg_namespace hn ON hn.oid = hc.relnamespace
             WHERE h.inhrelid = c.oid AND NOT c.relispartition ORDER BY h.inhseqno) AS parent_schemas,
       ARRAY(SELECT hc.relname::text FROM pg_inherits h
             JOIN pg_class hc ON hc.oid = h.inhparent
             WHERE h.inhrelid = c.oid AND NOT c.relispartition ORDER BY h.inhseqno) AS parent_names
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND c.relispartition
LEFT JOIN pg_class pc ON pc.oid = i.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
WHERE n.nspname = ANY($1::name[])
  AND c.relkind IN ('r', 'p', 'v', 'm')
  AND c.relname <> 'schemagate_migrations'
  AND NOT EXISTS (
        SELECT 1 FROM pg_depend e
        WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
ORDER BY n.nspname, c.relname
