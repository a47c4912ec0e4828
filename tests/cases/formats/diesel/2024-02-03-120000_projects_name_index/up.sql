-- Your SQL goes here
CREATE UNIQUE INDEX CONCURRENTLY projects_name_key ON projects (lower(name));
