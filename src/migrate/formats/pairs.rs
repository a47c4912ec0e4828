//! The `<version>_name.up.sql` + `.down.sql` family: native, sqlx and
//! golang-migrate.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{migration, read_file, MigrationFormat};
use crate::migrate::discover::{list_dir, Direction, Migration};
use crate::migrate::split::{first_keyword, split};
use crate::migrate::version::{display, Version};
use crate::migrate::{MigrateError, NO_TRANSACTION_MARKER};

/// sqlx's marker: a file that begins with it runs outside a transaction.
pub(crate) const SQLX_NO_TRANSACTION: &str = "-- no-transaction";

/// A file of the family: `up`, `down`, or sqlx's one-file `<version>_name.sql`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Up,
    Down,
    Simple,
}

struct Name<'a> {
    digits: &'a str,
    name: &'a str,
    slot: Slot,
}

/// `0003_workflows.up.sql` -> ("0003", "workflows", Up).
fn parse(file_name: &str, simple_allowed: bool) -> Option<Name<'_>> {
    let (stem, slot) = if let Some(s) = file_name.strip_suffix(".up.sql") {
        (s, Slot::Up)
    } else if let Some(s) = file_name.strip_suffix(".down.sql") {
        (s, Slot::Down)
    } else if let Some(s) = file_name.strip_suffix(".sql").filter(|_| simple_allowed) {
        (s, Slot::Simple)
    } else {
        return None;
    };
    let (digits, name) = stem.split_once('_')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(Name { digits, name, slot })
}

struct Pair {
    name: String,
    up: Option<PathBuf>,
    down: Option<PathBuf>,
    simple: bool,
}

/// Groups the `.sql` files of `dir` by version. `check` turns a name into
/// its version or says why it is not one (`None` for `bad_name`).
fn group(
    dir: &Path,
    simple_allowed: bool,
    check: impl Fn(&Name<'_>, &Path) -> Result<Option<Version>, MigrateError>,
    bad_name: impl Fn(PathBuf) -> MigrateError,
) -> Result<BTreeMap<Version, Pair>, MigrateError> {
    let mut by_version: BTreeMap<Version, Pair> = BTreeMap::new();
    // Keyed by text too: `3_a` and `0003_a` are one version.
    let mut texts: BTreeMap<String, Version> = BTreeMap::new();
    for (file_name, path) in list_dir(dir)? {
        if !file_name.ends_with(".sql") || path.is_dir() {
            continue;
        }
        let Some(name) = parse(&file_name, simple_allowed) else {
            return Err(bad_name(path));
        };
        let Some(version) = check(&name, &path)? else {
            return Err(bad_name(path));
        };
        let version = texts
            .entry(version.text().to_string())
            .or_insert(version)
            .clone();
        let pair = by_version.entry(version.clone()).or_insert_with(|| Pair {
            name: name.name.to_string(),
            up: None,
            down: None,
            simple: false,
        });
        let existing = pair.up.as_ref().or(pair.down.as_ref()).cloned();
        let slot = match name.slot {
            Slot::Up | Slot::Simple => &mut pair.up,
            Slot::Down => &mut pair.down,
        };
        // Same version under another name, the same slot twice (`3_a.up.sql`
        // and `0003_a.up.sql`), or a one-file migration beside a pair.
        let simple_clash = pair.simple || (name.slot == Slot::Simple && existing.is_some());
        if let (Some(first), true) = (
            existing,
            pair.name != name.name || slot.is_some() || simple_clash,
        ) {
            return Err(MigrateError::DuplicateVersion {
                version: display(version.text()),
                first: slot.clone().unwrap_or(first),
                second: path,
            });
        }
        *slot = Some(path);
        pair.simple |= name.slot == Slot::Simple;
    }
    Ok(by_version)
}

/// The pairs as migrations of `format`, in version order.
fn migrations(
    by_version: BTreeMap<Version, Pair>,
    format: MigrationFormat,
) -> Result<Vec<Migration>, MigrateError> {
    let mut out = Vec::with_capacity(by_version.len());
    for (version, pair) in by_version {
        let Some(up_path) = pair.up else {
            let file = pair.down.expect("a pair holds at least one file");
            return Err(MigrateError::DownWithoutUp { file });
        };
        let up = read_file(&up_path, format, Direction::Up)?;
        let down = pair
            .down
            .as_deref()
            .map(|p| read_file(p, format, Direction::Down))
            .transpose()?;
        out.push(migration(version, pair.name, up, down));
    }
    Ok(out)
}

/// schemagate's own layout: `NNNN_name.up.sql` + `NNNN_name.down.sql`,
/// versions 1, 2, 3 … without gaps; `-- schemagate:no-transaction` as the
/// first line runs a file outside a transaction.
///
/// Files not ending in `.sql`, hidden files and subdirectories are ignored;
/// a `.sql` file that does not fit the pattern is an error, as are a gap or
/// a duplicate in the versions (which must start at 1), a down file without
/// its up file, and an unreadable or non-UTF-8 file. A missing down file is
/// allowed until something tries to revert that migration.
pub(super) fn read_native(dir: &Path) -> Result<Vec<Migration>, MigrateError> {
    let by_version = group(
        dir,
        false,
        |n, path| {
            let valid_name = !n.name.is_empty()
                && n.name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            // Versions stay within bigint, as the tracking table once stored them.
            let Ok(number) = n.digits.parse::<i64>() else {
                return Ok(None);
            };
            if !valid_name {
                return Ok(None);
            }
            if number == 0 {
                return Err(MigrateError::ReservedVersion {
                    file: path.to_path_buf(),
                });
            }
            Ok(Version::numeric(&[n.digits], n.digits))
        },
        |file| MigrateError::BadFileName { file },
    )?;
    let mut previous: Option<(u64, PathBuf)> = None;
    for (version, pair) in &by_version {
        let number = version.as_u64().expect("native versions are bigint");
        let expected = previous.as_ref().map_or(1, |(v, _)| v + 1);
        let Some(up) = &pair.up else {
            break; // reported below as a down file without its up file
        };
        if number != expected {
            return Err(MigrateError::Gap {
                missing: expected,
                file: up.clone(),
                previous: previous.map(|(_, p)| p),
            });
        }
        previous = Some((number, up.clone()));
    }
    let mut out = migrations(by_version, MigrationFormat::Native)?;
    for m in &mut out {
        for file in std::iter::once(&mut m.up).chain(m.down.as_mut()) {
            let first_line = file.sql.lines().next().unwrap_or("");
            file.no_transaction = first_line.trim_end() == NO_TRANSACTION_MARKER;
        }
    }
    Ok(out)
}

/// sqlx: `<version>_name.up.sql` + `.down.sql`, or a one-file
/// `<version>_name.sql` that cannot be reverted; versions are any
/// non-negative bigint (timestamps); a file beginning with
/// `-- no-transaction` runs outside a transaction.
pub(super) fn read_sqlx(dir: &Path) -> Result<Vec<Migration>, MigrateError> {
    let by_version = group(
        dir,
        true,
        |n, _| {
            let fits = n.digits.parse::<i64>().is_ok() && !n.name.is_empty();
            Ok(Version::numeric(&[n.digits], n.digits).filter(|_| fits))
        },
        |file| MigrateError::NotAMigration {
            file,
            format: MigrationFormat::Sqlx,
            expected: "VERSION_name.up.sql, VERSION_name.down.sql or VERSION_name.sql",
        },
    )?;
    let mut out = migrations(by_version, MigrationFormat::Sqlx)?;
    for m in &mut out {
        for file in std::iter::once(&mut m.up).chain(m.down.as_mut()) {
            file.no_transaction = file.sql.starts_with(SQLX_NO_TRANSACTION);
        }
    }
    Ok(out)
}

/// golang-migrate: `<version>_title.up.sql` + `<version>_title.down.sql`,
/// versions any unsigned number, gaps allowed. golang-migrate does not wrap
/// a file in a transaction, so files often do it themselves: a leading
/// `BEGIN;` and trailing `COMMIT;` are dropped (blanked) and the file runs
/// in schemagate's transaction instead.
pub(super) fn read_golang(dir: &Path) -> Result<Vec<Migration>, MigrateError> {
    let by_version = group(
        dir,
        false,
        |n, _| {
            let fits = n.digits.parse::<u64>().is_ok();
            Ok(Version::numeric(&[n.digits], n.digits).filter(|_| fits))
        },
        |file| MigrateError::NotAMigration {
            file,
            format: MigrationFormat::GolangMigrate,
            expected: "VERSION_title.up.sql or VERSION_title.down.sql",
        },
    )?;
    let mut out = migrations(by_version, MigrationFormat::GolangMigrate)?;
    for m in &mut out {
        for file in std::iter::once(&mut m.up).chain(m.down.as_mut()) {
            strip_own_transaction(&mut file.sql);
        }
    }
    Ok(out)
}

/// Blanks a first `BEGIN`/`START TRANSACTION` and last `COMMIT`/`END`
/// statement when both are there; positions of the rest do not move.
fn strip_own_transaction(sql: &mut String) {
    let statements = split(sql);
    let (Some(first), Some(last)) = (statements.first(), statements.last()) else {
        return;
    };
    if statements.len() < 2 {
        return;
    }
    let opens = matches!(first_keyword(first.text(sql)).as_str(), "BEGIN" | "START");
    let closes = matches!(first_keyword(last.text(sql)).as_str(), "COMMIT" | "END");
    if opens && closes {
        let (first, last) = (*first, *last);
        blank(sql, first.start..first.end);
        blank(sql, last.start..last.end);
    }
}

fn blank(sql: &mut String, range: std::ops::Range<usize>) {
    let spaces: String = sql[range.clone()]
        .chars()
        .map(|c| if c == '\n' || c == '\r' { c } else { ' ' })
        .collect();
    sql.replace_range(range, &spaces);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_begin_commit_wrapper_is_blanked_in_place() {
        let mut sql = "BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\n".to_string();
        strip_own_transaction(&mut sql);
        assert_eq!(sql, "      \nCREATE TABLE t (id int);\n       \n");
        let mut half = "BEGIN;\nCREATE TABLE t (id int);\n".to_string();
        strip_own_transaction(&mut half);
        assert!(half.starts_with("BEGIN;"));
    }
}
