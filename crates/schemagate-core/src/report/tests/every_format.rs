//! Every format at once: nothing compared, a match, and migration hazards.

use super::{fixture, fixture_with_hazards, rendered};
use crate::report::{Format, Outcome};

/// An object the model cannot compare fails the verdict in every format,
/// even with no mismatch at all: it must never pass in silence.
#[test]
fn not_compared_in_every_format() {
    let outcome = Outcome {
        mismatches: vec![],
        not_compared: vec![crate::model::Uncovered {
            object_type: "operator".into(),
            schema: Some("public".into()),
            name: "===(integer, integer)".into(),
        }],
        ..fixture()
    };
    assert!(!outcome.is_match());
    let all: Vec<String> = [
        Format::Table,
        Format::Json,
        Format::Markdown,
        Format::Junit,
        Format::Github,
    ]
    .iter()
    .map(|f| format!("--- {f:?}\n{}", rendered(*f, &outcome)))
    .collect();
    insta::assert_snapshot!(all.join("\n"));
}

#[test]
fn every_format_of_a_match() {
    let outcome = Outcome {
        mismatches: vec![],
        ..fixture()
    };
    let all: Vec<String> = [
        Format::Table,
        Format::Json,
        Format::Markdown,
        Format::Junit,
        Format::Github,
    ]
    .iter()
    .map(|f| format!("--- {f:?}\n{}", rendered(*f, &outcome)))
    .collect();
    insta::assert_snapshot!(all.join("\n"));
}

#[test]
fn every_format_with_hazards() {
    let outcome = fixture_with_hazards();
    assert!(outcome.hazards_fail());
    let all: Vec<String> = [
        Format::Table,
        Format::Json,
        Format::Markdown,
        Format::Junit,
        Format::Github,
    ]
    .iter()
    .map(|f| format!("--- {f:?}\n{}", rendered(*f, &outcome)))
    .collect();
    insta::assert_snapshot!(all.join("\n"));
}
