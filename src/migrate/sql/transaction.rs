//! Which statements cannot run inside a transaction, and the check that a
//! file holding one is marked to run outside one — made before anything
//! runs, so a run does not stop halfway on a file the server rejects.

use super::position::locate;
use super::split::{first_keyword, skip_block_comment};
use crate::migrate::model::{MigrateError, MigrationFile};

/// Up to this many words of a statement are looked at.
const WORDS: usize = 64;

/// The upper-cased bare words of a statement, in order, with `(` and `)`
/// as words of their own; quoted identifiers become `"`, and strings,
/// dollar quotes and comments are skipped.
fn words(statement: &str) -> Vec<String> {
    let bytes = statement.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() && out.len() < WORDS {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        if c == b'-' && next == Some(b'-') {
            i = statement[i..].find('\n').map_or(bytes.len(), |n| i + n + 1);
        } else if c == b'/' && next == Some(b'*') {
            i = skip_block_comment(bytes, i);
        } else if c == b'\'' || c == b'"' {
            i += 1;
            while i < bytes.len() {
                if bytes[i] == c && bytes.get(i + 1) == Some(&c) {
                    i += 2;
                } else if bytes[i] == c {
                    break;
                } else {
                    i += 1;
                }
            }
            i += 1;
            if c == b'"' {
                out.push("\"".to_string());
            }
        } else if c == b'$' {
            let tag_end = statement[i + 1..]
                .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                .map(|n| i + 1 + n);
            match tag_end.filter(|e| bytes[*e] == b'$') {
                Some(e) => {
                    let tag = &statement[i..=e];
                    i = statement[e + 1..]
                        .find(tag)
                        .map_or(bytes.len(), |n| e + 1 + n + tag.len());
                }
                None => i += 1,
            }
        } else if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric()
                    || bytes[i] == b'_'
                    || bytes[i] == b'$'
                    || bytes[i] >= 0x80)
            {
                i += 1;
            }
            out.push(statement[start..i].to_ascii_uppercase());
        } else if c == b'(' || c == b')' {
            out.push((c as char).to_string());
            i += 1;
        } else {
            i += 1;
        }
    }
    out
}

/// If `statement` cannot run inside a transaction block, what it is
/// (`CREATE INDEX CONCURRENTLY`). `server_version` (`server_version_num`)
/// adds the statements that could not before that version; `None` checks
/// only those no version allows.
pub fn needs_no_transaction(statement: &str, server_version: Option<i32>) -> Option<&'static str> {
    let w = words(statement);
    let at = |i: usize| w.get(i).map_or("", String::as_str);
    let has = |word: &str| w.iter().any(|x| x == word);
    let has_pair = |a: &str, b: &str| w.windows(2).any(|p| p[0] == a && p[1] == b);
    match at(0) {
        "CREATE" => {
            let i = if at(1) == "UNIQUE" { 2 } else { 1 };
            match at(i) {
                "INDEX" if at(i + 1) == "CONCURRENTLY" => Some("CREATE INDEX CONCURRENTLY"),
                "DATABASE" => Some("CREATE DATABASE"),
                "TABLESPACE" => Some("CREATE TABLESPACE"),
                _ => None,
            }
        }
        "DROP" => match at(1) {
            "INDEX" if at(2) == "CONCURRENTLY" => Some("DROP INDEX CONCURRENTLY"),
            "DATABASE" => Some("DROP DATABASE"),
            "TABLESPACE" => Some("DROP TABLESPACE"),
            _ => None,
        },
        "REINDEX" => {
            // REINDEX [ ( options ) ] kind [ CONCURRENTLY ] name
            let mut i = 1;
            if at(1) == "(" {
                while i < w.len() && at(i) != ")" {
                    i += 1;
                }
                i += 1;
            }
            match (at(i), at(i + 1)) {
                (_, "CONCURRENTLY") => Some("REINDEX CONCURRENTLY"),
                ("DATABASE" | "SYSTEM", _) => Some("REINDEX DATABASE or SYSTEM"),
                _ => None,
            }
        }
        "VACUUM" => Some("VACUUM"),
        "CLUSTER" if w[1..].iter().all(|x| x == "VERBOSE") => Some("CLUSTER of every table"),
        "DISCARD" if at(1) == "ALL" => Some("DISCARD ALL"),
        "ALTER" => match at(1) {
            "SYSTEM" => Some("ALTER SYSTEM"),
            "DATABASE" if has_pair("SET", "TABLESPACE") => Some("ALTER DATABASE … SET TABLESPACE"),
            "TABLE" if has_pair("DETACH", "PARTITION") && has("CONCURRENTLY") => {
                Some("ALTER TABLE … DETACH PARTITION … CONCURRENTLY")
            }
            "TYPE" if has_pair("ADD", "VALUE") && server_version.is_some_and(|v| v < 120000) => {
                Some("ALTER TYPE … ADD VALUE (before PostgreSQL 12)")
            }
            _ => None,
        },
        _ => None,
    }
}

/// Checks a file before it runs. A file that runs in a transaction must not
/// manage its own (BEGIN/COMMIT) nor hold a statement that cannot run in
/// one — unless its format runs such a file outside a transaction by
/// itself (Flyway, golang-migrate: every statement needs it), in which case
/// the file is marked so here.
pub(crate) fn check_file(
    file: &mut MigrationFile,
    server_version: Option<i32>,
) -> Result<(), MigrateError> {
    let statements = file.statements();
    for statement in &statements {
        if is_copy_stdio(statement.text(&file.sql)) {
            return Err(MigrateError::CopyStdin {
                file: file.path.clone(),
                line: locate(&file.sql, statement.start).line,
            });
        }
    }
    if file.no_transaction {
        return Ok(());
    }
    let mut flagged = Vec::new();
    for statement in &statements {
        let text = statement.text(&file.sql);
        if is_transaction_control(text) {
            return Err(MigrateError::OwnTransaction {
                file: file.path.clone(),
                line: locate(&file.sql, statement.start).line,
                hint: file.no_transaction_hint(),
            });
        }
        if let Some(what) = needs_no_transaction(text, server_version) {
            flagged.push((statement.start, what));
        }
    }
    let Some(&(start, what)) = flagged.first() else {
        return Ok(());
    };
    if file.format.detects_no_transaction() && flagged.len() == statements.len() {
        file.no_transaction = true;
        return Ok(());
    }
    Err(MigrateError::NeedsNoTransaction {
        file: file.path.clone(),
        line: locate(&file.sql, start).line,
        statement: what,
        hint: file.no_transaction_hint(),
    })
}

/// `COPY … FROM STDIN` or `COPY … TO STDOUT`: the data would have to come
/// from (or go to) the client, which a migration file cannot do.
fn is_copy_stdio(statement: &str) -> bool {
    let w = words(statement);
    w.first().is_some_and(|k| k == "COPY")
        && w.windows(2).any(|p| {
            matches!(
                (p[0].as_str(), p[1].as_str()),
                ("FROM", "STDIN") | ("TO", "STDOUT")
            )
        })
}

/// BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT: a statement
/// that starts with one of them controls the transaction (`BEGIN ATOMIC`
/// only occurs inside CREATE FUNCTION, and `END` of one split off by a
/// semicolon would commit ours just the same).
pub(crate) fn is_transaction_control(statement: &str) -> bool {
    match first_keyword(statement).as_str() {
        "BEGIN" | "COMMIT" | "END" | "ROLLBACK" | "ABORT" => true,
        "START" => words(statement).get(1).is_some_and(|w| w == "TRANSACTION"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_that_cannot_run_in_a_transaction() {
        for (sql, what) in [
            (
                "CREATE INDEX CONCURRENTLY i ON t (a)",
                "CREATE INDEX CONCURRENTLY",
            ),
            (
                "create unique index concurrently i on t (a);",
                "CREATE INDEX CONCURRENTLY",
            ),
            (
                "DROP INDEX CONCURRENTLY IF EXISTS i;",
                "DROP INDEX CONCURRENTLY",
            ),
            (
                "REINDEX (VERBOSE) TABLE CONCURRENTLY t",
                "REINDEX CONCURRENTLY",
            ),
            ("REINDEX DATABASE app", "REINDEX DATABASE or SYSTEM"),
            ("CREATE DATABASE x", "CREATE DATABASE"),
            ("VACUUM (ANALYZE) t", "VACUUM"),
            ("ALTER SYSTEM SET work_mem = '8MB'", "ALTER SYSTEM"),
            (
                "-- why\n/* note */ CREATE /* x */ INDEX CONCURRENTLY i ON t (a)",
                "CREATE INDEX CONCURRENTLY",
            ),
            (
                "ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY",
                "ALTER TABLE … DETACH PARTITION … CONCURRENTLY",
            ),
        ] {
            assert_eq!(needs_no_transaction(sql, None), Some(what), "{sql}");
        }
        for sql in [
            "CREATE INDEX i ON t (a)",
            "CREATE INDEX \"concurrently\" ON t (a)",
            "COMMENT ON TABLE t IS 'CREATE INDEX CONCURRENTLY'",
            "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ VACUUM $$",
            "ANALYZE t",
            "CLUSTER t USING i",
            "ALTER TYPE mood ADD VALUE 'meh'",
            "REINDEX TABLE t",
        ] {
            assert_eq!(needs_no_transaction(sql, None), None, "{sql}");
        }
        assert_eq!(
            needs_no_transaction("ALTER TYPE mood ADD VALUE 'meh'", Some(110000)),
            Some("ALTER TYPE … ADD VALUE (before PostgreSQL 12)")
        );
        assert_eq!(
            needs_no_transaction("ALTER TYPE mood ADD VALUE 'meh'", Some(130000)),
            None
        );
    }

    #[test]
    fn transaction_control_but_not_bodies() {
        assert!(is_transaction_control("BEGIN;"));
        assert!(is_transaction_control(
            "begin transaction isolation level serializable"
        ));
        assert!(is_transaction_control("COMMIT"));
        assert!(is_transaction_control("START TRANSACTION;"));
        assert!(!is_transaction_control("CREATE TABLE t (id int)"));
    }
}
