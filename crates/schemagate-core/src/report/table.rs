//! The human format: one row per mismatch, then a summary line. No colour,
//! so NO_COLOR and pipes need no special handling.

use std::io;

use comfy_table::{presets, ContentArrangement, Table};

use super::{body_diff, cell, Outcome};

pub fn render(outcome: &Outcome, out: &mut dyn io::Write) -> io::Result<()> {
    if !outcome.mismatches.is_empty() {
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header([
                "object",
                "type",
                "change",
                "attribute",
                "expected",
                "actual",
                "line",
            ]);
        if table.width().is_none() {
            table.set_width(160);
        }
        for m in &outcome.mismatches {
            if let Some(diff) = body_diff(m) {
                table.add_row([
                    printable(&m.object),
                    m.object_type.as_str().to_string(),
                    m.change.as_str().to_string(),
                    "body".to_string(),
                    printable(&diff),
                    "(diff: - expected, + actual)".to_string(),
                    m.line.map_or("-".to_string(), |l| l.to_string()),
                ]);
                continue;
            }
            table.add_row([
                printable(&m.object),
                m.object_type.as_str().to_string(),
                m.change.as_str().to_string(),
                printable(m.attribute.as_deref().unwrap_or("-")),
                printable(cell(&m.expected)),
                printable(cell(&m.actual)),
                m.line.map_or("-".to_string(), |l| l.to_string()),
            ]);
        }
        writeln!(out, "{table}")?;
    }
    if !outcome.not_compared.is_empty() {
        writeln!(
            out,
            "not compared (present, but schemagate does not model them):"
        )?;
        for u in &outcome.not_compared {
            writeln!(out, "  {} {}", u.object_type, printable(&u.to_string()))?;
        }
    }
    writeln!(out, "{}", outcome.summary_line())
}

/// Text safe to print on a terminal: line breaks stay (a cell may span
/// lines), a tab becomes a space, and other control characters (a lone
/// carriage return, an escape sequence in a name) are shown escaped.
fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.replace("\r\n", "\n").chars() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}
