//! `schemagate roundtrip`: every down migration undoes its up migration (issue 8).

use crate::support::*;

/// On a throwaway cluster of its own: a scratch database on the shared test
/// server would race with the check test that finds none left there.
fn roundtrip(args: &[&str]) -> Run {
    let mut all = vec!["roundtrip", "--target", "local"];
    all.extend_from_slice(args);
    schemagate(&all)
}

#[test]
fn roundtrip_of_the_bundled_migrations_is_clean() {
    let run = roundtrip(&[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .ends_with("6 migrations checked: 6 clean, 0 residue, 0 down failed, 0 no down\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_down_that_forgets_an_index_a_default_and_a_check_leaves_exactly_those() {
    let migrations = case_dir("roundtrip_residue").join("migrations");
    let run = roundtrip(&[
        "--migrations",
        migrations.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let json = run.json();
    assert_eq!(json["status"], "not_clean");
    let steps = json["migrations"].as_array().unwrap();
    let statuses: Vec<&str> = steps
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["clean", "residue", "down failed"]);

    let rules = &steps[1];
    assert_eq!(rules["migration"], "0002_account_rules");
    // The actual side as `snapshot` writes it (issue 12).
    assert_eq!(
        rules["residue"],
        serde_json::json!([
            {
                "change": "unexpected",
                "object_type": "index",
                "object": "public.accounts.accounts_lower_email_idx",
                "attribute": null,
                "expected": null,
                "actual": "INDEX USING btree (lower(email))"
            },
            {
                "change": "unexpected",
                "object_type": "check",
                "object": "public.accounts.accounts_status_check",
                "attribute": null,
                "expected": null,
                "actual": "CHECK (status IN ('active', 'suspended', 'closed'))"
            },
            {
                "change": "changed",
                "object_type": "column",
                "object": "public.accounts.status",
                "attribute": "default",
                "expected": null,
                "actual": "'active'"
            }
        ])
    );
    // Applying the up migration again trips over the index it left.
    assert!(
        rules["up_again_error"]
            .as_str()
            .unwrap()
            .contains("0002_account_rules.up.sql:4:1: ERROR 42P07"),
        "{rules}"
    );

    // The next migration is still checked, in a database rebuilt up to 0002.
    let sessions = &steps[2];
    assert_eq!(sessions["error"]["line"], 2);
    assert!(sessions["error"]["file"]
        .as_str()
        .unwrap()
        .ends_with("0003_sessions.down.sql"));
    assert!(
        sessions["error"]["message"]
            .as_str()
            .unwrap()
            .contains("0003_sessions.down.sql:2:1: ERROR 42P01: table \"session\" does not exist"),
        "{sessions}"
    );
}

#[test]
fn from_and_to_limit_the_checked_range() {
    let run = roundtrip(&["--from", "2", "--to", "0004", "--format", "json"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let json = run.json();
    let ids: Vec<&str> = json["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["migration"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["0002_ai_llm", "0003_workflows", "0004_files"]);
    assert_eq!(json["summary"]["unchecked"], 1);

    let run = roundtrip(&["--from", "5", "--to", "2"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("--from 0005_analytics comes after --to 0002_ai_llm"),
        "{}",
        run.stderr
    );
    let run = roundtrip(&["--to", "99"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("no migration has version 99"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_failing_up_migration_is_an_error_with_file_and_line() {
    let tmp = TempDir::new("rt_up_fails");
    tmp.write("0001_a.up.sql", "CREATE TABLE a (id int);\n");
    tmp.write("0001_a.down.sql", "DROP TABLE a;\n");
    tmp.write(
        "0002_b.up.sql",
        "-- b\nCREATE TABLE b (id int);\nALTER TABLE nope ADD COLUMN x int;\n",
    );
    tmp.write("0002_b.down.sql", "DROP TABLE b;\n");
    let run = roundtrip(&["--migrations", tmp.path().to_str().unwrap()]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("0002_b.up.sql:3:1: ERROR 42P01"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn a_migration_without_down_is_reported_and_not_clean() {
    let tmp = TempDir::new("rt_no_down");
    // sqlx's one-file migrations cannot be reverted.
    tmp.write("20240101000000_a.sql", "CREATE TABLE a (id int);\n");
    tmp.write("20240102000000_b.sql", "CREATE TABLE b (id int);\n");
    let run = roundtrip(&["--migrations", tmp.path().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout
            .ends_with("2 migrations checked: 0 clean, 0 residue, 0 down failed, 2 no down\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn databases_made_to_start_over_are_dropped() {
    // The residue case starts over in `<db>_rt1` after 0002; on a server
    // that outlives the run (a scratch target) that database must go.
    let db = TestDb::new("rt_cleanup");
    let dir = case_dir("roundtrip_residue").join("migrations");
    let migrations = schemagate::migrate::discover(&dir, None).unwrap();
    let report =
        schemagate::roundtrip::run(&db.url, &migrations, &Default::default(), |_| {}).unwrap();
    assert_eq!(report.steps[1].outcome.as_str(), "residue");
    assert!(report.steps[1].up_again.is_some());
    let left: i64 = admin_client()
        .query_one(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'sgt\\_rt\\_cleanup\\_rt%'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
}

#[test]
fn an_empty_schema_left_behind_is_residue_even_outside_the_schemas_compared() {
    let tmp = TempDir::new("rt_schema");
    tmp.write(
        "0001_audit.up.sql",
        "CREATE SCHEMA audit;\nCREATE TABLE audit.log (id int);\n",
    );
    tmp.write("0001_audit.down.sql", "DROP TABLE audit.log;\n");
    let dir = tmp.path().to_str().unwrap();
    // Every schema by default: the schema itself is the residue.
    let run = roundtrip(&["--migrations", dir, "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let step = &run.json()["migrations"][0];
    assert_eq!(step["status"], "residue");
    assert_eq!(step["residue"][0]["object_type"], "schema");
    assert_eq!(step["residue"][0]["object"], "audit");
    // Only public compared: applying the up migration again still trips.
    let run = roundtrip(&[
        "--migrations",
        dir,
        "--schema",
        "public",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    let step = &run.json()["migrations"][0];
    assert_eq!(step["status"], "residue");
    assert_eq!(step["residue"], serde_json::json!([]));
    assert!(
        step["up_again_error"]
            .as_str()
            .unwrap()
            .contains("0001_audit.up.sql:1:1: ERROR 42P06: schema \"audit\" already exists"),
        "{step}"
    );
}

/// `roundtrip` speaks every format `check` does (issue 18), on stdout and
/// in files beside it: a JUnit case per migration with a failure per
/// residue item, a Markdown table, annotations at the failing down line.
#[test]
fn roundtrip_writes_every_format_and_extra_outputs() {
    let tmp = TempDir::new("roundtrip_formats");
    let migrations = case_dir("roundtrip_residue").join("migrations");
    let markdown = tmp.path().join("roundtrip.md");
    let github = tmp.path().join("annotations.txt");
    let run = roundtrip(&[
        "--migrations",
        migrations.to_str().unwrap(),
        "--format",
        "junit",
        "--output",
        &format!("markdown={}", markdown.display()),
        "--output",
        &format!("github={}", github.display()),
    ]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.starts_with("<?xml"), "{}", run.stdout);
    assert_eq!(
        run.stdout.matches("<testcase ").count(),
        3,
        "{}",
        run.stdout
    );
    // Three residue items and the failed re-application; the failed down.
    assert_eq!(run.stdout.matches("<failure ").count(), 5, "{}", run.stdout);
    assert!(
        run.stdout.contains(r#"tests="3" failures="2""#),
        "{}",
        run.stdout
    );

    let markdown = std::fs::read_to_string(&markdown).unwrap();
    assert!(
        markdown.starts_with("### ❌ schemagate roundtrip: 3 migrations checked"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| `0002_account_rules` | residue |"),
        "{markdown}"
    );

    let github = std::fs::read_to_string(&github).unwrap();
    let down_failed = github
        .lines()
        .find(|l| l.contains("0003_sessions.down.sql"))
        .unwrap_or_else(|| panic!("{github}"));
    assert!(down_failed.starts_with("::error file="), "{down_failed}");
    assert!(down_failed.contains(",line=2,"), "{down_failed}");
}

/// Issue 13: a down that forgets an object of a kind the model does not
/// compare (here an operator) leaves residue all the same.
#[test]
fn a_forgotten_uncompared_object_is_residue() {
    let tmp = TempDir::new("rt_operator");
    tmp.write(
        "0001_op.up.sql",
        "CREATE OPERATOR === (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int4eq);\n",
    );
    tmp.write("0001_op.down.sql", "SELECT 1;\n");
    let dir = tmp.path().to_str().unwrap();
    let run = roundtrip(&["--migrations", dir, "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let step = &run.json()["migrations"][0];
    assert_eq!(step["status"], "residue", "{step}");
    assert_eq!(step["residue"][0]["object_type"], "not_compared", "{step}");
    assert_eq!(
        step["residue"][0]["object"],
        "operator public.===(integer, integer)"
    );
}
