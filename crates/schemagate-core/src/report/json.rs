//! Versioned JSON output. The wire structs are separate from the internal
//! model so that refactoring never changes the contract.

use std::io;

use serde::{Deserialize, Serialize};

use super::Outcome;
use crate::diff::{Change, Mismatch};

#[derive(Serialize)]
struct Wire<'a> {
    version: u32,
    status: &'static str,
    summary: Summary<'a>,
    mismatches: Vec<JsonMismatch>,
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

/// One mismatch on the wire, the one shape every command writes and
/// `merge-reports` reads back: `check` and `diff` with the expected file and
/// line ([`JsonMismatch::in_file`]), `roundtrip` residue without them
/// ([`JsonMismatch::new`]), fleets per database.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JsonMismatch {
    pub change: String,
    pub object_type: String,
    pub object: String,
    pub attribute: Option<String>,
    pub expected: Option<String>,
    pub actual: Option<String>,
    /// `file` and `line` follow `actual` when present; nothing when absent.
    #[serde(flatten, default)]
    pub location: Option<JsonLocation>,
}

/// Where in the expected file a mismatch points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JsonLocation {
    pub file: String,
    #[serde(default)]
    pub line: Option<u32>,
}

impl JsonMismatch {
    /// Without a location: `change`, `object_type`, `object`, `attribute`,
    /// `expected`, `actual`.
    pub fn new(m: &Mismatch) -> JsonMismatch {
        JsonMismatch {
            change: m.change.as_str().to_string(),
            object_type: m.object_type.as_str().to_string(),
            object: m.object.clone(),
            attribute: m.attribute.clone(),
            expected: m.expected.clone(),
            actual: m.actual.clone(),
            location: None,
        }
    }

    /// With `file` (the expected file as the user named it) and the
    /// mismatch's line in it (`null` when it has none).
    pub fn in_file(m: &Mismatch, file: &str) -> JsonMismatch {
        JsonMismatch {
            location: Some(JsonLocation {
                file: file.to_string(),
                line: m.line,
            }),
            ..JsonMismatch::new(m)
        }
    }

    pub fn file(&self) -> Option<&str> {
        self.location.as_ref().map(|l| l.file.as_str())
    }

    pub fn line(&self) -> Option<u32> {
        self.location.as_ref().and_then(|l| l.line)
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
