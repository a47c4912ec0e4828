-- 0002 AI & LLM: models, agents, conversations, messages, usage and billing.

CREATE TABLE llms (
    id                        uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    name                      varchar(100)  NOT NULL,
    provider                  varchar(50)   NOT NULL,
    model_version             varchar(50),
    context_window            integer       CHECK (context_window > 0),
    supports_streaming        boolean       NOT NULL DEFAULT true,
    supports_function_calling boolean       NOT NULL DEFAULT false,
    supports_vision           boolean       NOT NULL DEFAULT false,
    cost_per_1k_input_tokens  numeric(12,6) NOT NULL DEFAULT 0 CHECK (cost_per_1k_input_tokens >= 0),
    cost_per_1k_output_tokens numeric(12,6) NOT NULL DEFAULT 0 CHECK (cost_per_1k_output_tokens >= 0),
    is_active                 boolean       NOT NULL DEFAULT true,
    created_at                timestamptz   NOT NULL DEFAULT now(),
    updated_at                timestamptz   NOT NULL DEFAULT now(),
    UNIQUE (provider, name)
);
COMMENT ON TABLE llms IS 'Catalog of available LLM models, their capabilities and token prices.';
CREATE TRIGGER llms_set_updated_at BEFORE UPDATE ON llms
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE agents (
    id            uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    name          varchar(255) NOT NULL,
    description   text,
    user_id       uuid         NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    workspace_id  uuid         REFERENCES workspaces (id) ON DELETE SET NULL,
    llm_id        uuid         REFERENCES llms (id) ON DELETE SET NULL,
    system_prompt text,
    temperature   numeric(3,2) NOT NULL DEFAULT 0.7
                  CHECK (temperature >= 0 AND temperature <= 2),
    status        varchar(20)  NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'active', 'paused', 'archived')),
    config        jsonb        NOT NULL DEFAULT '{}',
    created_at    timestamptz  NOT NULL DEFAULT now(),
    updated_at    timestamptz  NOT NULL DEFAULT now()
);
COMMENT ON TABLE agents IS 'AI agents: an LLM with a system prompt and configuration, owned by a user.';
CREATE INDEX agents_user_id_idx ON agents (user_id);
CREATE INDEX agents_workspace_id_idx ON agents (workspace_id);
CREATE INDEX agents_llm_id_idx ON agents (llm_id);
CREATE TRIGGER agents_set_updated_at BEFORE UPDATE ON agents
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE conversations (
    id              uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid         NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    agent_id        uuid         REFERENCES agents (id) ON DELETE SET NULL,
    workspace_id    uuid         REFERENCES workspaces (id) ON DELETE CASCADE,
    title           varchar(255),
    status          varchar(20)  NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'archived', 'deleted')),
    message_count   integer      NOT NULL DEFAULT 0 CHECK (message_count >= 0),
    last_message_at timestamptz,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    updated_at      timestamptz  NOT NULL DEFAULT now()
);
COMMENT ON TABLE conversations IS 'Chat conversations between a user and an agent.';
CREATE INDEX conversations_user_id_last_message_at_idx ON conversations (user_id, last_message_at DESC);
CREATE INDEX conversations_agent_id_idx ON conversations (agent_id);
CREATE INDEX conversations_workspace_id_idx ON conversations (workspace_id);
CREATE TRIGGER conversations_set_updated_at BEFORE UPDATE ON conversations
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE messages (
    id              uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    conversation_id uuid         NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    role            varchar(20)  NOT NULL
                    CHECK (role IN ('system', 'user', 'assistant', 'tool')),
    content         text         NOT NULL,
    model_used      varchar(100),
    tokens_used     integer      NOT NULL DEFAULT 0 CHECK (tokens_used >= 0),
    attachments     jsonb        NOT NULL DEFAULT '[]',
    created_at      timestamptz  NOT NULL DEFAULT now()
);
COMMENT ON TABLE messages IS 'Individual messages of a conversation (append-only).';
CREATE INDEX messages_conversation_id_created_at_idx ON messages (conversation_id, created_at);

CREATE TABLE usage_logs (
    id            uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    message_id    uuid          REFERENCES messages (id) ON DELETE SET NULL,
    user_id       uuid          NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    workspace_id  uuid          REFERENCES workspaces (id) ON DELETE SET NULL,
    llm_id        uuid          NOT NULL REFERENCES llms (id) ON DELETE RESTRICT,
    input_tokens  integer       NOT NULL DEFAULT 0 CHECK (input_tokens >= 0),
    output_tokens integer       NOT NULL DEFAULT 0 CHECK (output_tokens >= 0),
    total_tokens  integer       GENERATED ALWAYS AS (input_tokens + output_tokens) STORED,
    cost_usd      numeric(12,6) NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
    latency_ms    integer       CHECK (latency_ms >= 0),
    status        varchar(20)   NOT NULL DEFAULT 'success'
                  CHECK (status IN ('success', 'error', 'timeout', 'cancelled')),
    error_message text,
    created_at    timestamptz   NOT NULL DEFAULT now()
);
COMMENT ON TABLE usage_logs IS 'Per-request LLM usage: tokens, cost and latency (append-only).';
CREATE INDEX usage_logs_user_id_created_at_idx ON usage_logs (user_id, created_at);
CREATE INDEX usage_logs_errors_created_at_idx ON usage_logs (created_at) WHERE status = 'error';
CREATE INDEX usage_logs_message_id_idx ON usage_logs (message_id);
CREATE INDEX usage_logs_workspace_id_idx ON usage_logs (workspace_id);
CREATE INDEX usage_logs_llm_id_idx ON usage_logs (llm_id);

CREATE TABLE billing_events (
    id           uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid          NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    workspace_id uuid          REFERENCES workspaces (id) ON DELETE SET NULL,
    usage_log_id uuid          REFERENCES usage_logs (id) ON DELETE SET NULL,
    event_type   varchar(20)   NOT NULL
                 CHECK (event_type IN ('usage', 'subscription', 'refund', 'credit', 'adjustment')),
    amount_usd   numeric(12,4) NOT NULL,
    currency     char(3)       NOT NULL DEFAULT 'USD',
    invoice_id   varchar(100)  UNIQUE,
    description  text,
    status       varchar(20)   NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'processed', 'failed', 'cancelled')),
    processed_at timestamptz,
    created_at   timestamptz   NOT NULL DEFAULT now(),
    updated_at   timestamptz   NOT NULL DEFAULT now()
);
COMMENT ON TABLE billing_events IS 'Billing ledger: usage charges, subscriptions, refunds, credits and adjustments.';
CREATE INDEX billing_events_user_id_created_at_idx ON billing_events (user_id, created_at);
CREATE INDEX billing_events_workspace_id_idx ON billing_events (workspace_id);
CREATE INDEX billing_events_usage_log_id_idx ON billing_events (usage_log_id);
CREATE TRIGGER billing_events_set_updated_at BEFORE UPDATE ON billing_events
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
