//! The native migration runner and bootstrap against a real PostgreSQL (issue 3).

use std::process::{Command, Stdio};

use crate::support::*;

fn migrate(db_url: &str, cwd: &std::path::Path, args: &[&str]) -> Run {
    let mut all = vec!["migrate"];
    all.extend_from_slice(args);
    all.extend(["--database-url", db_url]);
    schemagate_in(cwd, &all, &[])
}

fn current(db: &TestDb, cwd: &std::path::Path) -> String {
    let run = migrate(&db.url, cwd, &["current"]);
    assert_eq!(run.code, 0, "{run:?}");
    run.stdout.trim().to_string()
}

#[test]
fn up_to_head_matches_expected_and_has_the_guides_relationships() {
    let db = TestDb::new("mig_head");
    let run = migrate(&db.url, &repo_root(), &["up"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.matches("applied ").count(), 6, "{}", run.stdout);
    assert_eq!(current(&db, &repo_root()), "0006_support");
    let diff = schemagate(&["diff", "--database-url", &db.url]);
    assert_eq!(diff.code, 0, "{}\n{}", diff.stdout, diff.stderr);

    // The guide's checks: 20 tables, and its nine relationships as foreign keys.
    let mut c = db.client();
    let tables: i64 = c
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schemagate_migrations'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 20);
    for (from, to) in [
        ("workspaces", "users"),
        ("conversations", "users"),
        ("user_variables", "users"),
        ("workspace_members", "workspaces"),
        ("messages", "conversations"),
        ("usage_logs", "messages"),
        ("conversations", "agents"),
        ("usage_logs", "llms"),
        ("workflow_executions", "workflows"),
    ] {
        let n: i64 = c
            .query_one(
                "SELECT count(*) FROM pg_constraint WHERE contype = 'f'
                 AND conrelid = $1::text::regclass AND confrelid = $2::text::regclass",
                &[&from, &to],
            )
            .unwrap()
            .get(0);
        assert!(n >= 1, "no foreign key {from} -> {to}");
    }
}

#[test]
fn up_down_up_to_every_revision_and_down_to_zero_leaves_nothing() {
    let db = TestDb::new("mig_updown");
    for v in 1..=6 {
        let to = v.to_string();
        for args in [
            vec!["up", "--to", &to],
            vec!["down", "--steps", "1"],
            vec!["up", "--to", &to],
        ] {
            let run = migrate(&db.url, &repo_root(), &args);
            assert_eq!(run.code, 0, "{args:?} at {v}: {run:?}");
        }
        assert!(current(&db, &repo_root()).starts_with(&format!("000{v}_")));
    }
    let diff = schemagate(&["diff", "--database-url", &db.url]);
    assert_eq!(diff.code, 0, "{}", diff.stdout);
    let run = migrate(&db.url, &repo_root(), &["down", "--to", "0"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(user_objects(&db), Vec::<String>::new());
    assert_eq!(current(&db, &repo_root()), "none");
}

#[test]
fn a_migration_failing_on_its_third_line_reports_line_3_and_changes_nothing() {
    let db = TestDb::new("mig_fail");
    let tmp = TempDir::new("mig_fail");
    for entry in std::fs::read_dir(repo_root().join("migrations")).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, tmp.path().join(p.file_name().unwrap())).unwrap();
    }
    let run = migrate(&db.url, tmp.path(), &["up", "--migrations", "."]);
    assert_eq!(run.code, 0, "{run:?}");
    tmp.write(
        "0007_broken.up.sql",
        "-- 0007 broken: café, naïve, € before the error\nCREATE TABLE ok_table (id int, note text DEFAULT 'é€');\nSELECT * FROM nope;\n",
    );
    tmp.write("0007_broken.down.sql", "DROP TABLE ok_table;\n");
    let run = migrate(&db.url, tmp.path(), &["up", "--migrations", "."]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("0007_broken.up.sql:3:15: ERROR 42P01: relation \"nope\" does not exist"),
        "{}",
        run.stderr
    );
    assert_eq!(current(&db, &repo_root()), "0006_support");
    let exists: bool = db
        .client()
        .query_one("SELECT to_regclass('ok_table') IS NOT NULL", &[])
        .unwrap()
        .get(0);
    assert!(!exists, "the failed migration was half applied");
}

#[test]
fn editing_an_applied_migration_is_detected() {
    let db = TestDb::new("mig_edit");
    let tmp = TempDir::new("mig_edit");
    for entry in std::fs::read_dir(repo_root().join("migrations")).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, tmp.path().join(p.file_name().unwrap())).unwrap();
    }
    assert_eq!(
        migrate(&db.url, tmp.path(), &["up", "--migrations", "."]).code,
        0
    );
    // Line endings alone are not a change.
    let path = tmp.path().join("0002_ai_llm.up.sql");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace('\n', "\r\n")).unwrap();
    assert_eq!(
        migrate(&db.url, tmp.path(), &["up", "--migrations", "."]).code,
        0
    );
    // A real edit is.
    let path = tmp.path().join("0003_workflows.up.sql");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\n-- sneaky edit\n");
    std::fs::write(&path, text).unwrap();
    let run = migrate(&db.url, tmp.path(), &["up", "--migrations", "."]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("0003_workflows.up.sql")
            && run.stderr.contains("changed since it was applied"),
        "{}",
        run.stderr
    );
    let status = migrate(&db.url, tmp.path(), &["status", "--migrations", "."]);
    assert_eq!(status.code, 1, "{status:?}");
    assert!(status.stdout.contains("changed"), "{}", status.stdout);
}

#[test]
fn numbering_gaps_and_duplicates_name_both_files() {
    let db = TestDb::new("mig_gap");
    let tmp = TempDir::new("mig_gap");
    tmp.write("0001_a.up.sql", "SELECT 1;");
    tmp.write("0001_a.down.sql", "SELECT 1;");
    tmp.write("0001_b.up.sql", "SELECT 1;");
    tmp.write("0001_b.down.sql", "SELECT 1;");
    let run = migrate(&db.url, tmp.path(), &["up", "--migrations", "."]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("0001_a.") && run.stderr.contains("0001_b."),
        "{}",
        run.stderr
    );
    std::fs::remove_file(tmp.path().join("0001_b.up.sql")).unwrap();
    std::fs::remove_file(tmp.path().join("0001_b.down.sql")).unwrap();
    tmp.write("0003_c.up.sql", "SELECT 1;");
    tmp.write("0003_c.down.sql", "SELECT 1;");
    let run = migrate(&db.url, tmp.path(), &["up", "--migrations", "."]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("0001_a.") && run.stderr.contains("0003_c."),
        "{}",
        run.stderr
    );
}

#[test]
fn eight_concurrent_runners_apply_each_migration_exactly_once() {
    let db = TestDb::new("mig_concurrent");
    let children: Vec<_> = (0..8)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_schemagate"))
                .args(["migrate", "up", "--database-url", &db.url])
                .current_dir(repo_root())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut applied = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        applied += String::from_utf8_lossy(&out.stdout)
            .matches("applied ")
            .count();
    }
    assert_eq!(applied, 6, "each migration applied exactly once in total");
    let row = db
        .client()
        .query_one(
            "SELECT count(*), count(DISTINCT version) FROM schemagate_migrations",
            &[],
        )
        .unwrap();
    assert_eq!((row.get::<_, i64>(0), row.get::<_, i64>(1)), (6, 6));
}

#[test]
fn stamp_new_and_history() {
    let db = TestDb::new("mig_stamp");
    let tmp = TempDir::new("mig_stamp");
    let run = migrate(
        &db.url,
        tmp.path(),
        &["new", "create_things", "--migrations", "."],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(tmp.path().join("0001_create_things.up.sql").is_file());
    assert!(tmp.path().join("0001_create_things.down.sql").is_file());
    let run = migrate(&db.url, tmp.path(), &["new", "!!!", "--migrations", "."]);
    assert_eq!(run.code, 2, "{run:?}");
    let run = migrate(&db.url, &repo_root(), &["stamp", "3"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(current(&db, &repo_root()), "0003_workflows");
    let history = migrate(&db.url, &repo_root(), &["history"]);
    assert_eq!(history.code, 0);
    assert_eq!(
        history.stdout.matches("000").count(),
        3,
        "{}",
        history.stdout
    );
    assert_eq!(migrate(&db.url, &repo_root(), &["stamp", "0"]).code, 0);
    assert_eq!(current(&db, &repo_root()), "none");
}

#[test]
fn bootstrap_twice_then_migrations_as_the_application_role() {
    let name = "sgt_boot_db";
    let role = "sgt_boot_user";
    let password = "B00t-Secret-7731";
    let admin = server().url.clone();
    let run_bootstrap = || {
        schemagate_in(
            &repo_root(),
            &[
                "bootstrap",
                "--admin-url",
                &admin,
                "--database",
                name,
                "--role",
                role,
            ],
            &[("SYNAPSCALE_DB_PASSWORD", password)],
        )
    };
    let first = run_bootstrap();
    assert_eq!(first.code, 0, "{first:?}");
    let second = run_bootstrap();
    assert_eq!(second.code, 0, "{second:?}");
    assert!(!first.all_output().contains(password) && !second.all_output().contains(password));
    // Without the password it refuses.
    let none = schemagate_in(
        &repo_root(),
        &[
            "bootstrap",
            "--admin-url",
            &admin,
            "--database",
            name,
            "--role",
            role,
        ],
        &[("SYNAPSCALE_DB_PASSWORD", "")],
    );
    assert_eq!(none.code, 2, "{none:?}");

    let db = TestDb::adopt(name);
    let as_role = db.url_as(role, password);
    let super_check: bool = db
        .client()
        .query_one("SELECT rolsuper FROM pg_roles WHERE rolname = $1", &[&role])
        .unwrap()
        .get(0);
    assert!(!super_check, "the application role is not a superuser");
    let run = migrate(&as_role, &repo_root(), &["up"]);
    assert_eq!(run.code, 0, "{run:?}");
    let diff = schemagate(&["diff", "--database-url", &as_role]);
    assert_eq!(diff.code, 0, "{}\n{}", diff.stdout, diff.stderr);
    let owner: String = db
        .client()
        .query_one(
            "SELECT tableowner::text FROM pg_tables WHERE tablename = 'users'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(owner, role);
}

/// The guide advises a pg_dump before migrating: `--backup FILE` writes one.
#[test]
fn backup_is_written_before_migrating() {
    let db = TestDb::new("mig_backup");
    let tmp = TempDir::new("mig_backup");
    let file = tmp.path().join("before.dump");
    let run = migrate(
        &db.url,
        &repo_root(),
        &["up", "--to", "2", "--backup", file.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let dump = std::fs::read(&file).expect("the backup file exists");
    assert!(
        dump.starts_with(b"PGDMP"),
        "a pg_dump custom-format archive"
    );
    let file2 = tmp.path().join("second.dump");
    let run = migrate(
        &db.url,
        &repo_root(),
        &["down", "--steps", "1", "--backup", file2.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(std::fs::read(&file2).unwrap().starts_with(b"PGDMP"));
    assert_eq!(current(&db, &repo_root()), "0001_core_entities");
}

/// Issue 15, item 3: a SQL-standard function body (`BEGIN ATOMIC … END`,
/// PostgreSQL 14+) was refused as "manages its own transaction", and with
/// the no-transaction marker the splitter cut it after earlier statements
/// had been applied. Both modes, with a nested `CASE … END`.
#[test]
fn begin_atomic_bodies_run_in_both_transaction_modes() {
    let db = TestDb::new("mig_begin_atomic");
    let tmp = TempDir::new("mig_begin_atomic");
    tmp.write(
        "migrations/0001_f.up.sql",
        "CREATE TABLE t1(id int);\n\
         CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT a + 1; END;\n\
         CREATE FUNCTION g(a int) RETURNS text LANGUAGE sql\n\
         BEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN 'pos' ELSE 'neg' END;\n  SELECT 'x';\nEND;\n",
    );
    tmp.write(
        "migrations/0001_f.down.sql",
        "DROP FUNCTION g(int); DROP FUNCTION f(int); DROP TABLE t1;\n",
    );
    tmp.write(
        "migrations/0002_h.up.sql",
        "-- schemagate:no-transaction\n\
         CREATE TABLE t2(id int);\n\
         CREATE FUNCTION h(a int) RETURNS int LANGUAGE sql\n\
         BEGIN ATOMIC\n  SELECT CASE a WHEN 1 THEN 10 ELSE CASE WHEN a > 1 THEN 20 END END;\n  SELECT a;\nEND;\n\
         CREATE TABLE t3(id int);\n",
    );
    tmp.write(
        "migrations/0002_h.down.sql",
        "DROP TABLE t3; DROP FUNCTION h(int); DROP TABLE t2;\n",
    );
    let m = tmp.path().join("migrations");
    let run = migrate(
        &db.url,
        tmp.path(),
        &["up", "--migrations", m.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let mut c = db.client();
    let row = c.query_one("SELECT f(1), g(1), h(2), h(1)", &[]).unwrap();
    assert_eq!(row.get::<_, i32>(0), 2);
    assert_eq!(row.get::<_, String>(1), "x");
    assert_eq!(row.get::<_, i32>(2), 2);
    c.batch_execute("SELECT 1 FROM t3").unwrap();
}

/// Issue 15, item 6: `SET search_path` or `SET statement_timeout` in one
/// migration changed what the next one did in the same run. Every
/// migration starts from the same session state, so one `up` equals
/// `up --to 1` then `up`.
#[test]
fn session_state_does_not_leak_between_migrations() {
    let tmp = TempDir::new("mig_session_state");
    tmp.write(
        "migrations/0001_a.up.sql",
        "CREATE SCHEMA other; SET search_path = other; CREATE TABLE k1(id int);\n\
         SET statement_timeout = 1; SET ROLE NONE;\n",
    );
    tmp.write("migrations/0001_a.down.sql", "DROP SCHEMA other CASCADE;\n");
    // k2 records the session state 0002 ran with; the sleep fails if the
    // 1 ms statement_timeout of 0001 leaked.
    tmp.write(
        "migrations/0002_b.up.sql",
        "SELECT pg_sleep(0.05);\n\
         CREATE TABLE k2 AS SELECT current_setting('statement_timeout') AS timeout;\n",
    );
    tmp.write("migrations/0002_b.down.sql", "DROP TABLE k2;\n");
    let m = tmp.path().join("migrations");
    let m = m.to_str().unwrap();
    let mut seen = Vec::new();
    for (tag, steps) in [
        ("one_up", vec![vec!["up"]]),
        ("up_to_1", vec![vec!["up", "--to", "1"], vec!["up"]]),
    ] {
        let db = TestDb::new(&format!("mig_session_{tag}"));
        for step in steps {
            let mut args = step.clone();
            args.extend(["--migrations", m]);
            let run = migrate(&db.url, tmp.path(), &args);
            assert_eq!(run.code, 0, "{tag} {step:?}: {run:?}");
        }
        let mut c = db.client();
        let row = c
            .query_one(
                "SELECT c.relnamespace::regnamespace::text, k2.timeout \
                 FROM pg_class c, public.k2 WHERE c.relname = 'k2'",
                &[],
            )
            .unwrap();
        let (schema, timeout): (String, String) = (row.get(0), row.get(1));
        assert_eq!(schema, "public", "{tag}");
        assert_ne!(timeout, "1ms", "{tag}: statement_timeout leaked");
        seen.push((schema, timeout));
    }
    assert_eq!(seen[0], seen[1], "one `up` differs from `up --to 1` + `up`");
}

/// Issue 15, item 6, as CI found it: a migration's `SET statement_timeout = 1`
/// stayed in force for the runner's own queries after the file (the lock
/// check was cancelled now and then). Deterministic spellings of the same
/// leak: a `SET ROLE` to a role that may not write the tracking table, inside
/// the file's transaction, and `SET default_transaction_read_only = on` in a
/// no-transaction file, which made the tracking row's own transaction
/// read-only. Both directions, `up` and `down`.
#[test]
fn a_migrations_settings_do_not_fail_the_runners_bookkeeping() {
    let db = TestDb::new("mig_bookkeeping_settings");
    let role = format!("sg_norole_{}", std::process::id());
    db.client()
        .batch_execute(&format!("DROP ROLE IF EXISTS {role}; CREATE ROLE {role}"))
        .unwrap();
    let tmp = TempDir::new("mig_bookkeeping_settings");
    tmp.write(
        "migrations/0001_a.up.sql",
        &format!("CREATE TABLE a (id int);\nSET ROLE {role};\nSET statement_timeout = 1;\n"),
    );
    tmp.write(
        "migrations/0001_a.down.sql",
        &format!("DROP TABLE a;\nSET ROLE {role};\n"),
    );
    tmp.write(
        "migrations/0002_b.up.sql",
        "-- schemagate:no-transaction\nCREATE TABLE b (id int);\n\
         SET default_transaction_read_only = on;\n",
    );
    tmp.write(
        "migrations/0002_b.down.sql",
        "-- schemagate:no-transaction\nDROP TABLE b;\n\
         SET default_transaction_read_only = on;\n",
    );
    let m = tmp.path().join("migrations");
    let m = m.to_str().unwrap();
    let up = migrate(&db.url, tmp.path(), &["up", "--migrations", m]);
    assert_eq!(up.code, 0, "{up:?}");
    let recorded = |db: &TestDb| -> Vec<String> {
        db.client()
            .query(
                "SELECT version FROM public.schemagate_migrations ORDER BY version",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    };
    assert_eq!(recorded(&db), ["1", "2"]);
    let down = migrate(
        &db.url,
        tmp.path(),
        &["down", "--steps", "2", "--migrations", m],
    );
    assert_eq!(down.code, 0, "{down:?}");
    assert!(recorded(&db).is_empty());
    let tables: i64 = db
        .client()
        .query_one(
            "SELECT count(*) FROM pg_class WHERE relname IN ('a', 'b') \
             AND relnamespace = 'public'::regnamespace",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 0);
    db.client()
        .batch_execute(&format!("DROP ROLE {role}"))
        .unwrap();
}

/// Issue 15, item 6: a migration calling `pg_advisory_unlock_all()` silently
/// dropped the runner's lock; the runner notices and takes it again.
#[test]
fn a_migration_dropping_advisory_locks_does_not_drop_the_runners_lock() {
    let tmp = TempDir::new("mig_unlock_all");
    tmp.write(
        "migrations/0001_a.up.sql",
        "-- schemagate:no-transaction\nSELECT pg_advisory_unlock_all();\nCREATE TABLE u1(id int);\n",
    );
    tmp.write("migrations/0001_a.down.sql", "DROP TABLE u1;\n");
    // The lock is checked while 0002 runs: it must be held by the runner.
    tmp.write(
        "migrations/0002_b.up.sql",
        "CREATE TABLE u2 AS SELECT count(*) AS n FROM pg_locks \
         WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted;\n",
    );
    tmp.write("migrations/0002_b.down.sql", "DROP TABLE u2;\n");
    let m = tmp.path().join("migrations");
    let db = TestDb::new("mig_unlock_all");
    let run = migrate(
        &db.url,
        tmp.path(),
        &["up", "--migrations", m.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let n: i64 = db
        .client()
        .query_one("SELECT n FROM u2", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 1, "the runner's advisory lock was not held during 0002");
}

// ---------------------------------------------------------------------------
// Issue 16.7-8: the guide's Alembic workflow, as a new user tries it.

const A: &str = "20240101000000_a";
const B: &str = "20240201000000_b";
const C: &str = "20250101000000_c";

/// Three timestamped golang-migrate migrations in a temporary directory.
fn timestamped(tag: &str) -> TempDir {
    let tmp = TempDir::new(tag);
    for (id, table) in [(A, "a"), (B, "b"), (C, "c")] {
        tmp.write(
            &format!("{id}.up.sql"),
            &format!("CREATE TABLE {table} ();\n"),
        );
        tmp.write(&format!("{id}.down.sql"), &format!("DROP TABLE {table};\n"));
    }
    tmp
}

fn in_dir(db: &TestDb, dir: &TempDir, args: &[&str]) -> Run {
    let mut all = args.to_vec();
    all.extend(["--migrations", dir.path().to_str().unwrap()]);
    migrate(&db.url, &repo_root(), &all)
}

fn current_in(db: &TestDb, dir: &TempDir) -> String {
    let run = in_dir(db, dir, &["current"]);
    assert_eq!(run.code, 0, "{run:?}");
    run.stdout.trim().to_string()
}

#[test]
fn every_revision_form_for_up_down_and_stamp() {
    let db = TestDb::new("mig16_revisions");
    let dir = timestamped("mig16_revisions");
    let step = |args: &[&str], expected: &str| {
        let run = in_dir(&db, &dir, args);
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
        assert_eq!(current_in(&db, &dir), expected, "after {args:?}");
    };
    step(&["up", "--to", "+1"], A);
    step(&["up", "--to", "+2"], C);
    step(&["down", "--to", "-1"], B);
    step(&["down", "--to", "-2"], "none");
    step(&["up", "--to", "head"], C);
    step(&["down", "--to", "base"], "none");
    step(&["up", "--to", "202402"], B); // a unique prefix
    step(&["up", "--to", C], C); // a whole id
    step(&["down", "--to", "20240101000000"], A); // a version
    step(&["stamp", "head"], C);
    step(&["stamp", "-2"], A);
    step(&["stamp", "+1"], B);
    step(&["stamp", "base"], "none");
    step(&["stamp", "2025"], C);

    let error = |args: &[&str]| {
        let run = in_dir(&db, &dir, args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        run.stderr
    };
    let valid = format!("valid: {A}, {B}, {C}, head, base, -N, +N");
    let e = error(&["up", "--to", "nope"]);
    assert!(
        e.contains(&format!("no migration has version nope; {valid}")),
        "{e}"
    );
    let e = error(&["stamp", "1999"]);
    assert!(
        e.contains(&format!("no migration has version 1999; {valid}")),
        "{e}"
    );
    let e = error(&["down", "--to", "2024"]);
    assert!(
        e.contains(&format!(
            "version 2024 is ambiguous: it could be {A}, {B}; give more of it"
        )),
        "{e}"
    );
    let e = error(&["up", "--to", "+1"]);
    assert!(
        e.contains(&format!(
            "+1 is out of range: the database is at {C}, with 3 migrations at or below it and 0 above it"
        )),
        "{e}"
    );
    let e = error(&["down", "--to", "-4"]);
    assert!(e.contains("-4 is out of range"), "{e}");
    assert_eq!(current_in(&db, &dir), C, "errors change nothing");
}

#[test]
fn history_and_status_mark_head_current_and_stamped_rows() {
    let db = TestDb::new("mig16_marks");
    let dir = timestamped("mig16_marks");
    assert_eq!(in_dir(&db, &dir, &["stamp", "+1"]).code, 0);
    assert_eq!(in_dir(&db, &dir, &["up", "--to", "+1"]).code, 0);

    let history = in_dir(&db, &dir, &["history"]);
    assert_eq!(history.code, 0, "{history:?}");
    let lines: Vec<&str> = history.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", history.stdout);
    assert!(
        lines[0].starts_with(&format!("{A}  stamped ")),
        "{}",
        history.stdout
    );
    assert!(
        !lines[0].contains("ms") && !lines[0].contains('('),
        "{}",
        history.stdout
    );
    assert!(
        lines[1].starts_with(&format!("{B}  applied ")),
        "{}",
        history.stdout
    );
    assert!(lines[1].contains(" ms  checksum "), "{}", history.stdout);
    assert!(lines[1].ends_with(" (current)"), "{}", history.stdout);

    let status = in_dir(&db, &dir, &["status"]);
    assert_eq!(status.code, 0, "{status:?}");
    let row = |id: &str| {
        status
            .stdout
            .lines()
            .find(|l| l.contains(id))
            .unwrap_or_else(|| panic!("{id} in {}", status.stdout))
            .to_string()
    };
    assert!(row(A).contains("stamped"), "{}", status.stdout);
    assert!(
        row(B).contains(&format!("{B} (current)")),
        "{}",
        status.stdout
    );
    assert!(row(C).contains(&format!("{C} (head)")), "{}", status.stdout);
    assert!(row(C).contains("pending"), "{}", status.stdout);

    let json = in_dir(&db, &dir, &["status", "--format", "json"]);
    assert_eq!(json.code, 0, "{json:?}");
    let json = json.json();
    assert_eq!(json["version"], 1);
    assert_eq!(json["status"], "ok");
    assert_eq!(json["head"], C);
    assert_eq!(json["current"], B);
    assert_eq!(
        json["summary"],
        serde_json::json!({"applied": 1, "stamped": 1, "pending": 1, "changed": 0, "file_missing": 0})
    );
    let m = &json["migrations"];
    assert_eq!(m[0]["id"], A);
    assert_eq!(m[0]["state"], "stamped");
    assert_eq!(m[0]["duration_ms"], serde_json::Value::Null);
    assert_eq!(m[1]["state"], "applied");
    assert_eq!(m[1]["checksum"], "ok");
    assert_eq!(m[1]["current"], true);
    assert!(m[1]["duration_ms"].is_i64());
    assert_eq!(m[2]["state"], "pending");
    assert_eq!(m[2]["head"], true);
}

#[test]
fn a_changed_or_missing_applied_file_says_how_to_get_out() {
    let db = TestDb::new("mig16_way_out");
    let dir = timestamped("mig16_way_out");
    assert_eq!(in_dir(&db, &dir, &["up"]).code, 0);

    // Changed: restore it, or stamp to accept it.
    dir.write(&format!("{A}.up.sql"), "CREATE TABLE a (id int);\n");
    let status = in_dir(&db, &dir, &["status"]);
    assert_eq!(status.code, 1, "{status:?}");
    assert!(
        status.stdout.contains(&format!(
            "restore it, or, if the database is right as it is, record that with \
             `schemagate migrate stamp {C}`"
        )),
        "{}",
        status.stdout
    );
    let up = in_dir(&db, &dir, &["up"]);
    assert_eq!(up.code, 2, "{up:?}");
    assert!(
        up.stderr.contains(&format!(
            "restore the file as it was applied (e.g. from version control), or, if the \
             database already has what the file now says, record that with \
             `schemagate migrate stamp {C}`"
        )),
        "{}",
        up.stderr
    );
    assert_eq!(in_dir(&db, &dir, &["stamp", C]).code, 0);
    assert_eq!(
        in_dir(&db, &dir, &["status"]).code,
        0,
        "the stamp accepted the file"
    );

    // Missing: restore it, or stamp below it to forget it.
    std::fs::remove_file(dir.path().join(format!("{C}.up.sql"))).unwrap();
    std::fs::remove_file(dir.path().join(format!("{C}.down.sql"))).unwrap();
    let up = in_dir(&db, &dir, &["up"]);
    assert_eq!(up.code, 2, "{up:?}");
    assert!(
        up.stderr.contains(&format!(
            "migration {C} is applied in the database but the migrations directory has no \
             file for it; restore the file, or, if it is gone for good, forget it with \
             `schemagate migrate stamp {B}`"
        )),
        "{}",
        up.stderr
    );
    assert_eq!(in_dir(&db, &dir, &["stamp", B]).code, 0);
    let status = in_dir(&db, &dir, &["status"]);
    assert_eq!(status.code, 0, "{status:?}");
}

#[test]
fn new_makes_a_slug_and_an_empty_migration_is_applied_with_a_warning() {
    let db = TestDb::new("mig16_new");
    let tmp = TempDir::new("mig16_new");
    let run = migrate(
        &db.url,
        tmp.path(),
        &["new", "Add User Prefs", "--migrations", "."],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        tmp.path().join("0001_add_user_prefs.up.sql").is_file(),
        "{run:?}"
    );
    // The new file holds only comments: applied, with a warning.
    let up = migrate(&db.url, tmp.path(), &["up", "--migrations", "."]);
    assert_eq!(up.code, 0, "{up:?}");
    assert!(up.stdout.contains("applied 0001_add_user_prefs"), "{up:?}");
    assert!(
        up.stderr.contains(
            "0001_add_user_prefs.up.sql: holds no statement; it is applied (recorded) and changes nothing"
        ),
        "{up:?}"
    );
    assert_eq!(current(&db, tmp.path()), "0001_add_user_prefs");
}

#[test]
fn a_failed_up_says_where_the_database_was_left() {
    let db = TestDb::new("mig16_left_at");
    let dir = timestamped("mig16_left_at");
    dir.write(
        &format!("{B}.up.sql"),
        "CREATE TABLE b ();\nSELECT * FROM nowhere;\n",
    );
    let up = in_dir(&db, &dir, &["up"]);
    assert_eq!(up.code, 2, "{up:?}");
    assert!(up.stdout.contains(&format!("applied {A}")), "{up:?}");
    assert!(
        up.stderr.contains(&format!(
            "the run stopped (a failed migration is never recorded); database left at {A}"
        )),
        "{}",
        up.stderr
    );
    assert!(
        up.stderr.contains(&format!("{B}.up.sql:2:15: ERROR 42P01")),
        "{}",
        up.stderr
    );
    assert_eq!(current_in(&db, &dir), A);
}
