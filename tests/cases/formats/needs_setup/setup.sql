-- What a Supabase-style project has before its first migration: the auth
-- schema and its users table, the role its grants name, and a helper
-- function another tool installs. Not part of the project's schema.
CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY);
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN
        CREATE ROLE authenticated NOLOGIN;
    END IF;
END
$$;
CREATE FUNCTION public.current_tenant() RETURNS text
    LANGUAGE sql STABLE AS $$ SELECT 'default'::text $$;
