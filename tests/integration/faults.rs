//! Faults and hostile names: killed runners, a dying server, held locks,
//! and identifiers that need every kind of quoting (issue 7).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

/// SIGKILL a `migrate up` at several points: every time, the database is at
/// a clean version and a re-run completes with the expected schema.
#[test]
fn a_migration_run_killed_at_any_point_leaves_a_clean_version() {
    for (i, delay_ms) in [0u64, 15, 40, 80, 150, 300].into_iter().enumerate() {
        let db = TestDb::new(&format!("kill_{i}"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_schemagate"))
            .args(["migrate", "up", "--database-url", &db.url])
            .current_dir(repo_root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever was applied is recorded, and nothing else exists.
        let mut c = db.client();
        let tracked: i64 = c
            .query_one(
                "SELECT CASE WHEN to_regclass('schemagate_migrations') IS NULL THEN 0 ELSE 1 END",
                &[],
            )
            .map(|r| r.get::<_, i32>(0) as i64)
            .unwrap();
        if tracked == 1 {
            let versions: Vec<i64> = c
                .query(
                    "SELECT version::bigint FROM schemagate_migrations ORDER BY 1",
                    &[],
                )
                .unwrap()
                .iter()
                .map(|r| r.get(0))
                .collect();
            let expected: Vec<i64> = (1..=versions.len() as i64).collect();
            assert_eq!(versions, expected, "applied versions are a prefix");
        }
        let run = schemagate(&["migrate", "up", "--database-url", &db.url]);
        assert_eq!(run.code, 0, "re-run after kill at {delay_ms} ms: {run:?}");
        let diff = schemagate(&["diff", "--database-url", &db.url]);
        assert_eq!(diff.code, 0, "after kill at {delay_ms} ms: {}", diff.stdout);
    }
}

/// The throwaway server dies between migration and introspection.
#[test]
fn the_server_dying_mid_check_is_exit_2_with_a_clear_message() {
    let tmp = TempDir::new("server_dies");
    let kill = "kill -KILL $(head -n 1 \"$TMPDIR\"/schemagate-*/data/postmaster.pid)";
    let run = schemagate_in(
        &repo_root(),
        &["check", "--target", "local", "--migrate-cmd", kill],
        &[("TMPDIR", tmp.path().to_str().unwrap())],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("cannot connect") || run.stderr.contains("connection"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

/// A table locked exclusively by someone else (a migration in flight):
/// diff reads only the catalog, takes no table lock, and is not blocked.
#[test]
fn diff_is_not_blocked_by_an_exclusive_table_lock() {
    let db = TestDb::new("held_lock");
    db.execute("CREATE TABLE busy (id integer PRIMARY KEY)");
    let mut holder = db.client();
    let mut tx = holder.transaction().unwrap();
    tx.batch_execute("LOCK TABLE busy IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let tmp = TempDir::new("held_lock");
    let file = tmp.write("e.yaml", "version: 1\nschemas:\n  public: {}\n");
    let started = Instant::now();
    let run = diff_against(&db.url, &file, &["--lock-timeout", "1"]);
    let took = started.elapsed();
    tx.rollback().unwrap();
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("public.busy"), "{}", run.stdout);
    assert!(took < Duration::from_secs(10), "waited {took:?}");
}

/// Names with quotes, spaces, dots, mixed case, reserved words and
/// non-ASCII letters survive introspection, YAML and comparison.
#[test]
fn hostile_identifiers_round_trip_and_diff_exactly() {
    let db = TestDb::new("identifiers");
    db.execute(
        r#"CREATE SCHEMA "odd.schema";
           CREATE TABLE "odd.schema"."Table ""Quoted"" Name" (
             "select" integer PRIMARY KEY,
             "a.b" text NOT NULL DEFAULT 'x''y',
             "Mixed Case" text,
             "ünïcödé" text CHECK ("ünïcödé" <> ''),
             "from" integer
           );
           CREATE INDEX "idx ""odd""" ON "odd.schema"."Table ""Quoted"" Name" ("a.b", "from" DESC);
           CREATE TABLE "odd.schema"."child" (
             id integer REFERENCES "odd.schema"."Table ""Quoted"" Name" ("select") ON DELETE CASCADE
           );"#,
    );
    let snap = schemagate(&[
        "snapshot",
        "--database-url",
        &db.url,
        "--schema",
        "odd.schema",
    ]);
    assert_eq!(snap.code, 0, "{snap:?}");
    let tmp = TempDir::new("identifiers");
    let file = tmp.write("e.yaml", &snap.stdout);
    let run = diff_against(&db.url, &file, &[]);
    assert_eq!(
        run.code, 0,
        "{}\n{}\n{}",
        snap.stdout, run.stdout, run.stderr
    );

    db.execute(r#"ALTER TABLE "odd.schema"."Table ""Quoted"" Name" ALTER COLUMN "ünïcödé" TYPE varchar(10)"#);
    let run = diff_against(&db.url, &file, &["--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let m = run.json()["mismatches"].as_array().unwrap().clone();
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!(
        m[0]["object"],
        r#""odd.schema"."Table ""Quoted"" Name"."ünïcödé""#
    );
    assert_eq!(m[0]["attribute"], "type");
}
