-- 0001 accounts.
CREATE TABLE accounts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email      varchar(255) NOT NULL UNIQUE,
    status     varchar(20)  NOT NULL,
    created_at timestamptz  NOT NULL DEFAULT now()
);
