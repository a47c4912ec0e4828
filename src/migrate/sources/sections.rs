//! One file, two directions (dbmate, sql-migrate): lines with their
//! offsets, and the text of one direction with the rest blanked so that
//! offsets, lines and columns stay those of the file.

use std::ops::Range;

/// A line of a file: its 1-based number, its byte range without the line
/// break, and where the next line starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Line {
    pub number: usize,
    pub start: usize,
    pub end: usize,
    pub next: usize,
}

/// The lines of `text`; LF or CRLF end a line.
pub(super) fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut number = 1;
    while start < text.len() {
        let (end, next) = match text[start..].find('\n') {
            Some(i) => (start + i, start + i + 1),
            None => (text.len(), text.len()),
        };
        let end = if text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        out.push(Line {
            number,
            start,
            end,
            next,
        });
        start = next;
        number += 1;
    }
    out
}

/// `text` with every character outside `keep` replaced by a space; line
/// breaks stay, so lines and columns (in characters) do not move.
pub(super) fn blank_outside(text: &str, keep: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let kept = keep.iter().any(|r| r.start <= i && i < r.end);
        out.push(if kept || c == '\n' || c == '\r' {
            c
        } else {
            ' '
        });
    }
    out
}

/// Maps a byte offset of `text` to the same place in
/// `blank_outside(text, _)`, whose multi-byte characters outside the kept
/// ranges became one byte.
pub(super) fn blanked_offset(text: &str, keep: &[Range<usize>], offset: usize) -> usize {
    let mut shift = 0;
    for (i, c) in text.char_indices() {
        if i >= offset {
            break;
        }
        let kept = keep.iter().any(|r| r.start <= i && i < r.end);
        if !kept && c != '\n' && c != '\r' {
            shift += c.len_utf8() - 1;
        }
    }
    offset - shift
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_know_their_offsets() {
        let text = "a\r\nbc\n\nd";
        let got: Vec<(usize, &str)> = lines(text)
            .iter()
            .map(|l| (l.number, &text[l.start..l.end]))
            .collect();
        assert_eq!(got, [(1, "a"), (2, "bc"), (3, ""), (4, "d")]);
    }

    #[test]
    fn blanking_keeps_lines_and_columns() {
        let text = "-- é up\nSELECT 1;\n-- down\nSELECT 'é';\n";
        let up = text.find("SELECT 1").unwrap();
        let range = up..up + "SELECT 1;".len();
        let keep = std::slice::from_ref(&range);
        let blanked = blank_outside(text, keep);
        assert_eq!(blanked, "       \nSELECT 1;\n       \n           \n");
        let down = text.find("SELECT 'é'").unwrap();
        assert_eq!(blanked_offset(text, keep, down), down - 1);
    }
}
