-- A fixture for what issue 13 added to the comparison: function internals
-- (bodies, a BEGIN ATOMIC body, options, argument modes and defaults,
-- procedures).

CREATE FUNCTION add_atomic(a integer, b integer DEFAULT 1) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  BEGIN ATOMIC
    SELECT a + b;
  END;

CREATE FUNCTION secure_lookup(key text) RETURNS text
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  -- a comment, and a literal with  two spaces
  RETURN 'value:  ' || key;
END $$;

CREATE FUNCTION same_text(a text, b text) RETURNS boolean
  LANGUAGE sql IMMUTABLE LEAKPROOF AS $$ SELECT a = b $$;

CREATE FUNCTION split_name(full_name text, OUT first text, OUT last text)
  LANGUAGE sql AS $$ SELECT split_part(full_name, ' ', 1), split_part(full_name, ' ', 2) $$;

CREATE FUNCTION variadic_sum(VARIADIC nums integer[]) RETURNS integer
  LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT sum(n)::int FROM unnest(nums) n $$;

CREATE PROCEDURE archive(days integer DEFAULT 30)
  LANGUAGE plpgsql AS $$ BEGIN PERFORM days; END $$;

CREATE TABLE stamped (id integer PRIMARY KEY, at timestamptz);
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.at := now();
  RETURN NEW;
END $$;
CREATE TRIGGER stamped_stamp BEFORE INSERT ON stamped
  FOR EACH ROW EXECUTE FUNCTION stamp();

-- Table attributes and constraints: a deferrable primary key, an exclusion
-- constraint, UNLOGGED, INHERITS, REPLICA IDENTITY.
CREATE TABLE bookings (
  id integer,
  room integer NOT NULL,
  during tsrange NOT NULL,
  CONSTRAINT bookings_pkey PRIMARY KEY (id) DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT bookings_no_overlap EXCLUDE USING gist (during WITH &&) WHERE (room > 0)
);
CREATE UNLOGGED TABLE scratch (id integer PRIMARY KEY, note text);
CREATE TABLE base_items (id integer NOT NULL, label text);
CREATE TABLE special_items (extra text) INHERITS (base_items);
CREATE TABLE audited (id integer NOT NULL, v text);
CREATE UNIQUE INDEX audited_id_key ON audited (id);
ALTER TABLE audited REPLICA IDENTITY USING INDEX audited_id_key;
CREATE TABLE logged_everything (id integer PRIMARY KEY);
ALTER TABLE logged_everything REPLICA IDENTITY FULL;

-- An INSTEAD OF trigger on a view, an index on a materialized view.
CREATE VIEW booking_rooms AS SELECT id, room FROM bookings;
CREATE FUNCTION booking_rooms_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO bookings (id, room, during) VALUES (NEW.id, NEW.room, tsrange(now()::timestamp, NULL));
  RETURN NEW;
END $$;
CREATE TRIGGER booking_rooms_insert INSTEAD OF INSERT ON booking_rooms
  FOR EACH ROW EXECUTE FUNCTION booking_rooms_insert();
CREATE MATERIALIZED VIEW room_counts AS SELECT room, count(*) AS n FROM bookings GROUP BY room;
CREATE UNIQUE INDEX room_counts_room_idx ON room_counts (room);

-- A schema that is selected and declared, but holds nothing.
CREATE SCHEMA empty_one;

-- Composite types, extensions, collations, extended statistics, foreign tables.
CREATE TYPE money_pair AS (amount integer, currency char(3));
CREATE EXTENSION citext;
CREATE COLLATION cov_coll (provider = libc, locale = 'C');
CREATE TABLE measurements (city text, zip text, temp numeric);
CREATE STATISTICS measurements_city_zip (ndistinct, dependencies) ON city, zip FROM measurements;
-- PostgreSQL 14+: statistics on an expression (not built on 13).
CREATE STATISTICS measurements_lower_city ON (lower(city)), zip FROM measurements;
CREATE FOREIGN DATA WRAPPER cov_fdw;
CREATE SERVER cov_server FOREIGN DATA WRAPPER cov_fdw;
CREATE FOREIGN TABLE remote_things (id integer, name text) SERVER cov_server
  OPTIONS (table_name 'things');

-- A rule on a table.
CREATE RULE measurements_no_delete AS ON DELETE TO measurements DO INSTEAD NOTHING;
