//! Finds a directory's migrations: `discover(dir, format)`, the one entry
//! point every command goes through. It detects the layout (or takes the one
//! given) and dispatches to that format's reader in `formats`; the result
//! is the same [`Migration`] list whatever the tool that wrote it.
//!
//! Layer 3 of `migrate` (sources): imports the model and SQL scanning
//! layers, never the running layer. Inside it, `files` and `sections`
//! come first, then one reader per format, then `detect`, then this file.

use std::path::Path;

use crate::migrate::model::{MigrateError, Migration, MigrationFormat};
use crate::migrate::sql::transaction::check_file;

mod detect;
pub(crate) mod files;
mod formats;
mod sections;

pub use detect::detect;
use formats::{dbmate, diesel, flyway, golang_migrate, native, sql_migrate, sqlx};

/// Reads the migrations in `dir` in the layout `format` (detected from the
/// directory if `None`, see [`detect`]), ordered as that tool
/// orders them: by version, ties broken by full file name, Flyway's
/// repeatable migrations last.
///
/// Every up file is checked before anything runs: a statement that cannot
/// run inside a transaction in a file not marked for it, and BEGIN/COMMIT
/// in a file that runs in a transaction, are errors naming file and line.
/// Down files are checked only when they are about to run (`down`,
/// `roundtrip`): the tools never read them on the way up, so a problem in
/// one must not stop `up` or `check` (issue 16).
pub fn discover(
    dir: &Path,
    format: Option<MigrationFormat>,
) -> Result<Vec<Migration>, MigrateError> {
    let format = match format {
        Some(f) => f,
        None => detect(dir)?,
    };
    let mut migrations = read(dir, format)?;
    migrations.sort_by(|a, b| a.version.cmp(&b.version));
    for m in &mut migrations {
        check_file(&mut m.up, None)?;
        if m.up.statements().is_empty() {
            m.up.notes.push(
                "holds no statement; it is applied (recorded) and changes nothing".to_string(),
            );
        }
        if let Some(down) = &mut m.down {
            // Marks a down file its format runs outside a transaction; its
            // errors are raised again by `down` before it runs.
            let _ = check_file(down, None);
        }
    }
    Ok(migrations)
}

/// Reads `dir` as `format`; unordered.
fn read(dir: &Path, format: MigrationFormat) -> Result<Vec<Migration>, MigrateError> {
    match format {
        MigrationFormat::Native => native::read(dir),
        MigrationFormat::Sqlx => sqlx::read(dir),
        MigrationFormat::GolangMigrate => golang_migrate::read(dir),
        MigrationFormat::Diesel => diesel::read(dir),
        MigrationFormat::Dbmate => dbmate::read(dir),
        MigrationFormat::SqlMigrate => sql_migrate::read(dir),
        MigrationFormat::Flyway => flyway::read(dir),
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::migrate::model::checksum;

    const NATIVE: Option<MigrationFormat> = Some(MigrationFormat::Native);

    struct Dir(PathBuf);

    impl Dir {
        fn new(test: &str, files: &[(&str, &[u8])]) -> Dir {
            let dir = std::env::temp_dir()
                .join(format!("schemagate-discover-{test}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            for (name, text) in files {
                std::fs::write(dir.join(name), text).unwrap();
            }
            Dir(dir)
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn error(test: &str, files: &[(&str, &[u8])]) -> String {
        let dir = Dir::new(test, files);
        let e = discover(&dir.0, NATIVE).unwrap_err();
        e.to_string().replace(&dir.0.display().to_string(), "DIR")
    }

    #[test]
    fn finds_pairs_in_version_order_and_ignores_other_files() {
        let dir = Dir::new(
            "ok",
            &[
                ("0002_b.up.sql", b"SELECT 2;"),
                ("0002_b.down.sql", b"SELECT -2;"),
                (
                    "0001_a.up.sql",
                    b"-- schemagate:no-transaction\r\nSELECT 1;",
                ),
                ("0001_a.down.sql", b"SELECT -1;"),
                ("README.md", b"notes"),
                (".0003_editor_swap.up.sql", b"x"),
            ],
        );
        std::fs::create_dir(dir.0.join("archive.sql")).unwrap();
        let found = discover(&dir.0, NATIVE).unwrap();
        let ids: Vec<String> = found.iter().map(Migration::id).collect();
        assert_eq!(ids, ["0001_a", "0002_b"]);
        assert!(found[0].no_transaction());
        assert!(!found[1].no_transaction());
        assert_eq!(found[1].down.as_ref().unwrap().sql, "SELECT -2;");
    }

    #[test]
    fn a_missing_down_file_is_allowed() {
        let dir = Dir::new("nodown", &[("0001_a.up.sql", b"SELECT 1;")]);
        assert!(discover(&dir.0, NATIVE).unwrap()[0].down.is_none());
    }

    #[test]
    fn a_gap_names_the_files_on_both_sides() {
        assert_eq!(
            error("gap", &[("0001_a.up.sql", b""), ("0003_c.up.sql", b"")]),
            "DIR/0003_c.up.sql: version 0002 is missing before it (after DIR/0001_a.up.sql)"
        );
        assert_eq!(
            error("start", &[("0002_b.up.sql", b"")]),
            "DIR/0002_b.up.sql: version 0001 is missing before it (versions start at 0001)"
        );
    }

    #[test]
    fn a_duplicate_version_names_both_files() {
        assert_eq!(
            error("dup", &[("0001_a.up.sql", b""), ("0001_b.up.sql", b"")]),
            "DIR/0001_a.up.sql and DIR/0001_b.up.sql both claim version 0001"
        );
        assert_eq!(
            error("dup_digits", &[("0001_a.up.sql", b""), ("1_a.up.sql", b"")]),
            "DIR/0001_a.up.sql and DIR/1_a.up.sql both claim version 0001"
        );
        assert_eq!(
            error(
                "dup_down",
                &[("0001_a.up.sql", b""), ("0001_b.down.sql", b"")]
            ),
            "DIR/0001_a.up.sql and DIR/0001_b.down.sql both claim version 0001"
        );
    }

    #[test]
    fn a_sql_file_off_the_pattern_is_an_error() {
        for name in [
            "0001_a.sql",
            "init.up.sql",
            "0001.up.sql",
            "0001_a b.up.sql",
            "x1_a.up.sql",
        ] {
            assert_eq!(
                error("pattern", &[(name, b"")]),
                format!(
                    "DIR/{name}: not a migration file name (expected NNNN_name.up.sql or NNNN_name.down.sql)"
                )
            );
        }
        assert_eq!(
            error("zero", &[("0000_a.up.sql", b"")]),
            "DIR/0000_a.up.sql: version 0 is reserved (it means \"no migration applied\")"
        );
    }

    #[test]
    fn a_down_without_up_and_a_non_utf8_file_are_named() {
        assert_eq!(
            error("orphan", &[("0001_a.down.sql", b"")]),
            "DIR/0001_a.down.sql: a down migration without its up migration"
        );
        assert_eq!(
            error("latin1", &[("0001_a.up.sql", b"SELECT 'caf\xe9';")]),
            "DIR/0001_a.up.sql: not valid UTF-8"
        );
    }

    #[test]
    fn a_missing_directory_is_an_error() {
        let e = discover(Path::new("/nonexistent/schemagate-migrations"), NATIVE).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot read the migrations directory /nonexistent/schemagate-migrations"
        );
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let dir = Dir::new("bom", &[("0001_a.up.sql", "\u{feff}SELECT 1;".as_bytes())]);
        let m = &discover(&dir.0, NATIVE).unwrap()[0];
        assert_eq!(m.up.sql, "SELECT 1;");
        assert_eq!(m.checksum, checksum("SELECT 1;"));
    }
}

#[cfg(test)]
mod format_tests;
