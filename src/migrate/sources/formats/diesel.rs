//! Diesel: one directory per migration, `<version>_name/` holding `up.sql`,
//! usually `down.sql`, and optionally `metadata.toml` whose
//! `run_in_transaction = false` runs both files outside a transaction.
//!
//! The version is the directory name up to its first `_` with the dashes of
//! Diesel's default `%Y-%m-%d-%H%M%S` removed (`2024-01-31-120000` ->
//! `20240131120000`), as Diesel itself does; and as Diesel (2.x) does,
//! versions compare as strings, not numbers: newer CLIs write
//! `2025-01-01-000000-0000`, and `202501010000000000` runs before
//! `20250601000000` (issue 16).

use std::path::Path;

use crate::migrate::model::{Direction, MigrateError, Migration, MigrationFormat, Version};
use crate::migrate::sources::files::{list_dir, migration, no_duplicates, read_file, read_text};
use crate::migrate::sources::sections::lines;

pub(crate) fn read(dir: &Path) -> Result<Vec<Migration>, MigrateError> {
    let mut out = Vec::new();
    for (dir_name, path) in list_dir(dir)? {
        // Diesel keeps nothing but migration directories here; loose
        // files (a README, .keep) are not migrations.
        if !path.is_dir() {
            continue;
        }
        let bad = || MigrateError::NotAMigration {
            file: path.clone(),
            format: MigrationFormat::Diesel,
            expected: "a directory VERSION_name holding up.sql",
        };
        let (raw_version, name) = dir_name.split_once('_').ok_or_else(bad)?;
        let digits = raw_version.replace('-', "");
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let version = Version::named(&digits, None, &digits);
        let up_path = path.join("up.sql");
        if !up_path.is_file() {
            return Err(bad());
        }
        let mut up = read_file(&up_path, MigrationFormat::Diesel, Direction::Up)?;
        let down_path = path.join("down.sql");
        let mut down = down_path
            .is_file()
            .then(|| read_file(&down_path, MigrationFormat::Diesel, Direction::Down))
            .transpose()?;
        let metadata = path.join("metadata.toml");
        if metadata.is_file() && !run_in_transaction(&metadata)? {
            up.no_transaction = true;
            if let Some(down) = &mut down {
                down.no_transaction = true;
            }
        }
        out.push(migration(version, name.to_string(), up, down));
    }
    no_duplicates(&out)?;
    Ok(out)
}

/// `run_in_transaction` from metadata.toml (default true). Only that key is
/// read; a value other than true or false is an error with its line.
fn run_in_transaction(path: &Path) -> Result<bool, MigrateError> {
    let text = read_text(path)?;
    let mut run = true;
    for line in lines(&text) {
        let content = text[line.start..line.end]
            .split('#')
            .next()
            .unwrap_or("")
            .trim();
        let Some((key, value)) = content.split_once('=') else {
            continue;
        };
        if key.trim() != "run_in_transaction" {
            continue;
        }
        run = match value.trim() {
            "true" => true,
            "false" => false,
            other => {
                return Err(MigrateError::Syntax {
                    file: path.to_path_buf(),
                    line: line.number,
                    message: format!(
                        "run_in_transaction = {other}: the value must be true or false"
                    ),
                })
            }
        };
    }
    Ok(run)
}
