//! Unit tests of the canonical forms of types, expressions, queries and defaults.

use super::*;

/// PostgreSQL 13 prints the plain calls, 14 and later the SQL-standard
/// syntax (pairs copied from servers 13 and 15, docs/postgresql-versions.md).
#[test]
fn sql_standard_function_syntax_equals_the_plain_calls_13_prints() {
    let cases = [
        (
            "(date_part('year'::text, t) > 2000::double precision)",
            "(EXTRACT(year FROM t) > 2000::numeric)",
        ),
        (
            "timezone('utc'::text, now())",
            "(now() AT TIME ZONE 'utc'::text)",
        ),
        (
            "(\"substring\"(s, 1, 2) <> 'zz'::text)",
            "(SUBSTRING(s FROM 1 FOR 2) <> 'zz'::text)",
        ),
        (
            "(btrim(s, ' '::text) <> ''::text)",
            "(TRIM(BOTH ' '::text FROM s) <> ''::text)",
        ),
        (
            "(\"position\"(s, 'x'::text) = 0)",
            "(POSITION(('x'::text) IN (s)) = 0)",
        ),
        (
            "date_part('year'::text, timezone('UTC'::text, d))",
            "EXTRACT(year FROM (d AT TIME ZONE 'UTC'::text))",
        ),
    ];
    for (thirteen, later) in cases {
        assert_eq!(canonical_expr(thirteen), canonical_expr(later), "{later}");
    }
    assert_ne!(
        canonical_expr("EXTRACT(year FROM t)"),
        canonical_expr("EXTRACT(month FROM t)")
    );
    assert_ne!(
        canonical_expr("TRIM(LEADING 'x' FROM s)"),
        canonical_expr("TRIM(BOTH 'x' FROM s)")
    );
}

#[test]
fn type_aliases_match_format_type() {
    let cases = [
        ("varchar(255)", "character varying(255)"),
        ("VARCHAR( 255 )", "character varying(255)"),
        ("timestamptz", "timestamp with time zone"),
        ("timestamptz(3)", "timestamp(3) with time zone"),
        ("timestamp", "timestamp without time zone"),
        ("int", "integer"),
        ("int4", "integer"),
        ("int8", "bigint"),
        ("bool", "boolean"),
        ("char(3)", "character(3)"),
        ("char", "character(1)"),
        ("decimal(12, 6)", "numeric(12,6)"),
        ("float8", "double precision"),
        ("float(10)", "real"),
        ("int[]", "integer[]"),
        ("text[][]", "text[]"),
        ("integer array", "integer[]"),
        ("public.mood", "mood"),
        ("\"Mood\"", "\"Mood\""),
        ("serial", "integer"),
        ("time with time zone", "time with time zone"),
    ];
    for (input, server) in cases {
        assert_eq!(
            canonical_type(input),
            canonical_type(server),
            "{input} vs {server}"
        );
    }
    assert_ne!(
        canonical_type("varchar(255)"),
        canonical_type("varchar(100)")
    );
    assert_ne!(canonical_type("timestamp"), canonical_type("timestamptz"));
    assert_ne!(canonical_type("int"), canonical_type("bigint"));
    assert_ne!(canonical_type("text"), canonical_type("text[]"));
}

#[test]
fn server_rewrites_of_expressions_compare_equal() {
    let cases = [
        (
            "status IN ('active', 'suspended', 'deleted')",
            "((status)::text = ANY ((ARRAY['active'::character varying, 'suspended'::character varying, 'deleted'::character varying])::text[]))",
        ),
        ("'{}'", "'{}'::jsonb"),
        ("'USD'", "'USD'::bpchar"),
        ("-1", "'-1'::integer"),
        ("temperature BETWEEN 0 AND 2", "((temperature >= (0)::numeric) AND (temperature <= (2)::numeric))"),
        ("lower(name)", "lower((name)::text)"),
        ("name LIKE 'a%'", "((name)::text ~~ 'a%'::text)"),
        (
            "completed_at IS NULL OR started_at IS NULL OR completed_at >= started_at",
            "(((completed_at IS NULL) OR (started_at IS NULL)) OR (completed_at >= started_at))",
        ),
        ("kind in ('x')", "(kind = 'x'::text)"),
        ("\"Weird Col\" > 0", "(\"Weird Col\" > 0)"),
        ("Amount > 0", "(amount > 0)"),
        ("nextval('users_id_seq')", "nextval('users_id_seq'::regclass)"),
        ("jsonb_typeof(definition) = 'object'", "(jsonb_typeof(definition) = 'object'::text)"),
        ("color ~ '^#[0-9a-fA-F]{6}$'", "((color)::text ~ '^#[0-9a-fA-F]{6}$'::text)"),
        ("status <> 'x'", "status != 'x'"),
        ("status NOT IN ('a', 'b')", "((status)::text <> ALL ((ARRAY['a'::character varying, 'b'::character varying])::text[]))"),
    ];
    // Every column in these is a varchar: the server adds `::text`.
    let varchar = |_: &str| Some("character varying(50)".to_string());
    for (written, server) in cases {
        assert_eq!(
            canonical_expr(&drop_server_casts(written, &varchar)),
            canonical_expr(&drop_server_casts(server, &varchar)),
            "{written} vs {server}"
        );
    }
}

/// The equivalence table of the README: each pair means the same.
pub(crate) const EQUIVALENT: [(&str, &str); 14] = [
    ("CURRENT_TIMESTAMP", "now()"),
    ("transaction_timestamp()", "now()"),
    ("'{}'::text[]", "ARRAY[]::text[]"),
    ("CURRENT_DATE", "('now'::text)::date"),
    (
        "LOCALTIMESTAMP",
        "('now'::text)::timestamp without time zone",
    ),
    ("CURRENT_USER", "current_user"),
    ("CURRENT_ROLE", "CURRENT_USER"),
    ("true", "'t'::boolean"),
    ("false", "'false'::boolean"),
    ("1.0", "1.0::numeric"),
    ("a <> b", "a != b"),
    ("x::varchar(10)", "(x)::character varying(10)"),
    ("pg_catalog.lower(a)", "lower(a)"),
    ("'a'::text", "'a'"),
];

#[test]
fn equivalent_spellings_compare_equal_both_ways() {
    for (a, b) in EQUIVALENT {
        assert_eq!(canonical_expr(a), canonical_expr(b), "{a} vs {b}");
        // What snapshot writes reads back as the same.
        let written = pretty_expr(a);
        assert_eq!(
            canonical_expr(&written),
            canonical_expr(b),
            "{a} written as {written}"
        );
    }
    for (a, b) in [
        ("CURRENT_TIMESTAMP", "LOCALTIMESTAMP"),
        ("CURRENT_DATE", "now()"),
        ("CURRENT_USER", "SESSION_USER"),
        ("true", "'f'::boolean"),
        ("'{}'::text[]", "'{a}'::text[]"),
        ("1.0", "1.5"),
        ("a <> b", "a = b"),
    ] {
        assert_ne!(canonical_expr(a), canonical_expr(b), "{a} vs {b}");
    }
}

#[test]
fn explicit_casts_of_columns_are_meaning() {
    assert_ne!(canonical_expr("(id::text)"), canonical_expr("id"));
    assert_eq!(canonical_expr("((id)::text)"), canonical_expr("(id::text)"));
    assert_eq!(pretty_expr("((id)::text)"), "id::text");
    assert_ne!(
        canonical_expr("NEW.a::text = 'x'"),
        canonical_expr("NEW.a = 'x'")
    );
    // Only the casts the server adds go, given the column's type.
    let int = |_: &str| Some("integer".to_string());
    let varchar = |_: &str| Some("character varying(20)".to_string());
    assert_eq!(drop_server_casts("((id)::text)", &int), "((id)::text)");
    assert_eq!(
        canonical_expr(&drop_server_casts("(id)::integer", &int)),
        "id"
    );
    assert_eq!(
        canonical_expr(&drop_server_casts("lower((v)::text)", &varchar)),
        "lower(v)"
    );
    assert_eq!(
        canonical_expr(&drop_server_casts("(new.v)::text = 'a'", &varchar)),
        "new.v = 'a'"
    );
    // A written empty array is valid SQL.
    assert_eq!(pretty_expr("ARRAY[]::text[]"), "'{}'");
    assert_eq!(pretty_index_key("((id)::text)"), "(id::text)");
    assert_eq!(
        drop_server_casts(
            "((v)::text = ANY ((ARRAY['a'::character varying])::text[]))",
            &varchar
        ),
        "(v = ANY ((ARRAY['a'::character varying])::text[]))"
    );
    assert_eq!(drop_server_casts("lower(v::TEXT)", &varchar), "lower(v)");
    assert_eq!(pretty_index_key("lower(email)"), "lower(email)");
    assert_eq!(pretty_index_key("\"Line No\""), "\"Line No\"");
    // Text that parses only in part is written as it is, not wrapped.
    assert_eq!(pretty_index_key("lowe''r(email)"), "lowe''r(email)");
}

#[test]
fn grouping_and_values_still_count() {
    assert_ne!(
        canonical_expr("(a OR b) AND c"),
        canonical_expr("a OR (b AND c)")
    );
    assert_eq!(
        canonical_expr("a OR b AND c"),
        canonical_expr("a OR (b AND c)")
    );
    assert_ne!(canonical_expr("x > 0"), canonical_expr("x >= 0"));
    assert_ne!(canonical_expr("'a'"), canonical_expr("'b'"));
    assert_ne!(canonical_expr("now()::date"), canonical_expr("now()"));
    assert_ne!(
        canonical_expr("\"Amount\" > 0"),
        canonical_expr("amount > 0")
    );
}

#[test]
fn view_queries_compare_without_server_qualifiers() {
    assert_eq!(
        canonical_query(" SELECT customers.id,\n    customers.email\n   FROM customers\n  WHERE customers.status = 'active'::text;"),
        canonical_query("select id, email from customers where status = 'active'")
    );
    assert_ne!(
        canonical_query("SELECT id FROM customers WHERE status = 'active'"),
        canonical_query("SELECT id FROM customers WHERE status = 'blocked'")
    );
    // The server's casts of varchar columns (no types at hand here).
    assert_eq!(
        canonical_query("SELECT id FROM c WHERE ((c.status)::text = 'x'::text)"),
        canonical_query("select id from c where status = 'x'")
    );
    // With a join, qualifiers are meaningful and kept.
    assert_ne!(
        canonical_query("SELECT a.id FROM a JOIN b ON a.id = b.id"),
        canonical_query("SELECT b.id FROM a JOIN b ON a.id = b.id")
    );
}

#[test]
fn pretty_forms_are_short_and_equal() {
    assert_eq!(pretty_type("character varying(255)"), "varchar(255)");
    assert_eq!(pretty_type("timestamp with time zone"), "timestamptz");
    assert_eq!(pretty_type("timestamp(3) with time zone"), "timestamptz(3)");
    assert_eq!(pretty_type("character(3)[]"), "char(3)[]");
    assert_eq!(pretty_type("numeric(12,6)"), "numeric(12,6)");
    assert_eq!(pretty_type("\"Mood\""), "\"Mood\"");
    assert_eq!(
        pretty_expr(&drop_server_casts(
            "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
            &|_| Some("character varying(9)".into())
        )),
        "status IN ('a', 'b')"
    );
    assert_eq!(pretty_expr("'draft'::character varying"), "'draft'");
}

#[test]
fn deep_expressions_never_overflow_the_stack() {
    // Issue 15, item 4: 100,000 terms overflowed the stack. Test
    // threads have small stacks: the limit must be safe on them.
    let at_limit = format!("id > 0{}", "+0".repeat(MAX_EXPR_OPERATORS - 2));
    assert!(too_complex(&at_limit).is_none());
    assert_eq!(canonical_expr(&at_limit), canonical_expr(&at_limit));
    let huge = format!("id > 0{}", "+0".repeat(100_000));
    assert!(too_complex(&huge).is_some());
    assert_eq!(canonical_expr(&huge), huge);
    let deep_or = (0..MAX_EXPR_OPERATORS / 4)
        .map(|i| format!("a = {i}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    assert!(same_expr(&deep_or, &deep_or.replace(" OR ", " or ")));
}

#[test]
fn unparsable_text_falls_back_to_whitespace() {
    assert_eq!(canonical_expr("a  ]]] b"), "a ]]] b");
}

#[test]
fn reserved_keywords_are_sorted_for_binary_search() {
    assert!(is_reserved_keyword("order"));
    assert!(is_reserved_keyword("user"));
    assert!(!is_reserved_keyword("users"));
}

/// Issue 12: on a boolean column every spelling `boolin` reads is the
/// boolean the server stores; on any other column a quoted text stays.
#[test]
fn boolean_spellings_of_a_boolean_default_are_the_boolean() {
    for yes in [
        "'yes'", "'on'", "'1'", "'true'", "'y'", "'t'", "' YES '", "('on')",
    ] {
        for ty in ["boolean", "bool"] {
            assert!(same_default(yes, ty, "true", "boolean"), "{yes} {ty}");
            assert!(same_default("true", "boolean", yes, ty), "{yes} {ty}");
            assert!(!same_default(yes, ty, "false", "boolean"), "{yes} {ty}");
        }
    }
    for no in ["'no'", "'off'", "'0'", "'false'", "'n'", "'f'"] {
        assert!(same_default(no, "boolean", "false", "boolean"), "{no}");
        assert!(same_default("false", "boolean", no, "boolean"), "{no}");
        assert!(!same_default(no, "boolean", "true", "boolean"), "{no}");
    }
    // Not a boolean spelling, or not a boolean column: unchanged.
    for text in ["'o'", "'maybe'", "''", "'yes' || ''", "1"] {
        assert_eq!(typed_default(text, "boolean"), text);
    }
    assert_eq!(typed_default("'yes'", "text"), "'yes'");
    assert!(!same_default("'yes'", "text", "'true'", "text"));
    assert!(!same_default("'1'", "integer", "true", "integer"));
    assert!(!same_default("'yes'", "varchar(5)", "true", "boolean"));
}

/// Issue 12: the server's `::text` on an explicit cast to varchar (in
/// a CHECK, `x::varchar(10) <> ''`) goes, as on a varchar column; a
/// cast to text of anything else stays.
#[test]
fn the_servers_text_cast_of_a_varchar_cast_is_dropped() {
    let types = |name: &str| match name {
        "x" => Some("character varying(20)".to_string()),
        "n" => Some("integer".to_string()),
        _ => None,
    };
    let same = |a: &str, b: &str| {
        canonical_expr(&drop_server_casts(a, &types))
            == canonical_expr(&drop_server_casts(b, &types))
    };
    for (file, server) in [
        (
            "x::varchar(10) <> ''",
            "((x)::character varying(10))::text <> ''::text",
        ),
        (
            "n::varchar <> ''",
            "((n)::character varying)::text <> ''::text",
        ),
        (
            "lower(x::varchar(5))",
            "lower(((x)::character varying(5))::text)",
        ),
        (
            "(n + 1)::varchar(3) = 'a'",
            "(((n + 1))::character varying(3))::text = 'a'::text",
        ),
    ] {
        assert!(same(file, server), "{file} vs {server}");
        assert!(same(server, file), "{server} vs {file}");
    }
    assert_eq!(
        drop_server_casts("((x)::character varying(10))::text <> ''::text", &types),
        "((x)::character varying(10)) <> ''::text"
    );
    // The varchar cast itself is meaning, and so is any other `::text`.
    assert!(!same("x::varchar(10) <> ''", "x <> ''"));
    assert!(!same("x::varchar(10) <> ''", "x::varchar(11) <> ''"));
    assert!(!same("n::text <> ''", "n <> ''"));
    assert!(!same("(n::integer)::text <> ''", "n <> ''"));
}

/// A function's result: `SETOF int` is `SETOF integer`, and the columns of
/// `RETURNS TABLE` count, names as SQL reads them and types canonical.
#[test]
fn function_results_compare_by_their_columns() {
    assert_eq!(
        canonical_type("SETOF int4"),
        canonical_type("setof integer")
    );
    assert_eq!(
        canonical_type("TABLE(a integer, \"B c\" text, n numeric(12, 2))"),
        canonical_type("table (A int, \"B c\" text, n decimal(12,2))")
    );
    assert_ne!(
        canonical_type("TABLE(a integer, b text)"),
        canonical_type("TABLE(a integer, b character varying)")
    );
    assert_ne!(
        canonical_type("TABLE(a integer, b text)"),
        canonical_type("TABLE(a integer, c text)")
    );
    assert_ne!(
        canonical_type("TABLE(a integer)"),
        canonical_type("SETOF record")
    );
    assert_eq!(
        pretty_type("TABLE(a integer, \"B c\" character varying(3))"),
        "TABLE(a integer, \"B c\" varchar(3))"
    );
    assert_eq!(
        pretty_type("SETOF timestamp with time zone"),
        "SETOF timestamptz"
    );
    // A type whose name starts with the words is a type.
    assert_eq!(canonical_type("tablespace_info"), "tablespace_info");
}
