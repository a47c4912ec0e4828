-- Reverts 0001_core_entities.up.sql
DROP TABLE user_variables;
DROP TABLE workspace_members;
DROP TABLE workspaces;
DROP TABLE users;
DROP FUNCTION set_updated_at();
