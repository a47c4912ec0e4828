//! Compare everything a schema holds, and never pass in silence (issue 13).

use crate::support::*;

const UNCOVERED: &str = include_str!("../cases/uncovered/schema.sql");

/// Every kind of object the model does not compare is listed as
/// `not_compared` (JSON), fails `diff` (exit 1) and shows in the snapshot
/// as a comment; listing the kinds under `ignore_kinds:` (or passing
/// `--ignore-kind`) makes the same diff pass.
#[test]
fn uncovered_kinds_are_never_a_silent_pass() {
    let db = TestDb::new("uncovered_kinds");
    db.execute(UNCOVERED);
    let snap = schemagate(&["snapshot", "--database-url", &db.url]);
    assert_eq!(snap.code, 0, "{snap:?}");
    let tmp = TempDir::new("uncovered");
    let file = tmp.write("expected_schema.yaml", &snap.stdout);

    let run = diff_against(&db.url, &file, &["--format", "json"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let json = run.json();
    assert_eq!(json["status"], "mismatch");
    assert_eq!(json["summary"]["mismatches"], 0, "{json:#}");
    let found: Vec<(String, String)> = json["not_compared"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["object_type"].as_str().unwrap().to_string(),
                e["object"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected_entries = [
        ("aggregate", "public.my_sum(integer)"),
        ("cast", "public.(pair AS text)"),
        ("collation", "public.my_c"),
        ("composite_type", "public.pair"),
        ("conversion", "public.my_latin1"),
        ("event_trigger", "on_ddl"),
        ("exclusion_constraint", "public.spans.spans_no_overlap"),
        ("operator", "public.===(integer, integer)"),
        ("operator_family", "public.int_fam USING hash"),
        ("publication", "spans_pub"),
        ("range_type", "public.floatrange"),
        ("rule", "public.spans.spans_no_delete"),
        ("statistics", "public.spans_stats"),
        ("text_search_configuration", "public.my_english"),
        ("text_search_dictionary", "public.my_simple"),
        ("view_index", "public.spans_mat.spans_mat_idx"),
        ("view_trigger", "public.spans_view.spans_view_insert"),
    ];
    for (kind, object) in expected_entries {
        assert!(
            found.iter().any(|(k, o)| k == kind && o == object),
            "no not_compared entry ({kind}, {object}) in {found:?}"
        );
        assert!(
            snap.stdout.contains(&format!("#   {kind} {object}")),
            "the snapshot does not list {kind} {object} as a comment:\n{}",
            snap.stdout
        );
    }
    let kinds: std::collections::BTreeSet<&str> = found.iter().map(|(k, _)| k.as_str()).collect();

    // The table format says so too.
    let run = diff_against(&db.url, &file, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("not compared"), "{}", run.stdout);
    assert!(run.stdout.contains("operator public.===(integer, integer)"));

    // Ignored on the command line...
    let mut args = vec!["--format", "json"];
    for k in &kinds {
        args.extend(["--ignore-kind", k]);
    }
    let run = diff_against(&db.url, &file, &args);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.json()["not_compared"], serde_json::json!([]));

    // ... or in the file.
    let listed: Vec<String> = kinds.iter().map(|k| format!("  - {k}\n")).collect();
    let ignoring = snap.stdout.replacen(
        "version: 1\n",
        &format!("version: 1\nignore_kinds:\n{}", listed.concat()),
        1,
    );
    let file = tmp.write("ignoring.yaml", &ignoring);
    let run = diff_against(&db.url, &file, &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);

    // A kind that is not one is an error, not a silent no-op.
    let bad = tmp.write(
        "bad.yaml",
        "version: 1\nignore_kinds: [operators]\nschemas:\n  public: {}\n",
    );
    let run = diff_against(&db.url, &bad, &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("unknown kind `operators`"),
        "{}",
        run.stderr
    );
}
