//! Finds a directory's migrations: `discover(dir, format)`, the one entry
//! point every command goes through. It detects the layout (or takes the one
//! given) and dispatches to that format's reader in [`super::formats`]; the
//! result is the same [`Migration`] list whatever the tool that wrote it.

use std::ops::Range;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::formats::{self, MigrationFormat};
use super::split::{split, Statement};
use super::version::{display_id, MigrationKind, Version};
use super::{transaction, MigrateError};

/// A first line that makes a file run statement by statement, outside a
/// transaction (for `CREATE INDEX CONCURRENTLY` and the like).
pub const NO_TRANSACTION_MARKER: &str = "-- schemagate:no-transaction";

/// Which way a file goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// The SQL of one direction of a migration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrationFile {
    pub path: PathBuf,
    /// The file's text, without a leading byte-order mark. For formats that
    /// keep both directions in one file (dbmate, sql-migrate) everything
    /// outside this direction's sections is blanked to spaces, line breaks
    /// kept, so that offsets, lines and columns are those of the file.
    pub sql: String,
    /// Runs statement by statement outside a transaction (the format's
    /// marker, or Flyway's and golang-migrate's detection).
    pub no_transaction: bool,
    pub format: MigrationFormat,
    pub direction: Direction,
    /// Byte ranges of `sql` that run as one statement whatever semicolons
    /// they hold (sql-migrate's `StatementBegin` / `StatementEnd`).
    pub blocks: Vec<Range<usize>>,
}

impl MigrationFile {
    /// A file of `format` with nothing blanked and no marker read yet.
    pub(crate) fn new(
        path: PathBuf,
        sql: String,
        format: MigrationFormat,
        direction: Direction,
    ) -> MigrationFile {
        MigrationFile {
            path,
            sql,
            no_transaction: false,
            format,
            direction,
            blocks: Vec::new(),
        }
    }

    /// The statements to run, in order: the file split at top-level
    /// semicolons, with each of [`MigrationFile::blocks`] kept whole.
    pub fn statements(&self) -> Vec<Statement> {
        let split = split(&self.sql);
        if self.blocks.is_empty() {
            return split;
        }
        let mut out: Vec<Statement> = Vec::with_capacity(split.len());
        for statement in split {
            let block = self
                .blocks
                .iter()
                .find(|b| b.start <= statement.start && statement.start < b.end);
            match (block, out.last_mut()) {
                (Some(b), Some(last)) if b.start <= last.start && last.start < b.end => {
                    last.end = statement.end;
                }
                _ => out.push(statement),
            }
        }
        out
    }

    /// What to add so that this file runs outside a transaction, in its
    /// format's own terms.
    pub fn no_transaction_hint(&self) -> String {
        self.format.no_transaction_hint(&self.path, self.direction)
    }
}

/// A migration: its up file and, usually, its down file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Migration {
    /// Orders the migrations; its text is what the tracking table stores.
    pub version: Version,
    pub name: String,
    pub up: MigrationFile,
    pub down: Option<MigrationFile>,
    /// [`checksum`] of the up SQL (for a one-file format, of its up section).
    pub checksum: String,
}

impl Migration {
    /// `0003_workflows`, `1.2.3_add_users`, `R__views`.
    pub fn id(&self) -> String {
        display_id(self.version.text(), &self.name)
    }

    /// The up file runs outside a transaction.
    pub fn no_transaction(&self) -> bool {
        self.up.no_transaction
    }

    pub fn kind(&self) -> MigrationKind {
        self.version.kind()
    }

    pub fn format(&self) -> MigrationFormat {
        self.up.format
    }
}

/// SHA-256 (lowercase hex) of the text with CRLF and CR normalised to LF, so
/// a checkout with other line endings does not look like an edited file.
pub fn checksum(sql: &str) -> String {
    let normalised = sql.replace("\r\n", "\n").replace('\r', "\n");
    let digest = Sha256::digest(normalised.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a file as UTF-8 without a leading byte-order mark.
pub(crate) fn read_text(path: &Path) -> Result<String, MigrateError> {
    let bytes = std::fs::read(path).map_err(|source| MigrateError::ReadFile {
        file: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| MigrateError::NotUtf8 {
        file: path.to_path_buf(),
    })?;
    // The server rejects a byte-order mark, and editors never count it.
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// The visible entries of `dir` (no dot files) as (file name, path), sorted
/// by name so that the first error reported does not depend on the order
/// the file system lists the directory in. A `.sql` name that is not UTF-8
/// is an error; other such names are skipped.
pub(crate) fn list_dir(dir: &Path) -> Result<Vec<(String, PathBuf)>, MigrateError> {
    let read_dir = |source| MigrateError::ReadDir {
        dir: dir.to_path_buf(),
        source,
    };
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_dir)? {
        let entry = entry.map_err(read_dir)?;
        let path = entry.path();
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            if path.extension().is_some_and(|e| e == "sql") {
                return Err(MigrateError::BadFileName { file: path });
            }
            continue;
        };
        if file_name.starts_with('.') {
            continue;
        }
        entries.push((file_name.to_string(), path));
    }
    entries.sort();
    Ok(entries)
}

/// Reads the migrations in `dir` in the layout `format` (detected from the
/// directory if `None`, see [`formats::detect`]), ordered as that tool
/// orders them: by version, ties broken by full file name, Flyway's
/// repeatable migrations last.
///
/// Every file is checked before anything runs: a statement that cannot run
/// inside a transaction in a file not marked for it, and BEGIN/COMMIT in a
/// file that runs in a transaction, are errors naming file and line.
pub fn discover(
    dir: &Path,
    format: Option<MigrationFormat>,
) -> Result<Vec<Migration>, MigrateError> {
    let format = match format {
        Some(f) => f,
        None => formats::detect(dir)?,
    };
    let mut migrations = formats::read(dir, format)?;
    migrations.sort_by(|a, b| a.version.cmp(&b.version));
    for m in &mut migrations {
        transaction::check_file(&mut m.up, None)?;
        if let Some(down) = &mut m.down {
            transaction::check_file(down, None)?;
        }
    }
    Ok(migrations)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn checksums_ignore_line_endings() {
        let lf = checksum("SELECT 1;\nSELECT 2;\n");
        assert_eq!(lf, checksum("SELECT 1;\r\nSELECT 2;\r\n"));
        assert_eq!(lf, checksum("SELECT 1;\rSELECT 2;\r"));
        assert_ne!(lf, checksum("SELECT 1;\nSELECT 3;\n"));
        assert_eq!(
            checksum(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
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
