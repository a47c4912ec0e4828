//! golang-migrate: `<version>_title.up.sql` + `<version>_title.down.sql`,
//! files that often wrap themselves in BEGIN/COMMIT.

use std::path::Path;

use super::pairs::{group, migrations};
use crate::migrate::model::{MigrateError, Migration, MigrationFormat, Version};
use crate::migrate::sql::split::{first_keyword, split};

/// golang-migrate: `<version>_title.up.sql` + `<version>_title.down.sql`,
/// versions any unsigned number, gaps allowed. golang-migrate does not wrap
/// a file in a transaction, so files often do it themselves: a leading
/// `BEGIN;` and trailing `COMMIT;` are dropped (blanked) and the file runs
/// in schemagate's transaction instead.
pub(crate) fn read(dir: &Path) -> Result<Vec<Migration>, MigrateError> {
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
