//! Versioned JSON output. The wire structs are separate from the internal
//! model so that refactoring never changes the contract.

use std::io;

use serde::Serialize;

use super::Outcome;
use crate::diff::{Change, Mismatch};

#[derive(Serialize)]
struct Wire<'a> {
    version: u32,
    status: &'static str,
    summary: Summary<'a>,
    mismatches: Vec<JsonMismatch<'a>>,
    not_compared: Vec<JsonNotCompared>,
    /// Only when migrations were judged (`check --base`).
    #[serde(skip_serializing_if = "Option::is_none")]
    hazards: Option<Vec<super::hazards::JsonHazard<'a>>>,
}

/// An object of a kind the model does not compare.
#[derive(Serialize)]
struct JsonNotCompared {
    object_type: String,
    object: String,
}

#[derive(Serialize)]
struct Summary<'a> {
    mismatches: usize,
    missing: usize,
    unexpected: usize,
    changed: usize,
    not_compared: usize,
    tables_expected: usize,
    tables_actual: usize,
    expected_file: &'a str,
    source: &'a str,
}

/// One mismatch on the wire, the one shape every command writes: `check`
/// and `diff` with the expected file and line ([`JsonMismatch::in_file`]),
/// `roundtrip` residue without them ([`JsonMismatch::new`]).
#[derive(Serialize)]
pub struct JsonMismatch<'a> {
    change: &'static str,
    object_type: &'static str,
    object: &'a str,
    attribute: Option<&'a str>,
    expected: Option<&'a str>,
    actual: Option<&'a str>,
    /// `file` and `line` follow `actual` when present; nothing when absent.
    #[serde(flatten)]
    location: Option<Location<'a>>,
}

#[derive(Serialize)]
struct Location<'a> {
    file: &'a str,
    line: Option<u32>,
}

impl<'a> JsonMismatch<'a> {
    /// Without a location: `change`, `object_type`, `object`, `attribute`,
    /// `expected`, `actual`.
    pub fn new(m: &'a Mismatch) -> JsonMismatch<'a> {
        JsonMismatch {
            change: m.change.as_str(),
            object_type: m.object_type.as_str(),
            object: &m.object,
            attribute: m.attribute.as_deref(),
            expected: m.expected.as_deref(),
            actual: m.actual.as_deref(),
            location: None,
        }
    }

    /// With `file` (the expected file as the user named it) and the
    /// mismatch's line in it (`null` when it has none).
    pub fn in_file(m: &'a Mismatch, file: &'a str) -> JsonMismatch<'a> {
        JsonMismatch {
            location: Some(Location { file, line: m.line }),
            ..JsonMismatch::new(m)
        }
    }
}

pub fn render(outcome: &Outcome, out: &mut dyn io::Write) -> io::Result<()> {
    let wire = Wire {
        version: 1,
        status: if outcome.is_match() { "ok" } else { "mismatch" },
        summary: Summary {
            mismatches: outcome.mismatches.len(),
            missing: outcome.count(Change::Missing),
            unexpected: outcome.count(Change::Unexpected),
            changed: outcome.count(Change::Changed),
            not_compared: outcome.not_compared.len(),
            tables_expected: outcome.tables_expected,
            tables_actual: outcome.tables_actual,
            expected_file: &outcome.expected_file,
            source: &outcome.source,
        },
        mismatches: outcome
            .mismatches
            .iter()
            .map(|m| JsonMismatch::in_file(m, &outcome.expected_file))
            .collect(),
        not_compared: outcome
            .not_compared
            .iter()
            .map(|u| JsonNotCompared {
                object_type: u.object_type.clone(),
                object: u.to_string(),
            })
            .collect(),
        hazards: outcome.safety.as_ref().map(super::hazards::json),
    };
    serde_json::to_writer_pretty(&mut *out, &wire)?;
    writeln!(out)
}
