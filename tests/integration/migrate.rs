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
    let run = migrate(
        &db.url,
        tmp.path(),
        &["new", "Bad Name", "--migrations", "."],
    );
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
