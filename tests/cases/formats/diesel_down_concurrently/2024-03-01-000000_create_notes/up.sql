CREATE TABLE notes (id bigint PRIMARY KEY, title text NOT NULL);
