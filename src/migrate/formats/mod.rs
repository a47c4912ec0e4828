//! The migration directory layouts schemagate reads, and how it tells them
//! apart: `detect(dir)`, then `read(dir, format)`.
//!
//! | format | files | no-transaction marker |
//! |---|---|---|
//! | native | `0001_name.up.sql` + `.down.sql`, versions 1, 2, 3 … | first line `-- schemagate:no-transaction` |
//! | sqlx | `<version>_name.up.sql` + `.down.sql`, or `<version>_name.sql` (no down) | first line `-- no-transaction` |
//! | golang-migrate | `<version>_name.up.sql` + `.down.sql` | none: a file of one such statement runs outside |
//! | diesel | `<version>_name/up.sql`, `down.sql`, `metadata.toml` | `run_in_transaction = false` in metadata.toml |
//! | dbmate | `<version>_name.sql` with `-- migrate:up` / `-- migrate:down` | `transaction:false` on the marker |
//! | sql-migrate | `*.sql` with `-- +migrate Up` / `-- +migrate Down` | `notransaction` on the marker |
//! | flyway | `V1.2__name.sql`, undo `U1.2__name.sql`, repeatable `R__name.sql` | `executeInTransaction=false` in `V1.2__name.sql.conf`; a file of only such statements runs outside |

use std::fmt;
use std::path::{Path, PathBuf};

use super::discover::{list_dir, read_text, Direction, Migration, MigrationFile};
use super::split::{first_keyword, split};
use super::version::Version;
use super::{checksum, MigrateError};

mod dbmate;
mod diesel;
mod flyway;
mod pairs;
mod sections;
mod sql_migrate;

/// A migration directory layout (`--format-migrations`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MigrationFormat {
    /// schemagate's own: NNNN_name.up.sql + NNNN_name.down.sql, no gaps.
    Native,
    /// sqlx: VERSION_name.up.sql + .down.sql, or VERSION_name.sql.
    Sqlx,
    /// golang-migrate: VERSION_name.up.sql + VERSION_name.down.sql.
    GolangMigrate,
    /// Diesel: VERSION_name/up.sql, down.sql, metadata.toml.
    Diesel,
    /// dbmate: VERSION_name.sql with -- migrate:up / -- migrate:down.
    Dbmate,
    /// sql-migrate: NAME.sql with -- +migrate Up / -- +migrate Down.
    SqlMigrate,
    /// Flyway: V1.2__name.sql, U1.2__name.sql (undo), R__name.sql (repeatable).
    Flyway,
}

impl MigrationFormat {
    /// Every value with its command-line name and a one-line help, for the
    /// CLI's parser (the library does not depend on clap).
    pub const VALUES: &'static [(MigrationFormat, &'static str, &'static str)] = &[
        (
            MigrationFormat::Native,
            "native",
            "schemagate's own: NNNN_name.up.sql + NNNN_name.down.sql, no gaps.",
        ),
        (
            MigrationFormat::Sqlx,
            "sqlx",
            "sqlx: VERSION_name.up.sql + .down.sql, or VERSION_name.sql.",
        ),
        (
            MigrationFormat::GolangMigrate,
            "golang-migrate",
            "golang-migrate: VERSION_name.up.sql + VERSION_name.down.sql.",
        ),
        (
            MigrationFormat::Diesel,
            "diesel",
            "Diesel: VERSION_name/up.sql, down.sql, metadata.toml.",
        ),
        (
            MigrationFormat::Dbmate,
            "dbmate",
            "dbmate: VERSION_name.sql with -- migrate:up / -- migrate:down.",
        ),
        (
            MigrationFormat::SqlMigrate,
            "sql-migrate",
            "sql-migrate: NAME.sql with -- +migrate Up / -- +migrate Down.",
        ),
        (
            MigrationFormat::Flyway,
            "flyway",
            "Flyway: V1.2__name.sql, U1.2__name.sql (undo), R__name.sql (repeatable).",
        ),
    ];
}

impl MigrationFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            MigrationFormat::Native => "native",
            MigrationFormat::Sqlx => "sqlx",
            MigrationFormat::GolangMigrate => "golang-migrate",
            MigrationFormat::Diesel => "diesel",
            MigrationFormat::Dbmate => "dbmate",
            MigrationFormat::SqlMigrate => "sql-migrate",
            MigrationFormat::Flyway => "flyway",
        }
    }

    /// The tool runs a file outside a transaction by itself when every
    /// statement in it needs that (Flyway detects it; golang-migrate sends
    /// a file as one request, and a single statement is not in a block).
    pub(crate) fn detects_no_transaction(self) -> bool {
        matches!(
            self,
            MigrationFormat::Flyway | MigrationFormat::GolangMigrate
        )
    }

    /// What to do so that `file` runs outside a transaction.
    pub(crate) fn no_transaction_hint(self, file: &Path, direction: Direction) -> String {
        let up = direction == Direction::Up;
        match self {
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
                file.with_file_name("metadata.toml").display()
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
                file.display()
            ),
        }
    }
}

impl fmt::Display for MigrationFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Reads `dir` as `format`; unordered.
pub(crate) fn read(dir: &Path, format: MigrationFormat) -> Result<Vec<Migration>, MigrateError> {
    match format {
        MigrationFormat::Native => pairs::read_native(dir),
        MigrationFormat::Sqlx => pairs::read_sqlx(dir),
        MigrationFormat::GolangMigrate => pairs::read_golang(dir),
        MigrationFormat::Diesel => diesel::read(dir),
        MigrationFormat::Dbmate => dbmate::read(dir),
        MigrationFormat::SqlMigrate => sql_migrate::read(dir),
        MigrationFormat::Flyway => flyway::read(dir),
    }
}

/// Which layout `dir` is in, from its file names and markers:
///
/// 1. a subdirectory holding `up.sql`: diesel;
/// 2. a `V…__`, `U…__` or `R__` file (also in subdirectories): flyway;
/// 3. a `-- migrate:up` line: dbmate; a `-- +migrate Up` line: sql-migrate;
/// 4. `.up.sql` / `.down.sql` and `<version>_name.sql` files: sqlx if all
///    are one-file `<version>_name.sql` or one has a `-- no-transaction`
///    first line; native if there is a `-- schemagate:no-transaction` first line,
///    if every version is written with four digits, or if the versions are
///    1, 2, 3 …; golang-migrate if a file wraps itself in BEGIN/COMMIT or
///    the versions have gaps (timestamps);
/// 5. anything else (an empty directory): native.
pub fn detect(dir: &Path) -> Result<MigrationFormat, MigrateError> {
    let entries = list_dir(dir)?;
    if entries
        .iter()
        .any(|(_, path)| path.is_dir() && path.join("up.sql").is_file())
    {
        return Ok(MigrationFormat::Diesel);
    }
    if has_flyway_name(&entries, 0) {
        return Ok(MigrationFormat::Flyway);
    }
    let sql: Vec<&(String, PathBuf)> = entries
        .iter()
        .filter(|(name, path)| name.ends_with(".sql") && path.is_file())
        .collect();
    let texts: Vec<(&str, String)> = sql
        .iter()
        .filter_map(|(name, path)| Some((name.as_str(), read_text(path).ok()?)))
        .collect();
    for (_, text) in &texts {
        if text.lines().any(|l| dbmate::up_marker(l).is_some()) {
            return Ok(MigrationFormat::Dbmate);
        }
        if text.lines().any(sql_migrate::is_marker) {
            return Ok(MigrationFormat::SqlMigrate);
        }
    }
    let first_line = |text: &str| text.lines().next().unwrap_or("").trim_end().to_string();
    let mut versions: Vec<(String, u64)> = Vec::new();
    let mut simple = 0;
    for (name, _) in &sql {
        let Some((digits, rest)) = name.split_once('_') else {
            continue;
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if !rest.ends_with(".up.sql") && !rest.ends_with(".down.sql") {
            simple += 1;
        }
        versions.push((digits.to_string(), digits.parse().unwrap_or(u64::MAX)));
    }
    // Only one-file migrations: sqlx. Beside pairs, a `0002_b.sql` is more
    // likely a native file missing its `.up` (reported as such).
    if (simple > 0 && simple == sql.len())
        || texts
            .iter()
            .any(|(_, t)| first_line(t).starts_with(pairs::SQLX_NO_TRANSACTION))
    {
        return Ok(MigrationFormat::Sqlx);
    }
    if texts
        .iter()
        .any(|(_, t)| first_line(t) == super::NO_TRANSACTION_MARKER)
    {
        return Ok(MigrationFormat::Native);
    }
    if texts.iter().any(|(_, t)| {
        split(t)
            .first()
            .is_some_and(|s| matches!(first_keyword(s.text(t)).as_str(), "BEGIN" | "START"))
    }) {
        return Ok(MigrationFormat::GolangMigrate);
    }
    let four_digits = versions.iter().all(|(d, _)| d.len() == 4);
    let mut numbers: Vec<u64> = versions.iter().map(|(_, n)| *n).collect();
    numbers.sort_unstable();
    numbers.dedup();
    let sequential = numbers.iter().enumerate().all(|(i, n)| *n == i as u64 + 1);
    if four_digits || sequential {
        Ok(MigrationFormat::Native)
    } else {
        Ok(MigrationFormat::GolangMigrate)
    }
}

/// A Flyway file name anywhere below (a few levels deep).
fn has_flyway_name(entries: &[(String, PathBuf)], depth: usize) -> bool {
    entries.iter().any(|(name, path)| {
        if path.is_dir() {
            depth < 4 && list_dir(path).is_ok_and(|e| has_flyway_name(&e, depth + 1))
        } else {
            flyway::parse_name(name).is_some()
        }
    })
}

/// A file read whole as `format` (nothing blanked).
pub(crate) fn read_file(
    path: &Path,
    format: MigrationFormat,
    direction: Direction,
) -> Result<MigrationFile, MigrateError> {
    Ok(MigrationFile::new(
        path.to_path_buf(),
        read_text(path)?,
        format,
        direction,
    ))
}

/// A versioned migration of `up` and `down`, its checksum over `up`.
pub(crate) fn migration(
    version: Version,
    name: String,
    up: MigrationFile,
    down: Option<MigrationFile>,
) -> Migration {
    Migration {
        version,
        name,
        checksum: checksum(&up.sql),
        up,
        down,
    }
}

/// Finds two migrations claiming the same version; `migrations` is sorted.
pub(crate) fn no_duplicates(migrations: &[Migration]) -> Result<(), MigrateError> {
    let mut by_text: Vec<&Migration> = migrations.iter().collect();
    by_text.sort_by(|a, b| {
        a.version
            .text()
            .cmp(b.version.text())
            .then_with(|| a.up.path.cmp(&b.up.path))
    });
    for pair in by_text.windows(2) {
        if pair[0].version.text() == pair[1].version.text() {
            return Err(MigrateError::DuplicateVersion {
                version: pair[0].version.to_string(),
                first: pair[0].up.path.clone(),
                second: pair[1].up.path.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
