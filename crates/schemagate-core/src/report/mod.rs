//! Renders a diff outcome: `report::render(format, &outcome, writer)`.
//!
//! Every renderer writes into any `io::Write` and depends only on the
//! [`Outcome`] value, so each format can be snapshot-tested from one fixture.

use std::io;

use crate::diff::{Change, Mismatch};
use crate::model::{QualifiedName, Schema, Uncovered};

pub mod document;
pub mod github;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod mermaid;
pub mod table;

pub use json::JsonMismatch;

#[cfg(test)]
mod tests;

/// Output formats of `check` and `diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A table for people (comfy-table).
    Table,
    /// Machine-readable, versioned JSON.
    Json,
    /// A Markdown summary for pull requests and $GITHUB_STEP_SUMMARY.
    Markdown,
    /// JUnit XML for CI test reporters.
    Junit,
    /// GitHub Actions workflow annotations.
    Github,
}

impl Format {
    /// Every value with its command-line name and a one-line help, for the
    /// CLI's parser (the library does not depend on clap).
    pub const VALUES: &'static [(Format, &'static str, &'static str)] = &[
        (Format::Table, "table", "A table for people (comfy-table)."),
        (Format::Json, "json", "Machine-readable, versioned JSON."),
        (
            Format::Markdown,
            "markdown",
            "A Markdown summary for pull requests and $GITHUB_STEP_SUMMARY.",
        ),
        (Format::Junit, "junit", "JUnit XML for CI test reporters."),
        (
            Format::Github,
            "github",
            "GitHub Actions workflow annotations.",
        ),
    ];
}

/// What a comparison found, with what reports need to say where.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub mismatches: Vec<Mismatch>,
    /// Objects of kinds the model does not compare, not ignored by the
    /// expected file: each fails the verdict.
    pub not_compared: Vec<Uncovered>,
    /// The expected file as the user named it.
    pub expected_file: String,
    /// What was compared, with any password redacted.
    pub source: String,
    pub tables_expected: usize,
    pub tables_actual: usize,
    /// Every table the expected file declares, qualified as mismatches name
    /// them (`public.users`), so that JUnit lists passing tables as cases.
    pub expected_tables: Vec<String>,
}

impl Outcome {
    /// Compares `expected` with `actual` (`diff::diff`) and keeps what the
    /// reports need besides the mismatches.
    pub fn compare(
        expected: &Schema,
        actual: &Schema,
        expected_file: &str,
        source: String,
    ) -> Outcome {
        let count = |s: &Schema| s.schemas.values().map(|n| n.tables.len()).sum();
        Outcome {
            mismatches: crate::diff::diff(expected, actual),
            not_compared: crate::diff::not_compared(expected, actual),
            expected_file: expected_file.to_string(),
            source,
            tables_expected: count(expected),
            tables_actual: count(actual),
            expected_tables: expected
                .schemas
                .iter()
                .flat_map(|(schema, ns)| {
                    ns.tables
                        .keys()
                        .map(move |t| QualifiedName::new(schema, t).to_string())
                })
                .collect(),
        }
    }

    /// No mismatch, and nothing left uncompared.
    pub fn is_match(&self) -> bool {
        self.mismatches.is_empty() && self.not_compared.is_empty()
    }

    pub fn count(&self, change: Change) -> usize {
        self.mismatches
            .iter()
            .filter(|m| m.change == change)
            .count()
    }

    /// One line: `3 mismatches (1 missing, 1 unexpected, 1 changed)`.
    pub fn summary_line(&self) -> String {
        if self.is_match() {
            return format!(
                "schema matches {} ({} tables)",
                self.expected_file, self.tables_actual
            );
        }
        let n = self.mismatches.len();
        let mut line = format!(
            "{n} mismatch{} between {} and {} ({} missing, {} unexpected, {} changed)",
            if n == 1 { "" } else { "es" },
            self.expected_file,
            self.source,
            self.count(Change::Missing),
            self.count(Change::Unexpected),
            self.count(Change::Changed),
        );
        if !self.not_compared.is_empty() {
            let k = self.not_compared.len();
            line.push_str(&format!(
                "; {k} object{} not compared (kinds schemagate does not model; \
                 list them under ignore_kinds: or pass --ignore-kind)",
                if k == 1 { "" } else { "s" }
            ));
        }
        line
    }
}

pub fn render(format: Format, outcome: &Outcome, out: &mut dyn io::Write) -> io::Result<()> {
    match format {
        Format::Table => table::render(outcome, out),
        Format::Json => json::render(outcome, out),
        Format::Markdown => markdown::render(outcome, out),
        Format::Junit => junit::render(outcome, out),
        Format::Github => github::render(outcome, out),
    }
}

/// For a changed function body: a short unified diff of the two bodies,
/// which reports show instead of two whole texts.
pub(crate) fn body_diff(m: &Mismatch) -> Option<String> {
    if m.attribute.as_deref() != Some("body") {
        return None;
    }
    let expected = m.expected.as_deref()?;
    let actual = m.actual.as_deref().unwrap_or("");
    Some(crate::canon::body_diff(expected, actual, 20))
}

/// `-` for an absent value.
pub(crate) fn cell(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("-")
}
