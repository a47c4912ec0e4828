-- 0006 Support: tags on any object and user feedback on messages.

CREATE TABLE tags (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name        varchar(50) NOT NULL,
    color       char(7)     CHECK (color ~ '^#[0-9a-fA-F]{6}$'),
    target_type varchar(50) NOT NULL,
    target_id   uuid        NOT NULL,
    created_by  uuid        REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (target_type, target_id, name)
);
COMMENT ON TABLE tags IS 'Free-form tags attached to any object (by target type and id).';
CREATE INDEX tags_lower_name_idx ON tags (lower(name));
CREATE INDEX tags_created_by_idx ON tags (created_by);

CREATE TABLE message_feedbacks (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    message_id uuid        NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    rating     smallint    NOT NULL CHECK (rating >= 1 AND rating <= 5),
    comment    text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (message_id, user_id)
);
COMMENT ON TABLE message_feedbacks IS 'User ratings and comments on assistant messages.';
CREATE INDEX message_feedbacks_user_id_idx ON message_feedbacks (user_id);
CREATE TRIGGER message_feedbacks_set_updated_at BEFORE UPDATE ON message_feedbacks
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
