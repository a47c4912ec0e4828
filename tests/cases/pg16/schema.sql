-- What PostgreSQL 16 and 17 print differently, or newly accept, that a
-- catalog reading sees. The first part needs 16; the part after the
-- "PostgreSQL 17" line needs 17.

-- 16: SQL/JSON constructors and IS JSON in defaults and checks.
CREATE TABLE docs (
  id integer PRIMARY KEY,
  owner integer,
  body text DEFAULT JSON_OBJECT('kind': 'note')::text,
  meta jsonb,
  CONSTRAINT docs_body_is_json CHECK (body IS JSON OBJECT)
);
-- 16: a single-table view's columns are printed unqualified (15: `docs.id`);
-- a subquery in FROM needs no alias (printed `unnamed_subquery`).
CREATE VIEW owned_docs AS
  SELECT id FROM (SELECT id, owner FROM docs WHERE owner IS NOT NULL) ORDER BY id;
CREATE VIEW doc_json AS
  SELECT id, JSON_OBJECT('id': id) AS j, meta IS JSON AS meta_is_json FROM docs;

-- PostgreSQL 17
-- 17: a domain's NOT NULL is a pg_constraint row (contype 'n').
CREATE DOMAIN positive_id AS integer NOT NULL CHECK (VALUE > 0);
-- 17: a generated expression can be changed in place (SET EXPRESSION).
CREATE TABLE lines (
  doc_id positive_id,
  qty integer NOT NULL,
  price numeric NOT NULL,
  total numeric GENERATED ALWAYS AS (qty * price) STORED
);
-- 17: SQL/JSON query functions.
CREATE VIEW doc_values AS
  SELECT id, JSON_VALUE(meta, '$.a' RETURNING integer) AS a, JSON_EXISTS(meta, '$.b') AS has_b
  FROM docs;
