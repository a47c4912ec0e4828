SELECT i.indexrelid::int8, i.indrelid::int8, c.relname::text
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid::int8 = ANY ($1::int8[])
