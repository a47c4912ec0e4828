-- 0002 account rules: a plan column, a lookup index, a default status and
-- the allowed statuses.
ALTER TABLE accounts ADD COLUMN plan text NOT NULL DEFAULT 'free';
CREATE INDEX accounts_lower_email_idx ON accounts (lower(email));
ALTER TABLE accounts ALTER COLUMN status SET DEFAULT 'active';
ALTER TABLE accounts ADD CONSTRAINT accounts_status_check
    CHECK (status IN ('active', 'suspended', 'closed'));
