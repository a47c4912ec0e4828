//! Splits SQL text into statements at top-level semicolons: `split(sql)`.
//!
//! Used for files that run outside a transaction, one statement at a time,
//! and to find where statements start. It knows the lexical parts of
//! PostgreSQL's SQL where a `;` does not end a statement: '…' and E'…'
//! strings, "…" identifiers, `$tag$…$tag$` dollar quotes, `--` comments and
//! nested `/* */` comments, and SQL-standard function bodies
//! (`BEGIN ATOMIC … END`, with `CASE … END` nested in them), whose
//! semicolons end the body's statements, not the file's.

use crate::migrate::model::MigrationFile;

/// One statement of a file: `sql[start..end]`, from its first token up to
/// and including its terminating `;` (if it has one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Statement {
    /// Byte offset of the first token.
    pub start: usize,
    /// Byte offset just past the statement.
    pub end: usize,
}

impl Statement {
    pub fn text<'a>(&self, sql: &'a str) -> &'a str {
        &sql[self.start..self.end]
    }
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// `$tag$` starting at `i` (which holds a `$`): its length, if it is one.
fn dollar_tag_len(bytes: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    if j < bytes.len() && bytes[j].is_ascii_digit() {
        return None; // $1 is a parameter
    }
    while j < bytes.len()
        && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_' || bytes[j] >= 0x80)
    {
        j += 1;
    }
    (j < bytes.len() && bytes[j] == b'$').then_some(j + 1 - i)
}

/// The statements of `sql`, in order. Text that holds only whitespace and
/// comments is not a statement; an unterminated string, identifier, comment
/// or dollar quote runs to the end of the text (the server reports it).
pub fn split(sql: &str) -> Vec<Statement> {
    let bytes = sql.as_bytes();
    let mut statements = Vec::new();
    let mut start: Option<usize> = None;
    // Inside `BEGIN ATOMIC`: how many `END`s close it (one, plus one per
    // open `CASE`).
    let mut atomic_depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        // Whitespace and comments do not start a statement.
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'-' && next == Some(b'-') {
            i = sql[i..].find('\n').map_or(bytes.len(), |n| i + n + 1);
            continue;
        }
        if c == b'/' && next == Some(b'*') {
            i = skip_block_comment(bytes, i);
            continue;
        }
        let here = *start.get_or_insert(i);
        match c {
            b';' if atomic_depth > 0 => i += 1,
            b';' => {
                statements.push(Statement {
                    start: here,
                    end: i + 1,
                });
                start = None;
                i += 1;
            }
            b'\'' => {
                // E'…' takes backslash escapes; the E must be a token of its own.
                let escapes = i > 0
                    && matches!(bytes[i - 1], b'e' | b'E')
                    && (i < 2 || !is_ident_char(bytes[i - 2]));
                i += 1;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' if escapes => i += 2,
                        b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                        b'\'' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() {
                    match bytes[i] {
                        b'"' if bytes.get(i + 1) == Some(&b'"') => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
            }
            b'$' if i == 0 || !is_ident_char(bytes[i - 1]) => match dollar_tag_len(bytes, i) {
                Some(len) => {
                    let tag = &sql[i..i + len];
                    let body = i + len;
                    i = sql[body..]
                        .find(tag)
                        .map_or(bytes.len(), |n| body + n + len);
                }
                None => i += 1,
            },
            c if (c.is_ascii_alphabetic() || c == b'_' || c >= 0x80)
                && (i == 0 || !is_ident_char(bytes[i - 1])) =>
            {
                let word_end = word_end(bytes, i);
                let word = &sql[i..word_end];
                i = word_end;
                if atomic_depth == 0 {
                    if word.eq_ignore_ascii_case("begin") {
                        let after = skip_space_and_comments(sql, i);
                        let next_end = word_end_at(bytes, after);
                        if sql[after..next_end].eq_ignore_ascii_case("atomic") {
                            atomic_depth = 1;
                            i = next_end;
                        }
                    }
                } else if word.eq_ignore_ascii_case("case") {
                    atomic_depth += 1;
                } else if word.eq_ignore_ascii_case("end") {
                    atomic_depth -= 1;
                }
            }
            _ => i += 1,
        }
    }
    if let Some(start) = start {
        // The last statement may lack its `;`; trailing whitespace and
        // comments are not part of it.
        let end = statements_end(sql, start);
        statements.push(Statement { start, end });
    }
    statements
}

/// The end of the identifier-like word starting at `i`.
fn word_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && is_ident_char(bytes[i]) {
        i += 1;
    }
    i
}

/// Like [`word_end`], but an empty word when `i` does not start one.
fn word_end_at(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i) {
        Some(&c) if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => word_end(bytes, i),
        _ => i,
    }
}

/// The first byte at or after `i` that is not whitespace or a comment.
fn skip_space_and_comments(sql: &str, mut i: usize) -> usize {
    let bytes = sql.as_bytes();
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            i += 1;
        } else if bytes[i] == b'-' && bytes.get(i + 1) == Some(&b'-') {
            i = sql[i..].find('\n').map_or(bytes.len(), |n| i + n + 1);
        } else if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            i = skip_block_comment(bytes, i);
        } else {
            break;
        }
    }
    i
}

/// The end of an unterminated last statement: the text up to the end, less
/// trailing whitespace. (A trailing `--` comment stays; it is harmless.)
fn statements_end(sql: &str, start: usize) -> usize {
    start + sql[start..].trim_end().len()
}

/// The first word of a statement, upper-cased (`BEGIN`, `CREATE`, …).
pub(crate) fn first_keyword(statement: &str) -> String {
    statement
        .trim_start_matches(|c: char| c == '(' || c.is_whitespace())
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_uppercase()
}

/// The offset just past the (nested) block comment that starts at `i`.
pub(crate) fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                break;
            }
        } else {
            i += 1;
        }
    }
    i
}

impl MigrationFile {
    /// The statements to run, in order: the file split at top-level
    /// semicolons, with each of [`MigrationFile::blocks`] kept whole.
    pub fn statements(&self) -> Vec<Statement> {
        let split = split(&self.sql);
        if self.blocks.is_empty() {
            return split;
        }
        let mut out: Vec<Statement> = Vec::with_capacity(split.len());
        for statement in split {
            let block = self
                .blocks
                .iter()
                .find(|b| b.start <= statement.start && statement.start < b.end);
            match (block, out.last_mut()) {
                (Some(b), Some(last)) if b.start <= last.start && last.start < b.end => {
                    last.end = statement.end;
                }
                _ => out.push(statement),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str) -> Vec<&str> {
        split(sql).iter().map(|s| s.text(sql)).collect()
    }

    #[test]
    fn splits_at_top_level_semicolons() {
        assert_eq!(
            texts("SELECT 1;\n  SELECT 2 ;SELECT 3"),
            ["SELECT 1;", "SELECT 2 ;", "SELECT 3"]
        );
        assert_eq!(texts(";;"), [";", ";"]);
        assert!(texts("").is_empty());
    }

    #[test]
    fn comments_are_not_statements_and_hide_semicolons() {
        let sql = "-- header; not a statement\n/* a; /* nested; */ still; */\nSELECT 1; -- done;\n/* tail */\n";
        assert_eq!(texts(sql), ["SELECT 1;"]);
        assert_eq!(split(sql)[0].start, sql.find("SELECT").unwrap());
        assert_eq!(texts("SELECT 1 -- one;\n+ 1;"), ["SELECT 1 -- one;\n+ 1;"]);
        assert_eq!(texts("SELECT 1 /* ; */ + 1;"), ["SELECT 1 /* ; */ + 1;"]);
    }

    #[test]
    fn quotes_hide_semicolons() {
        assert_eq!(
            texts("SELECT 'a;''b;';SELECT \"x;\"\"y\" FROM t;"),
            ["SELECT 'a;''b;';", "SELECT \"x;\"\"y\" FROM t;"]
        );
        assert_eq!(
            texts(r"SELECT E'it\'s; fine';SELECT 2;"),
            [r"SELECT E'it\'s; fine';", "SELECT 2;"]
        );
        // Without the E prefix a backslash is an ordinary character.
        assert_eq!(
            texts(r"SELECT 'a\';SELECT 2;"),
            [r"SELECT 'a\';", "SELECT 2;"]
        );
        // `type'…'` is not an E-string.
        assert_eq!(
            texts(r"SELECT date'x\';SELECT 2;"),
            [r"SELECT date'x\';", "SELECT 2;"]
        );
    }

    #[test]
    fn dollar_quotes_hide_semicolons() {
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\n\
                   DO $body$ BEGIN PERFORM 'x$$;'; END $body$;\nSELECT $1, a$b$c FROM t;";
        let got = texts(sql);
        assert_eq!(got.len(), 3, "{got:#?}");
        assert!(got[0].ends_with("END;\n$$;"));
        assert!(got[1].starts_with("DO $body$") && got[1].ends_with("END $body$;"));
        assert_eq!(got[2], "SELECT $1, a$b$c FROM t;");
        // A different tag inside does not close the quote.
        assert_eq!(
            texts("SELECT $a$ $b$; $b$ $a$; SELECT 2;"),
            ["SELECT $a$ $b$; $b$ $a$;", "SELECT 2;"]
        );
    }

    #[test]
    fn unterminated_text_runs_to_the_end() {
        assert_eq!(texts("SELECT 'abc; SELECT 2;"), ["SELECT 'abc; SELECT 2;"]);
        assert_eq!(texts("SELECT $$ x; "), ["SELECT $$ x;"]);
        assert_eq!(texts("SELECT 1; /* open ; "), ["SELECT 1;"]);
    }

    #[test]
    fn multibyte_text_is_kept_whole() {
        let sql = "COMMENT ON TABLE t IS 'café; naïve';\nSELECT 'ü';";
        assert_eq!(
            texts(sql),
            ["COMMENT ON TABLE t IS 'café; naïve';", "SELECT 'ü';"]
        );
    }

    /// Issue 15, item 3: SQL-standard bodies were cut at their inner `;`.
    #[test]
    fn begin_atomic_bodies_are_one_statement() {
        let sql = "CREATE TABLE t(id int);\n\
                   CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT a + 1; END;\n\
                   create function g(a int) returns text language sql begin /* c */ atomic\n\
                   select case when a > 0 then 'x;' else case a when 0 then 'z' end end; select 'y'; end;\n\
                   SELECT 1 AS begin; SELECT 2;";
        assert_eq!(
            texts(sql),
            [
                "CREATE TABLE t(id int);",
                "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT a + 1; END;",
                "create function g(a int) returns text language sql begin /* c */ atomic\n\
                 select case when a > 0 then 'x;' else case a when 0 then 'z' end end; select 'y'; end;",
                "SELECT 1 AS begin;",
                "SELECT 2;",
            ]
        );
        // BEGIN; as a transaction-control statement is still its own.
        assert_eq!(
            texts("BEGIN; SELECT 1; END;"),
            ["BEGIN;", "SELECT 1;", "END;"]
        );
    }

    #[test]
    fn first_keyword_is_upper_cased() {
        assert_eq!(first_keyword("begin;"), "BEGIN");
        assert_eq!(first_keyword("  (SELECT 1)"), "SELECT");
        assert_eq!(first_keyword("COMMIT"), "COMMIT");
    }
}
