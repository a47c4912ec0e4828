//! The migration directories people already have (issue 8): one small
//! directory per format in tests/cases/formats/<format>/, applied up, down
//! to nothing and up again with `schemagate migrate`, and round-tripped.

use std::path::{Path, PathBuf};

use schemagate::migrate::{self, MigrationFormat};

use crate::support::*;

fn dir(format: &str) -> PathBuf {
    case_dir("formats").join(format)
}

fn migrate(db: &TestDb, dir: &Path, args: &[&str]) -> Run {
    let dir = dir.to_str().unwrap();
    let mut all = vec!["migrate"];
    all.extend_from_slice(args);
    all.extend(["--migrations", dir, "--database-url", &db.url]);
    schemagate_in(&repo_root(), &all, &[])
}

/// The index exists and was built completely (CONCURRENTLY leaves an
/// invalid index behind when it fails).
fn assert_valid_index(db: &TestDb, name: &str) {
    let valid: Option<bool> = db
        .client()
        .query_opt(
            "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             WHERE c.relname = $1",
            &[&name],
        )
        .unwrap()
        .map(|r| r.get(0));
    assert_eq!(valid, Some(true), "index {name}");
}

/// Up (all `applied` migrations), status, down to nothing, up again, then a
/// clean round trip on a throwaway cluster (not a scratch database on the
/// shared server: the check test asserts it finds none left there).
fn up_down_up_and_roundtrip(
    test: &str,
    format: &str,
    expected: MigrationFormat,
    applied: usize,
    no_transaction_index: &str,
) {
    let path = dir(format);
    assert_eq!(migrate::detect(&path).unwrap(), expected, "{format}");
    let db = TestDb::new(test);

    let run = migrate(&db, &path, &["up"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout.matches("applied ").count(),
        applied,
        "{}",
        run.stdout
    );
    assert_valid_index(&db, no_transaction_index);

    let status = migrate(&db, &path, &["status"]);
    assert_eq!(status.code, 0, "{status:?}");
    assert!(status.stdout.contains(", 0 pending"), "{}", status.stdout);

    let run = migrate(&db, &path, &["down", "--to", "0"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(user_objects(&db), Vec::<String>::new());
    let current = migrate(&db, &path, &["current"]);
    assert_eq!(current.stdout.trim(), "none", "{current:?}");

    // The same directory named explicitly gives the same result.
    let run = migrate(&db, &path, &["up", "--format-migrations", format]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout.matches("applied ").count(),
        applied,
        "{}",
        run.stdout
    );
    assert_valid_index(&db, no_transaction_index);

    let run = schemagate(&[
        "roundtrip",
        "--migrations",
        path.to_str().unwrap(),
        "--target",
        "local",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let json = run.json();
    assert_eq!(json["status"], "clean");
    let checked = json["summary"]["checked"].as_u64().unwrap() as usize;
    assert_eq!(checked, json["summary"]["clean"].as_u64().unwrap() as usize);
    assert!(checked >= 3, "{json}");
}

#[test]
fn native_directory_up_down_up_and_roundtrip() {
    up_down_up_and_roundtrip(
        "fmt_native",
        "native",
        MigrationFormat::Native,
        3,
        "posts_published_idx",
    );
}

#[test]
fn sqlx_directory_up_down_up_and_roundtrip() {
    up_down_up_and_roundtrip(
        "fmt_sqlx",
        "sqlx",
        MigrationFormat::Sqlx,
        3,
        "user_sessions_expires_at_idx",
    );
}

#[test]
fn golang_migrate_directory_up_down_up_and_roundtrip() {
    up_down_up_and_roundtrip(
        "fmt_golang",
        "golang-migrate",
        MigrationFormat::GolangMigrate,
        3,
        "orders_customer_id_idx",
    );
}

#[test]
fn diesel_directory_up_down_up_and_roundtrip() {
    up_down_up_and_roundtrip(
        "fmt_diesel",
        "diesel",
        MigrationFormat::Diesel,
        3,
        "projects_name_key",
    );
}

#[test]
fn dbmate_directory_up_down_up_and_roundtrip() {
    up_down_up_and_roundtrip(
        "fmt_dbmate",
        "dbmate",
        MigrationFormat::Dbmate,
        3,
        "teams_slug_key",
    );
}

#[test]
fn sql_migrate_directory_up_down_up_and_roundtrip() {
    up_down_up_and_roundtrip(
        "fmt_sql_migrate",
        "sql-migrate",
        MigrationFormat::SqlMigrate,
        3,
        "comments_article_id_idx",
    );
}

#[test]
fn flyway_directory_up_down_up_and_roundtrip() {
    // Three versioned migrations and one repeatable.
    up_down_up_and_roundtrip(
        "fmt_flyway",
        "flyway",
        MigrationFormat::Flyway,
        4,
        "customers_email_idx",
    );
}

#[test]
fn a_flyway_repeatable_migration_runs_again_when_it_changes() {
    let db = TestDb::new("fmt_flyway_repeat");
    let tmp = TempDir::new("fmt_flyway_repeat");
    for entry in std::fs::read_dir(dir("flyway").join("sql")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        tmp.write(&name, &std::fs::read_to_string(&path).unwrap());
    }
    assert_eq!(migrate(&db, tmp.path(), &["up"]).code, 0);
    let run = migrate(&db, tmp.path(), &["up"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.starts_with("nothing to apply"), "{run:?}");
    tmp.write(
        "R__customer_countries.sql",
        "CREATE OR REPLACE VIEW customer_countries AS\n    SELECT country, count(*) AS customers, max(id) AS newest\n    FROM customers\n    GROUP BY country;\n",
    );
    let status = migrate(&db, tmp.path(), &["status"]);
    assert_eq!(
        status.code, 0,
        "a changed repeatable is pending, not drift: {status:?}"
    );
    let run = migrate(&db, tmp.path(), &["up"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout.matches("applied R__customer_countries").count(),
        1,
        "{run:?}"
    );
    let columns: i64 = db
        .client()
        .query_one(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'customer_countries'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(columns, 3);
    // A versioned migration may not change.
    tmp.write("V1__create_customers.sql", "CREATE TABLE customers ();\n");
    let run = migrate(&db, tmp.path(), &["up"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("V1__create_customers.sql: changed since it was applied"),
        "{run:?}"
    );
}

#[test]
fn an_unmarked_concurrent_index_is_refused_before_anything_runs() {
    // Regression guard: the check runs before the first migration, so a
    // directory is never left half applied by a file the server rejects.
    let db = TestDb::new("fmt_unmarked");
    let tmp = TempDir::new("fmt_unmarked");
    tmp.write(
        "20240301100000_create_teams.sql",
        "-- migrate:up\nCREATE TABLE teams (id int PRIMARY KEY, slug text);\n\n-- migrate:down\nDROP TABLE teams;\n",
    );
    tmp.write(
        "20240303120000_teams_slug_index.sql",
        "-- migrate:up\n-- builds without blocking writes\nCREATE UNIQUE INDEX CONCURRENTLY teams_slug_key ON teams (slug);\n\n-- migrate:down\nDROP INDEX teams_slug_key;\n",
    );
    let run = migrate(&db, tmp.path(), &["up"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains(
            "20240303120000_teams_slug_index.sql:3: CREATE INDEX CONCURRENTLY cannot run inside a \
             transaction, and this file runs in one; add `transaction:false` to its marker: \
             `-- migrate:up transaction:false`"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(user_objects(&db), Vec::<String>::new());
}

#[test]
fn sql_migrate_names_resolve_by_name_or_number() {
    // sql-migrate names its migrations; `--to` takes the name or the number.
    let db = TestDb::new("fmt_names");
    let path = dir("sql-migrate");
    let run = migrate(&db, &path, &["up", "--to", "2"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        migrate(&db, &path, &["current"]).stdout.trim(),
        "2_comments"
    );
    let run = migrate(&db, &path, &["down", "--to", "1_init"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(migrate(&db, &path, &["current"]).stdout.trim(), "1_init");
    let run = migrate(&db, &path, &["up", "--to", "9"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("no migration has version 9"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bigint_tracking_table_from_before_is_converted() {
    // Databases migrated by an earlier schemagate have `version bigint`;
    // their rows must still name the same migrations.
    let db = TestDb::new("fmt_bigint");
    db.execute(
        "CREATE TABLE schemagate_migrations (
            version bigint PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(), duration_ms bigint NOT NULL)",
    );
    let path = dir("native");
    let first = migrate::discover(&path, None).unwrap();
    db.execute(&format!(
        "CREATE TABLE authors (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            handle varchar(40) NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now());
         INSERT INTO schemagate_migrations (version, name, checksum, duration_ms)
         VALUES (1, 'authors', '{}', 3)",
        first[0].checksum
    ));
    let status = migrate(&db, &path, &["status"]);
    assert_eq!(status.code, 0, "{status:?}");
    let run = migrate(&db, &path, &["up"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.matches("applied ").count(), 2, "{}", run.stdout);
    let kind: String = db
        .client()
        .query_one(
            "SELECT data_type::text FROM information_schema.columns
             WHERE table_name = 'schemagate_migrations' AND column_name = 'version'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(kind, "text");
    assert_eq!(
        migrate(&db, &path, &["current"]).stdout.trim(),
        "0003_posts_published_index"
    );
}

#[test]
fn check_reads_another_format_and_takes_an_explicit_one() {
    let expected = case_dir("formats").join("flyway.expected_schema.yaml");
    let expected = expected.to_str().unwrap();
    let flyway = dir("flyway");
    let run = schemagate(&[
        "check",
        "--target",
        "local",
        "--migrations",
        flyway.to_str().unwrap(),
        "--expected",
        expected,
    ]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    // Told the wrong layout, it names the first file that does not fit,
    // before any server starts.
    let sql = flyway.join("sql");
    let run = schemagate(&[
        "check",
        "--target",
        "local",
        "--migrations",
        sql.to_str().unwrap(),
        "--expected",
        expected,
        "--format-migrations",
        "sqlx",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("sql/R__customer_countries.sql: not a sqlx migration file name"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------
// Issue 16: real projects' directories run exactly as their own tools run
// them. Each case directory reproduces one situation; the test replays what
// the tool sends to the server (read from the tool's documented rules, by
// code independent of schemagate's readers) on a second database and
// compares the statements' effects in order (a `run_log` table the
// migrations append to) and the final schema.

/// What the server built, comparably: objects, columns, index definitions
/// and the `run_log` rows in insertion order (the statements' order).
fn built(db: &TestDb) -> Vec<String> {
    let mut out = user_objects(db);
    let mut c = db.client();
    for sql in [
        "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
             || ' ' || coalesce(column_default, '-')
         FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name NOT LIKE 'schemagate_migrations%'
         ORDER BY table_name, ordinal_position",
        "SELECT indexdef FROM pg_indexes
         WHERE schemaname = 'public' AND tablename NOT LIKE 'schemagate_migrations%'
         ORDER BY indexname",
        "SELECT 'log ' || step FROM run_log ORDER BY n",
    ] {
        // run_log is gone once everything is reverted.
        if let Ok(rows) = c.query(sql, &[]) {
            out.extend(rows.iter().map(|r| r.get::<_, String>(0)));
        }
    }
    out
}

/// Sends each request as the tool does: one simple query (the whole text),
/// inside a transaction of its own when `in_transaction`.
fn replay(db: &TestDb, requests: &[(String, bool)]) {
    let mut c = db.client();
    for (sql, in_transaction) in requests {
        if *in_transaction {
            let mut tx = c.transaction().unwrap();
            tx.batch_execute(sql).unwrap();
            tx.commit().unwrap();
        } else {
            c.batch_execute(sql).unwrap();
        }
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// golang-migrate (v4, postgres driver): up files by version number, each
/// sent whole as one query, no transaction of its own.
fn golang_requests(dir: &Path) -> Vec<(String, bool)> {
    let mut ups: Vec<(u64, PathBuf)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_str().unwrap().ends_with(".up.sql"))
        .map(|p| {
            let name = p.file_name().unwrap().to_str().unwrap().to_string();
            (name.split('_').next().unwrap().parse().unwrap(), p)
        })
        .collect();
    ups.sort();
    ups.into_iter().map(|(_, p)| (read(&p), false)).collect()
}

/// dbmate (v2): files by name; the up section runs from the first
/// `-- migrate:up` line to the first `-- migrate:down` line, in a
/// transaction.
fn dbmate_requests(dir: &Path) -> Vec<(String, bool)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let text = read(p);
            let up = text.find("-- migrate:up").unwrap();
            let down = text.find("-- migrate:down").unwrap();
            (text[up..down].to_string(), true)
        })
        .collect()
}

/// Diesel (2.x): directories by version with dashes removed, compared as
/// strings; up.sql in a transaction.
fn diesel_requests(dir: &Path) -> Vec<(String, bool)> {
    let mut dirs: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_str().unwrap().to_string();
            (name.split('_').next().unwrap().replace('-', ""), p)
        })
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|(_, p)| (read(&p.join("up.sql")), true))
        .collect()
}

/// `migrate up` on one database, the tool's requests on another: the same
/// effects in the same order and the same schema; then down to base.
fn runs_as_the_tool(test: &str, case: &str, format: &str, requests: Vec<(String, bool)>) -> Run {
    let path = dir(case);
    let ours = TestDb::new(&format!("{test}_sg"));
    let theirs = TestDb::new(&format!("{test}_tool"));
    let run = migrate(&ours, &path, &["up", "--format-migrations", format]);
    assert_eq!(run.code, 0, "{run:?}");
    replay(&theirs, &requests);
    let expected = built(&theirs);
    assert!(
        expected.iter().any(|l| l.starts_with("log ")),
        "{expected:#?}"
    );
    assert_eq!(built(&ours), expected);
    let down = migrate(
        &ours,
        &path,
        &["down", "--to", "base", "--format-migrations", format],
    );
    assert_eq!(down.code, 0, "{down:?}");
    assert_eq!(user_objects(&ours), Vec::<String>::new());
    run
}

// Issue 16.1: diesel never runs down.sql on `migration run`; a down file
// that cannot run in a transaction must not block `up` or `check`, and
// `roundtrip` gives that migration its own verdict and goes on.
#[test]
fn diesel_down_file_problem_does_not_block_up_and_is_that_migrations_verdict() {
    let path = dir("diesel_down_concurrently");
    let db = TestDb::new("fmt16_diesel_down");
    let run = migrate(&db, &path, &["up"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.matches("applied ").count(), 2, "{}", run.stdout);
    assert_eq!(
        user_objects(&db),
        ["i notes_pkey", "i notes_title_idx", "r notes"]
    );
    // Reverting it says why, before running anything.
    let down = migrate(&db, &path, &["down", "--steps", "1"]);
    assert_eq!(down.code, 2, "{down:?}");
    assert!(
        down.stderr.contains(
            "notes_title_index/down.sql:3: DROP INDEX CONCURRENTLY cannot run inside a transaction"
        ),
        "{}",
        down.stderr
    );

    let run = schemagate(&[
        "roundtrip",
        "--migrations",
        path.to_str().unwrap(),
        "--target",
        "local",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let json = run.json();
    assert_eq!(json["summary"]["checked"], 2, "{json}");
    assert_eq!(json["summary"]["clean"], 1, "{json}");
    assert_eq!(json["summary"]["down_failed"], 1, "{json}");
    let step = &json["migrations"][1];
    assert_eq!(step["status"], "down failed", "{json}");
    assert_eq!(step["error"]["line"], 3, "{json}");
    assert!(step["error"]["file"]
        .as_str()
        .unwrap()
        .ends_with("2024-03-02-000000_notes_title_index/down.sql"));
    assert!(step["error"]["message"]
        .as_str()
        .unwrap()
        .contains("DROP INDEX CONCURRENTLY"));
}

// Issue 16.1: `check` on the same directory is not blocked by the down
// file (it never runs downs): exit 0 against the schema the ups build.
#[test]
fn diesel_down_file_problem_does_not_block_check() {
    let path = dir("diesel_down_concurrently");
    let db = TestDb::new("fmt16_diesel_check");
    assert_eq!(migrate(&db, &path, &["up"]).code, 0);
    let tmp = TempDir::new("fmt16_diesel_check");
    let snap = schemagate(&["snapshot", "--database-url", &db.url]);
    assert_eq!(snap.code, 0, "{snap:?}");
    let expected = tmp.write("expected_schema.yaml", &snap.stdout);
    let run = schemagate(&[
        "check",
        "--migrations",
        path.to_str().unwrap(),
        "--target",
        &server().url,
        "--expected",
        expected.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.json()["status"], "ok", "{}", run.stdout);
}

// Issue 16.1: when the migration whose down fails is not the last one,
// `roundtrip` gives it its verdict and goes on with the next.
#[test]
fn diesel_roundtrip_goes_on_after_a_failing_down() {
    let tmp = TempDir::new("fmt16_diesel_goes_on");
    let case = dir("diesel_down_concurrently");
    for entry in std::fs::read_dir(&case).unwrap().flatten() {
        for file in ["up.sql", "down.sql"] {
            let name = format!("m/{}/{file}", entry.file_name().to_string_lossy());
            tmp.write(
                &name,
                &std::fs::read_to_string(entry.path().join(file)).unwrap(),
            );
        }
    }
    tmp.write(
        "m/2024-03-03-000000_later/up.sql",
        "CREATE TABLE later (id int);\n",
    );
    tmp.write("m/2024-03-03-000000_later/down.sql", "DROP TABLE later;\n");
    let m = tmp.path().join("m");
    let run = schemagate(&[
        "roundtrip",
        "--migrations",
        m.to_str().unwrap(),
        "--target",
        &server().url,
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let json = run.json();
    assert_eq!(json["summary"]["checked"], 3, "{json}");
    assert_eq!(json["summary"]["clean"], 2, "{json}");
    assert_eq!(json["summary"]["down_failed"], 1, "{json}");
    let status: Vec<&str> = json["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(status, ["clean", "down failed", "clean"], "{json}");
}

// Issue 16.2: golang-migrate keys files by version and direction.
#[test]
fn golang_migrate_up_and_down_of_one_version_with_other_titles() {
    let requests = golang_requests(&dir("golang_titles"));
    let run = runs_as_the_tool(
        "fmt16_go_titles",
        "golang_titles",
        "golang-migrate",
        requests,
    );
    assert!(run.stdout.contains("applied 0030_add_x"), "{}", run.stdout);
}

// Issue 16.3: dbmate takes the first of each marker, with a warning.
#[test]
fn dbmate_repeated_markers_run_as_dbmate_with_a_warning() {
    let requests = dbmate_requests(&dir("dbmate_repeated_markers"));
    let run = runs_as_the_tool(
        "fmt16_dbmate_markers",
        "dbmate_repeated_markers",
        "dbmate",
        requests,
    );
    assert!(
        run.stderr.contains(
            "20240401000000_create_tags.sql: repeated `-- migrate:` markers on lines 12, 15: \
             dbmate takes the first of each marker"
        ),
        "{}",
        run.stderr
    );
}

// Issue 16.4: golang-migrate sends a file with its own BEGIN/COMMIT blocks
// as one multi-statement query; so does schemagate, and says so.
#[test]
fn golang_migrate_own_transaction_blocks_run_as_one_query() {
    let requests = golang_requests(&dir("golang_own_transactions"));
    let run = runs_as_the_tool(
        "fmt16_go_blocks",
        "golang_own_transactions",
        "golang-migrate",
        requests,
    );
    assert_eq!(run.stdout.matches("applied ").count(), 3, "{}", run.stdout);
    for file in ["2_two_blocks.up.sql", "3_statements_then_block.up.sql"] {
        assert!(
            run.stderr
                .contains(&format!("{file}: manages its own transactions"))
                && run
                    .stderr
                    .contains("sent whole as one multi-statement query"),
            "{}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains("1_accounts.up.sql"), "{}", run.stderr);
}

// Issue 16.5: diesel compares versions (dashes removed) as strings.
#[test]
fn diesel_mixed_version_lengths_run_in_diesels_order() {
    let requests = diesel_requests(&dir("diesel_mixed_versions"));
    let run = runs_as_the_tool(
        "fmt16_diesel_order",
        "diesel_mixed_versions",
        "diesel",
        requests,
    );
    let create = run
        .stdout
        .find("applied 202501010000000000_create_t")
        .unwrap();
    let alter = run.stdout.find("applied 20250601000000_alter_t").unwrap();
    assert!(create < alter, "{}", run.stdout);
}

// Issue 16.6: a project that needs something first (a schema, a role, a
// function another tool installs) is checked, round-tripped, reported and
// snapshotted with --setup; what the setup made is not compared unless
// declared.
#[test]
fn setup_files_run_first_and_stay_out_of_the_comparison() {
    let case = dir("needs_setup");
    let migrations = case.join("migrations");
    let migrations = migrations.to_str().unwrap();
    let expected = case.join("expected_schema.yaml");
    let expected = expected.to_str().unwrap();
    let setup = case.join("setup.sql");
    let setup = setup.to_str().unwrap();

    let check = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "--migrations",
            migrations,
            "--expected",
            expected,
            "--target",
            "local",
        ];
        args.extend_from_slice(extra);
        schemagate(&args)
    };
    let without = check(&[]);
    assert_eq!(without.code, 2, "{without:?}");
    assert!(
        without
            .stderr
            .contains("function public.current_tenant() does not exist"),
        "{}",
        without.stderr
    );
    let with = check(&["--setup", setup]);
    assert_eq!(with.code, 0, "{}\n{}", with.stdout, with.stderr);

    let roundtrip = schemagate(&[
        "roundtrip",
        "--migrations",
        migrations,
        "--target",
        "local",
        "--setup",
        setup,
        "--format",
        "json",
    ]);
    assert_eq!(
        roundtrip.code, 0,
        "{}\n{}",
        roundtrip.stdout, roundtrip.stderr
    );
    assert_eq!(roundtrip.json()["summary"]["clean"], 1);

    let snapshot = schemagate(&[
        "snapshot",
        "--migrations",
        migrations,
        "--target",
        "local",
        "--setup",
        setup,
    ]);
    assert_eq!(snapshot.code, 0, "{snapshot:?}");
    assert!(snapshot.stdout.contains("profiles:"), "{}", snapshot.stdout);
    assert!(
        !snapshot.stdout.contains("functions"),
        "{}",
        snapshot.stdout
    );
    assert!(!snapshot.stdout.contains("  auth:"), "{}", snapshot.stdout);

    let report = schemagate(&[
        "report",
        "--migrations",
        migrations,
        "--expected",
        expected,
        "--target",
        "local",
        "--setup",
        setup,
    ]);
    assert_eq!(report.code, 0, "{report:?}");
    assert!(report.stdout.contains("profiles"), "{}", report.stdout);
}
