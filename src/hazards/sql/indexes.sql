SELECT i.indexrelid::int8, i.indrelid::int8, c.relname::text
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) i.indexrelid
WHERE i.indrelid::int8 OPERATOR(pg_catalog.=) ANY ($1::int8[])
