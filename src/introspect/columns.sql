-- language=PostgreSQL
-- Columns of every table in the selected schemas, in attnum order.
-- A generated column's expression lives in pg_attrdef like a default.
-- attnum lets constraints name their columns without a subquery per row.
SELECT a.attrelid AS table_oid,
       a.attnum,
       a.attname::text AS name,
       format_type(a.atttypid, a.atttypmod) AS data_type,
       a.attnotnull,
       {not_null_name} AS not_null_name,
       {not_null_validated} AS not_null_validated,
       {not_null_no_inherit} AS not_null_no_inherit,
       -- A default cannot refer to columns, so it is printed without the
       -- table as context: that spares opening every table (the relcache
       -- entries), which was half this query's time on large catalogs.
       -- Generated columns do refer to columns.
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0)
            ELSE pg_get_expr(ad.adbin, ad.adrelid) END AS default_expr,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0
            THEN CASE WHEN cn.nspname = 'pg_catalog' THEN co.collname::text
                      ELSE cn.nspname || '.' || co.collname END
       END AS collation,
       d.description AS comment,
       -- Physical settings, NULL when the default (the type's STORAGE).
       CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END AS storage,
       {attcompression} AS compression,
       nullif(coalesce(a.attstattarget::int, -1), -1) AS statistics,
       a.attoptions::text[] AS attoptions
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
{not_null_join}
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_description d
       ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
WHERE n.nspname = ANY($1::name[])
  AND c.relkind IN ('r', 'p')
  AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
