-- SQL-standard function syntax, which PostgreSQL 14 and later print as
-- written and 13 prints as plain calls (date_part, timezone, "substring",
-- btrim, "position"): in a default, checks, an index and a view.
CREATE TABLE stamps (
  s text NOT NULL,
  t timestamptz NOT NULL,
  local_t timestamp DEFAULT (now() AT TIME ZONE 'utc'),
  CHECK (EXTRACT(year FROM t) > 2000),
  CHECK (substring(s FROM 1 FOR 2) <> 'zz'),
  CHECK (trim(both ' ' from s) <> ''),
  CHECK (position('x' in s) = 0)
);
CREATE INDEX stamps_year_idx ON stamps (EXTRACT(year FROM t AT TIME ZONE 'UTC'));
CREATE VIEW stamp_years AS
  SELECT s, EXTRACT(year FROM t) AS year, substring(s FROM 2) AS tail FROM stamps;
-- 16 prints a single-table view's columns unqualified (15: `stamps.s`), but
-- keeps the qualifiers in CTE bodies and sub-selects.
CREATE VIEW latest_stamps AS
  SELECT s, t FROM stamps
  WHERE NOT EXISTS (SELECT 1 FROM stamps newer WHERE newer.s = stamps.s AND newer.t > stamps.t)
  ORDER BY s;
CREATE VIEW stamp_counts AS
  WITH per_s AS (SELECT s, count(*) AS n FROM stamps GROUP BY s)
  SELECT s, n, rank() OVER (ORDER BY n DESC) AS r FROM per_s WHERE n > 1;
