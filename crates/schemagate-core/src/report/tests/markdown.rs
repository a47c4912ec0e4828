//! The Markdown format: its snapshot, one cell per column, and code spans.

use super::{fixture, rendered};
use crate::report::Format;

#[test]
fn markdown_format() {
    insta::assert_snapshot!(rendered(Format::Markdown, &fixture()));
}

#[test]
fn markdown_rows_have_one_cell_per_column() {
    let text = rendered(Format::Markdown, &fixture());
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(rows.len(), 2 + fixture().mismatches.len(), "{text}");
    for row in rows {
        assert_eq!(unescaped_pipes(row), 8, "7 cells: {row}");
    }
}

/// Pipes that separate GFM table cells: those not preceded by a backslash.
fn unescaped_pipes(row: &str) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in row.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => count += 1,
            _ => escaped = false,
        }
    }
    count
}

#[test]
fn markdown_code_spans_survive_backticks_and_spaces() {
    use crate::report::markdown::code;
    assert_eq!(code("a"), "`a`");
    assert_eq!(code("a`b"), "``a`b``");
    assert_eq!(code("`x`"), "`` `x` ``");
    assert_eq!(code("a | b"), "`a \\| b`");
    assert_eq!(code("a\r\nb\nc"), "`a b c`");
    assert_eq!(code(" x"), "`  x `");
    assert_eq!(code(""), "*(empty)*");
}
