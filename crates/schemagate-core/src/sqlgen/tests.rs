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
/// it is not (foreign tables).
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
        "CREATE OR REPLACE FUNCTION public.f() RETURNS integer LANGUAGE sql VOLATILE PARALLEL UNSAFE AS $body$SELECT 1$body$;",
        "foreign table public.f: cannot repair",
    ] {
        assert!(sql.contains(needle), "{needle:?} not in\n{sql}");
    }
}

/// Statistics on expressions (PostgreSQL 14+) are recreated with their
/// expressions in parentheses after the columns; one expression alone gets
/// no kind list, the only form the server accepts.
#[test]
fn statistics_on_expressions_are_recreated() {
    let expected = "version: 1\nschemas:\n  public:\n    statistics:\n      s1: {table: t, columns: [a], expressions: [\"lower(b)\", \"a + 1\"]}\n      s2: {table: t, expressions: [lower(b)], kinds: []}\n";
    let actual = "version: 1\nschemas:\n  public:\n    statistics:\n      s1: {table: t, columns: [a], expressions: [upper(b), a + 1]}\n";
    let sql = script(expected, actual, false);
    for needle in [
        "DROP STATISTICS public.s1;",
        "CREATE STATISTICS public.s1 ON a, (lower(b)), (a + 1) FROM public.t;",
        "CREATE STATISTICS public.s2 ON (lower(b)) FROM public.t;",
    ] {
        assert!(sql.contains(needle), "{needle:?} not in\n{sql}");
    }
}

/// A schema holding one function `f(integer)` (and nothing else).
fn with_function(f: crate::model::Function) -> Schema {
    let mut ns = crate::model::Namespace::default();
    ns.functions.insert("f(integer)".into(), f);
    let mut schema = Schema::default();
    schema.schemas.insert("public".into(), ns);
    schema
}

fn repair_text(e: &Schema, a: &Schema) -> String {
    render(&repair(e, a, &diff(e, a)), true)
}

#[test]
fn function_repair_replaces_alters_or_recreates() {
    use crate::model::{Function, Parallel, Volatility};
    let mut e = Function::new("integer".into(), "sql".into());
    e.arguments = Some("x integer".into());
    e.body = Some("SELECT x + 1".into());
    let base = with_function(e.clone());

    // The body differs: CREATE OR REPLACE with every option.
    let mut a = e.clone();
    a.body = Some("SELECT x".into());
    let sql = repair_text(&base, &with_function(a));
    assert!(
        sql.contains("CREATE OR REPLACE FUNCTION public.f(x integer) RETURNS integer LANGUAGE sql VOLATILE PARALLEL UNSAFE AS $body$SELECT x + 1$body$;"),
        "{sql}"
    );
    assert!(!sql.contains("DROP"), "{sql}");
    // Its body may name a table created further down the script.
    assert!(
        sql.find("SET check_function_bodies = off;") < sql.find("CREATE OR REPLACE FUNCTION"),
        "{sql}"
    );
    assert!(sql.contains("SET check_function_bodies = off;"), "{sql}");

    // Options only: ALTER FUNCTION.
    let mut a = e.clone();
    a.volatility = Volatility::Immutable;
    a.strict = true;
    a.security_definer = true;
    a.leakproof = true;
    a.parallel = Parallel::Safe;
    a.config.insert("work_mem".into(), "64MB".into());
    let sql = repair_text(&base, &with_function(a));
    assert!(
        sql.contains("ALTER FUNCTION public.f(integer) VOLATILE CALLED ON NULL INPUT NOT LEAKPROOF PARALLEL UNSAFE SECURITY INVOKER;"),
        "{sql}"
    );
    assert!(
        sql.contains("ALTER FUNCTION public.f(integer) RESET work_mem;"),
        "{sql}"
    );
    assert!(!sql.contains("check_function_bodies"), "{sql}");
    let mut with_set = e.clone();
    with_set
        .config
        .insert("search_path".into(), "public, pg_temp".into());
    let sql = repair_text(&with_function(with_set), &base);
    assert!(
        sql.contains("ALTER FUNCTION public.f(integer) SET search_path = 'public', 'pg_temp';"),
        "{sql}"
    );

    // The result differs: DROP, then CREATE.
    let mut a = e.clone();
    a.returns = "bigint".into();
    let sql = repair_text(&base, &with_function(a.clone()));
    let drop = sql.find("DROP FUNCTION public.f(integer);").expect(&sql);
    let create = sql.find("CREATE OR REPLACE FUNCTION").expect(&sql);
    assert!(drop < create, "{sql}");
    // The DROP loses the function's grants and comment, and fails while a
    // view or trigger uses it: destructive, with a note that says so, and
    // held back (commented out) without --allow-destructive.
    assert!(
        sql.contains("-- destructive:\nDROP FUNCTION public.f(integer);"),
        "{sql}"
    );
    assert!(
        sql.contains("-- function public.f(integer): its result or arguments differ, so it is dropped and created again"),
        "{sql}"
    );
    let changed = with_function(a);
    let held = render(&repair(&base, &changed, &diff(&base, &changed)), false);
    assert!(
        held.contains("-- DROP FUNCTION public.f(integer);"),
        "{held}"
    );
    assert!(
        held.contains("1 destructive statement is commented out"),
        "{held}"
    );

    // Missing, with its body: created.
    let empty = with_function(e.clone());
    let mut none = empty.clone();
    none.schemas.get_mut("public").unwrap().functions.clear();
    let sql = repair_text(&base, &none);
    assert!(
        sql.contains("CREATE OR REPLACE FUNCTION public.f(x integer)"),
        "{sql}"
    );

    // Without a body in the file: a comment that says what is missing.
    let mut no_body = e.clone();
    no_body.body = None;
    let sql = repair_text(&with_function(no_body), &none);
    assert!(sql.contains("-- function public.f(integer): cannot repair, it is missing and the expected file gives no body"), "{sql}");

    // A procedure with a SQL-standard body.
    let mut p = Function::new("procedure".into(), "sql".into());
    p.body = Some("BEGIN ATOMIC\n SELECT 1;\nEND".into());
    p.security_definer = true;
    let sql = repair_text(&with_function(p), &none);
    assert!(
        sql.contains("CREATE OR REPLACE PROCEDURE public.f(integer) LANGUAGE sql SECURITY DEFINER\nBEGIN ATOMIC\n SELECT 1;\nEND;"),
        "{sql}"
    );
}

#[test]
fn postgresql_18_features_are_written() {
    let e = "version: 1\nschemas:\n  public:\n    tables:\n      r:\n        columns:\n          id: {type: int4range}\n          d: {type: daterange}\n          g: {type: integer, generated: {expression: \"1\", kind: virtual}}\n          n: {type: text, nullable: false, not_null: {name: r_n_nn, validated: false}}\n          m: {type: text, nullable: false, not_null: {no_inherit: true}}\n        primary_key: {name: r_pk, columns: [id, d], without_overlaps: true}\n        unique:\n          - {name: r_key, columns: [id, d], without_overlaps: true}\n        checks:\n          - {name: r_c, expression: \"g > 0\", enforced: false}\n        foreign_keys:\n          - {name: r_fk, columns: [id, d], references: {table: r, columns: [id, d]}, period: true}\n          - {name: r_fk2, columns: [id, d], references: {table: r, columns: [id, d]}, enforced: false}\n";
    let actual = "version: 1\nschemas:\n  public: {}\n";
    let sql = script(e, actual, true);
    for needle in [
        "g integer GENERATED ALWAYS AS (1) VIRTUAL",
        "m text NOT NULL NO INHERIT",
        "CONSTRAINT r_pk PRIMARY KEY (id, d WITHOUT OVERLAPS)",
        "CONSTRAINT r_key UNIQUE (id, d WITHOUT OVERLAPS)",
        "CONSTRAINT r_c CHECK (g > 0) NOT ENFORCED",
        "ALTER TABLE public.r ADD CONSTRAINT r_n_nn NOT NULL n NOT VALID;",
        "FOREIGN KEY (id, PERIOD d) REFERENCES public.r (id, PERIOD d)",
        "CONSTRAINT r_fk2 FOREIGN KEY (id, d) REFERENCES public.r (id, d) NOT ENFORCED",
    ] {
        assert!(sql.contains(needle), "{needle}:\n{sql}");
    }
    assert!(!sql.contains("n text NOT NULL"), "{sql}");
}

/// A domain's checks are repaired one by one, in place: a NOT VALID one
/// validated, a renamed one renamed back, a comment set, an extra one
/// dropped, a missing one added NOT VALID as declared.
#[test]
fn domain_checks_are_repaired_in_place() {
    let domain = |checks: &str| {
        format!("version: 1\nschemas:\n  public:\n    domains:\n      d: {{type: integer, checks: [{checks}]}}\n")
    };
    let expected = domain(
        "\"VALUE > 0\", {name: small, expression: \"VALUE < 10\", comment: Small.}, {name: odd, expression: \"VALUE % 2 = 1\", validated: false}",
    );
    let actual = domain(
        "{name: d_check, expression: \"VALUE > 0\", validated: false}, {name: tiny, expression: \"VALUE < 10\"}, {name: d_check1, expression: \"VALUE <> 5\"}",
    );
    let (e, a) = (load(&expected), load(&actual));
    let found = diff(&e, &a);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].attribute.as_deref(), Some("checks"));
    let sql = render(&repair(&e, &a, &found), true);
    for statement in [
        "ALTER DOMAIN public.d DROP CONSTRAINT d_check1;",
        "ALTER DOMAIN public.d ADD CONSTRAINT odd CHECK (VALUE % 2 = 1) NOT VALID;",
        "ALTER DOMAIN public.d VALIDATE CONSTRAINT d_check;",
        "ALTER DOMAIN public.d RENAME CONSTRAINT tiny TO small;",
        "COMMENT ON CONSTRAINT small ON DOMAIN public.d IS 'Small.';",
    ] {
        assert!(sql.contains(statement), "{statement}\n{sql}");
    }
    assert!(!sql.contains("by hand"), "{sql}");

    // A missing domain: valid checks in CREATE DOMAIN, a NOT VALID one
    // added after it (CREATE DOMAIN takes no NOT VALID), comments after.
    let none = "version: 1\nschemas:\n  public: {}\n";
    let (e, a) = (load(&expected), load(none));
    let sql = render(&repair(&e, &a, &diff(&e, &a)), true);
    for statement in [
        "CREATE DOMAIN public.d AS integer CHECK (VALUE > 0) CONSTRAINT small CHECK (VALUE < 10);",
        "ALTER DOMAIN public.d ADD CONSTRAINT odd CHECK (VALUE % 2 = 1) NOT VALID;",
        "COMMENT ON CONSTRAINT small ON DOMAIN public.d IS 'Small.';",
    ] {
        assert!(sql.contains(statement), "{statement}\n{sql}");
    }

    // The same expressions, valid both: only the validity differed.
    let only_validity = domain("\"VALUE > 0\"");
    let not_valid = domain("{expression: \"VALUE > 0\", validated: false, name: d_check}");
    let found = diff(&load(&only_validity), &load(&not_valid));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].expected.as_deref(), Some("VALUE > 0"));
    assert_eq!(
        found[0].actual.as_deref(),
        Some("d_check: VALUE > 0 NOT VALID")
    );
    assert!(diff(
        &load(&only_validity),
        &load(&domain("{expression: \"VALUE > 0\", name: d_check}"))
    )
    .is_empty());
}
