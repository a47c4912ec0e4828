//! Bad input: exit 2, a clear message naming file and line, no panic, and
//! never a password in any output.

use crate::support::*;

const PASSWORD: &str = "Sup3r-Secret-PW-9931";

fn expect_error(run: &Run, needles: &[&str]) {
    assert_eq!(run.code, 2, "exit status for {run:?}");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    for n in needles {
        assert!(
            run.stderr.contains(n),
            "stderr lacks {n:?}:\n{}",
            run.stderr
        );
    }
    assert!(
        !run.all_output().contains(PASSWORD),
        "password leaked:\n{}",
        run.all_output()
    );
}

fn diff_with(yaml: &str) -> Run {
    let tmp = TempDir::new("bad");
    let file = tmp.write("expected_schema.yaml", yaml);
    let url = format!("postgres://nobody:{PASSWORD}@127.0.0.1:1/x");
    schemagate(&[
        "diff",
        "--database-url",
        &url,
        "--expected",
        file.to_str().unwrap(),
    ])
}

#[test]
fn malformed_yaml_names_file_line_and_column() {
    let run = diff_with("version: 1\nschemas:\n  public:\n    tables: [unclosed\n");
    expect_error(&run, &["expected_schema.yaml:", "|"]);
    assert!(
        run.stderr.contains(":4:") || run.stderr.contains(":5:"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_key_is_rejected_with_its_line() {
    let run =
        diff_with("version: 1\nschemas:\n  public:\n    tables:\n      t:\n        colums: {}\n");
    expect_error(
        &run,
        &[
            "expected_schema.yaml:6:",
            "colums",
            "6 |         colums: {}",
        ],
    );
}

#[test]
fn wrong_value_type_is_rejected_with_its_line() {
    let run = diff_with("version: 1\nschemas:\n  public:\n    tables:\n      t:\n        columns:\n          id: {type: integer, nullable: maybe}\n");
    expect_error(&run, &["expected_schema.yaml:7:"]);
}

#[test]
fn duplicate_key_is_rejected_with_its_line() {
    let run = diff_with("version: 1\nschemas:\n  public:\n    tables:\n      t:\n        columns:\n          id: integer\n          id: bigint\n");
    expect_error(&run, &["expected_schema.yaml:8:", "uplicate"]);
}

#[test]
fn unknown_on_delete_action_is_rejected_with_its_line() {
    let run = diff_with(
        "version: 1\nschemas:\n  public:\n    tables:\n      t:\n        columns:\n          a: integer\n        foreign_keys:\n          - {columns: [a], references: {table: u, columns: [id]}, on_delete: explode}\n",
    );
    expect_error(&run, &["expected_schema.yaml:9:", "explode"]);
}

#[test]
fn empty_file_is_rejected() {
    let run = diff_with("");
    expect_error(&run, &["expected_schema.yaml:1:", "empty"]);
}

#[test]
fn missing_expected_file_is_named() {
    let url = format!("postgres://nobody:{PASSWORD}@127.0.0.1:1/x");
    let run = schemagate(&[
        "diff",
        "--database-url",
        &url,
        "--expected",
        "/nonexistent/schema.yaml",
    ]);
    expect_error(&run, &["/nonexistent/schema.yaml", "No such file"]);
}

#[test]
fn unreachable_server_is_an_error_without_the_password() {
    let tmp = TempDir::new("unreachable");
    let file = tmp.write("e.yaml", "version: 1\nschemas:\n  public: {}\n");
    let url = format!("postgres://someone:{PASSWORD}@127.0.0.1:1/x");
    let run = schemagate(&[
        "diff",
        "--database-url",
        &url,
        "--expected",
        file.to_str().unwrap(),
    ]);
    expect_error(
        &run,
        &["cannot connect to postgres://someone:***@127.0.0.1:1/x"],
    );
}

#[test]
fn wrong_password_is_an_error_without_the_password() {
    let db = TestDb::new("wrong_pw");
    db.execute(
        "DO $$ BEGIN
           IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sg_pw_user') THEN
             CREATE ROLE sg_pw_user LOGIN PASSWORD 'the-right-one';
           END IF;
         END $$;",
    );
    let tmp = TempDir::new("wrongpw");
    let file = tmp.write("e.yaml", "version: 1\nschemas:\n  public: {}\n");
    let url = db.url_as("sg_pw_user", PASSWORD);
    for cmd in ["diff", "snapshot"] {
        let mut args = vec![cmd, "--database-url", &url];
        if cmd == "diff" {
            args.extend(["--expected", file.to_str().unwrap()]);
        }
        let run = schemagate(&args);
        expect_error(&run, &["password authentication failed", "password=***"]);
    }
    // Through the environment too.
    let run = schemagate_in(&repo_root(), &["snapshot"], &[("DATABASE_URL", &url)]);
    expect_error(&run, &["password authentication failed"]);
}

#[test]
fn help_never_shows_the_database_url_from_the_environment() {
    let run = schemagate_in(
        &repo_root(),
        &["diff", "--help"],
        &[("DATABASE_URL", &format!("postgres://u:{PASSWORD}@h/db"))],
    );
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("--database-url"));
    assert!(!run.all_output().contains(PASSWORD));
}
