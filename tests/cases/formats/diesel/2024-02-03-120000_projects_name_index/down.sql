-- This file should undo anything in `up.sql`
DROP INDEX CONCURRENTLY projects_name_key;
