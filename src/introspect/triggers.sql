-- language=PostgreSQL
-- User triggers (not the internal ones behind foreign keys, not clones on
-- partitions), with the server's own rendering for WHEN and the call.
SELECT t.tgrelid AS table_oid,
       t.tgname::text AS name,
       t.tgtype::int AS tgtype,
       t.tgenabled::text AS enabled,
       t.tgconstraint <> 0 AS constraint,
       t.tgdeferrable AS deferrable,
       t.tginitdeferred AS initially_deferred,
       CASE WHEN t.tgconstrrelid <> 0 THEN t.tgconstrrelid::regclass::text END AS from_table,
       t.tgoldtable::text AS old_table,
       t.tgnewtable::text AS new_table,
       ARRAY(SELECT a.attname::text
             FROM unnest(t.tgattr::int2[]) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS update_columns,
       pg_get_triggerdef(t.oid, true) AS definition,
       d.description AS comment
FROM pg_trigger t
LEFT JOIN pg_description d
       ON d.objoid = t.oid AND d.classoid = 'pg_trigger'::regclass AND d.objsubid = 0
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1::name[])
  AND c.relkind IN ('r', 'p', 'v', 'm')
  AND NOT t.tgisinternal
  AND t.tgparentid = 0
ORDER BY t.tgrelid, t.tgname
