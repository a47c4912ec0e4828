//! Migration safety (issue 17), observed on a real PostgreSQL: for each
//! rule a true positive and its safe counterpart. Each case applies its
//! migrations to a scratch database on the test server and judges them.

use std::process::Command;

use crate::support::*;

/// Writes `migrations` (`(name, sql)`, as `NNNN_name.up.sql`) and an
/// expected file that ignores every object (only hazards matter here).
fn project(tag: &str, migrations: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new(tag);
    dir.write(
        "expected_schema.yaml",
        "version: 1\nignore: ['*']\nschemas:\n  public: {}\n",
    );
    for (i, (name, sql)) in migrations.iter().enumerate() {
        dir.write(&format!("migrations/{:04}_{name}.up.sql", i + 1), sql);
    }
    dir
}

fn check(dir: &TempDir, extra: &[&str]) -> Run {
    let mut args = vec![
        "check",
        "--migrations",
        "migrations",
        "--expected",
        "expected_schema.yaml",
        "--target",
        &server().url,
    ];
    args.extend_from_slice(extra);
    schemagate_in(dir.path(), &args, &[])
}

/// The hazards of judging every migration, as `(rule, relation)`, with the
/// JSON of the run.
fn hazards(tag: &str, migrations: &[(&str, &str)]) -> (Vec<(String, String)>, serde_json::Value) {
    let dir = project(tag, migrations);
    let run = check(&dir, &["--hazards", "--format", "json"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let json = run.json();
    let found = json["hazards"]
        .as_array()
        .unwrap_or_else(|| panic!("no hazards key: {json}"))
        .iter()
        .map(|h| {
            (
                h["rule"].as_str().unwrap().to_string(),
                h["relation"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (found, json)
}

fn rules(found: &[(String, String)]) -> Vec<&str> {
    found.iter().map(|(r, _)| r.as_str()).collect()
}

const USERS: &str =
    "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(50), age int, n int);\n\
                     INSERT INTO users SELECT g, 'u' || g, g, g FROM generate_series(1, 100) g;\n";

#[test]
fn safety_create_index_blocks_but_concurrently_does_not() {
    let (found, json) = hazards(
        "safety_index",
        &[
            ("users", USERS),
            ("idx", "CREATE INDEX users_email_idx ON users (email);\n"),
        ],
    );
    assert_eq!(
        found,
        vec![(
            "blocking-index-build".to_string(),
            "public.users".to_string()
        )]
    );
    let h = &json["hazards"][0];
    assert_eq!(h["severity"], "error");
    assert_eq!(h["migration"], "0002_idx");
    assert_eq!(h["line"], 1);
    assert_eq!(h["lock"], "SHARE");
    assert_eq!(h["rewrite"], false);
    assert!(h["file"].as_str().unwrap().ends_with("0002_idx.up.sql"));

    let (found, _) = hazards(
        "safety_index_concurrently",
        &[
            ("users", USERS),
            (
                "idx",
                "-- schemagate:no-transaction\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n",
            ),
        ],
    );
    assert!(found.is_empty(), "{found:?}");
}
