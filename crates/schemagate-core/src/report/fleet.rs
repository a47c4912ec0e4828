//! Reports over many databases (or schemas): a summary table first, then
//! each drifted or failed one in detail, in every format.
//!
//! A [`FleetReport`] is plain owned data, and its JSON form is read back by
//! `merge-reports`: the shards of one fleet merge into the report that one
//! run over the whole list would have written. Mismatches are kept as their
//! wire text (not typed), so a report written by a newer schemagate that
//! knows more object kinds still merges.

use std::io;

use comfy_table::{presets, ContentArrangement, Table};
use serde::{Deserialize, Serialize};

use super::github::{data, property};
use super::junit::xml;
use super::markdown::{code, text};
use super::table::printable;
use super::{cell, Format, Outcome};
use crate::diff::Change;

/// The JSON contract's version.
pub const VERSION: u32 = 1;

/// How one database (or schema) fared; also the fleet's verdict, which is
/// the worst of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Mismatch,
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Mismatch => "mismatch",
            Status::Error => "error",
        }
    }
}

/// `{"version":1, "status", "databases":[...]}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FleetReport {
    pub version: u32,
    pub status: Status,
    pub databases: Vec<DatabaseReport>,
}

/// One database, or one schema of a database (`name` then says which).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatabaseReport {
    /// Redacted: no password ever.
    pub name: String,
    /// Position in the whole list (before `--shard`), so that merged
    /// shards come back in the order of one run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    pub status: Status,
    /// `null` when the database could not be checked.
    pub summary: Option<DatabaseSummary>,
    pub mismatches: Vec<FleetMismatch>,
    /// Objects of kinds the model does not cover: they fail the database
    /// as mismatches do (never a silent pass), unless their kind is ignored.
    #[serde(default)]
    pub not_compared: Vec<FleetNotCompared>,
    /// Why it could not be checked (redacted), else `null`.
    pub error: Option<String>,
    /// Wall time spent on it, in milliseconds.
    #[serde(default)]
    pub took_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatabaseSummary {
    pub mismatches: usize,
    pub missing: usize,
    pub unexpected: usize,
    pub changed: usize,
    pub tables_expected: usize,
    pub tables_actual: usize,
    pub expected_file: String,
}

/// An object of a kind the model does not cover, as `diff --format json`
/// writes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FleetNotCompared {
    pub object_type: String,
    pub object: String,
}

/// A mismatch as `diff --format json` writes it: the one wire type.
pub use super::json::JsonMismatch as FleetMismatch;

impl DatabaseReport {
    /// A database that was read and compared.
    pub fn compared(
        name: String,
        index: Option<usize>,
        outcome: &Outcome,
        took_ms: u64,
    ) -> DatabaseReport {
        DatabaseReport {
            name,
            index,
            status: if outcome.is_match() {
                Status::Ok
            } else {
                Status::Mismatch
            },
            summary: Some(DatabaseSummary {
                mismatches: outcome.mismatches.len(),
                missing: outcome.count(Change::Missing),
                unexpected: outcome.count(Change::Unexpected),
                changed: outcome.count(Change::Changed),
                tables_expected: outcome.tables_expected,
                tables_actual: outcome.tables_actual,
                expected_file: outcome.expected_file.clone(),
            }),
            mismatches: outcome
                .mismatches
                .iter()
                .map(|m| FleetMismatch::in_file(m, &outcome.expected_file))
                .collect(),
            not_compared: outcome
                .not_compared
                .iter()
                .map(|u| FleetNotCompared {
                    object_type: u.object_type.clone(),
                    object: u.to_string(),
                })
                .collect(),
            error: None,
            took_ms,
        }
    }

    /// A database that could not be checked; `error` must be redacted.
    pub fn failed(
        name: String,
        index: Option<usize>,
        error: String,
        took_ms: u64,
    ) -> DatabaseReport {
        DatabaseReport {
            name,
            index,
            status: Status::Error,
            summary: None,
            mismatches: Vec::new(),
            not_compared: Vec::new(),
            error: Some(error),
            took_ms,
        }
    }

    fn count(&self, change: &str) -> String {
        match &self.summary {
            Some(_) => self
                .mismatches
                .iter()
                .filter(|m| m.change == change)
                .count()
                .to_string(),
            None => "-".to_string(),
        }
    }
}

impl FleetReport {
    /// The report over `databases`, in their order.
    pub fn new(databases: Vec<DatabaseReport>) -> FleetReport {
        let status = databases
            .iter()
            .map(|d| d.status)
            .max()
            .unwrap_or(Status::Ok);
        FleetReport {
            version: VERSION,
            status,
            databases,
        }
    }

    /// Several reports (the shards of one fleet) as one: ordered by their
    /// position in the whole list, those without one after, in the order
    /// given.
    pub fn merge(reports: impl IntoIterator<Item = FleetReport>) -> FleetReport {
        let mut all: Vec<DatabaseReport> = reports.into_iter().flat_map(|r| r.databases).collect();
        all.sort_by_key(|d| d.index.unwrap_or(usize::MAX));
        FleetReport::new(all)
    }

    pub fn count(&self, status: Status) -> usize {
        self.databases.iter().filter(|d| d.status == status).count()
    }

    /// `4 databases: 2 ok, 1 mismatch, 1 error`.
    pub fn summary_line(&self) -> String {
        let n = self.databases.len();
        format!(
            "{n} database{}: {} ok, {} mismatch, {} error",
            if n == 1 { "" } else { "s" },
            self.count(Status::Ok),
            self.count(Status::Mismatch),
            self.count(Status::Error),
        )
    }
}

pub fn render(format: Format, report: &FleetReport, out: &mut dyn io::Write) -> io::Result<()> {
    match format {
        Format::Table => render_table(report, out),
        Format::Json => render_json(report, out),
        Format::Markdown => render_markdown(report, out),
        Format::Junit => render_junit(report, out),
        Format::Github => render_github(report, out),
    }
}

fn seconds(ms: u64) -> String {
    format!("{:.2}s", ms as f64 / 1000.0)
}

fn new_table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header);
    if table.width().is_none() {
        table.set_width(160);
    }
    table
}

fn render_table(report: &FleetReport, out: &mut dyn io::Write) -> io::Result<()> {
    let mut summary = new_table(&[
        "database",
        "status",
        "missing",
        "unexpected",
        "changed",
        "time",
    ]);
    for d in &report.databases {
        summary.add_row([
            printable(&d.name),
            d.status.as_str().to_string(),
            d.count("missing"),
            d.count("unexpected"),
            d.count("changed"),
            seconds(d.took_ms),
        ]);
    }
    writeln!(out, "{summary}")?;
    writeln!(out, "{}", report.summary_line())?;
    for d in &report.databases {
        match d.status {
            Status::Ok => {}
            Status::Error => {
                writeln!(out)?;
                writeln!(
                    out,
                    "{}: could not be checked: {}",
                    printable(&d.name),
                    printable(cell(&d.error))
                )?;
            }
            Status::Mismatch => {
                writeln!(out)?;
                writeln!(
                    out,
                    "{}: {} mismatch{}",
                    printable(&d.name),
                    d.mismatches.len(),
                    if d.mismatches.len() == 1 { "" } else { "es" }
                )?;
                let mut table = new_table(&[
                    "object",
                    "type",
                    "change",
                    "attribute",
                    "expected",
                    "actual",
                    "line",
                ]);
                for m in &d.mismatches {
                    table.add_row([
                        printable(&m.object),
                        printable(&m.object_type),
                        printable(&m.change),
                        printable(m.attribute.as_deref().unwrap_or("-")),
                        printable(cell(&m.expected)),
                        printable(cell(&m.actual)),
                        m.line().map_or("-".to_string(), |l| l.to_string()),
                    ]);
                }
                writeln!(out, "{table}")?;
                for u in &d.not_compared {
                    writeln!(
                        out,
                        "not compared: {} {} (a kind schemagate does not model; \
                         list it under ignore_kinds: to accept it)",
                        printable(&u.object_type),
                        printable(&u.object)
                    )?;
                }
            }
        }
    }
    Ok(())
}

fn render_json(report: &FleetReport, out: &mut dyn io::Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

fn render_markdown(report: &FleetReport, out: &mut dyn io::Write) -> io::Result<()> {
    let icon = match report.status {
        Status::Ok => "✅",
        Status::Mismatch => "❌",
        Status::Error => "⚠️",
    };
    writeln!(
        out,
        "### {icon} schemagate: {}",
        text(&report.summary_line())
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "| database | status | missing | unexpected | changed | time |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for d in &report.databases {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            code(&d.name),
            d.status.as_str(),
            d.count("missing"),
            d.count("unexpected"),
            d.count("changed"),
            seconds(d.took_ms),
        )?;
    }
    for d in &report.databases {
        match d.status {
            Status::Ok => {}
            Status::Error => {
                writeln!(out)?;
                writeln!(out, "#### {}", text(&d.name))?;
                writeln!(out)?;
                writeln!(out, "Could not be checked: {}", code(cell(&d.error)))?;
            }
            Status::Mismatch => {
                writeln!(out)?;
                writeln!(out, "#### {}", text(&d.name))?;
                writeln!(out)?;
                writeln!(
                    out,
                    "| object | type | change | attribute | expected | actual | line |"
                )?;
                writeln!(out, "|---|---|---|---|---|---|---|")?;
                for m in &d.mismatches {
                    writeln!(
                        out,
                        "| {} | {} | {} | {} | {} | {} | {} |",
                        code(&m.object),
                        text(&m.object_type),
                        text(&m.change),
                        m.attribute.as_deref().map_or("-".to_string(), text),
                        m.expected.as_deref().map_or("-".to_string(), code),
                        m.actual.as_deref().map_or("-".to_string(), code),
                        match (m.file(), m.line()) {
                            (Some(f), Some(l)) => text(&format!("{f}:{l}")),
                            (None, Some(l)) => l.to_string(),
                            _ => "-".to_string(),
                        },
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// One `<testsuite>` per database; one case per mismatch, or one passing
/// case for a database that matches, or one erroring case for one that
/// could not be checked.
fn render_junit(report: &FleetReport, out: &mut dyn io::Write) -> io::Result<()> {
    let cases = |d: &DatabaseReport| d.mismatches.len().max(1);
    let tests: usize = report.databases.iter().map(cases).sum();
    let failures: usize = report.databases.iter().map(|d| d.mismatches.len()).sum();
    let errors = report.count(Status::Error);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="schemagate" tests="{tests}" failures="{failures}" errors="{errors}">"#
    )?;
    for d in &report.databases {
        let name = xml(&d.name);
        let error = usize::from(d.status == Status::Error);
        writeln!(
            out,
            r#"  <testsuite name="{name}" tests="{}" failures="{}" errors="{error}" skipped="0" time="{:.3}">"#,
            cases(d),
            d.mismatches.len(),
            d.took_ms as f64 / 1000.0,
        )?;
        match d.status {
            Status::Ok => writeln!(
                out,
                r#"    <testcase name="schema" classname="schemagate.database"/>"#
            )?,
            Status::Error => {
                writeln!(
                    out,
                    r#"    <testcase name="schema" classname="schemagate.database">"#
                )?;
                writeln!(
                    out,
                    r#"      <error message="could not be checked">{}</error>"#,
                    xml(cell(&d.error))
                )?;
                writeln!(out, "    </testcase>")?;
            }
            Status::Mismatch => {
                for m in &d.mismatches {
                    writeln!(
                        out,
                        r#"    <testcase name="{}" classname="schemagate.{}">"#,
                        xml(&m.object),
                        xml(&m.object_type)
                    )?;
                    let body = match &m.attribute {
                        Some(a) => format!(
                            "{a}: expected {}, actual {}",
                            cell(&m.expected),
                            cell(&m.actual)
                        ),
                        None => {
                            format!("expected {}, actual {}", cell(&m.expected), cell(&m.actual))
                        }
                    };
                    writeln!(
                        out,
                        r#"      <failure message="{} {}">{}</failure>"#,
                        xml(&m.change),
                        xml(&m.object_type),
                        xml(&body)
                    )?;
                    writeln!(out, "    </testcase>")?;
                }
            }
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

/// One `::error` per mismatch (at the expected file's line) and per
/// database that could not be checked; a `::notice` with the summary.
fn render_github(report: &FleetReport, out: &mut dyn io::Write) -> io::Result<()> {
    for d in &report.databases {
        if let Some(error) = &d.error {
            writeln!(
                out,
                "::error title={}::{}",
                property(&format!("schemagate: {} could not be checked", d.name)),
                data(error)
            )?;
        }
        for m in &d.mismatches {
            let mut props = String::new();
            if let Some(file) = m.file() {
                props.push_str(&format!("file={},", property(file)));
                if let Some(line) = m.line() {
                    props.push_str(&format!("line={line},"));
                }
            }
            let title = format!(
                "{}: schema {}: {} {}",
                d.name, m.change, m.object_type, m.object
            );
            props.push_str(&format!("title={}", property(&title)));
            let message = match &m.attribute {
                Some(a) => format!(
                    "{a}: expected {}, actual {}",
                    cell(&m.expected),
                    cell(&m.actual)
                ),
                None => format!("expected {}, actual {}", cell(&m.expected), cell(&m.actual)),
            };
            writeln!(out, "::error {props}::{}", data(&message))?;
        }
    }
    writeln!(out, "::notice::{}", data(&report.summary_line()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fleet of three: one matching, one with the shared fixture's every
    /// kind of mismatch, one that could not be checked.
    fn fleet() -> FleetReport {
        let mut matching = crate::report::tests::fixture();
        matching.mismatches.clear();
        FleetReport::new(vec![
            DatabaseReport::compared("eu-1".into(), Some(0), &matching, 120),
            DatabaseReport::compared(
                "postgres://app:***@db-2/app".into(),
                Some(1),
                &crate::report::tests::fixture(),
                2_340,
            ),
            DatabaseReport::failed(
                "us | 3".into(),
                Some(2),
                "cannot connect to postgres://app:***@db-3/app: connection refused".into(),
                1_500,
            ),
        ])
    }

    fn rendered(format: Format) -> String {
        let mut out = Vec::new();
        render(format, &fleet(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('\u{1b}'), "no ANSI escapes in {format:?}");
        text.replace('\r', "␍")
    }

    #[test]
    fn fleet_every_format() {
        for (format, name, _) in Format::VALUES {
            insta::assert_snapshot!(format!("fleet_{name}"), rendered(*format));
        }
    }

    #[test]
    fn fleet_status_is_the_worst_and_error_wins() {
        let f = fleet();
        assert_eq!(f.status, Status::Error);
        assert_eq!(
            FleetReport::new(f.databases[..2].to_vec()).status,
            Status::Mismatch
        );
        assert_eq!(FleetReport::new(Vec::new()).status, Status::Ok);
    }

    #[test]
    fn json_reads_back_and_shards_merge_in_list_order() {
        let f = fleet();
        let text = rendered(Format::Json);
        let back: FleetReport = serde_json::from_str(&text).unwrap();
        assert_eq!(back, f);
        let shard = |keep: usize| FleetReport::new(vec![f.databases[keep].clone()]);
        let merged = FleetReport::merge([shard(2), shard(0), shard(1)]);
        assert_eq!(merged, f);
    }
}
