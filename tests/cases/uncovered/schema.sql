-- One object of each kind schemagate lists as not compared (issue 13): a
-- diff must never pass over them in silence.
CREATE TABLE spans (id int PRIMARY KEY, r int4range);
CREATE FUNCTION int_eq3(integer, integer) RETURNS boolean
  LANGUAGE sql IMMUTABLE AS $$ SELECT $1 = $2 $$;
CREATE OPERATOR === (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int_eq3);
CREATE OPERATOR FAMILY int_fam USING hash;
CREATE TEXT SEARCH CONFIGURATION my_english (COPY = english);
CREATE TEXT SEARCH DICTIONARY my_simple (TEMPLATE = simple);
CREATE CONVERSION my_latin1 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
CREATE COLLATION my_c FROM "C";
CREATE AGGREGATE my_sum (integer) (SFUNC = int4pl, STYPE = integer);
CREATE TYPE pair AS (a integer, b text);
CREATE TYPE floatrange AS RANGE (subtype = float8);
CREATE FUNCTION pair_text(pair) RETURNS text LANGUAGE sql AS $$ SELECT $1.b $$;
CREATE CAST (pair AS text) WITH FUNCTION pair_text(pair);
CREATE STATISTICS spans_stats ON id, r FROM spans;
CREATE RULE spans_no_delete AS ON DELETE TO spans DO INSTEAD NOTHING;
CREATE VIEW spans_view AS SELECT id FROM spans;
CREATE RULE spans_view_no_delete AS ON DELETE TO spans_view DO INSTEAD NOTHING;
CREATE FUNCTION spans_view_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO spans (id) VALUES (NEW.id); RETURN NEW; END $$;
CREATE TRIGGER spans_view_insert INSTEAD OF INSERT ON spans_view
  FOR EACH ROW EXECUTE FUNCTION spans_view_insert();
CREATE MATERIALIZED VIEW spans_mat AS SELECT id FROM spans;
CREATE INDEX spans_mat_idx ON spans_mat (id);
ALTER TABLE spans ADD CONSTRAINT spans_no_overlap EXCLUDE USING gist (r WITH &&);
CREATE PUBLICATION spans_pub FOR TABLE spans;
CREATE FUNCTION on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE EVENT TRIGGER on_ddl ON ddl_command_end EXECUTE FUNCTION on_ddl();
