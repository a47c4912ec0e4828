//! Detection and ordering of every format, on small directories.

use std::path::{Path, PathBuf};

use super::*;
use crate::migrate::model::MigrationKind;

struct Dir(PathBuf);

impl Dir {
    fn new(test: &str, files: &[(&str, &str)]) -> Dir {
        let dir =
            std::env::temp_dir().join(format!("schemagate-formats-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Dir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn error(&self, format: Option<MigrationFormat>) -> String {
        discover(&self.0, format)
            .unwrap_err()
            .to_string()
            .replace(&self.0.display().to_string(), "DIR")
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn ids(dir: &Dir, format: Option<MigrationFormat>) -> Vec<String> {
    discover(dir.path(), format)
        .unwrap()
        .iter()
        .map(|m| m.id())
        .collect()
}

/// A test name, the files of a directory, and what it should give.
type Case<'a, T> = (&'a str, &'a [(&'a str, &'a str)], T);

const UP: &str = "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n";
const SQL_MIGRATE: &str = "-- +migrate Up\nSELECT 1;\n-- +migrate Down\nSELECT 2;\n";

#[test]
fn detects_each_format_from_names_and_markers() {
    use MigrationFormat::*;
    let cases: &[Case<MigrationFormat>] = &[
        ("empty", &[], Native),
        (
            "native",
            &[
                ("0001_a.up.sql", ""),
                ("0001_a.down.sql", ""),
                ("0002_b.up.sql", ""),
            ],
            Native,
        ),
        (
            "native_marker",
            &[(
                "20240101_a.up.sql",
                "-- schemagate:no-transaction\nSELECT 1;",
            )],
            Native,
        ),
        (
            "native_unpadded",
            &[("1_a.up.sql", ""), ("2_b.up.sql", "")],
            Native,
        ),
        (
            "sqlx_simple",
            &[("20240101120000_a.sql", ""), ("20240102120000_b.sql", "")],
            Sqlx,
        ),
        (
            "native_with_a_typo",
            &[
                ("0001_a.up.sql", ""),
                ("0001_a.down.sql", ""),
                ("0002_b.sql", ""),
            ],
            Native,
        ),
        (
            "sqlx_marker",
            &[("20240101120000_a.up.sql", "-- no-transaction\nSELECT 1;")],
            Sqlx,
        ),
        (
            "golang_timestamps",
            &[
                ("20240101120000_a.up.sql", ""),
                ("20240101120000_a.down.sql", ""),
            ],
            GolangMigrate,
        ),
        (
            "golang_begin",
            &[("1_a.up.sql", "BEGIN;\nSELECT 1;\nCOMMIT;\n")],
            GolangMigrate,
        ),
        (
            "diesel",
            &[
                ("2024-01-01-120000_a/up.sql", ""),
                ("2024-01-01-120000_a/down.sql", ""),
                (".keep", ""),
            ],
            Diesel,
        ),
        ("dbmate", &[("20240101120000_a.sql", UP)], Dbmate),
        ("sql_migrate", &[("1_init.sql", SQL_MIGRATE)], SqlMigrate),
        ("flyway", &[("V1__a.sql", ""), ("R__views.sql", "")], Flyway),
        ("flyway_nested", &[("sql/core/V1.1__a.sql", "")], Flyway),
    ];
    for (test, files, expected) in cases {
        let dir = Dir::new(&format!("detect_{test}"), files);
        assert_eq!(detect(dir.path()).unwrap(), *expected, "{test}");
    }
}

#[test]
fn flyway_orders_dotted_versions_numerically_and_repeatables_last() {
    let dir = Dir::new(
        "flyway_order",
        &[
            ("V1.10__ten.sql", "SELECT 10;"),
            ("V1.2__two.sql", "SELECT 2;"),
            ("V1.2.1__two_one.sql", "SELECT 21;"),
            ("R__b_views.sql", "SELECT 'b';"),
            ("R__a_functions.sql", "SELECT 'a';"),
            ("V2__major.sql", "SELECT 200;"),
            ("V1_1__one.sql", "SELECT 1;"),
            ("U1.2__two.sql", "SELECT -2;"),
            ("V1.2__two.sql.conf", "executeInTransaction=false\n"),
        ],
    );
    let found = discover(dir.path(), None).unwrap();
    let versions: Vec<&str> = found.iter().map(|m| m.version.text()).collect();
    assert_eq!(
        versions,
        [
            "1.1",
            "1.2",
            "1.2.1",
            "1.10",
            "2",
            "R__a_functions",
            "R__b_views"
        ]
    );
    assert_eq!(found[5].kind(), MigrationKind::Repeatable);
    assert_eq!(found[1].down.as_ref().unwrap().sql, "SELECT -2;");
    assert!(found[1].no_transaction());
    assert!(!found[0].no_transaction());
    assert_eq!(found[1].id(), "1.2_two");
    assert_eq!(found[5].id(), "R__a_functions");
}

#[test]
fn flyway_rejects_the_same_version_twice_and_undo_without_version() {
    let dir = Dir::new("flyway_dup", &[("V1__a.sql", ""), ("V1.0__b.sql", "")]);
    assert_eq!(
        dir.error(None),
        "DIR/V1.0__b.sql and DIR/V1__a.sql both claim version 0001"
    );
    let dir = Dir::new("flyway_undo", &[("V1__a.sql", ""), ("U2__b.sql", "")]);
    assert_eq!(
        dir.error(None),
        "DIR/U2__b.sql: a down migration without its up migration"
    );
    let dir = Dir::new(
        "flyway_name",
        &[("V1__a.sql", ""), ("afterMigrate.sql", "")],
    );
    assert_eq!(
        dir.error(Some(MigrationFormat::Flyway)),
        "DIR/afterMigrate.sql: not a flyway migration file name (expected \
         V<version>__<description>.sql, U<version>__<description>.sql or R__<description>.sql)"
    );
}

#[test]
fn sql_migrate_orders_by_number_then_file_name_and_names_last() {
    let dir = Dir::new(
        "sql_migrate_order",
        &[
            ("10_later.sql", SQL_MIGRATE),
            ("2_b.sql", SQL_MIGRATE),
            ("2_a.sql", SQL_MIGRATE),
            ("002_c.sql", SQL_MIGRATE),
            ("seed.sql", SQL_MIGRATE),
            ("1_first.sql", SQL_MIGRATE),
        ],
    );
    assert_eq!(
        ids(&dir, None),
        ["1_first", "002_c", "2_a", "2_b", "10_later", "seed"]
    );
}

// Regression (issue 16): every format orders as its tool does. Diesel (2.x)
// drops the dashes and compares versions as strings, so the 18-digit
// versions of newer CLIs sort among the 14-digit ones by their text; dbmate
// (v2) sorts by file name.
#[test]
fn each_format_orders_as_its_tool() {
    let dir = Dir::new(
        "diesel_order",
        &[
            ("2024-01-02-000000_b/up.sql", "SELECT 2;"),
            ("00000000000000_diesel_initial_setup/up.sql", "SELECT 0;"),
            ("2024-01-01-000000_a/up.sql", "SELECT 1;"),
            (
                "2024-01-01-000000_a/metadata.toml",
                "run_in_transaction = false # yes\n",
            ),
            ("2025-06-01-000000_alter_t/up.sql", "SELECT 4;"),
            ("2025-01-01-000000-0000_create_t/up.sql", "SELECT 3;"),
        ],
    );
    let found = discover(dir.path(), None).unwrap();
    let found_ids: Vec<String> = found.iter().map(|m| m.id()).collect();
    assert_eq!(
        found_ids,
        [
            "00000000000000_diesel_initial_setup",
            "20240101000000_a",
            "20240102000000_b",
            "202501010000000000_create_t",
            "20250601000000_alter_t",
        ]
    );
    assert!(found[1].no_transaction() && !found[2].no_transaction());

    // dbmate: by file name, so a shorter number is not an earlier version.
    let dir = Dir::new(
        "dbmate_order",
        &[("20240101120000_b.sql", UP), ("999_a.sql", UP)],
    );
    assert_eq!(ids(&dir, None), ["20240101120000_b", "0999_a"]);
    let dir = Dir::new("dbmate_dup", &[("1_a.sql", UP), ("1_b.sql", UP)]);
    assert_eq!(
        dir.error(None),
        "DIR/1_a.sql and DIR/1_b.sql both claim version 0001"
    );
}

// Regression (issue 16): golang-migrate keys files by version and
// direction; an up and a down of one version may have different titles.
#[test]
fn golang_migrate_pairs_by_version_whatever_the_titles() {
    let dir = Dir::new(
        "golang_titles",
        &[
            ("30_drop_x.down.sql", "DROP TABLE x;"),
            ("30_add_x.up.sql", "CREATE TABLE x ();"),
        ],
    );
    let found = discover(dir.path(), Some(MigrationFormat::GolangMigrate)).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id(), "0030_add_x");
    assert!(found[0]
        .down
        .as_ref()
        .unwrap()
        .path
        .ends_with("30_drop_x.down.sql"));
    let dir = Dir::new(
        "golang_two_ups",
        &[("30_a.up.sql", ""), ("30_b.up.sql", "")],
    );
    assert!(dir
        .error(Some(MigrationFormat::GolangMigrate))
        .ends_with("both claim version 0030"));
    // Native keeps one name per version.
    let dir = Dir::new(
        "native_titles",
        &[("0001_a.up.sql", ""), ("0001_b.down.sql", "")],
    );
    assert!(dir
        .error(Some(MigrationFormat::Native))
        .ends_with("both claim version 0001"));
}

// Regression (issue 16): dbmate takes the first of each marker; the later
// ones are comments inside its sections, and the file gets a warning.
#[test]
fn dbmate_repeated_markers_take_the_first_of_each() {
    let text = "-- migrate:up\nCREATE TABLE a ();\n-- migrate:down\nDROP TABLE a;\n\
                -- migrate:up\nCREATE TABLE b ();\n-- migrate:down\nDROP TABLE b;\n";
    let dir = Dir::new("dbmate_repeat", &[("1_a.sql", text)]);
    let found = discover(dir.path(), None).unwrap();
    let m = &found[0];
    let texts = |f: &crate::migrate::model::MigrationFile| -> Vec<String> {
        f.statements()
            .iter()
            .map(|s| s.text(&f.sql).to_string())
            .collect()
    };
    assert_eq!(texts(&m.up), ["CREATE TABLE a ();"]);
    assert_eq!(
        texts(m.down.as_ref().unwrap()),
        ["DROP TABLE a;", "CREATE TABLE b ();", "DROP TABLE b;"]
    );
    let warnings = m.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].ends_with(
            "1_a.sql: repeated `-- migrate:` markers on lines 5, 7: dbmate takes the first of \
             each marker and reads the later ones as comments, so does schemagate: the up \
             section is lines 1-2; the down section runs from line 3 to the end of the file"
        ),
        "{warnings:?}"
    );
}

// Regression (issue 16): a problem in a down file does not stop `up`:
// the tools never read down files on the way up.
#[test]
fn a_down_file_problem_does_not_block_discovery() {
    let dir = Dir::new(
        "diesel_down",
        &[
            ("2024-01-01-000000_a/up.sql", "CREATE TABLE t (x int);"),
            (
                "2024-01-01-000000_a/down.sql",
                "DROP INDEX CONCURRENTLY i;\nDROP TABLE t;\n",
            ),
        ],
    );
    let found = discover(dir.path(), None).unwrap();
    let mut down = found[0].down.clone().unwrap();
    assert!(!down.no_transaction);
    assert!(
        crate::migrate::sql::transaction::check_file(&mut down, None)
            .unwrap_err()
            .to_string()
            .contains("down.sql:1: DROP INDEX CONCURRENTLY cannot run inside a transaction")
    );
}

#[test]
fn sqlx_and_golang_migrate_allow_gaps_and_timestamps() {
    let dir = Dir::new(
        "sqlx",
        &[
            ("20240102000000_b.sql", "SELECT 2;"),
            ("20240101000000_a.up.sql", "-- no-transaction\nSELECT 1;"),
            ("20240101000000_a.down.sql", "SELECT -1;"),
        ],
    );
    let found = discover(dir.path(), None).unwrap();
    assert_eq!(found.len(), 2);
    assert!(found[0].no_transaction() && found[0].down.is_some());
    assert!(found[1].down.is_none());
    let dir = Dir::new("sqlx_clash", &[("1_a.sql", ""), ("1_a.up.sql", "")]);
    assert!(dir
        .error(Some(MigrationFormat::Sqlx))
        .ends_with("both claim version 0001"));

    let dir = Dir::new(
        "golang",
        &[
            ("5_b.up.sql", "BEGIN;\nCREATE TABLE b ();\nCOMMIT;\n"),
            ("2_a.up.sql", "CREATE INDEX CONCURRENTLY i ON t (x);\n"),
            ("2_a.down.sql", "DROP INDEX CONCURRENTLY i;\n"),
        ],
    );
    let found = discover(dir.path(), None).unwrap();
    assert_eq!(found[0].format(), MigrationFormat::GolangMigrate);
    assert!(found[0].no_transaction(), "one such statement runs outside");
    assert!(found[0].down.as_ref().unwrap().no_transaction);
    assert!(!found[1].no_transaction());
    assert_eq!(found[1].up.statements().len(), 1);
}

#[test]
fn unmarked_statements_that_need_no_transaction_name_the_marker() {
    let cases: &[Case<&str>] = &[
        (
            "native",
            &[("0001_a.up.sql", "CREATE TABLE t (x int);\n\nCREATE INDEX CONCURRENTLY i ON t (x);\n")],
            "DIR/0001_a.up.sql:3: CREATE INDEX CONCURRENTLY cannot run inside a transaction, \
             and this file runs in one; make `-- schemagate:no-transaction` the first line of the file",
        ),
        (
            "sqlx",
            &[("1_a.sql", "VACUUM;\n")],
            "DIR/1_a.sql:1: VACUUM cannot run inside a transaction, and this file runs in one; \
             make `-- no-transaction` the first line of the file (sqlx)",
        ),
        (
            "dbmate",
            &[("1_a.sql", "-- migrate:up\nSELECT 1;\nALTER SYSTEM SET work_mem = '1MB';\n-- migrate:down\n")],
            "DIR/1_a.sql:3: ALTER SYSTEM cannot run inside a transaction, and this file runs in one; \
             add `transaction:false` to its marker: `-- migrate:up transaction:false`",
        ),
        (
            "sql_migrate",
            &[("1_a.sql", "-- +migrate Up\nCREATE DATABASE x;\n")],
            "DIR/1_a.sql:2: CREATE DATABASE cannot run inside a transaction, and this file runs in one; \
             add `notransaction` to its marker: `-- +migrate Up notransaction`",
        ),
        (
            "diesel",
            &[("20240101000000_a/up.sql", "SELECT 1;\nDROP INDEX CONCURRENTLY i;\n")],
            "DIR/20240101000000_a/up.sql:2: DROP INDEX CONCURRENTLY cannot run inside a transaction, \
             and this file runs in one; add `run_in_transaction = false` to DIR/20240101000000_a/metadata.toml",
        ),
        (
            "flyway",
            &[("V1__a.sql", "CREATE TABLE t (x int);\nCREATE INDEX CONCURRENTLY i ON t (x);\n")],
            "DIR/V1__a.sql:2: CREATE INDEX CONCURRENTLY cannot run inside a transaction, and this \
             file runs in one; add `executeInTransaction=false` to DIR/V1__a.sql.conf, or move the \
             statement into a migration of its own (Flyway runs a migration outside a transaction \
             when all its statements need that)",
        ),
        (
            "golang",
            &[("20240101000000_a.up.sql", "CREATE TABLE t (x int);\nCREATE INDEX CONCURRENTLY i ON t (x);\n")],
            "DIR/20240101000000_a.up.sql:2: CREATE INDEX CONCURRENTLY cannot run inside a \
             transaction, and this file runs in one; move the statement into a migration of its \
             own (golang-migrate has no marker; a file holding only such a statement runs outside \
             a transaction)",
        ),
    ];
    for (test, files, expected) in cases {
        let dir = Dir::new(&format!("notx_{test}"), files);
        assert_eq!(dir.error(None), *expected, "{test}");
    }
}

#[test]
fn marked_files_pass_and_own_transactions_are_refused() {
    let dir = Dir::new(
        "marked",
        &[(
            "1_a.sql",
            "-- +migrate Up notransaction\nCREATE INDEX CONCURRENTLY i ON t (x);\n",
        )],
    );
    assert!(discover(dir.path(), None).unwrap()[0].no_transaction());
    let dir = Dir::new(
        "own_tx",
        &[("0001_a.up.sql", "BEGIN;\nSELECT 1;\nCOMMIT;\n")],
    );
    assert_eq!(
        dir.error(Some(MigrationFormat::Native)),
        "DIR/0001_a.up.sql:1: the file manages its own transaction; remove BEGIN/COMMIT (each \
         migration already runs in one), or to run it outside one, make \
         `-- schemagate:no-transaction` the first line of the file"
    );
}

#[test]
fn a_forced_format_that_does_not_fit_names_the_file() {
    let dir = Dir::new("forced", &[("0001_a.up.sql", "SELECT 1;")]);
    assert_eq!(
        dir.error(Some(MigrationFormat::Dbmate)),
        "DIR/0001_a.up.sql:1: dbmate requires an up section: add a `-- migrate:up` line"
    );
    assert_eq!(
        dir.error(Some(MigrationFormat::Flyway)),
        "DIR/0001_a.up.sql: not a flyway migration file name (expected \
         V<version>__<description>.sql, U<version>__<description>.sql or R__<description>.sql)"
    );
}
