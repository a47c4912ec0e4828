//! Finds the migration files in a directory: `discover(dir)`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::MigrateError;

/// A first line that makes a file run statement by statement, outside a
/// transaction (for `CREATE INDEX CONCURRENTLY` and the like).
pub const NO_TRANSACTION_MARKER: &str = "-- schemagate:no-transaction";

/// One `.sql` file of a migration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrationFile {
    pub path: PathBuf,
    /// The file's text, without a leading byte-order mark.
    pub sql: String,
    /// The first line is [`NO_TRANSACTION_MARKER`].
    pub no_transaction: bool,
}

/// A numbered migration: its up file and, usually, its down file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Migration {
    pub version: u64,
    pub name: String,
    pub up: MigrationFile,
    pub down: Option<MigrationFile>,
    /// [`checksum`] of the up file.
    pub checksum: String,
}

impl Migration {
    /// `0003_workflows`.
    pub fn id(&self) -> String {
        format!("{:04}_{}", self.version, self.name)
    }

    /// The up file runs outside a transaction.
    pub fn no_transaction(&self) -> bool {
        self.up.no_transaction
    }
}

/// SHA-256 (lowercase hex) of the text with CRLF and CR normalised to LF, so
/// a checkout with other line endings does not look like an edited file.
pub fn checksum(sql: &str) -> String {
    let normalised = sql.replace("\r\n", "\n").replace('\r', "\n");
    let digest = Sha256::digest(normalised.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

enum Direction {
    Up,
    Down,
}

/// `0003_workflows.up.sql` -> (3, "workflows", Up); `None` if the name does
/// not fit the pattern.
fn parse_name(file_name: &str) -> Option<(u64, &str, Direction)> {
    let (stem, direction) = if let Some(s) = file_name.strip_suffix(".up.sql") {
        (s, Direction::Up)
    } else if let Some(s) = file_name.strip_suffix(".down.sql") {
        (s, Direction::Down)
    } else {
        return None;
    };
    let (digits, name) = stem.split_once('_')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let valid_name = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !valid_name {
        return None;
    }
    // The tracking table stores versions as bigint.
    let version: i64 = digits.parse().ok()?;
    Some((version as u64, name, direction))
}

fn read(path: &Path) -> Result<MigrationFile, MigrateError> {
    let bytes = std::fs::read(path).map_err(|source| MigrateError::ReadFile {
        file: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| MigrateError::NotUtf8 {
        file: path.to_path_buf(),
    })?;
    // The server rejects a byte-order mark, and editors never count it.
    let sql = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let first_line = sql.lines().next().unwrap_or("");
    Ok(MigrationFile {
        path: path.to_path_buf(),
        no_transaction: first_line.trim_end() == NO_TRANSACTION_MARKER,
        sql,
    })
}

/// Reads the migrations in `dir`, ordered by version.
///
/// Files not ending in `.sql`, hidden files and subdirectories are ignored;
/// a `.sql` file that does not fit the pattern is an error, as are a gap or
/// a duplicate in the versions (which must start at 1), a down file without
/// its up file, and an unreadable or non-UTF-8 file. A missing down file is
/// allowed until something tries to revert that migration.
pub fn discover(dir: &Path) -> Result<Vec<Migration>, MigrateError> {
    let read_dir = |source| MigrateError::ReadDir {
        dir: dir.to_path_buf(),
        source,
    };
    let mut paths = Vec::new();
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
        if file_name.starts_with('.') || !file_name.ends_with(".sql") || path.is_dir() {
            continue;
        }
        paths.push((file_name.to_string(), path));
    }
    // Sorted so that the first error reported does not depend on the order
    // the file system lists the directory in.
    paths.sort();

    struct Pair {
        name: String,
        up: Option<PathBuf>,
        down: Option<PathBuf>,
    }
    let mut by_version: BTreeMap<u64, Pair> = BTreeMap::new();
    for (file_name, path) in paths {
        let Some((version, name, direction)) = parse_name(&file_name) else {
            return Err(MigrateError::BadFileName { file: path });
        };
        if version == 0 {
            return Err(MigrateError::ReservedVersion { file: path });
        }
        let pair = by_version.entry(version).or_insert_with(|| Pair {
            name: name.to_string(),
            up: None,
            down: None,
        });
        let existing = pair.up.as_ref().or(pair.down.as_ref()).cloned();
        let slot = match direction {
            Direction::Up => &mut pair.up,
            Direction::Down => &mut pair.down,
        };
        // Same version under another name, or the same slot twice
        // (`3_a.up.sql` and `0003_a.up.sql`).
        if let (Some(first), true) = (existing, pair.name != name || slot.is_some()) {
            return Err(MigrateError::DuplicateVersion {
                version,
                first: slot.clone().unwrap_or(first),
                second: path,
            });
        }
        *slot = Some(path);
    }

    let mut migrations: Vec<Migration> = Vec::with_capacity(by_version.len());
    for (version, pair) in by_version {
        let Some(up_path) = pair.up else {
            let file = pair.down.expect("a pair holds at least one file");
            return Err(MigrateError::DownWithoutUp { file });
        };
        let expected = migrations.last().map_or(1, |m| m.version + 1);
        if version != expected {
            return Err(MigrateError::Gap {
                missing: expected,
                file: up_path,
                previous: migrations.last().map(|m| m.up.path.clone()),
            });
        }
        let up = read(&up_path)?;
        let down = pair.down.as_deref().map(read).transpose()?;
        migrations.push(Migration {
            version,
            name: pair.name,
            checksum: checksum(&up.sql),
            up,
            down,
        });
    }
    Ok(migrations)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let e = discover(&dir.0).unwrap_err();
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
        let found = discover(&dir.0).unwrap();
        let ids: Vec<String> = found.iter().map(Migration::id).collect();
        assert_eq!(ids, ["0001_a", "0002_b"]);
        assert!(found[0].no_transaction());
        assert!(!found[1].no_transaction());
        assert_eq!(found[1].down.as_ref().unwrap().sql, "SELECT -2;");
    }

    #[test]
    fn a_missing_down_file_is_allowed() {
        let dir = Dir::new("nodown", &[("0001_a.up.sql", b"SELECT 1;")]);
        assert!(discover(&dir.0).unwrap()[0].down.is_none());
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
        let e = discover(Path::new("/nonexistent/schemagate-migrations")).unwrap_err();
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
        let m = &discover(&dir.0).unwrap()[0];
        assert_eq!(m.up.sql, "SELECT 1;");
        assert_eq!(m.checksum, checksum("SELECT 1;"));
    }
}
