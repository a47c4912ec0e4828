-- 0001 core entities: users, workspaces, workspace membership, user variables.
-- Also defines set_updated_at(), used by every table that has an updated_at column.

CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TABLE users (
    id              uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    email           varchar(255) NOT NULL UNIQUE,
    username        varchar(100) NOT NULL UNIQUE,
    hashed_password varchar(255) NOT NULL,
    full_name       varchar(200),
    is_active       boolean      NOT NULL DEFAULT true,
    is_verified     boolean      NOT NULL DEFAULT false,
    is_superuser    boolean      NOT NULL DEFAULT false,
    status          varchar(20)  NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'suspended', 'deleted')),
    metadata        jsonb        NOT NULL DEFAULT '{}',
    last_login_at   timestamptz,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    updated_at      timestamptz  NOT NULL DEFAULT now()
);
COMMENT ON TABLE users IS 'Registered user accounts.';
CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE workspaces (
    id           uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    name         varchar(255) NOT NULL,
    slug         varchar(120) NOT NULL UNIQUE,
    description  text,
    owner_id     uuid         NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    is_public    boolean      NOT NULL DEFAULT false,
    max_members  integer      CHECK (max_members > 0),
    member_count integer      NOT NULL DEFAULT 0 CHECK (member_count >= 0),
    status       varchar(20)  NOT NULL DEFAULT 'active'
                 CHECK (status IN ('active', 'archived', 'deleted')),
    created_at   timestamptz  NOT NULL DEFAULT now(),
    updated_at   timestamptz  NOT NULL DEFAULT now()
);
COMMENT ON TABLE workspaces IS 'Shared workspaces that group users, agents, conversations and workflows.';
CREATE INDEX workspaces_owner_id_idx ON workspaces (owner_id);
CREATE TRIGGER workspaces_set_updated_at BEFORE UPDATE ON workspaces
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE workspace_members (
    id           bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id uuid         NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      uuid         NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         varchar(20)  NOT NULL DEFAULT 'member'
                 CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    joined_at    timestamptz  NOT NULL DEFAULT now(),
    created_at   timestamptz  NOT NULL DEFAULT now(),
    updated_at   timestamptz  NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, user_id)
);
COMMENT ON TABLE workspace_members IS 'Membership of users in workspaces, with their role.';
CREATE INDEX workspace_members_user_id_idx ON workspace_members (user_id);
CREATE TRIGGER workspace_members_set_updated_at BEFORE UPDATE ON workspace_members
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE user_variables (
    id           uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid         NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          varchar(255) NOT NULL CHECK (key ~ '^[A-Z][A-Z0-9_]*$'),
    value        text         NOT NULL,
    category     varchar(100),
    description  text,
    is_secret    boolean      NOT NULL DEFAULT false,
    is_encrypted boolean      NOT NULL DEFAULT false,
    is_active    boolean      NOT NULL DEFAULT true,
    created_at   timestamptz  NOT NULL DEFAULT now(),
    updated_at   timestamptz  NOT NULL DEFAULT now(),
    UNIQUE (user_id, key)
);
COMMENT ON TABLE user_variables IS 'Per-user variables and API keys (optionally secret/encrypted).';
CREATE TRIGGER user_variables_set_updated_at BEFORE UPDATE ON user_variables
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
