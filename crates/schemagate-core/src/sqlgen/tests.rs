use std::path::Path;

use super::{render, repair};
use crate::diff::diff;
use crate::expected::parse;
use crate::model::Schema;

fn load(text: &str) -> Schema {
    parse(text, Path::new("expected_schema.yaml")).unwrap()
}

fn script(expected: &str, actual: &str, allow: bool) -> String {
    let (e, a) = (load(expected), load(actual));
    render(&repair(&e, &a, &diff(&e, &a)), allow)
}

const BASE: &str = "version: 1\nschemas:\n  public:\n    tables:\n      users:\n        columns:\n          id: {type: bigint}\n          email: {type: varchar(40), nullable: false}\n        primary_key: [id]\n        indexes:\n          - {name: users_email_idx, columns: [email]}\n";

#[test]
fn nothing_to_do_when_matching() {
    assert!(script(BASE, BASE, false).contains("nothing to do"));
}

#[test]
fn missing_objects_are_created_in_dependency_order() {
    let actual = "version: 1\nschemas:\n  public: {}\n";
    let sql = script(BASE, actual, false);
    let create = sql.find("CREATE TABLE public.users").unwrap();
    let index = sql
        .find("CREATE INDEX users_email_idx ON public.users (email)")
        .unwrap();
    assert!(create < index, "{sql}");
    assert!(sql.contains("email varchar(40) NOT NULL"), "{sql}");
    assert!(!sql.contains("-- destructive"), "{sql}");
}

#[test]
fn destructive_statements_are_commented_out_unless_allowed() {
    let actual = BASE.replace("varchar(40)", "varchar(80)").replace(
        "    tables:\n",
        "    tables:\n      extra:\n        columns:\n          a: {type: integer}\n",
    );
    let held = script(BASE, &actual, false);
    assert!(held.contains("-- DROP TABLE public.extra;"), "{held}");
    assert!(
        held.contains("-- ALTER TABLE public.users ALTER COLUMN email TYPE varchar(40) USING email::varchar(40);"),
        "{held}"
    );
    assert!(
        held.contains("2 destructive statements are commented out"),
        "{held}"
    );
    let allowed = script(BASE, &actual, true);
    assert!(allowed.contains("\nDROP TABLE public.extra;"), "{allowed}");
}

#[test]
fn widening_a_column_is_not_destructive() {
    let actual = BASE.replace("varchar(40)", "varchar(20)");
    let sql = script(BASE, &actual, false);
    assert!(
        sql.contains("\nALTER TABLE public.users ALTER COLUMN email TYPE varchar(40)"),
        "{sql}"
    );
}

#[test]
fn removing_an_enum_value_rebuilds_the_type() {
    let expected = "version: 1\nschemas:\n  public:\n    enums:\n      mood: [sad, ok]\n    tables:\n      t:\n        columns:\n          m: {type: mood, default: \"'ok'::mood\"}\n";
    let actual = expected.replace("[sad, ok]", "[sad, ok, angry]");
    let sql = script(expected, &actual, true);
    assert!(
        sql.contains("ALTER TYPE public.mood RENAME TO mood__schemagate_old"),
        "{sql}"
    );
    assert!(
        sql.contains(
            "ALTER TABLE public.t ALTER COLUMN m TYPE public.mood USING m::text::public.mood"
        ),
        "{sql}"
    );
    let added = script(&actual, expected, false);
    assert!(
        added.contains("ALTER TYPE public.mood ADD VALUE 'angry';"),
        "{added}"
    );
}

/// A partition sorts before its parent by name; it is still created after.
#[test]
fn partitions_come_after_their_parent() {
    let expected = "version: 1\nschemas:\n  public:\n    tables:\n      z_events:\n        partition_by: RANGE (d)\n        columns:\n          d: {type: date}\n      a_2024:\n        partition_of: {table: z_events, bound: \"FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')\"}\n        columns:\n          d: {type: date}\n";
    let sql = script(expected, "version: 1\nschemas:\n  public: {}\n", false);
    let parent = sql.find("CREATE TABLE public.z_events").unwrap();
    let part = sql
        .find("CREATE TABLE public.a_2024 PARTITION OF public.z_events")
        .unwrap();
    assert!(parent < part, "{sql}");
}

/// Issue 13's kinds: DDL where it is simple, a `cannot repair` note where
/// it is not (function bodies, foreign tables).
#[test]
fn issue_13_kinds_are_repaired_or_said_not_to_be() {
    let expected = "version: 1\nschemas:\n  public:\n    collations:\n      c1: {locale: C}\n    composite_types:\n      pair: {a: integer, b: text}\n    statistics:\n      s1: {table: t, columns: [a, b], kinds: [mcv]}\n    foreign_tables:\n      f: {server: srv, columns: {a: integer}}\n    functions:\n      f(): {returns: integer, language: sql, body: SELECT 1}\n    tables:\n      t:\n        unlogged: true\n        replica_identity: full\n        columns:\n          a: {type: integer}\n          b: {type: integer}\n        primary_key: {columns: [a], deferrable: true}\n        exclusions:\n          - {name: t_b_excl, using: gist, elements: [b WITH =]}\n";
    let actual = "version: 1\nschemas:\n  public:\n    functions:\n      f(): {returns: integer, language: sql, body: SELECT 2}\n    tables:\n      t:\n        columns:\n          a: {type: integer}\n          b: {type: integer}\n        primary_key: [a]\n";
    let sql = script(expected, actual, false);
    for needle in [
        "CREATE COLLATION public.c1 (provider = libc, locale = 'C');",
        "CREATE TYPE public.pair AS (a integer, b text);",
        "CREATE STATISTICS public.s1 (mcv) ON a, b FROM public.t;",
        "ALTER TABLE public.t SET UNLOGGED;",
        "ALTER TABLE public.t REPLICA IDENTITY FULL;",
        "ALTER TABLE public.t ADD PRIMARY KEY (a) DEFERRABLE;",
        "ALTER TABLE public.t ADD CONSTRAINT t_b_excl EXCLUDE USING gist (b WITH =);",
        "function public.f(): cannot repair",
        "foreign table public.f: cannot repair",
    ] {
        assert!(sql.contains(needle), "{needle:?} not in\n{sql}");
    }
}
