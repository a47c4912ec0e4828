SELECT c.oid::int8, c.conrelid::int8, c.conname::text, c.contype::text, c.convalidated,
       c.conindid::int8, pg_catalog.pg_get_constraintdef(c.oid)
FROM pg_catalog.pg_constraint c
WHERE c.conrelid::int8 OPERATOR(pg_catalog.=) ANY ($1::int8[])
