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
