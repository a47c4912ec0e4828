-- language=PostgreSQL
-- Column names of tables outside the selected schemas that foreign keys
-- reference ($1: their oids); run only when there are such tables.
SELECT a.attrelid AS table_oid, a.attnum, a.attname::text AS name
FROM pg_attribute a
WHERE a.attrelid = ANY($1::oid[])
  AND a.attnum > 0
  AND NOT a.attisdropped
