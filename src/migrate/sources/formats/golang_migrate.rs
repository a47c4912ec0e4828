//! golang-migrate: `<version>_title.up.sql` + `<version>_title.down.sql`,
//! files that often wrap themselves in BEGIN/COMMIT.

use std::path::Path;

use super::pairs::{group, migrations, Names};
use crate::migrate::model::{MigrateError, Migration, MigrationFile, MigrationFormat, Version};
use crate::migrate::sql::split::{first_keyword, split};
use crate::migrate::sql::transaction::is_transaction_control;

/// golang-migrate: `<version>_title.up.sql` + `<version>_title.down.sql`,
/// versions any unsigned number, gaps allowed, ordered by number; files are
/// keyed by version and direction, so an up and a down file of one version
/// may have different titles.
///
/// golang-migrate (v4, postgres driver) sends a file as one multi-statement
/// query and does not wrap it in a transaction, so files often do it
/// themselves:
/// - a leading `BEGIN;` and trailing `COMMIT;` around everything are
///   dropped (blanked) and the file runs in schemagate's transaction with
///   its tracking row instead — the same statements, atomically;
/// - any other BEGIN/COMMIT (several blocks, statements before a block)
///   and the file is sent whole as one query, as golang-migrate sends it,
///   with a warning saying so.
pub(crate) fn read(dir: &Path) -> Result<Vec<Migration>, MigrateError> {
    let by_version = group(
        dir,
        false,
        Names::MayDiffer,
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
            own_transactions(file);
        }
    }
    Ok(out)
}

/// Drops a wrapping BEGIN/COMMIT, or marks a file that manages its
/// transactions otherwise to run as one query.
fn own_transactions(file: &mut MigrationFile) {
    let mut stripped = file.sql.clone();
    strip_own_transaction(&mut stripped);
    let controls = split(&stripped)
        .iter()
        .filter(|s| is_transaction_control(s.text(&stripped)))
        .count();
    if controls == 0 {
        file.sql = stripped;
        return;
    }
    file.no_transaction = true;
    file.blocks = std::iter::once(0..file.sql.len()).collect();
    file.notes.push(format!(
        "manages its own transactions ({} BEGIN/COMMIT statements); sent whole as one \
         multi-statement query, as golang-migrate sends it, and recorded afterwards \
         (not atomically with it)",
        split(&file.sql)
            .iter()
            .filter(|s| is_transaction_control(s.text(&file.sql)))
            .count()
    ));
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
    use std::path::PathBuf;

    use super::*;
    use crate::migrate::model::Direction;

    #[test]
    fn a_begin_commit_wrapper_is_blanked_in_place() {
        let mut sql = "BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\n".to_string();
        strip_own_transaction(&mut sql);
        assert_eq!(sql, "      \nCREATE TABLE t (id int);\n       \n");
        let mut half = "BEGIN;\nCREATE TABLE t (id int);\n".to_string();
        strip_own_transaction(&mut half);
        assert!(half.starts_with("BEGIN;"));
    }

    fn file(sql: &str) -> MigrationFile {
        let mut f = MigrationFile::new(
            PathBuf::from("1_a.up.sql"),
            sql.to_string(),
            MigrationFormat::GolangMigrate,
            Direction::Up,
        );
        own_transactions(&mut f);
        f
    }

    // Regression (issue 16): several BEGIN/COMMIT blocks were refused;
    // golang-migrate runs the file as one query.
    #[test]
    fn several_blocks_run_whole_as_one_query() {
        let sql = "BEGIN;\nCREATE TABLE a ();\nCOMMIT;\nBEGIN;\nCREATE TABLE b ();\nCOMMIT;\n";
        let f = file(sql);
        assert_eq!(f.sql, sql, "nothing blanked");
        assert!(f.no_transaction);
        let statements = f.statements();
        assert_eq!(statements.len(), 1);
        assert_eq!(statements[0].text(&f.sql), sql.trim_end());
        assert_eq!(f.notes.len(), 1);
        assert!(f.notes[0].contains("4 BEGIN/COMMIT"), "{:?}", f.notes);

        let f = file("CREATE TABLE a ();\nBEGIN;\nCREATE TABLE b ();\nCOMMIT;\n");
        assert!(f.no_transaction && f.statements().len() == 1);

        let f = file("BEGIN;\nCREATE TABLE a ();\nCOMMIT;\n");
        assert!(!f.no_transaction && f.notes.is_empty());
        assert_eq!(f.statements().len(), 1);
    }
}
