SELECT a.attrelid::int8, a.attnum::int4, a.attname::text,
       pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attisdropped
FROM pg_catalog.pg_attribute a
WHERE a.attnum OPERATOR(pg_catalog.>) 0
  AND a.attrelid::int8 OPERATOR(pg_catalog.=) ANY ($1::int8[])
