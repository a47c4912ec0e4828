//! dbmate: `<version>_name.sql`, one file holding both directions after
//! `-- migrate:up` and `-- migrate:down`; `transaction:false` on a marker
//! runs that direction outside a transaction.

use std::path::Path;

use crate::migrate::model::{
    checksum, Direction, MigrateError, Migration, MigrationFile, MigrationFormat, Version,
};
use crate::migrate::sources::files::{list_dir, migration, no_duplicates, read_text};
use crate::migrate::sources::sections::{blank_outside, lines};
use crate::migrate::sql::split::split;

/// A marker line: its direction and the text of its options.
struct Marker<'a> {
    direction: Direction,
    options: &'a str,
}

/// `-- migrate:up transaction:false` -> its options (`transaction:false`).
pub(crate) fn up_marker(line: &str) -> Option<&str> {
    match marker(line)? {
        Marker {
            direction: Direction::Up,
            options,
        } => Some(options),
        _ => None,
    }
}

fn marker(line: &str) -> Option<Marker<'_>> {
    let rest = line.trim_end().strip_prefix("--")?.trim_start();
    let rest = rest.strip_prefix("migrate:")?;
    let (direction, options) = if let Some(o) = rest.strip_prefix("up") {
        (Direction::Up, o)
    } else if let Some(o) = rest.strip_prefix("down") {
        (Direction::Down, o)
    } else {
        return None;
    };
    // `-- migrate:upgrade` is a comment, not a marker.
    if !options.is_empty() && !options.starts_with(char::is_whitespace) {
        return None;
    }
    Some(Marker {
        direction,
        options: options.trim(),
    })
}

pub(crate) fn read(dir: &Path) -> Result<Vec<Migration>, MigrateError> {
    let mut out = Vec::new();
    for (file_name, path) in list_dir(dir)? {
        if !file_name.ends_with(".sql") || path.is_dir() {
            continue;
        }
        let bad = || MigrateError::NotAMigration {
            file: path.clone(),
            format: MigrationFormat::Dbmate,
            expected: "VERSION_name.sql",
        };
        let stem = &file_name[..file_name.len() - ".sql".len()];
        let (digits, name) = stem.split_once('_').ok_or_else(bad)?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        // dbmate sorts by file name and records the digits as written.
        let version = Version::named(digits, None, &file_name);
        let text = read_text(&path)?;
        let (up, down) = parse(&path, &text)?;
        let mut m = migration(version, name.to_string(), up.file, down.map(|d| d.file));
        m.checksum = up.checksum;
        out.push(m);
    }
    no_duplicates(&out)?;
    Ok(out)
}

struct Section {
    file: MigrationFile,
    checksum: String,
}

/// The up section (required) and the down section of a file, as dbmate
/// (v2) cuts them: the first `-- migrate:up` marker to the first
/// `-- migrate:down`, and that to the end of the file. Later markers are
/// comments inside those sections, as they are to dbmate; the file gets a
/// note saying so.
fn parse(path: &Path, text: &str) -> Result<(Section, Option<Section>), MigrateError> {
    let error = |line: usize, message: String| MigrateError::Syntax {
        file: path.to_path_buf(),
        line,
        message,
    };
    // (direction, options, marker line, section start)
    let mut markers = Vec::new();
    for line in lines(text) {
        if let Some(m) = marker(&text[line.start..line.end]) {
            markers.push((m.direction, m.options, line, line.next));
        }
    }
    let first_of = |d: Direction| markers.iter().find(|m| m.0 == d);
    let Some(up) = first_of(Direction::Up) else {
        return Err(error(
            1,
            "dbmate requires an up section: add a `-- migrate:up` line".to_string(),
        ));
    };
    let down = first_of(Direction::Down);
    if let Some(down) = down.filter(|d| d.2.start < up.2.start) {
        return Err(error(
            down.2.number,
            "`-- migrate:down` comes before `-- migrate:up`".to_string(),
        ));
    }
    let up_no_transaction = options(up.1).map_err(|e| error(up.2.number, e))?;
    let down_no_transaction = down
        .map(|d| options(d.1).map_err(|e| error(d.2.number, e)))
        .transpose()?
        .unwrap_or(false);
    let before = &text[..up.2.start];
    if let Some(statement) = split(before).first() {
        let line = text[..statement.start].matches('\n').count() + 1;
        return Err(error(
            line,
            "SQL before `-- migrate:up` belongs to no section".to_string(),
        ));
    }
    let up_end = down.map_or(text.len(), |m| m.2.start);
    let section = |direction, no_transaction, range: std::ops::Range<usize>| {
        let mut file = MigrationFile::new(
            path.to_path_buf(),
            blank_outside(text, std::slice::from_ref(&range)),
            MigrationFormat::Dbmate,
            direction,
        );
        file.no_transaction = no_transaction;
        Section {
            checksum: checksum(&text[range]),
            file,
        }
    };
    let mut up_section = section(Direction::Up, up_no_transaction, up.3..up_end);
    let down_section = down.map(|m| section(Direction::Down, down_no_transaction, m.3..text.len()));
    let repeated: Vec<String> = markers
        .iter()
        .filter(|m| !std::ptr::eq(*m, up) && !down.is_some_and(|d| std::ptr::eq(*m, d)))
        .map(|m| m.2.number.to_string())
        .collect();
    if !repeated.is_empty() {
        let down_text = match down {
            Some(d) => format!(
                "; the down section runs from line {} to the end of the file",
                d.2.number
            ),
            None => String::new(),
        };
        up_section.file.notes.push(format!(
            "repeated `-- migrate:` marker{} on line{} {}: dbmate takes the first of each \
             marker and reads the later ones as comments, so does schemagate: the up \
             section is lines {}-{}{down_text}",
            if repeated.len() > 1 { "s" } else { "" },
            if repeated.len() > 1 { "s" } else { "" },
            repeated.join(", "),
            up.2.number,
            down.map_or_else(
                || lines(text).last().map_or(up.2.number, |l| l.number),
                |d| d.2.number - 1
            ),
        ));
    }
    Ok((up_section, down_section))
}

/// Whether the options say `transaction:false`.
fn options(text: &str) -> Result<bool, String> {
    let mut no_transaction = false;
    for option in text.split_whitespace() {
        match option.split_once(':') {
            Some(("transaction", "false")) => no_transaction = true,
            Some(("transaction", "true")) => no_transaction = false,
            Some(("transaction", other)) => {
                return Err(format!(
                    "`transaction:{other}`: the value must be true or false"
                ))
            }
            // dbmate ignores options it does not know.
            _ => {}
        }
    }
    Ok(no_transaction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_and_options() {
        assert_eq!(up_marker("-- migrate:up"), Some(""));
        assert_eq!(
            up_marker("--migrate:up transaction:false"),
            Some("transaction:false")
        );
        assert_eq!(up_marker("-- migrate:upgrade notes"), None);
        assert_eq!(up_marker("-- migrate:down"), None);
        assert_eq!(options("transaction:false"), Ok(true));
        assert!(options("transaction:no").is_err());
    }

    #[test]
    fn sections_keep_the_file_lines() {
        let text = "-- a comment\n-- migrate:up\nCREATE TABLE t (id int);\n\n-- migrate:down transaction:false\nDROP TABLE t;\n";
        let (up, down) = parse(Path::new("1_t.sql"), text).unwrap();
        let down = down.unwrap();
        assert_eq!(up.file.sql.len(), text.len());
        assert_eq!(up.file.sql.trim(), "CREATE TABLE t (id int);");
        assert!(!up.file.no_transaction);
        assert!(down.file.no_transaction);
        let at = down.file.sql.find("DROP").unwrap();
        assert_eq!(down.file.sql[..at].matches('\n').count() + 1, 6);
        assert_eq!(up.checksum, checksum("CREATE TABLE t (id int);\n\n"));
    }

    #[test]
    fn bad_files_name_the_line() {
        let e = |text: &str| parse(Path::new("1_t.sql"), text).err().unwrap().to_string();
        assert_eq!(
            e("CREATE TABLE t ();\n-- migrate:up\n"),
            "1_t.sql:1: SQL before `-- migrate:up` belongs to no section"
        );
        assert_eq!(
            e("-- migrate:down\n-- migrate:up\n"),
            "1_t.sql:1: `-- migrate:down` comes before `-- migrate:up`"
        );
        assert_eq!(
            e("SELECT 1;"),
            "1_t.sql:1: dbmate requires an up section: add a `-- migrate:up` line"
        );
        assert_eq!(
            e("-- migrate:up transaction:nope\n"),
            "1_t.sql:1: `transaction:nope`: the value must be true or false"
        );
    }
}
