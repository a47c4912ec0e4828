//! Tells the migration directory layouts apart from file names and markers.

use std::path::{Path, PathBuf};

use super::formats::{dbmate, flyway, sql_migrate, sqlx};
use crate::migrate::model::{MigrateError, MigrationFormat, NO_TRANSACTION_MARKER};
use crate::migrate::sources::files::{list_dir, read_text};
use crate::migrate::sql::split::{first_keyword, split};

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
            .any(|(_, t)| first_line(t).starts_with(sqlx::SQLX_NO_TRANSACTION))
    {
        return Ok(MigrationFormat::Sqlx);
    }
    if texts
        .iter()
        .any(|(_, t)| first_line(t) == NO_TRANSACTION_MARKER)
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
