//! schemagate's own layout: `NNNN_name.up.sql` + `NNNN_name.down.sql`,
//! versions 1, 2, 3 … without gaps.

use std::path::{Path, PathBuf};

use super::pairs::{group, migrations, Names};
use crate::migrate::model::{
    MigrateError, Migration, MigrationFormat, Version, NO_TRANSACTION_MARKER,
};

/// schemagate's own layout: `NNNN_name.up.sql` + `NNNN_name.down.sql`,
/// versions 1, 2, 3 … without gaps; `-- schemagate:no-transaction` as the
/// first line runs a file outside a transaction.
///
/// Files not ending in `.sql`, hidden files and subdirectories are ignored;
/// a `.sql` file that does not fit the pattern is an error, as are a gap or
/// a duplicate in the versions (which must start at 1), a down file without
/// its up file, and an unreadable or non-UTF-8 file. A missing down file is
/// allowed until something tries to revert that migration.
pub(crate) fn read(dir: &Path) -> Result<Vec<Migration>, MigrateError> {
    let by_version = group(
        dir,
        false,
        Names::Same,
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
