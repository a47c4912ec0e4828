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
    check_on(dir, &server().url, extra)
}

/// `check` of the project in `dir` on the server at `url`.
fn check_on(dir: &TempDir, url: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "check",
        "--migrations",
        "migrations",
        "--expected",
        "expected_schema.yaml",
        "--target",
        url,
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

/// `rule` is found on `relation` in the first case and not at all in the second.
fn positive_and_safe(
    tag: &str,
    rule: &str,
    relation: &str,
    positive: &[(&str, &str)],
    safe: &[(&str, &str)],
) {
    let (found, _) = hazards(&format!("{tag}_positive"), positive);
    assert!(
        found.contains(&(rule.to_string(), relation.to_string())),
        "{rule} on {relation} expected: {found:?}"
    );
    let (found, _) = hazards(&format!("{tag}_safe"), safe);
    assert!(
        !rules(&found).contains(&rule),
        "{rule} not expected: {found:?}"
    );
}

#[test]
fn safety_int_to_bigint_rewrites_but_widening_varchar_does_not() {
    positive_and_safe(
        "safety_type_rewrite",
        "table-rewrite",
        "public.users",
        &[
            ("users", USERS),
            ("big", "ALTER TABLE users ALTER COLUMN age TYPE bigint;\n"),
        ],
        &[
            ("users", USERS),
            (
                "wide",
                "ALTER TABLE users ALTER COLUMN email TYPE varchar(100);\n",
            ),
        ],
    );
}

#[test]
fn safety_volatile_default_rewrites_but_constant_default_does_not() {
    positive_and_safe(
        "safety_default_rewrite",
        "table-rewrite",
        "public.users",
        &[
            ("users", USERS),
            (
                "ts",
                "ALTER TABLE users ADD COLUMN seen timestamptz DEFAULT clock_timestamp();\n",
            ),
        ],
        &[
            ("users", USERS),
            (
                "zero",
                "ALTER TABLE users ADD COLUMN score int DEFAULT 0;\n",
            ),
        ],
    );
}

#[test]
fn safety_rewrite_reports_lock_and_rewrite_in_json() {
    let (_, json) = hazards(
        "safety_rewrite_json",
        &[
            ("users", USERS),
            (
                "big",
                "\n\nALTER TABLE users\n  ALTER COLUMN age TYPE bigint;\n",
            ),
        ],
    );
    let rewrite = json["hazards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["rule"] == "table-rewrite")
        .unwrap();
    assert_eq!(rewrite["lock"], "ACCESS EXCLUSIVE");
    assert_eq!(rewrite["rewrite"], true);
    assert_eq!(rewrite["line"], 3);
    assert_eq!(
        rewrite["statement"],
        "ALTER TABLE users\n  ALTER COLUMN age TYPE bigint;"
    );
    // The JSON is otherwise the usual one.
    assert_eq!(json["status"], "ok");
    assert!(json["mismatches"].as_array().unwrap().is_empty());
}

#[test]
fn safety_check_constraint_scans_but_not_valid_then_validate_does_not() {
    positive_and_safe(
        "safety_check_scan",
        "validating-scan",
        "public.users",
        &[
            ("users", USERS),
            (
                "check",
                "ALTER TABLE users ADD CONSTRAINT age_ok CHECK (age >= 0);\n",
            ),
        ],
        &[
            ("users", USERS),
            (
                "check",
                "ALTER TABLE users ADD CONSTRAINT age_ok CHECK (age >= 0) NOT VALID;\n",
            ),
            (
                "validate",
                "ALTER TABLE users VALIDATE CONSTRAINT age_ok;\n",
            ),
        ],
    );
}

/// NOT VALID then VALIDATE in one transaction buys nothing: the ADD's
/// ACCESS EXCLUSIVE is still held while VALIDATE scans. Only observing the
/// locks shows it.
#[test]
fn safety_validate_in_the_same_transaction_still_scans_under_access_exclusive() {
    let (found, json) = hazards(
        "safety_validate_same_tx",
        &[
            ("users", USERS),
            (
                "check",
                "ALTER TABLE users ADD CONSTRAINT age_ok CHECK (age >= 0) NOT VALID;\n\
                 ALTER TABLE users VALIDATE CONSTRAINT age_ok;\n",
            ),
        ],
    );
    assert!(rules(&found).contains(&"validating-scan"), "{found:?}");
    let scan = json["hazards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["rule"] == "validating-scan")
        .unwrap();
    assert_eq!(scan["line"], 2);
    assert_eq!(scan["lock"], "ACCESS EXCLUSIVE");
}

#[test]
fn safety_foreign_key_scans_but_not_valid_then_validate_does_not() {
    let orders = "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n\
                  INSERT INTO orders SELECT g, g FROM generate_series(1, 50) g;\n";
    positive_and_safe(
        "safety_fk_scan",
        "validating-scan",
        "public.orders",
        &[
            ("users", USERS),
            ("orders", orders),
            ("fk", "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);\n"),
        ],
        &[
            ("users", USERS),
            ("orders", orders),
            ("fk", "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n"),
            ("validate", "ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;\n"),
        ],
    );
}

#[test]
fn safety_set_not_null_scans_unless_a_valid_check_proves_it() {
    positive_and_safe(
        "safety_not_null",
        "validating-scan",
        "public.users",
        &[
            ("users", USERS),
            ("nn", "ALTER TABLE users ALTER COLUMN n SET NOT NULL;\n"),
        ],
        &[
            ("users", USERS),
            (
                "check",
                "ALTER TABLE users ADD CONSTRAINT n_nn CHECK (n IS NOT NULL) NOT VALID;\n",
            ),
            ("validate", "ALTER TABLE users VALIDATE CONSTRAINT n_nn;\n"),
            ("nn", "ALTER TABLE users ALTER COLUMN n SET NOT NULL;\n"),
        ],
    );
}

#[test]
fn safety_access_exclusive_lock_but_validate_takes_a_weaker_one() {
    let users_with_check =
        format!("{USERS}ALTER TABLE users ADD CONSTRAINT age_ok CHECK (age >= 0) NOT VALID;\n");
    positive_and_safe(
        "safety_access_exclusive",
        "access-exclusive-lock",
        "public.users",
        &[
            ("users", USERS),
            ("col", "ALTER TABLE users ADD COLUMN note text;\n"),
        ],
        &[
            ("users", &users_with_check),
            (
                "validate",
                "ALTER TABLE users VALIDATE CONSTRAINT age_ok;\n",
            ),
        ],
    );
}

#[test]
fn safety_missing_lock_timeout_unless_set_before() {
    positive_and_safe(
        "safety_lock_timeout",
        "missing-lock-timeout",
        "public.users",
        &[
            ("users", USERS),
            ("col", "ALTER TABLE users ADD COLUMN note text;\n"),
        ],
        &[
            ("users", USERS),
            (
                "col",
                "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN note text;\n",
            ),
        ],
    );
}

#[test]
fn safety_drop_column_but_not_one_added_by_the_same_migration() {
    positive_and_safe(
        "safety_drop_column",
        "drop-column",
        "public.users",
        &[
            ("users", USERS),
            ("drop", "ALTER TABLE users DROP COLUMN n;\n"),
        ],
        &[
            ("users", USERS),
            (
                "tmp",
                "ALTER TABLE users ADD COLUMN tmp int;\nALTER TABLE users DROP COLUMN tmp;\n",
            ),
        ],
    );
}

#[test]
fn safety_drop_table_but_not_one_created_by_the_same_migration() {
    positive_and_safe(
        "safety_drop_table",
        "drop-table",
        "public.users",
        &[("users", USERS), ("drop", "DROP TABLE users;\n")],
        &[
            ("users", USERS),
            (
                "tmp",
                "CREATE TABLE scratch (a int);\nDROP TABLE scratch;\n",
            ),
        ],
    );
}

#[test]
fn safety_rename_but_not_of_a_table_created_by_the_same_migration() {
    positive_and_safe(
        "safety_rename_column",
        "rename",
        "public.users",
        &[("users", USERS), ("rename", "ALTER TABLE users RENAME COLUMN n TO m;\n")],
        &[
            ("users", USERS),
            (
                "new",
                "CREATE TABLE t (a int);\nALTER TABLE t RENAME COLUMN a TO b;\nALTER TABLE t RENAME TO t2;\n",
            ),
        ],
    );
    let (found, _) = hazards(
        "safety_rename_table",
        &[
            ("users", USERS),
            ("rename", "ALTER TABLE users RENAME TO members;\n"),
        ],
    );
    assert!(
        found.contains(&("rename".to_string(), "public.members".to_string())),
        "{found:?}"
    );
}

#[test]
fn safety_type_change_but_not_on_a_new_column() {
    positive_and_safe(
        "safety_type_change",
        "type-change",
        "public.users",
        &[("users", USERS), ("type", "ALTER TABLE users ALTER COLUMN n TYPE bigint;\n")],
        &[
            ("users", USERS),
            (
                "new",
                "ALTER TABLE users ADD COLUMN k int;\nALTER TABLE users ALTER COLUMN k TYPE bigint;\n",
            ),
        ],
    );
}

#[test]
fn safety_add_unique_builds_its_index_unless_using_a_concurrent_one() {
    positive_and_safe(
        "safety_unique",
        "add-unique-without-index",
        "public.users",
        &[
            ("users", USERS),
            ("unique", "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\n"),
        ],
        &[
            ("users", USERS),
            (
                "idx",
                "-- schemagate:no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY users_email_idx ON users (email);\n",
            ),
            (
                "unique",
                "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;\n",
            ),
        ],
    );
}

#[test]
fn safety_allow_comment_accepts_one_finding_on_the_next_statement() {
    let (found, json) = hazards(
        "safety_allow",
        &[
            ("users", USERS),
            (
                "big",
                "-- schemagate:allow table-rewrite\nALTER TABLE users ALTER COLUMN age TYPE bigint;\n\
                 ALTER TABLE users ALTER COLUMN n TYPE bigint;\n",
            ),
        ],
    );
    let rewrites: Vec<_> = found.iter().filter(|(r, _)| r == "table-rewrite").collect();
    assert_eq!(rewrites.len(), 1, "{found:?}");
    // The one left is the statement after the allowed one (line 3).
    let rewrite = json["hazards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["rule"] == "table-rewrite")
        .unwrap();
    assert_eq!(rewrite["line"], 3, "{rewrite}");
    assert!(
        rewrite["file"]
            .as_str()
            .unwrap()
            .ends_with("0002_big.up.sql"),
        "{rewrite}"
    );
    assert_eq!(
        rewrite["statement"],
        "ALTER TABLE users ALTER COLUMN n TYPE bigint;"
    );
}

#[test]
fn safety_fail_on_sets_the_exit_code_and_severities_come_from_file_and_flags() {
    let dir = project(
        "safety_fail_on",
        &[
            ("users", USERS),
            ("idx", "CREATE INDEX users_email_idx ON users (email);\n"),
        ],
    );
    // Default: report without failing.
    let run = check(&dir, &["--hazards"]);
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(
        run.stdout.contains("blocking-index-build"),
        "{}",
        run.stdout
    );
    let run = check(&dir, &["--hazards", "--fail-on", "error"]);
    assert_eq!(run.code, 1, "{}", run.all_output());
    // The flag lowers the rule to a warning: `error` no longer fails.
    let run = check(
        &dir,
        &[
            "--hazards",
            "--fail-on",
            "error",
            "--hazard",
            "blocking-index-build=warning",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.all_output());
    // Every finding is now a warning: `--fail-on warning` fails on it,
    // `never` does not.
    for (fail_on, code) in [("warning", 1), ("never", 0)] {
        let run = check(
            &dir,
            &[
                "--hazards",
                "--fail-on",
                fail_on,
                "--hazard",
                "blocking-index-build=warning",
            ],
        );
        assert_eq!(run.code, code, "--fail-on {fail_on}: {}", run.all_output());
        assert!(run.stdout.contains("warning"), "{}", run.stdout);
    }
    // The expected file turns it off.
    dir.write(
        "expected_schema.yaml",
        "version: 1\nignore: ['*']\nsafety:\n  blocking-index-build: off\n  access-exclusive-lock: off\n  missing-lock-timeout: off\nschemas:\n  public: {}\n",
    );
    let run = check(
        &dir,
        &["--hazards", "--fail-on", "warning", "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert_eq!(run.json()["hazards"], serde_json::json!([]));
}

#[test]
fn safety_without_a_flag_judges_nothing_and_json_is_unchanged() {
    let dir = project(
        "safety_off",
        &[
            ("users", USERS),
            ("idx", "CREATE INDEX users_email_idx ON users (email);\n"),
        ],
    );
    let run = check(&dir, &["--format", "json", "--fail-on", "error"]);
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(run.json().get("hazards").is_none(), "{}", run.stdout);
}

fn git(dir: &TempDir, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn safety_base_judges_only_migrations_added_or_changed_since() {
    let dir = project(
        "safety_base",
        &[
            ("users", USERS),
            ("idx", "CREATE INDEX users_email_idx ON users (email);\n"),
        ],
    );
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-qm", "base"]);
    dir.write(
        "migrations/0003_age.up.sql",
        "CREATE INDEX users_age_idx ON users (age);\n",
    );
    let run = check(&dir, &["--base", "HEAD", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.all_output());
    let json = run.json();
    let hazards = json["hazards"].as_array().unwrap();
    assert_eq!(hazards.len(), 1, "{json}");
    assert_eq!(hazards[0]["migration"], "0003_age");
    assert_eq!(hazards[0]["rule"], "blocking-index-build");

    // A migration changed since the base is judged again.
    dir.write(
        "migrations/0002_idx.up.sql",
        "CREATE INDEX users_email_idx ON users (email, id);\n",
    );
    let run = check(&dir, &["--base", "HEAD", "--format", "json"]);
    let json = run.json();
    let migrations: Vec<&str> = json["hazards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["migration"].as_str().unwrap())
        .collect();
    assert_eq!(migrations, vec!["0002_idx", "0003_age"], "{json}");
}

#[test]
fn safety_database_url_judges_only_migrations_not_applied_there() {
    let dir = project(
        "safety_url",
        &[
            ("users", USERS),
            ("idx", "CREATE INDEX users_email_idx ON users (email);\n"),
        ],
    );
    let db = TestDb::new("safety_url");
    // Only the first migration is applied on the live database.
    let first = TempDir::new("safety_url_first");
    first.write(
        "migrations/0001_users.up.sql",
        &std::fs::read_to_string(dir.path().join("migrations/0001_users.up.sql")).unwrap(),
    );
    let up = schemagate_in(
        first.path(),
        &[
            "migrate",
            "up",
            "--migrations",
            "migrations",
            "--database-url",
            &db.url,
        ],
        &[],
    );
    assert_eq!(up.code, 0, "{}", up.all_output());
    let run = check(&dir, &["--database-url", &db.url, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.all_output());
    let json = run.json();
    let migrations: Vec<&str> = json["hazards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["migration"].as_str().unwrap())
        .collect();
    assert_eq!(migrations, vec!["0002_idx"], "{json}");
}

#[test]
fn safety_no_transaction_migration_says_what_was_not_observed() {
    let dir = project(
        "safety_no_tx",
        &[
            ("users", USERS),
            (
                "idx",
                "-- schemagate:no-transaction\nCREATE INDEX users_email_idx ON users (email);\n",
            ),
        ],
    );
    let run = check(&dir, &["--hazards"]);
    assert_eq!(run.code, 0, "{}", run.all_output());
    // The index build is observed from the catalog; the locks are not.
    assert!(
        run.stdout.contains("blocking-index-build"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("not observed: locks and lock_timeout in 0002_idx"),
        "{}",
        run.stdout
    );
}

#[test]
fn safety_hazards_in_every_format() {
    let dir = project(
        "safety_formats",
        &[
            ("users", USERS),
            ("idx", "\nCREATE INDEX users_email_idx ON users (email);\n"),
        ],
    );
    let run = check(
        &dir,
        &["--hazards", "--format", "github", "--fail-on", "error"],
    );
    assert_eq!(run.code, 1, "{}", run.all_output());
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("blocking-index-build"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(
        line.starts_with("::error file=migrations/0002_idx.up.sql,line=2,"),
        "{line}"
    );
    let run = check(&dir, &["--hazards", "--format", "markdown"]);
    assert!(run.stdout.contains("migration safety"), "{}", run.stdout);
    assert!(
        run.stdout.contains("`blocking-index-build`"),
        "{}",
        run.stdout
    );
    let run = check(
        &dir,
        &["--hazards", "--format", "junit", "--fail-on", "error"],
    );
    assert!(
        run.stdout
            .contains(r#"<testsuite name="schemagate.migration-safety""#),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(r#"<failure message="blocking-index-build"#),
        "{}",
        run.stdout
    );
    let run = check(&dir, &["--hazards", "--format", "table"]);
    assert!(run.stdout.contains("safe pattern"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("1 hazard in 2 judged migrations (1 error, 0 warning)"),
        "{}",
        run.stdout
    );
}

/// The runner keeps one session: a `SET lock_timeout` of an earlier
/// migration is still in force, but it is not one the judged migration set.
#[test]
fn safety_lock_timeout_left_by_an_earlier_migration_does_not_count() {
    let (found, json) = hazards(
        "safety_lock_timeout_leak",
        &[
            ("users", USERS),
            (
                "timeout",
                "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN a int;\n",
            ),
            ("col", "ALTER TABLE users ADD COLUMN b int;\n"),
        ],
    );
    let missing: Vec<&str> = json["hazards"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["rule"] == "missing-lock-timeout")
        .map(|h| h["migration"].as_str().unwrap())
        .collect();
    assert_eq!(missing, vec!["0003_col"], "{found:?}");
}

/// The observer's catalog queries run in the migration's own session: a
/// migration that puts its own `=` before pg_catalog's on the search_path
/// must not blind it (every operator in them is qualified).
#[test]
fn safety_observation_is_not_fooled_by_a_shadowing_operator() {
    let (found, _) = hazards(
        "safety_shadow",
        &[
            ("users", USERS),
            (
                "idx",
                "CREATE SCHEMA evil;\n\
                 CREATE FUNCTION evil.never(bigint, bigint) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT false';\n\
                 CREATE OPERATOR evil.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = evil.never);\n\
                 SET search_path = evil, pg_catalog, public;\n\
                 CREATE INDEX users_email_idx ON users (email);\n",
            ),
        ],
    );
    assert!(
        found.contains(&(
            "blocking-index-build".to_string(),
            "public.users".to_string()
        )),
        "{found:?}"
    );
}

/// Hazards are observed from what the server does (locks taken, relations
/// rewritten, scans), which could differ between major versions: the same
/// migrations give the same findings on every tested PostgreSQL.
#[test]
fn safety_hazards_are_the_same_on_every_tested_version() {
    let dir = project(
        "safety_versions",
        &[
            ("users", USERS),
            ("idx", "CREATE INDEX users_email_idx ON users (email);\n"),
            ("bigint", "ALTER TABLE users ALTER COLUMN n TYPE bigint;\n"),
            (
                "check",
                "ALTER TABLE users ADD CONSTRAINT age_positive CHECK (age > 0);\n",
            ),
            (
                "not_null",
                "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n",
            ),
            ("drop", "ALTER TABLE users DROP COLUMN age;\n"),
            (
                "safe",
                "SET lock_timeout = '2s';\n\
                 ALTER TABLE users ADD CONSTRAINT n_positive CHECK (n > 0) NOT VALID;\n",
            ),
        ],
    );
    let mut seen = Vec::new();
    for major in MAJORS {
        let run = check_on(
            &dir,
            &server_of(major).url,
            &["--hazards", "--format", "json"],
        );
        assert_eq!(run.code, 0, "PostgreSQL {major}: {run:?}");
        let json = run.json();
        let found: Vec<String> = json["hazards"]
            .as_array()
            .unwrap_or_else(|| panic!("PostgreSQL {major}: no hazards key: {json}"))
            .iter()
            .map(|h| {
                format!(
                    "{} {} {}",
                    h["migration"].as_str().unwrap_or("?"),
                    h["rule"].as_str().unwrap(),
                    h["relation"].as_str().unwrap()
                )
            })
            .collect();
        seen.push((major, found));
    }
    let want: Vec<String> = EXPECTED_ON_EVERY_VERSION
        .iter()
        .map(|s| s.to_string())
        .collect();
    for (major, found) in &seen {
        assert_eq!(found, &want, "PostgreSQL {major}");
    }
}

const EXPECTED_ON_EVERY_VERSION: &[&str] = &[
    "0002_idx blocking-index-build public.users",
    "0003_bigint table-rewrite public.users",
    "0003_bigint access-exclusive-lock public.users",
    "0003_bigint missing-lock-timeout public.users",
    "0003_bigint type-change public.users",
    "0004_check access-exclusive-lock public.users",
    "0004_check validating-scan public.users",
    "0004_check missing-lock-timeout public.users",
    "0005_not_null access-exclusive-lock public.users",
    "0005_not_null validating-scan public.users",
    "0005_not_null missing-lock-timeout public.users",
    "0006_drop access-exclusive-lock public.users",
    "0006_drop missing-lock-timeout public.users",
    "0006_drop drop-column public.users",
    "0007_safe access-exclusive-lock public.users",
];
