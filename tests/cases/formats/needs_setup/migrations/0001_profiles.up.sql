CREATE TABLE profiles (
    id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
    tenant text NOT NULL DEFAULT public.current_tenant(),
    display_name text
);
GRANT SELECT ON profiles TO authenticated;
