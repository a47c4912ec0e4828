//! The migration hazards of an [`Outcome`] in each format; each renderer
//! calls its function here after the mismatches.

use std::io;

use comfy_table::{presets, ContentArrangement, Table};
use serde::Serialize;

use super::junit::xml;
use super::markdown::{code, text};
use crate::hazard::{Hazard, Safety};

/// One hazard on the wire.
#[derive(Serialize)]
pub struct JsonHazard<'a> {
    rule: &'static str,
    severity: &'static str,
    migration: &'a str,
    file: &'a str,
    line: u32,
    statement: &'a str,
    relation: &'a str,
    lock: Option<&'a str>,
    rewrite: bool,
}

pub fn json(safety: &Safety) -> Vec<JsonHazard<'_>> {
    safety
        .hazards
        .iter()
        .map(|h| JsonHazard {
            rule: h.rule.id(),
            severity: h.severity.as_str(),
            migration: &h.migration,
            file: &h.file,
            line: h.line,
            statement: &h.statement,
            relation: &h.relation,
            lock: h.lock.as_deref(),
            rewrite: h.rewrite,
        })
        .collect()
}

/// The first line of a statement, shortened for a cell.
fn short(statement: &str) -> String {
    let first = statement.lines().next().unwrap_or("").trim();
    if first.chars().count() > 60 {
        format!("{}…", first.chars().take(59).collect::<String>())
    } else if statement.trim().lines().count() > 1 {
        format!("{first} …")
    } else {
        first.to_string()
    }
}

fn location(h: &Hazard) -> String {
    format!("{}:{}", h.file, h.line)
}

pub fn table(safety: &Safety, out: &mut dyn io::Write) -> io::Result<()> {
    if !safety.hazards.is_empty() {
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header([
                "rule",
                "severity",
                "at",
                "relation",
                "lock",
                "observed",
                "safe pattern",
            ]);
        if table.width().is_none() {
            table.set_width(160);
        }
        for h in &safety.hazards {
            table.add_row([
                h.rule.id().to_string(),
                h.severity.to_string(),
                location(h),
                h.relation.clone(),
                h.lock.clone().unwrap_or_else(|| "-".into()),
                h.detail.clone(),
                h.rule.safe().to_string(),
            ]);
        }
        writeln!(out, "{table}")?;
    }
    for note in &safety.unobserved {
        writeln!(out, "not observed: {note}")?;
    }
    writeln!(out, "{}", safety.summary_line())
}

pub fn markdown(safety: &Safety, out: &mut dyn io::Write) -> io::Result<()> {
    let icon = if safety.fails() {
        "❌"
    } else if safety.hazards.is_empty() {
        "✅"
    } else {
        "⚠️"
    };
    writeln!(out)?;
    writeln!(
        out,
        "### {icon} migration safety: {}",
        text(&safety.summary_line())
    )?;
    if !safety.hazards.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "| rule | severity | at | statement | relation | lock | rewrite | why | safe pattern |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|---|---|---|")?;
        for h in &safety.hazards {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                code(h.rule.id()),
                h.severity,
                text(&location(h)),
                code(&short(&h.statement)),
                code(&h.relation),
                h.lock.as_deref().map_or("-".to_string(), text),
                if h.rewrite { "yes" } else { "no" },
                text(h.rule.why()),
                text(h.rule.safe()),
            )?;
        }
    }
    for note in &safety.unobserved {
        writeln!(out)?;
        writeln!(out, "Not observed: {}", text(note))?;
    }
    Ok(())
}

/// The migration-safety suite's test cases and failing ones.
pub fn junit_counts(safety: &Safety) -> (usize, usize) {
    let failing = |m: &str| {
        safety
            .hazards
            .iter()
            .any(|h| h.migration == m && safety.fail_on.fails(h.severity))
    };
    let failures = safety.judged.iter().filter(|m| failing(m)).count();
    (safety.judged.len(), failures)
}

/// A second test suite: one case per judged migration, a `<failure>` per
/// hazard at or above `--fail-on`; the others are listed in `<system-out>`.
pub fn junit(safety: &Safety, out: &mut dyn io::Write) -> io::Result<()> {
    let (total, failures) = junit_counts(safety);
    writeln!(
        out,
        r#"  <testsuite name="schemagate.migration-safety" tests="{total}" failures="{failures}" errors="0" skipped="0">"#,
    )?;
    for m in &safety.judged {
        let hazards: Vec<&Hazard> = safety
            .hazards
            .iter()
            .filter(|h| &h.migration == m)
            .collect();
        let file = hazards
            .first()
            .map_or(String::new(), |h| format!(r#" file="{}""#, xml(&h.file)));
        let open = format!(
            r#"    <testcase name="{}" classname="schemagate.migration"{file}"#,
            xml(m)
        );
        if hazards.is_empty() {
            writeln!(out, "{open}/>")?;
            continue;
        }
        writeln!(out, "{open}>")?;
        let mut notes = Vec::new();
        for h in hazards {
            let message = format!("{} on {}: {}", h.rule, h.relation, h.detail);
            let body = format!(
                "{}&#10;why: {}&#10;safe: {}&#10;at: {}",
                xml(&h.statement),
                xml(h.rule.why()),
                xml(h.rule.safe()),
                xml(&location(h))
            );
            if safety.fail_on.fails(h.severity) {
                writeln!(
                    out,
                    r#"      <failure message="{}" type="{}">{body}</failure>"#,
                    xml(&message),
                    h.severity,
                )?;
            } else {
                notes.push(format!("{}: {} ({})", h.severity, message, location(h)));
            }
        }
        if !notes.is_empty() {
            writeln!(
                out,
                "      <system-out>{}</system-out>",
                xml(&notes.join("\n"))
            )?;
        }
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")
}

/// `::error` or `::warning` at the statement's line in the migration file.
pub fn github(safety: &Safety, out: &mut dyn io::Write) -> io::Result<()> {
    for h in &safety.hazards {
        let at = super::github::AnnotationAt {
            file: &h.file,
            line: Some(h.line as usize),
            column: None,
        };
        let title = format!("migration hazard {}: {}", h.rule, h.relation);
        let message = format!("{}. {}. Safe: {}", h.detail, h.rule.why(), h.rule.safe());
        if safety.fail_on.fails(h.severity) || h.severity == crate::hazard::Severity::Error {
            super::github::error(out, &at, &title, &message)?;
        } else {
            super::github::warning(out, &at, &title, &message)?;
        }
    }
    for note in &safety.unobserved {
        writeln!(
            out,
            "::notice::{}",
            super::github::data(&format!("not observed: {note}"))
        )?;
    }
    Ok(())
}
