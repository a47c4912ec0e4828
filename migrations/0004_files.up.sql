-- 0004 Files & data: stored files and (resumable) uploads.

CREATE TABLE files (
    id              uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid         NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    workspace_id    uuid         REFERENCES workspaces (id) ON DELETE SET NULL,
    filename        varchar(255) NOT NULL,
    original_name   varchar(255) NOT NULL,
    storage_path    varchar(500) NOT NULL UNIQUE,
    mime_type       varchar(255),
    size_bytes      bigint       NOT NULL CHECK (size_bytes >= 0),
    checksum_sha256 char(64),
    is_public       boolean      NOT NULL DEFAULT false,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    updated_at      timestamptz  NOT NULL DEFAULT now()
);
COMMENT ON TABLE files IS 'Files stored for users and workspaces, with storage location and checksum.';
CREATE INDEX files_user_id_idx ON files (user_id);
CREATE INDEX files_workspace_id_idx ON files (workspace_id);
CREATE TRIGGER files_set_updated_at BEFORE UPDATE ON files
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE file_uploads (
    id             uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    file_id        uuid         REFERENCES files (id) ON DELETE CASCADE,
    user_id        uuid         NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    filename       varchar(255) NOT NULL,
    mime_type      varchar(255),
    upload_status  varchar(20)  NOT NULL DEFAULT 'pending'
                   CHECK (upload_status IN ('pending', 'uploading', 'completed', 'failed')),
    total_bytes    bigint       NOT NULL CHECK (total_bytes >= 0),
    received_bytes bigint       NOT NULL DEFAULT 0 CHECK (received_bytes >= 0),
    error_message  text,
    completed_at   timestamptz,
    created_at     timestamptz  NOT NULL DEFAULT now(),
    updated_at     timestamptz  NOT NULL DEFAULT now(),
    CHECK (received_bytes <= total_bytes)
);
COMMENT ON TABLE file_uploads IS 'Upload sessions tracking progress until a file is complete.';
CREATE INDEX file_uploads_file_id_idx ON file_uploads (file_id);
CREATE INDEX file_uploads_user_id_idx ON file_uploads (user_id);
CREATE TRIGGER file_uploads_set_updated_at BEFORE UPDATE ON file_uploads
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
