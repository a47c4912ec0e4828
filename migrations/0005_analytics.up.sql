-- 0005 Analytics & monitoring: product analytics events and system alerts.

CREATE TABLE analytics_events (
    id           bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_type   varchar(100) NOT NULL,
    user_id      uuid         REFERENCES users (id) ON DELETE SET NULL,
    workspace_id uuid         REFERENCES workspaces (id) ON DELETE SET NULL,
    session_id   varchar(100),
    properties   jsonb        NOT NULL DEFAULT '{}',
    ip_address   inet,
    user_agent   text,
    occurred_at  timestamptz  NOT NULL DEFAULT now(),
    created_at   timestamptz  NOT NULL DEFAULT now()
);
COMMENT ON TABLE analytics_events IS 'Append-only stream of product analytics events.';
CREATE INDEX analytics_events_event_type_occurred_at_idx ON analytics_events (event_type, occurred_at);
CREATE INDEX analytics_events_occurred_at_brin_idx ON analytics_events USING brin (occurred_at);
CREATE INDEX analytics_events_user_id_idx ON analytics_events (user_id);
CREATE INDEX analytics_events_workspace_id_idx ON analytics_events (workspace_id);

CREATE TABLE system_alerts (
    id          uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    severity    varchar(20)  NOT NULL
                CHECK (severity IN ('info', 'warning', 'error', 'critical')),
    source      varchar(100) NOT NULL,
    title       varchar(255) NOT NULL,
    message     text,
    metadata    jsonb        NOT NULL DEFAULT '{}',
    is_resolved boolean      NOT NULL DEFAULT false,
    resolved_by uuid         REFERENCES users (id) ON DELETE SET NULL,
    resolved_at timestamptz,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    updated_at  timestamptz  NOT NULL DEFAULT now()
);
COMMENT ON TABLE system_alerts IS 'Operational alerts raised by the platform and their resolution.';
CREATE INDEX system_alerts_unresolved_idx ON system_alerts (severity, created_at) WHERE NOT is_resolved;
CREATE INDEX system_alerts_resolved_by_idx ON system_alerts (resolved_by);
CREATE TRIGGER system_alerts_set_updated_at BEFORE UPDATE ON system_alerts
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
