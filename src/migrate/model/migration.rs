//! A migration and its files, as read from disk and before anything runs:
//! the value every later stage passes around. Part of the model layer (a
//! leaf).

use std::ops::Range;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use super::format::MigrationFormat;
use super::version::{display_id, MigrationKind, Version};

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
    /// How this file runs differently from what its text suggests, in the
    /// tool's own way (dbmate's repeated markers, golang-migrate's file sent
    /// as one query): shown as warnings before it runs.
    pub notes: Vec<String>,
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
            notes: Vec::new(),
        }
    }

    /// What to add so that this file runs outside a transaction, in its
    /// format's own terms.
    pub fn no_transaction_hint(&self) -> String {
        let up = self.direction == Direction::Up;
        match self.format {
            MigrationFormat::Native => {
                "make `-- schemagate:no-transaction` the first line of the file".to_string()
            }
            MigrationFormat::Sqlx => {
                "make `-- no-transaction` the first line of the file (sqlx)".to_string()
            }
            MigrationFormat::GolangMigrate => "move the statement into a migration of its own \
                 (golang-migrate has no marker; a file holding only such a statement runs \
                 outside a transaction)"
                .to_string(),
            MigrationFormat::Diesel => format!(
                "add `run_in_transaction = false` to {}",
                self.path.with_file_name("metadata.toml").display()
            ),
            MigrationFormat::Dbmate => format!(
                "add `transaction:false` to its marker: `-- migrate:{} transaction:false`",
                if up { "up" } else { "down" }
            ),
            MigrationFormat::SqlMigrate => format!(
                "add `notransaction` to its marker: `-- +migrate {} notransaction`",
                if up { "Up" } else { "Down" }
            ),
            MigrationFormat::Flyway => format!(
                "add `executeInTransaction=false` to {}.conf, or move the statement into a \
                 migration of its own (Flyway runs a migration outside a transaction when \
                 all its statements need that)",
                self.path.display()
            ),
        }
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

    /// The notes of its files, each prefixed with the file.
    pub fn warnings(&self) -> Vec<String> {
        std::iter::once(&self.up)
            .chain(self.down.as_ref())
            .flat_map(|f| f.notes.iter().map(|n| format!("{}: {n}", f.path.display())))
            .collect()
    }
}

/// SHA-256 (lowercase hex) of the text with CRLF and CR normalised to LF, so
/// a checkout with other line endings does not look like an edited file.
pub fn checksum(sql: &str) -> String {
    let normalised = sql.replace("\r\n", "\n").replace('\r', "\n");
    let digest = Sha256::digest(normalised.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
