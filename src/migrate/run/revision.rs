//! Revisions as a user types them for `up --to`, `down --to`, `stamp` and
//! `roundtrip --from/--to`: a version (`3`, `0003`, `1.2`), a migration id
//! (`0003_workflows`), a unique prefix of either (`2024`), `head` (the last
//! migration), `base` or `0` (nothing applied), and steps from the current
//! version (`-1`, `+2`), as Alembic spells them.

use crate::migrate::model::{MigrateError, Migration, MigrationKind, Version};

/// Where a revision points: before every migration, or at one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// Nothing applied (`base`, `0`, or enough steps back).
    Base,
    At(&'a Migration),
}

impl<'a> Target<'a> {
    pub fn migration(self) -> Option<&'a Migration> {
        match self {
            Target::Base => None,
            Target::At(m) => Some(m),
        }
    }
}

/// `-1`, `+2`: steps from the current version.
fn relative(rev: &str) -> Option<i64> {
    let (sign, digits) = match rev.as_bytes().first()? {
        b'-' => (-1, &rev[1..]),
        b'+' => (1, &rev[1..]),
        _ => return None,
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<i64>().ok().map(|n| sign * n)
}

/// Whether `rev` is relative, so it needs the current version to resolve.
pub fn is_relative(rev: &str) -> bool {
    relative(rev).is_some()
}

/// What `rev` points at among the versioned migrations; `current` is the
/// last applied version (`None`: nothing applied) for relative steps.
pub fn target<'a>(
    migrations: &'a [Migration],
    rev: &str,
    current: Option<&Version>,
) -> Result<Target<'a>, MigrateError> {
    let versioned: Vec<&Migration> = migrations
        .iter()
        .filter(|m| m.kind() == MigrationKind::Versioned)
        .collect();
    let rev = rev.trim();
    match rev {
        "base" | "0" => return Ok(Target::Base),
        "head" => {
            return versioned
                .last()
                .map(|m| Target::At(m))
                .ok_or_else(|| unknown(rev, &versioned))
        }
        _ => {}
    }
    if let Some(steps) = relative(rev) {
        // Index in `versioned` of the current version; -1 is base.
        let here = match current {
            None => -1,
            Some(v) => versioned
                .iter()
                .position(|m| m.version.text() == v.text())
                .map_or(-1, |i| i as i64),
        };
        let there = here + steps;
        let at = |i: i64| match i {
            -1 => "base".to_string(),
            i => versioned[i as usize].id(),
        };
        if there < -1 || there >= versioned.len() as i64 {
            return Err(MigrateError::RevisionOutOfRange {
                rev: rev.to_string(),
                current: at(here),
                before: here + 1,
                after: versioned.len() as i64 - here - 1,
            });
        }
        return Ok(if there == -1 {
            Target::Base
        } else {
            Target::At(versioned[there as usize])
        });
    }
    if let Some(m) = versioned
        .iter()
        .find(|m| m.version.text() == rev || m.id() == rev)
    {
        return Ok(Target::At(m));
    }
    let by_number: Vec<&Migration> = versioned
        .iter()
        .copied()
        .filter(|m| m.version.matches_number(rev))
        .collect();
    let candidates = if by_number.is_empty() {
        versioned
            .iter()
            .copied()
            .filter(|m| m.version.text().starts_with(rev) || m.id().starts_with(rev))
            .collect()
    } else {
        by_number
    };
    match candidates.as_slice() {
        [one] => Ok(Target::At(one)),
        [] => Err(unknown(rev, &versioned)),
        many => Err(MigrateError::AmbiguousVersion {
            version: rev.to_string(),
            candidates: list(many),
        }),
    }
}

/// The migration `rev` names, without a database: relative steps and
/// `base` name none.
pub fn resolve<'a>(migrations: &'a [Migration], rev: &str) -> Result<&'a Migration, MigrateError> {
    if is_relative(rev) {
        return Err(MigrateError::RelativeNeedsDatabase {
            rev: rev.to_string(),
        });
    }
    match target(migrations, rev, None)? {
        Target::At(m) => Ok(m),
        Target::Base => Err(MigrateError::BaseIsNoMigration {
            rev: rev.to_string(),
        }),
    }
}

/// Fails early on a revision that cannot resolve whatever the database
/// holds (relative steps are checked once the current version is known).
pub(crate) fn check(migrations: &[Migration], rev: &str) -> Result<(), MigrateError> {
    if is_relative(rev) {
        return Ok(());
    }
    target(migrations, rev, None).map(|_| ())
}

fn unknown(rev: &str, versioned: &[&Migration]) -> MigrateError {
    MigrateError::UnknownVersion {
        version: rev.to_string(),
        valid: if versioned.is_empty() {
            "none (the directory has no migrations)".to_string()
        } else {
            format!("{}, head, base, -N, +N", list(versioned))
        },
    }
}

/// The ids, the middle elided past a dozen.
fn list(migrations: &[&Migration]) -> String {
    let ids: Vec<String> = migrations.iter().map(|m| m.id()).collect();
    if ids.len() <= 12 {
        return ids.join(", ");
    }
    format!(
        "{}, … ({} more), {}",
        ids[..5].join(", "),
        ids.len() - 10,
        ids[ids.len() - 5..].join(", ")
    )
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::migrate::model::{checksum, Direction, MigrationFile, MigrationFormat};

    fn migrations(ids: &[(&str, &str)]) -> Vec<Migration> {
        ids.iter()
            .map(|(v, name)| {
                let parts: Vec<&str> = v.split('.').collect();
                Migration {
                    version: Version::numeric(&parts, v).unwrap(),
                    name: name.to_string(),
                    up: MigrationFile::new(
                        PathBuf::from(format!("{v}_{name}.up.sql")),
                        String::new(),
                        MigrationFormat::Native,
                        Direction::Up,
                    ),
                    down: None,
                    checksum: checksum(""),
                }
            })
            .collect()
    }

    fn at(ms: &[Migration], rev: &str, current: Option<&str>) -> Result<String, String> {
        let current = current.map(Version::from_text);
        target(ms, rev, current.as_ref())
            .map(|t| t.migration().map_or("base".to_string(), Migration::id))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn every_revision_form() {
        let ms = migrations(&[
            ("20240101000000", "users"),
            ("20240102000000", "posts"),
            ("20250101000000", "tags"),
        ]);
        let ok = |rev, current| at(&ms, rev, current).unwrap();
        assert_eq!(ok("head", None), "20250101000000_tags");
        assert_eq!(ok("base", Some("20240101000000")), "base");
        assert_eq!(ok("0", None), "base");
        assert_eq!(ok("20240102000000", None), "20240102000000_posts");
        assert_eq!(ok("20240102000000_posts", None), "20240102000000_posts");
        assert_eq!(ok("2025", None), "20250101000000_tags");
        assert_eq!(ok("202401020", None), "20240102000000_posts");
        assert_eq!(ok("+1", None), "20240101000000_users");
        assert_eq!(ok("+2", Some("20240101000000")), "20250101000000_tags");
        assert_eq!(ok("-1", Some("20250101000000")), "20240102000000_posts");
        assert_eq!(ok("-1", Some("20240101000000")), "base");
        assert_eq!(
            at(&ms, "2024", None).unwrap_err(),
            "version 2024 is ambiguous: it could be 20240101000000_users, \
             20240102000000_posts; give more of it"
        );
        assert_eq!(
            at(&ms, "head2", None).unwrap_err(),
            "no migration has version head2; valid: 20240101000000_users, \
             20240102000000_posts, 20250101000000_tags, head, base, -N, +N"
        );
        assert_eq!(
            at(&ms, "-2", Some("20240101000000")).unwrap_err(),
            "-2 is out of range: the database is at 20240101000000_users, with 1 \
             migration at or below it and 2 above it"
        );
        assert_eq!(
            at(&ms, "+4", None).unwrap_err(),
            "+4 is out of range: the database is at base, with 0 \
             migrations at or below it and 3 above it"
        );
    }

    #[test]
    fn numbers_beat_prefixes_and_resolve_needs_no_database_for_absolute_forms() {
        let ms = migrations(&[("1", "a"), ("10", "b"), ("11", "c")]);
        assert_eq!(at(&ms, "1", None).unwrap(), "0001_a");
        assert_eq!(at(&ms, "0001", None).unwrap(), "0001_a");
        assert_eq!(at(&ms, "0010_b", None).unwrap(), "0010_b");
        assert_eq!(resolve(&ms, "head").unwrap().id(), "0011_c");
        assert_eq!(
            resolve(&ms, "-1").unwrap_err().to_string(),
            "-1 counts from the database's current version; give a version here"
        );
        assert!(resolve(&ms, "base").is_err());
        assert!(check(&ms, "+3").is_ok());
        assert!(check(&ms, "nope").is_err());
    }
}
