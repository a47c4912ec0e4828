//! What every format reader needs: directory listing and file reading with
//! errors that name the file, and the checks they share.

use std::path::{Path, PathBuf};

use crate::migrate::model::{
    checksum, Direction, MigrateError, Migration, MigrationFile, MigrationFormat, Version,
};

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
    let mut root: Option<PathBuf> = None;
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
        // A link may point anywhere, and its text would be run and shown
        // in errors: only links that stay inside the directory are read.
        if entry.file_type().map_err(read_dir)?.is_symlink() {
            if root.is_none() {
                root = Some(std::fs::canonicalize(dir).map_err(read_dir)?);
            }
            let inside = std::fs::canonicalize(&path)
                .is_ok_and(|target| root.as_ref().is_some_and(|r| target.starts_with(r)));
            if !inside {
                return Err(MigrateError::LinkOutside { file: path });
            }
        }
        entries.push((file_name.to_string(), path));
    }
    entries.sort();
    Ok(entries)
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
