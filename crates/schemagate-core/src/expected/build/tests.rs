//! Tests of the builder: lines of objects, function bodies and PostgreSQL
//! 18 features through a load and a write back.

use std::path::Path;

use crate::expected::{parse, SpecError};
use crate::model::{Deferrable, Firing, Schema};

fn parse_str(text: &str) -> Result<Schema, SpecError> {
    parse(text, Path::new("expected_schema.yaml"))
}

#[test]
fn lines_point_at_objects() {
    let schema = parse_str(
        "version: 1\nschemas:\n  public:\n    tables:\n      users:\n        columns:\n          id: {type: uuid}\n          email: text\n        primary_key: [id]\n        checks:\n          - \"length(email) > 3\"\n",
    )
    .unwrap();
    let t = &schema.schemas["public"].tables["users"];
    assert_eq!(t.line, Some(5));
    assert_eq!(t.columns[0].line, Some(7));
    assert_eq!(t.columns[1].line, Some(8));
    assert!(!t.columns[0].nullable, "primary key columns are NOT NULL");
    assert!(t.columns[1].nullable);
    assert_eq!(t.checks[0].line, Some(11));
}

/// A body written by `snapshot` reads back as the same text (less the
/// line breaks around it), whatever its first line's indentation.
#[test]
fn function_bodies_round_trip() {
    use crate::expected::to_yaml;
    use crate::model::{Function, Namespace, Volatility};
    for body in [
        " SELECT a + b ",
        "\n  BEGIN\n    RETURN 'x  y';\n\n  END\n",
        "\nBEGIN\n\tRETURN NEW; -- \"quoted\": yes #\n   \nEND",
        "BEGIN ATOMIC\n SELECT 1;\nEND",
    ] {
        let mut f = Function::new("integer".into(), "sql".into());
        f.body = Some(body.into());
        f.volatility = Volatility::Stable;
        f.config
            .insert("search_path".into(), "public, pg_temp".into());
        let mut ns = Namespace::default();
        ns.functions.insert("f()".into(), f);
        let mut schema = Schema::default();
        schema.schemas.insert("public".into(), ns);
        let yaml = to_yaml(&schema);
        let back = parse_str(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        let g = &back.schemas["public"].functions["f()"];
        let expect = if body.contains('\n') {
            body.trim_matches('\n')
        } else {
            body
        };
        assert_eq!(g.body.as_deref(), Some(expect), "{yaml}");
        assert_eq!(g.volatility, Volatility::Stable);
        assert_eq!(g.config["search_path"], "public, pg_temp");
    }
}

/// PostgreSQL 18's features load, old files keep their meaning, and the
/// writer gives back what it read.
#[test]
fn pg18_features_load_and_write_back() {
    use crate::expected::to_yaml;
    use crate::model::GeneratedKind;
    let text = "version: 1
schemas:
  public:
    tables:
      t:
        columns:
          r: {type: int4range}
          d: {type: daterange}
          w: {type: integer}
          v: {type: integer, generated: {expression: \"w * 2\", kind: virtual}}
          s: {type: integer, generated: \"w * 3\"}
          a: {type: text, not_null: {}}
          b: {type: text, nullable: false, not_null: {name: b_must}}
          c: {type: text, nullable: false, not_null: {validated: false, no_inherit: true}}
        primary_key: {columns: [r, d], without_overlaps: true}
        unique:
          - {columns: [w, d], without_overlaps: true}
        checks:
          - {expression: \"w > 0\", enforced: false}
        foreign_keys:
          - {columns: [r, d], references: {table: t, columns: [r, d]}, period: true}
";
    let schema = parse_str(text).unwrap();
    let t = &schema.schemas["public"].tables["t"];
    let col = |n: &str| t.column(n).unwrap();
    assert_eq!(col("v").generated_kind, GeneratedKind::Virtual);
    assert_eq!(col("s").generated_kind, GeneratedKind::Stored);
    assert!(!col("a").nullable, "not_null: {{}} is NOT NULL");
    assert_eq!(col("b").not_null_name.as_deref(), Some("b_must"));
    assert!(!col("c").not_null_validated);
    assert!(col("c").not_null_no_inherit);
    assert!(t.primary_key.as_ref().unwrap().without_overlaps);
    assert!(t.uniques[0].without_overlaps);
    assert!(!t.checks[0].enforced && t.checks[0].validated);
    assert!(t.foreign_keys[0].period && t.foreign_keys[0].enforced);
    let again = parse_str(&to_yaml(&schema)).unwrap();
    assert_eq!(
        crate::diff::diff(&schema, &again).len(),
        0,
        "{}",
        to_yaml(&schema)
    );
    assert!(parse_str(&text.replace("kind: virtual", "kind: sometimes"))
        .unwrap_err()
        .to_string()
        .contains("not `stored` or `virtual`"));
}

/// Extended statistics on expressions (PostgreSQL 14+) read back from what
/// `snapshot` writes: columns and expressions apart, the server's casts
/// and parentheses dropped; one expression alone has no kind list.
#[test]
fn statistics_expressions_round_trip() {
    use crate::expected::to_yaml;
    use crate::model::{Namespace, Statistics};
    let mut ns = Namespace::default();
    ns.statistics.insert(
        "s".into(),
        Statistics {
            target: None,
            comment: None,
            line: None,
            table: "t".into(),
            kinds: Statistics::all_kinds(),
            columns: vec!["zip".into()],
            expressions: vec!["lower((city)::text)".into(), "(a + b)".into()],
        },
    );
    ns.statistics.insert(
        "single".into(),
        Statistics {
            target: None,
            comment: None,
            line: None,
            table: "t".into(),
            kinds: vec![],
            columns: vec![],
            expressions: vec!["lower(city)".into()],
        },
    );
    let mut schema = Schema::default();
    schema.schemas.insert("public".into(), ns);
    let yaml = to_yaml(&schema);
    assert!(
        yaml.contains(
            "      s: {table: t, columns: [zip], expressions: [\"lower(city::text)\", \"a + b\"]}\n"
        ),
        "{yaml}"
    );
    assert!(
        yaml.contains("      single: {table: t, expressions: [lower(city)], kinds: []}\n"),
        "{yaml}"
    );
    let back = parse_str(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    let s = &back.schemas["public"].statistics["s"];
    assert_eq!(s.columns, ["zip"]);
    assert_eq!(s.expressions, ["lower(city::text)", "a + b"]);
    assert_eq!(s.kinds, Statistics::all_kinds());
    let single = &back.schemas["public"].statistics["single"];
    assert!(single.kinds.is_empty() && single.columns.is_empty());
}

/// Statistics on nothing are an error at their line, not an object the
/// server would refuse to build.
#[test]
fn statistics_need_columns_or_expressions() {
    let err = parse_str(
        "version: 1\nschemas:\n  public:\n    statistics:\n      s: {table: t, columns: []}\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("statistics `s` need `columns`, `expressions` or both"),
        "{err}"
    );
    assert!(err.contains(":5"), "{err}");
}

#[test]
fn match_full_and_no_inherit_load_and_write_back() {
    let text = "version: 1\nschemas:\n  public:\n    tables:\n      p:\n        columns:\n          a: integer\n          b: integer\n        unique:\n          - [a, b]\n      c:\n        columns:\n          a: integer\n          b: integer\n        checks:\n          - {name: c_a_check, expression: a > 0, no_inherit: true}\n        foreign_keys:\n          - {name: c_a_b_fkey, columns: [a, b], references: {table: p, columns: [a, b]}, match: FULL}\n";
    let schema = parse_str(text).expect("loads");
    let c = &schema.schemas["public"].tables["c"];
    assert!(c.foreign_keys[0].match_full);
    assert!(c.checks[0].no_inherit);
    let written = crate::expected::to_yaml(&schema);
    assert!(written.contains("match: full"), "{written}");
    assert!(written.contains("no_inherit: true"), "{written}");
    let again = parse_str(&written).expect("reads back");
    assert_eq!(crate::diff::diff(&schema, &again).len(), 0, "{written}");
    let mut simple = again.clone();
    simple
        .schemas
        .get_mut("public")
        .unwrap()
        .tables
        .get_mut("c")
        .unwrap()
        .foreign_keys[0]
        .match_full = false;
    assert_eq!(crate::diff::diff(&schema, &simple).len(), 1);

    let err = parse_str(&text.replace("match: FULL", "match: partial")).unwrap_err();
    assert_eq!(err.line(), Some(18), "{err}");
    assert!(err.to_string().contains("unknown match `partial`"), "{err}");
}

#[test]
fn trigger_and_rule_clauses_load_and_write_back() {
    let text = "version: 1\nschemas:\n  public:\n    tables:\n      t:\n        columns:\n          a: integer\n          b: integer\n        triggers:\n          - {name: t_audit, timing: after, events: [insert], function: audit(), referencing: {new: inserted}, enabled: ALWAYS}\n          - {name: t_late, timing: after, events: [update], level: row, function: audit(), constraint: true, initially_deferred: true}\n          - {name: t_off, timing: before, events: [update], level: row, function: audit(), enabled: false}\n        rules:\n          - {name: t_r, definition: \"CREATE RULE t_r AS ON DELETE TO t DO INSTEAD NOTHING;\", enabled: replica}\n        foreign_keys:\n          - {name: t_fk, columns: [a, b], references: {table: t, columns: [a, b]}, on_delete: set null (b)}\n";
    let schema = parse_str(text).expect("loads");
    let t = &schema.schemas["public"].tables["t"];
    assert_eq!(t.triggers[0].enabled, Firing::Always);
    assert_eq!(t.triggers[0].new_table.as_deref(), Some("inserted"));
    assert!(t.triggers[1].constraint);
    // INITIALLY DEFERRED implies DEFERRABLE, as in SQL.
    assert_eq!(t.triggers[1].deferrable, Deferrable::InitiallyDeferred);
    assert_eq!(t.triggers[2].enabled, Firing::Disabled);
    assert_eq!(t.rules[0].enabled, Firing::Replica);
    assert_eq!(t.foreign_keys[0].on_delete_text(), "set null (b)");
    let written = crate::expected::to_yaml(&schema);
    for needle in [
        "enabled: always, referencing: {new: inserted}",
        "constraint: true, deferrable: true, initially_deferred: true",
        "enabled: false",
        "enabled: replica",
        "on_delete: set null (b)",
    ] {
        assert!(written.contains(needle), "{needle}\n{written}");
    }
    let again = parse_str(&written).expect("reads back");
    assert_eq!(crate::diff::diff(&schema, &again).len(), 0, "{written}");

    let err = parse_str(&text.replace("constraint: true, ", "")).unwrap_err();
    assert_eq!(err.line(), Some(11), "{err}");
    assert!(err.to_string().contains("add constraint: true"), "{err}");
    let err = parse_str(&text.replace("enabled: replica", "enabled: sometimes")).unwrap_err();
    assert_eq!(err.line(), Some(14), "{err}");
    assert!(
        err.to_string().contains("`sometimes` is not one of"),
        "{err}"
    );
    let err = parse_str(&text.replace("set null (b)", "cascade (b)")).unwrap_err();
    assert_eq!(err.line(), Some(16), "{err}");
    assert!(
        err.to_string()
            .contains("only set null and set default take"),
        "{err}"
    );
}

#[test]
fn function_cost_and_rows_default_by_language_and_result() {
    let text = "version: 1\nschemas:\n  public:\n    functions:\n      f(): {returns: SETOF integer, language: sql, rows: 50, cost: 0.1}\n      g(): {returns: integer, language: sql}\n      h(): {returns: integer, language: c}\n";
    let schema = parse_str(text).expect("loads");
    let fns = &schema.schemas["public"].functions;
    assert_eq!((fns["f()"].cost as f32, fns["f()"].rows), (0.1, 50.0));
    assert_eq!((fns["g()"].cost, fns["g()"].rows), (100.0, 0.0));
    assert_eq!(fns["h()"].cost, 1.0);
    let written = crate::expected::to_yaml(&schema);
    assert!(written.contains("cost: 0.1, rows: 50"), "{written}");
    assert!(!written.contains("cost: 100"), "{written}");
    let again = parse_str(&written).expect("reads back");
    assert_eq!(crate::diff::diff(&schema, &again).len(), 0, "{written}");
    let err = parse_str(&text.replace(
        "g(): {returns: integer, language: sql}",
        "g(): {returns: integer, language: sql, rows: 5}",
    ))
    .unwrap_err();
    assert_eq!(err.line(), Some(6), "{err}");
    assert!(
        err.to_string()
            .contains("rows is for a function that returns SETOF or TABLE"),
        "{err}"
    );
}

/// A key's index: `include:` and `options:` on a primary key, a unique and
/// an exclusion constraint read back from what `snapshot` writes; an
/// INCLUDE column the table does not declare is refused at its line.
#[test]
fn key_index_include_and_options_round_trip() {
    use crate::expected::to_yaml;
    let text = "\
version: 1
schemas:
  public:
    tables:
      t:
        columns:
          a: integer
          b: integer
          r: int4range
        primary_key: {columns: [a], include: [b], options: {fillfactor: 70}}
        unique:
          - {name: t_b_key, columns: [b], include: [a, r], options: {deduplicate_items: false}}
        exclusions:
          - {name: t_r_excl, elements: [\"r WITH &&\"], include: [a], options: {fillfactor: 80}}
";
    let schema = parse_str(text).unwrap();
    let t = &schema.schemas["public"].tables["t"];
    let pk = t.primary_key.as_ref().unwrap();
    assert_eq!(pk.include, ["b"]);
    assert_eq!(pk.options["fillfactor"], "70");
    assert_eq!(t.uniques[0].include, ["a", "r"]);
    assert_eq!(t.exclusions[0].options["fillfactor"], "80");
    let yaml = to_yaml(&schema);
    assert!(
        yaml.contains("primary_key: {columns: [a], include: [b], options: {fillfactor: \"70\"}}\n"),
        "{yaml}"
    );
    let again = parse_str(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    assert_eq!(crate::diff::diff(&schema, &again).len(), 0, "{yaml}");

    // Differences are reported on the attribute that differs.
    let mut other = again.clone();
    let ot = other
        .schemas
        .get_mut("public")
        .unwrap()
        .tables
        .get_mut("t")
        .unwrap();
    ot.uniques[0].include = vec!["a".into()];
    ot.primary_key.as_mut().unwrap().options.clear();
    let found: Vec<(String, Option<String>)> = crate::diff::diff(&schema, &other)
        .into_iter()
        .map(|m| (m.object, m.attribute))
        .collect();
    assert_eq!(
        found,
        [
            ("public.t(a)".to_string(), Some("options".to_string())),
            ("public.t.t_b_key".to_string(), Some("include".to_string())),
        ]
    );

    let err = parse_str(&text.replace("include: [b]", "include: [zz]"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(":10:") && err.contains("primary_key names column `zz`"),
        "{err}"
    );
}

/// A domain's checks as `snapshot` writes them: with their names, as a
/// table's checks (a plain expression only for a valid, comment-less check
/// the file gave no name); read back the same.
#[test]
fn domain_checks_round_trip() {
    use crate::expected::to_yaml;
    let text = "\
version: 1
schemas:
  public:
    domains:
      d:
        type: integer
        checks:
          - \"VALUE > 0\"
          - {name: d_check1, expression: \"VALUE < 10\", validated: false}
          - {name: odd, expression: \"VALUE % 2 = 1\", comment: Odd.}
          - {name: small, expression: \"VALUE < 100\"}
";
    let schema = parse_str(text).unwrap();
    let yaml = to_yaml(&schema);
    assert!(
        yaml.contains("      d: {type: integer, checks: [\"value > 0\", {name: d_check1, expression: \"value < 10\", validated: false}, {name: odd, expression: \"(value % 2) = 1\", comment: Odd.}, {name: small, expression: \"value < 100\"}]}\n"),
        "{yaml}"
    );
    let again = parse_str(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    assert_eq!(crate::diff::diff(&schema, &again).len(), 0, "{yaml}");
    let err = parse_str(&text.replace("comment: Odd.", "enforced: false"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(":10:") && err.contains("unknown field `enforced`"),
        "{err}"
    );
}

/// A typed table's `of_type:` is read, written back, and compared as SQL
/// reads a type name (unquoted parts fold to lower case).
#[test]
fn typed_table_of_type_round_trips_and_compares() {
    use crate::expected::to_yaml;
    let text = |of: &str| {
        format!("version: 1\nschemas:\n  public:\n    tables:\n      pairs:\n        of_type: {of}\n        columns:\n          x: integer\n")
    };
    let schema = parse_str(&text("point_pair")).unwrap();
    assert_eq!(
        schema.schemas["public"].tables["pairs"].of_type.as_deref(),
        Some("point_pair")
    );
    let yaml = to_yaml(&schema);
    assert!(yaml.contains("        of_type: point_pair\n"), "{yaml}");
    let same = parse_str(&text("Point_Pair")).unwrap();
    assert!(crate::diff::diff(&schema, &same).is_empty());
    let other = parse_str(&text("'\"Point_Pair\"'")).unwrap();
    let found = crate::diff::diff(&schema, &other);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].attribute.as_deref(), Some("of_type"));
}

/// A table's `access_method:` is read and written back; `heap`, every
/// table's default, is the same as none; another method is one mismatch.
#[test]
fn table_access_method_round_trips_and_compares() {
    use crate::expected::to_yaml;
    let text = |method: &str| {
        format!("version: 1\nschemas:\n  public:\n    tables:\n      archive:\n        {method}columns:\n          id: integer\n")
    };
    let schema = parse_str(&text("access_method: columnar\n        ")).unwrap();
    let table = &schema.schemas["public"].tables["archive"];
    assert_eq!(table.access_method.as_deref(), Some("columnar"));
    let yaml = to_yaml(&schema);
    assert!(yaml.contains("        access_method: columnar\n"), "{yaml}");
    let heap = parse_str(&text("access_method: heap\n        ")).unwrap();
    let none = parse_str(&text("")).unwrap();
    assert_eq!(heap.schemas["public"].tables["archive"].access_method, None);
    assert!(crate::diff::diff(&heap, &none).is_empty());
    assert!(!to_yaml(&heap).contains("access_method"));
    let found = crate::diff::diff(&schema, &none);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].attribute.as_deref(), Some("access_method"));
}
