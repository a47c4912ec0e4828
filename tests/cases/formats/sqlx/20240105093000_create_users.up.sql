-- Add up migration script here
CREATE TABLE users (
    id       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email    text NOT NULL UNIQUE,
    is_admin boolean NOT NULL DEFAULT false
);
