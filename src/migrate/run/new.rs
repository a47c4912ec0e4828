//! Creates the next numbered migration pair: `new(dir, name)`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::migrate::model::{MigrateError, MigrationFormat};
use crate::migrate::sources::{detect, discover};

/// `Add User Prefs` -> `add_user_prefs`: ASCII letters lowercased, digits
/// kept, every other run of characters one `_`, none at either end.
pub(crate) fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// Writes `NNNN_slug.up.sql` and `NNNN_slug.down.sql` with the next version
/// into `dir` (created if missing) and returns their paths. `name` is made
/// a slug (see [`slug`]) as Alembic does with a message; one with no letter
/// or digit is refused. Existing files are never overwritten.
pub fn new(dir: &Path, name: &str) -> Result<(PathBuf, PathBuf), MigrateError> {
    let asked = name;
    let name = &slug(asked);
    if name.is_empty() {
        return Err(MigrateError::InvalidName {
            name: asked.to_string(),
        });
    }
    std::fs::create_dir_all(dir).map_err(|source| MigrateError::WriteFile {
        file: dir.to_path_buf(),
        source,
    })?;
    let format = detect(dir)?;
    if format != MigrationFormat::Native {
        return Err(MigrateError::NewNeedsNative {
            dir: dir.to_path_buf(),
            format,
        });
    }
    let version = discover(dir, Some(format))?
        .last()
        .and_then(|m| m.version.as_u64())
        .map_or(1, |v| v + 1);
    let id = format!("{version:04}_{name}");
    let up = dir.join(format!("{id}.up.sql"));
    let down = dir.join(format!("{id}.down.sql"));
    write_new(
        &up,
        &format!(
            "-- {id} (up). Runs in one transaction together with its tracking row.\n\
             -- To run it statement by statement outside a transaction (CREATE INDEX\n\
             -- CONCURRENTLY), make the first line of this file: -- schemagate:no-transaction\n\n"
        ),
    )?;
    if let Err(e) = write_new(
        &down,
        &format!("-- {id} (down). Reverts exactly what {id}.up.sql creates.\n\n"),
    ) {
        // Leave no up file without its down file behind.
        let _ = std::fs::remove_file(&up);
        return Err(e);
    }
    Ok((up, down))
}

fn write_new(path: &Path, text: &str) -> Result<(), MigrateError> {
    let error = |source| MigrateError::WriteFile {
        file: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(error)?;
    file.write_all(text.as_bytes()).map_err(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_the_next_pair_and_refuses_bad_names() {
        let dir = std::env::temp_dir().join(format!("schemagate-new-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (up, down) = new(&dir, "core").unwrap();
        assert!(up.ends_with("0001_core.up.sql") && down.ends_with("0001_core.down.sql"));
        let (up, _) = new(&dir, "add_tags_2").unwrap();
        assert!(up.ends_with("0002_add_tags_2.up.sql"));
        let found = discover(&dir, None).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].id(), "0002_add_tags_2");
        assert!(!found[0].no_transaction());
        // Regression (issue 16): a message is made a slug, not refused.
        let (up, _) = new(&dir, "Add User Prefs").unwrap();
        assert!(up.ends_with("0003_add_user_prefs.up.sql"), "{up:?}");
        for bad in ["", " - ", "éé"] {
            assert_eq!(
                new(&dir, bad).unwrap_err().to_string(),
                format!("invalid migration name {bad:?}: give it at least one letter or digit")
            );
        }
        assert_eq!(slug("épée 2"), "p_e_2");
        assert_eq!(slug("../up"), "up");
        assert_eq!(slug("x;y  z"), "x_y_z");
        assert_eq!(slug("add-tags_2"), "add_tags_2");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn refuses_a_directory_of_another_format() {
        let dir = std::env::temp_dir().join(format!("schemagate-new-fly-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("V1__init.sql"), "SELECT 1;").unwrap();
        assert_eq!(
            new(&dir, "more").unwrap_err().to_string(),
            format!(
                "{} holds flyway migrations; `migrate new` writes native ones \
                 (NNNN_name.up.sql + NNNN_name.down.sql)",
                dir.display()
            )
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
