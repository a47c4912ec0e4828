//! Flyway: `V<version>__<description>.sql` (versioned), `U<version>__…`
//! (its undo, used as the down file) and `R__<description>.sql`
//! (repeatable), found in the directory and its subdirectories.
//!
//! Versions are dotted (`1.2.3`; `_` also separates: `V1_2__x.sql` is 1.2)
//! and compared numerically part by part. Repeatable migrations come after
//! every versioned one, ordered by description, and run again whenever
//! their checksum changes. A migration runs outside a transaction when its
//! script configuration `V…sql.conf` says `executeInTransaction=false`, or,
//! as Flyway detects it, when every statement in it needs that.

use std::path::{Path, PathBuf};

use crate::migrate::model::{Direction, MigrateError, Migration, MigrationFormat, Version};
use crate::migrate::sources::files::{list_dir, migration, no_duplicates, read_file, read_text};
use crate::migrate::sources::sections::lines;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Prefix {
    Versioned,
    Undo,
    Repeatable,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Name<'a> {
    pub prefix: Prefix,
    /// The version's parts as written (none for a repeatable).
    pub parts: Vec<&'a str>,
    pub description: &'a str,
}

/// `V1.2__add_users.sql` -> (Versioned, ["1", "2"], "add_users").
pub(crate) fn parse_name(file_name: &str) -> Option<Name<'_>> {
    let stem = file_name.strip_suffix(".sql")?;
    let prefix = match stem.as_bytes().first()? {
        b'V' => Prefix::Versioned,
        b'U' => Prefix::Undo,
        b'R' => Prefix::Repeatable,
        _ => return None,
    };
    let (version, description) = stem[1..].split_once("__")?;
    if prefix == Prefix::Repeatable {
        return version.is_empty().then_some(Name {
            prefix,
            parts: Vec::new(),
            description,
        });
    }
    let parts: Vec<&str> = version.split(['.', '_']).collect();
    let valid = parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    valid.then_some(Name {
        prefix,
        parts,
        description,
    })
}

/// Every file below `dir`, sorted by path.
fn walk(dir: &Path, out: &mut Vec<(String, PathBuf)>) -> Result<(), MigrateError> {
    for (name, path) in list_dir(dir)? {
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push((name, path));
        }
    }
    Ok(())
}

pub(crate) fn read(dir: &Path) -> Result<Vec<Migration>, MigrateError> {
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    let mut out: Vec<Migration> = Vec::new();
    let mut undo: Vec<(Version, PathBuf)> = Vec::new();
    for (file_name, path) in &files {
        if !file_name.ends_with(".sql") {
            continue;
        }
        let Some(name) = parse_name(file_name) else {
            return Err(MigrateError::NotAMigration {
                file: path.clone(),
                format: MigrationFormat::Flyway,
                expected: "V<version>__<description>.sql, U<version>__<description>.sql \
                           or R__<description>.sql",
            });
        };
        let stem = &file_name[..file_name.len() - ".sql".len()];
        let version = match name.prefix {
            Prefix::Repeatable => Version::repeatable(stem, file_name),
            _ => Version::numeric(&name.parts, file_name).expect("parse_name checked the parts"),
        };
        if name.prefix == Prefix::Undo {
            undo.push((version, path.clone()));
            continue;
        }
        let mut up = read_file(path, MigrationFormat::Flyway, Direction::Up)?;
        up.no_transaction = !execute_in_transaction(path)?;
        let migration_name = match name.prefix {
            Prefix::Repeatable => stem.to_string(),
            _ => name.description.to_string(),
        };
        out.push(migration(version, migration_name, up, None));
    }
    no_duplicates(&out)?;
    for (version, path) in undo {
        let Some(m) = out
            .iter_mut()
            .find(|m| m.version.text() == version.text() && m.down.is_none())
        else {
            let other = out.iter().find(|m| m.version.text() == version.text());
            return Err(match other.and_then(|m| m.down.as_ref()) {
                Some(first) => MigrateError::DuplicateVersion {
                    version: version.to_string(),
                    first: first.path.clone(),
                    second: path,
                },
                None => MigrateError::DownWithoutUp { file: path },
            });
        };
        let mut down = read_file(&path, MigrationFormat::Flyway, Direction::Down)?;
        down.no_transaction = !execute_in_transaction(&path)?;
        m.down = Some(down);
    }
    Ok(out)
}

/// `executeInTransaction` from the script configuration `<file>.conf`
/// (default true).
fn execute_in_transaction(sql_file: &Path) -> Result<bool, MigrateError> {
    let mut conf = sql_file.as_os_str().to_owned();
    conf.push(".conf");
    let conf = PathBuf::from(conf);
    if !conf.is_file() {
        return Ok(true);
    }
    let text = read_text(&conf)?;
    let mut execute = true;
    for line in lines(&text) {
        let content = text[line.start..line.end].trim();
        if content.starts_with('#') {
            continue;
        }
        let Some((key, value)) = content.split_once('=') else {
            continue;
        };
        if key.trim() != "executeInTransaction" {
            continue;
        }
        execute = match value.trim() {
            "true" => true,
            "false" => false,
            other => {
                return Err(MigrateError::Syntax {
                    file: conf.clone(),
                    line: line.number,
                    message: format!(
                        "executeInTransaction={other}: the value must be true or false"
                    ),
                })
            }
        };
    }
    Ok(execute)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            parse_name("V1.2.3__add_users.sql"),
            Some(Name {
                prefix: Prefix::Versioned,
                parts: vec!["1", "2", "3"],
                description: "add_users"
            })
        );
        assert_eq!(parse_name("V1_2__x.sql").unwrap().parts, ["1", "2"]);
        assert_eq!(parse_name("U7__x.sql").unwrap().prefix, Prefix::Undo);
        assert_eq!(
            parse_name("R__views.sql").unwrap().prefix,
            Prefix::Repeatable
        );
        for bad in [
            "V1_x.sql",
            "V__x.sql",
            "V1..2__x.sql",
            "R1__x.sql",
            "v1__x.sql",
            "V1__x.txt",
        ] {
            assert_eq!(parse_name(bad), None, "{bad}");
        }
    }
}
