//! GitHub Actions workflow commands: one `::error` annotation per mismatch,
//! pointing at the line of the expected file it concerns.

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
        let mut props = format!("file={}", property(&outcome.expected_file));
        if let Some(line) = m.line {
            props.push_str(&format!(",line={line}"));
        }
        props.push_str(&format!(",title={}", property(&title)));
        writeln!(out, "::error {props}::{}", data(&message))?;
    }
    if outcome.is_match() {
        writeln!(out, "::notice::{}", data(&outcome.summary_line()))?;
    }
    Ok(())
}

/// Escapes a workflow-command message.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}
