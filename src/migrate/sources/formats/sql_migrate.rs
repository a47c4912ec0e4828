//! sql-migrate: any `NAME.sql`, both directions in one file after
//! `-- +migrate Up` and `-- +migrate Down` (`notransaction` on the marker
//! runs that direction outside a transaction), statements holding
//! semicolons between `-- +migrate StatementBegin` and `StatementEnd`.
//!
//! Ordered as sql-migrate orders them: names starting with a number by that
//! number, before the others; ties and the others by file name. A
//! migration's identity is its name without `.sql`.

use std::ops::Range;
use std::path::Path;

use crate::migrate::model::{
    checksum, Direction, MigrateError, Migration, MigrationFile, MigrationFormat, Version,
};
use crate::migrate::sources::files::{list_dir, migration, read_text};
use crate::migrate::sources::sections::{blank_outside, blanked_offset, lines};
use crate::migrate::sql::split::split;

const PREFIX: &str = "-- +migrate";

pub(crate) fn is_marker(line: &str) -> bool {
    let line = line.trim();
    line == "-- +migrate Up" || line.starts_with("-- +migrate Up ")
}

pub(crate) fn read(dir: &Path) -> Result<Vec<Migration>, MigrateError> {
    let mut out = Vec::new();
    for (file_name, path) in list_dir(dir)? {
        if !file_name.ends_with(".sql") || path.is_dir() {
            continue;
        }
        let stem = &file_name[..file_name.len() - ".sql".len()];
        let digits_end = stem
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(stem.len());
        let number = (digits_end > 0).then(|| &stem[..digits_end]);
        let version = Version::named(stem, number, &file_name);
        let text = read_text(&path)?;
        let parsed = parse(&path, &text)?;
        let mut m = migration(version, stem.to_string(), parsed.up, parsed.down);
        m.checksum = parsed.up_checksum;
        out.push(m);
    }
    Ok(out)
}

struct Parsed {
    up: MigrationFile,
    down: Option<MigrationFile>,
    up_checksum: String,
}

#[derive(Default)]
struct Side {
    ranges: Vec<Range<usize>>,
    blocks: Vec<Range<usize>>,
    no_transaction: bool,
    seen: bool,
}

fn pick<'a>(up: &'a mut Side, down: &'a mut Side, direction: Direction) -> &'a mut Side {
    match direction {
        Direction::Up => up,
        Direction::Down => down,
    }
}

fn parse(path: &Path, text: &str) -> Result<Parsed, MigrateError> {
    let error = |line: usize, message: String| MigrateError::Syntax {
        file: path.to_path_buf(),
        line,
        message,
    };
    let mut up = Side::default();
    let mut down = Side::default();
    let mut current: Option<Direction> = None;
    // (line number, start offset) of an open StatementBegin.
    let mut open_block: Option<(usize, usize)> = None;
    let mut section_start = 0;
    let mut first_marker: Option<usize> = None;
    let all = lines(text);
    let close = |side: &mut Side, start: usize, end: usize| {
        if start < end {
            side.ranges.push(start..end);
        }
    };
    for line in &all {
        let trimmed = text[line.start..line.end].trim();
        let Some(command) = trimmed.strip_prefix(PREFIX) else {
            continue;
        };
        let mut words = command.split_whitespace();
        match words.next() {
            Some(word @ ("Up" | "Down")) => {
                if let Some((number, _)) = open_block {
                    return Err(error(number, "StatementBegin without StatementEnd".into()));
                }
                if let Some(d) = current {
                    close(pick(&mut up, &mut down, d), section_start, line.start);
                }
                first_marker.get_or_insert(line.start);
                let d = if word == "Up" {
                    Direction::Up
                } else {
                    Direction::Down
                };
                let s = pick(&mut up, &mut down, d);
                s.seen = true;
                for option in words {
                    match option {
                        "notransaction" => s.no_transaction = true,
                        other => {
                            return Err(error(
                                line.number,
                                format!("unknown option `{other}` (sql-migrate knows notransaction)"),
                            ))
                        }
                    }
                }
                current = Some(d);
                section_start = line.next;
            }
            Some("StatementBegin") => {
                if current.is_none() {
                    return Err(error(line.number, "StatementBegin outside Up or Down".into()));
                }
                open_block = Some((line.number, line.next));
            }
            Some("StatementEnd") => {
                let (Some((_, start)), Some(d)) = (open_block.take(), current) else {
                    return Err(error(line.number, "StatementEnd without StatementBegin".into()));
                };
                pick(&mut up, &mut down, d).blocks.push(start..line.start);
            }
            other => {
                return Err(error(
                    line.number,
                    format!(
                        "unknown command `{}` (sql-migrate knows Up, Down, StatementBegin, StatementEnd)",
                        other.unwrap_or("")
                    ),
                ))
            }
        }
    }
    if let Some((number, _)) = open_block {
        return Err(error(number, "StatementBegin without StatementEnd".into()));
    }
    if let Some(d) = current {
        close(pick(&mut up, &mut down, d), section_start, text.len());
    }
    let before = &text[..first_marker.unwrap_or(text.len())];
    if let Some(statement) = split(before).first() {
        let line = text[..statement.start].matches('\n').count() + 1;
        return Err(error(
            line,
            "SQL before the first `-- +migrate Up` or `Down` belongs to no direction".into(),
        ));
    }
    if !up.seen {
        return Err(error(
            1,
            "sql-migrate requires an up section: add a `-- +migrate Up` line".into(),
        ));
    }
    let file = |side: &Side, direction| {
        let mut f = MigrationFile::new(
            path.to_path_buf(),
            blank_outside(text, &side.ranges),
            MigrationFormat::SqlMigrate,
            direction,
        );
        f.no_transaction = side.no_transaction;
        f.blocks = side
            .blocks
            .iter()
            .map(|b| {
                blanked_offset(text, &side.ranges, b.start)
                    ..blanked_offset(text, &side.ranges, b.end)
            })
            .collect();
        f
    };
    let up_text: String = up.ranges.iter().map(|r| &text[r.clone()]).collect();
    Ok(Parsed {
        up: file(&up, Direction::Up),
        down: down.seen.then(|| file(&down, Direction::Down)),
        up_checksum: checksum(&up_text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions_options_and_blocks() {
        let text = "-- +migrate Up\nCREATE TABLE t (id int);\n-- +migrate StatementBegin\nCREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\n-- +migrate StatementEnd\n\n-- +migrate Down notransaction\nDROP FUNCTION f();\nDROP TABLE t;\n";
        let parsed = parse(Path::new("1_t.sql"), text).unwrap();
        let up: Vec<&str> = parsed
            .up
            .statements()
            .iter()
            .map(|s| s.text(&parsed.up.sql))
            .collect();
        assert_eq!(up.len(), 2, "{up:#?}");
        assert!(up[1].starts_with("CREATE FUNCTION") && up[1].ends_with("END;"));
        assert!(!parsed.up.no_transaction);
        let down = parsed.down.unwrap();
        assert!(down.no_transaction);
        assert_eq!(down.statements().len(), 2);
        let at = down.sql.find("DROP TABLE").unwrap();
        assert_eq!(down.sql[..at].matches('\n').count() + 1, 9);
    }

    #[test]
    fn bad_files_name_the_line() {
        let e = |text: &str| parse(Path::new("1_t.sql"), text).err().unwrap().to_string();
        assert_eq!(
            e("-- +migrate Up\n-- +migrate Sideways\n"),
            "1_t.sql:2: unknown command `Sideways` (sql-migrate knows Up, Down, StatementBegin, StatementEnd)"
        );
        assert_eq!(
            e("-- +migrate Down\nDROP TABLE t;\n"),
            "1_t.sql:1: sql-migrate requires an up section: add a `-- +migrate Up` line"
        );
        assert_eq!(
            e("-- +migrate Up\n-- +migrate StatementBegin\nSELECT 1;\n"),
            "1_t.sql:2: StatementBegin without StatementEnd"
        );
        assert_eq!(
            e("SELECT 1;\n-- +migrate Up\n"),
            "1_t.sql:1: SQL before the first `-- +migrate Up` or `Down` belongs to no direction"
        );
    }
}
