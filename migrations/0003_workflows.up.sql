-- 0003 Workflows & automation: workflows, their nodes, templates, executions.

CREATE TABLE workflows (
    id           uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    name         varchar(255) NOT NULL,
    description  text,
    definition   jsonb        NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
    user_id      uuid         NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    workspace_id uuid         REFERENCES workspaces (id) ON DELETE CASCADE,
    is_public    boolean      NOT NULL DEFAULT false,
    status       varchar(20)  NOT NULL DEFAULT 'draft'
                 CHECK (status IN ('draft', 'active', 'paused', 'archived')),
    version      integer      NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at   timestamptz  NOT NULL DEFAULT now(),
    updated_at   timestamptz  NOT NULL DEFAULT now()
);
COMMENT ON TABLE workflows IS 'Automation workflows, defined as a JSON graph of nodes.';
CREATE INDEX workflows_definition_idx ON workflows USING gin (definition jsonb_path_ops);
CREATE INDEX workflows_user_id_idx ON workflows (user_id);
CREATE INDEX workflows_workspace_id_idx ON workflows (workspace_id);
CREATE TRIGGER workflows_set_updated_at BEFORE UPDATE ON workflows
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE nodes (
    id          uuid             PRIMARY KEY DEFAULT gen_random_uuid(),
    workflow_id uuid             NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    node_key    varchar(100)     NOT NULL,
    node_type   varchar(50)      NOT NULL,
    name        varchar(255),
    config      jsonb            NOT NULL DEFAULT '{}',
    position_x  double precision NOT NULL DEFAULT 0,
    position_y  double precision NOT NULL DEFAULT 0,
    created_at  timestamptz      NOT NULL DEFAULT now(),
    updated_at  timestamptz      NOT NULL DEFAULT now(),
    UNIQUE (workflow_id, node_key)
);
COMMENT ON TABLE nodes IS 'The nodes (steps) of a workflow, with their configuration and canvas position.';
CREATE TRIGGER nodes_set_updated_at BEFORE UPDATE ON nodes
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE templates (
    id                  uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    name                varchar(255) NOT NULL,
    slug                varchar(120) NOT NULL UNIQUE,
    description         text,
    category            varchar(50),
    workflow_definition jsonb        NOT NULL CHECK (jsonb_typeof(workflow_definition) = 'object'),
    author_id           uuid         REFERENCES users (id) ON DELETE SET NULL,
    source_workflow_id  uuid         REFERENCES workflows (id) ON DELETE SET NULL,
    downloads_count     integer      NOT NULL DEFAULT 0 CHECK (downloads_count >= 0),
    rating              numeric(3,2) CHECK (rating >= 0 AND rating <= 5),
    created_at          timestamptz  NOT NULL DEFAULT now(),
    updated_at          timestamptz  NOT NULL DEFAULT now()
);
COMMENT ON TABLE templates IS 'Reusable workflow templates published to the marketplace.';
CREATE INDEX templates_category_idx ON templates (category);
CREATE INDEX templates_author_id_idx ON templates (author_id);
CREATE INDEX templates_source_workflow_id_idx ON templates (source_workflow_id);
CREATE TRIGGER templates_set_updated_at BEFORE UPDATE ON templates
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE workflow_executions (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    workflow_id   uuid        NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    user_id       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status        varchar(20) NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
    input_data    jsonb       NOT NULL DEFAULT '{}',
    output_data   jsonb,
    error_message text,
    started_at    timestamptz,
    completed_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (completed_at >= started_at)
);
COMMENT ON TABLE workflow_executions IS 'Runs of a workflow: status, input, output and timing.';
CREATE INDEX workflow_executions_workflow_id_created_at_idx ON workflow_executions (workflow_id, created_at DESC);
CREATE INDEX workflow_executions_active_status_idx ON workflow_executions (status)
    WHERE status IN ('pending', 'running');
CREATE INDEX workflow_executions_user_id_idx ON workflow_executions (user_id);
CREATE TRIGGER workflow_executions_set_updated_at BEFORE UPDATE ON workflow_executions
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
