//! The GitHub annotations format: its snapshot, one line per annotation,
//! and a migration error's file, line and column.

use super::{fixture, rendered};
use crate::report::Format;

#[test]
fn github_format() {
    insta::assert_snapshot!(rendered(Format::Github, &fixture()));
}

#[test]
fn github_annotations_are_one_line_each_with_clean_properties() {
    let outcome = fixture();
    let text = rendered(Format::Github, &outcome);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), outcome.mismatches.len());
    for (line, m) in lines.iter().zip(&outcome.mismatches) {
        let rest = line.strip_prefix("::error ").expect(line);
        let (props, message) = rest.split_once("::").expect(line);
        let props: Vec<(&str, &str)> = props
            .split(',')
            .map(|p| p.split_once('=').expect(p))
            .collect();
        let keys: Vec<&str> = props.iter().map(|(k, _)| *k).collect();
        match m.line {
            Some(l) => {
                assert_eq!(keys, ["file", "line", "title"], "{line}");
                assert_eq!(props[1].1, l.to_string());
            }
            None => assert_eq!(keys, ["file", "title"], "{line}"),
        }
        assert!(props.iter().all(|(_, v)| !v.contains(':')), "{line}");
        assert!(!message.contains('\r') && !message.contains('\n'));
    }
    assert!(text.contains("100%25"), "% is escaped: {text}");
}

#[test]
fn github_migration_error_has_file_line_and_column() {
    let mut out = Vec::new();
    crate::report::github::error(
        &mut out,
        &crate::report::github::AnnotationAt {
            file: "migrations/0007_broken.up.sql",
            line: Some(3),
            column: Some(13),
        },
        "migration failed",
        "ERROR 42P01: relation \"nope\" does not exist\nHINT: 100% sure",
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "::error file=migrations/0007_broken.up.sql,line=3,col=13,title=migration failed::ERROR 42P01: relation \"nope\" does not exist%0AHINT: 100%25 sure\n"
    );
}
