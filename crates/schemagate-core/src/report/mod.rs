//! Renders a diff outcome: `report::render(format, &outcome, writer)`.
//!
//! Every renderer writes into any `io::Write` and depends only on the
//! [`Outcome`] value, so each format can be snapshot-tested from one fixture.

use std::collections::BTreeMap;
use std::io;
use std::time::Duration;

use crate::diff::{Change, Mismatch, ObjectType};
use crate::hazard::Safety;
use crate::model::{QualifiedName, Schema, Uncovered};

pub mod document;
pub mod fleet;
pub mod github;
pub mod hazards;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod mermaid;
mod objects;
pub mod table;

pub use json::JsonMismatch;

#[cfg(test)]
pub(crate) mod tests;

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
    /// The other named objects the expected file declares at schema level
    /// (views, sequences, enums, domains, functions), named as mismatches
    /// name them: JUnit lists passing ones as cases too.
    pub expected_objects: Vec<(ObjectType, String)>,
    /// How many objects the expected file declares, down to columns,
    /// constraints, indexes, triggers and policies.
    pub objects_compared: usize,
    /// How long the run took, when the caller measured it (JUnit times).
    pub took: Option<Duration>,
    /// The text of the expected file's lines that mismatches point at,
    /// keyed by line number ([`Outcome::with_expected_text`]).
    pub expected_lines: BTreeMap<u32, String>,
    /// Migration safety, when migrations were judged (`check --base`).
    pub safety: Option<Safety>,
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
        let mismatches = crate::diff::diff(expected, actual);
        Outcome::with_mismatches(mismatches, expected, actual, expected_file, source)
    }

    /// [`Outcome::compare`] of two schemas whose server casts are already
    /// dropped ([`crate::diff::diff_normalized`]): nothing is copied.
    pub fn compare_normalized(
        expected: &Schema,
        actual: &Schema,
        expected_file: &str,
        source: String,
    ) -> Outcome {
        let mismatches = crate::diff::diff_normalized(expected, actual);
        Outcome::with_mismatches(mismatches, expected, actual, expected_file, source)
    }

    fn with_mismatches(
        mismatches: Vec<crate::diff::Mismatch>,
        expected: &Schema,
        actual: &Schema,
        expected_file: &str,
        source: String,
    ) -> Outcome {
        let count = |s: &Schema| s.schemas.values().map(|n| n.tables.len()).sum();
        Outcome {
            mismatches,
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
            expected_objects: schema_level_objects(expected),
            objects_compared: count_objects(expected),
            took: None,
            safety: None,
            expected_lines: BTreeMap::new(),
        }
    }

    /// Keeps the lines of `text` (the expected file) that mismatches point
    /// at, for layouts that quote them.
    pub fn with_expected_text(mut self, text: &str) -> Outcome {
        let wanted: std::collections::BTreeSet<u32> =
            self.mismatches.iter().filter_map(|m| m.line).collect();
        self.expected_lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i as u32 + 1, l))
            .filter(|(n, _)| wanted.contains(n))
            .map(|(n, l)| (n, l.chars().take(200).collect()))
            .collect();
        self
    }

    /// A hazard at or above `--fail-on` was found.
    pub fn hazards_fail(&self) -> bool {
        self.safety.as_ref().is_some_and(Safety::fails)
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

/// Views, sequences, enums, domains and functions, qualified as mismatches
/// name them.
fn schema_level_objects(schema: &Schema) -> Vec<(ObjectType, String)> {
    let mut out = Vec::new();
    for (name, ns) in &schema.schemas {
        let kinds: [(ObjectType, Vec<&String>); 5] = [
            (ObjectType::View, ns.views.keys().collect()),
            (ObjectType::Sequence, ns.sequences.keys().collect()),
            (ObjectType::Enum, ns.enums.keys().collect()),
            (ObjectType::Domain, ns.domains.keys().collect()),
            (ObjectType::Function, ns.functions.keys().collect()),
        ];
        for (kind, keys) in kinds {
            out.extend(
                keys.into_iter()
                    .map(|k| (kind, QualifiedName::new(name, k).to_string())),
            );
        }
    }
    out
}

/// Every object `schema` declares: schemas, tables and what they hold,
/// and the schema-level objects.
fn count_objects(schema: &Schema) -> usize {
    schema
        .schemas
        .values()
        .map(|ns| {
            let tables: usize = ns
                .tables
                .values()
                .map(|t| {
                    1 + t.columns.len()
                        + usize::from(t.primary_key.is_some())
                        + t.uniques.len()
                        + t.checks.len()
                        + t.foreign_keys.len()
                        + t.indexes.len()
                        + t.triggers.len()
                        + t.policies.len()
                })
                .sum();
            1 + tables
                + ns.views.len()
                + ns.sequences.len()
                + ns.enums.len()
                + ns.domains.len()
                + ns.functions.len()
        })
        .sum()
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
