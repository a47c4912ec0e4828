-- 0001 authors of the blog.
CREATE TABLE authors (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    handle     varchar(40)  NOT NULL UNIQUE,
    created_at timestamptz  NOT NULL DEFAULT now()
);
