//! GitHub Actions workflow commands: one `::error` annotation per mismatch,
//! pointing at the line of the expected file it concerns.
//!
//! Escaping follows the runner's rules (`@actions/core` `escapeData` and
//! `escapeProperty`): `%`, CR and LF in messages; also `:` and `,` in
//! property values.

use std::io;

use super::{cell, Outcome};

pub fn render(outcome: &Outcome, out: &mut dyn io::Write) -> io::Result<()> {
    for m in &outcome.mismatches {
        let title = format!("schema {}: {} {}", m.change, m.object_type, m.object);
        let mut message = match &m.attribute {
            Some(a) => format!(
                "{a}: expected {}, actual {}",
                cell(&m.expected),
                cell(&m.actual)
            ),
            None => format!("expected {}, actual {}", cell(&m.expected), cell(&m.actual)),
        };
        if m.line.is_none() {
            message.push_str(" (not declared in the expected file)");
        }
        error(
            out,
            &AnnotationAt {
                file: &outcome.expected_file,
                line: m.line.map(|l| l as usize),
                column: None,
            },
            &title,
            &message,
        )?;
    }
    for u in &outcome.not_compared {
        error(
            out,
            &AnnotationAt {
                file: &outcome.expected_file,
                line: None,
                column: None,
            },
            &format!("schema not compared: {} {}", u.object_type, u),
            "schemagate does not model this kind of object; list it under ignore_kinds: to accept it unchecked",
        )?;
    }
    if outcome.is_match() {
        notice(out, &outcome.summary_line())?;
    }
    match &outcome.safety {
        Some(safety) => super::hazards::github(safety, out),
        None => Ok(()),
    }
}

/// Writes one `::notice::message` command.
pub fn notice(out: &mut dyn io::Write, message: &str) -> io::Result<()> {
    writeln!(out, "::notice::{}", data(message))
}

/// Where an annotation points.
pub struct AnnotationAt<'a> {
    pub file: &'a str,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// Writes one `::error file=…,line=…,col=…,title=…::message` command.
pub fn error(
    out: &mut dyn io::Write,
    at: &AnnotationAt,
    title: &str,
    message: &str,
) -> io::Result<()> {
    let mut props = format!("file={}", property(at.file));
    if let Some(line) = at.line {
        props.push_str(&format!(",line={line}"));
        if let Some(col) = at.column {
            props.push_str(&format!(",col={col}"));
        }
    }
    props.push_str(&format!(",title={}", property(title)));
    writeln!(out, "::error {props}::{}", data(message))
}

/// Writes one `::warning file=…,line=…,title=…::message` command.
pub fn warning(
    out: &mut dyn io::Write,
    at: &AnnotationAt,
    title: &str,
    message: &str,
) -> io::Result<()> {
    let mut line = Vec::new();
    error(&mut line, at, title, message)?;
    out.write_all(b"::warning")?;
    out.write_all(&line["::error".len()..])
}

/// Escapes a workflow-command message. Beyond the runner's rules, other
/// control characters are shown escaped, so a name holding an escape
/// sequence cannot restyle the log.
pub(crate) fn data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a workflow-command property value.
pub(crate) fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}
