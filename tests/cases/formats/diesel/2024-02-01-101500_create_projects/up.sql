-- Your SQL goes here
CREATE TABLE projects (
    id         SERIAL PRIMARY KEY,
    name       VARCHAR NOT NULL,
    archived   BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TIMESTAMP NOT NULL DEFAULT NOW()
);

SELECT diesel_manage_updated_at('projects');
