//! The table format: its snapshot, and the block layout below 120 columns.

use super::{fixture, rendered};
use crate::report::Format;

#[test]
fn table_format() {
    insta::assert_snapshot!(rendered(Format::Table, &fixture()));
}

/// Below 120 columns a grid breaks identifiers mid-word (issue 18): each
/// object gets a block, with the expected file's line quoted as load
/// errors quote it, and an undeclared object says so.
#[test]
fn table_format_on_a_narrow_terminal() {
    let mut out = Vec::new();
    crate::report::table::render_for_width(&fixture(), Some(100), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(!text.contains('\u{1b}'));
    assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
    assert!(text.contains("column not declared"), "{text}");
    assert!(
        text.contains("     12 |           email: {type: varchar(255)"),
        "{text}"
    );
    insta::assert_snapshot!(text.replace('\r', "␍"));
}

#[test]
fn table_format_on_a_wide_terminal_is_the_grid() {
    let mut wide = Vec::new();
    crate::report::table::render_for_width(&fixture(), Some(200), &mut wide).unwrap();
    assert!(String::from_utf8(wide).unwrap().starts_with('┌'));
}
