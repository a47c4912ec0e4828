//! Maps the server's error position back to a line and column of a file.

/// A place in a file: 1-based line, 1-based column counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SqlPosition {
    pub line: usize,
    pub column: usize,
}

/// The byte offset of the `chars`-th character of `text` (0-based), or the
/// end of the text if it is shorter.
pub(crate) fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(byte, _)| byte)
}

/// The line and column of byte offset `byte` in `text`. LF, CRLF and a lone
/// CR each end a line, as editors count them; an offset past the end points
/// just after the last character.
pub fn locate(text: &str, byte: usize) -> SqlPosition {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    let before = &text[..byte];
    let mut line = 1;
    let mut line_start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in before.as_bytes().iter().enumerate() {
        let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if ends_line {
            line += 1;
            line_start = i + 1;
        }
    }
    // A position on the LF of a CRLF belongs to the line the CR ends.
    let column = before[line_start..].trim_end_matches('\r').chars().count() + 1;
    SqlPosition { line, column }
}

/// How the server counts its error position: in characters, except in a
/// SQL_ASCII database where every byte is one character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PositionUnit {
    Chars,
    Bytes,
}

/// SqlPosition in `file_sql` of a server error position `position` (1-based)
/// into the statement text that starts at byte `statement_start` of the file.
pub(crate) fn locate_error(
    file_sql: &str,
    statement_start: usize,
    position: u32,
    unit: PositionUnit,
) -> SqlPosition {
    let statement = &file_sql[statement_start..];
    let offset = (position as usize).saturating_sub(1);
    let within = match unit {
        PositionUnit::Chars => char_to_byte(statement, offset),
        PositionUnit::Bytes => offset.min(statement.len()),
    };
    locate(file_sql, statement_start + within)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize) -> SqlPosition {
        SqlPosition { line, column }
    }

    #[test]
    fn counts_lines_and_characters() {
        let sql = "SELECT 1;\nSELECT 2;\n  SELECT * FROM nope;";
        assert_eq!(locate(sql, 0), at(1, 1));
        assert_eq!(locate(sql, sql.find("SELECT 2").unwrap()), at(2, 1));
        assert_eq!(locate(sql, sql.find("nope").unwrap()), at(3, 17));
        assert_eq!(locate(sql, 10_000), at(3, 22));
    }

    #[test]
    fn crlf_and_cr_end_lines_once() {
        let crlf = "a;\r\nb;\r\n  c;";
        assert_eq!(locate(crlf, crlf.find('c').unwrap()), at(3, 3));
        assert_eq!(locate(crlf, crlf.find('\n').unwrap()), at(1, 3));
        let cr = "a;\rb;\r  c;";
        assert_eq!(locate(cr, cr.find('c').unwrap()), at(3, 3));
    }

    #[test]
    fn server_character_positions_skip_multibyte_characters() {
        // The server counts characters: 'é', 'ü' and '€' are one each,
        // though two or three bytes in UTF-8.
        let sql = "-- café crème\nCOMMENT ON TABLE t IS 'über € ok';\n  SELECT * FROM nöpe;";
        let chars_before: usize = sql[..sql.find("nöpe").unwrap()].chars().count();
        let position = chars_before as u32 + 1;
        assert_eq!(
            locate_error(sql, 0, position, PositionUnit::Chars),
            at(3, 17)
        );
        // Column counts characters too: 'ö' before "pe" is one column.
        let pe = sql[..sql.find("pe;").unwrap()].chars().count() as u32 + 1;
        assert_eq!(locate_error(sql, 0, pe, PositionUnit::Chars), at(3, 19));
    }

    #[test]
    fn positions_in_a_statement_add_its_offset_in_the_file() {
        let sql = "-- schemagate:no-transaction\nCREATE TABLE é (id int);\nCREATE INDEX CONCURRENTLY i ON nope (id);";
        let start = sql.find("CREATE INDEX").unwrap();
        let statement = &sql[start..];
        let position = statement[..statement.find("nope").unwrap()].chars().count() as u32 + 1;
        assert_eq!(
            locate_error(sql, start, position, PositionUnit::Chars),
            at(3, 32)
        );
    }

    #[test]
    fn sql_ascii_positions_count_bytes() {
        let sql = "SELECT 'é', nope;";
        let position = sql.find("nope").unwrap() as u32 + 1;
        assert_eq!(
            locate_error(sql, 0, position, PositionUnit::Bytes),
            at(1, 13)
        );
    }
}
