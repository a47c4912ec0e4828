//! The human format: a grid with one row per mismatch when there is room,
//! else one block per object; then a summary line. No colour, so NO_COLOR
//! and pipes need no special handling.

use std::io;

use comfy_table::{presets, ContentArrangement, Table};

use super::{body_diff, cell, Outcome};
use crate::diff::{Change, Mismatch};

/// Below this many columns the grid wraps identifiers mid-word: each
/// object gets a block of its own instead.
pub const GRID_MIN_WIDTH: usize = 120;

/// The grid, at most 160 columns wide: for output that is not a terminal.
pub fn render(outcome: &Outcome, out: &mut dyn io::Write) -> io::Result<()> {
    render_for_width(outcome, None, out)
}

/// For a terminal `width` columns wide (`None`: not a terminal): a grid
/// when `width` is unknown or at least [`GRID_MIN_WIDTH`], else the
/// vertical layout.
pub fn render_for_width(
    outcome: &Outcome,
    width: Option<usize>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    match width {
        Some(w) if w < GRID_MIN_WIDTH => render_vertical(outcome, w, out),
        _ => render_grid(outcome, width, out),
    }
}

fn render_grid(outcome: &Outcome, width: Option<usize>, out: &mut dyn io::Write) -> io::Result<()> {
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
        table.set_width(width.map_or(160, |w| w.min(u16::MAX as usize) as u16));
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
            let expected = match m.change {
                Change::Unexpected => "not declared",
                _ => cell(&m.expected),
            };
            table.add_row([
                printable(&m.object),
                m.object_type.as_str().to_string(),
                m.change.as_str().to_string(),
                printable(m.attribute.as_deref().unwrap_or("-")),
                printable(expected),
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
    writeln!(out, "{}", outcome.summary_line())?;
    match &outcome.safety {
        Some(safety) => super::hazards::table(safety, out),
        None => Ok(()),
    }
}

/// One block per object: its name, then per mismatch what changed, the
/// expected file's line as load errors quote it, and the expected and
/// actual values on lines of their own.
fn render_vertical(outcome: &Outcome, width: usize, out: &mut dyn io::Write) -> io::Result<()> {
    let mut previous: Option<&str> = None;
    for m in &outcome.mismatches {
        if previous != Some(m.object.as_str()) {
            if previous.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{}", printable(&m.object))?;
            previous = Some(&m.object);
        }
        writeln!(out, "  {}", what_changed(m))?;
        if let Some((line, text)) = m
            .line
            .and_then(|l| outcome.expected_lines.get(&l).map(|t| (l, t)))
        {
            writeln!(out, "  {line:>5} | {}", printable(text).replace('\n', " "))?;
        }
        if let Some(diff) = body_diff(m) {
            writeln!(out, "    body diff (- expected, + actual):")?;
            for line in printable(&diff).lines() {
                writeln!(out, "      {line}")?;
            }
            continue;
        }
        for (label, value) in values(m) {
            let value = printable(value);
            let mut lines = value.lines();
            writeln!(out, "    {label:<10}{}", lines.next().unwrap_or(""))?;
            for more in lines {
                writeln!(out, "    {:<10}{more}", "")?;
            }
        }
    }
    if !outcome.mismatches.is_empty() {
        writeln!(out)?;
    }
    if !outcome.not_compared.is_empty() {
        writeln!(
            out,
            "not compared (present, but schemagate does not model them):"
        )?;
        for u in &outcome.not_compared {
            writeln!(out, "  {} {}", u.object_type, printable(&u.to_string()))?;
        }
        writeln!(out)?;
    }
    writeln!(out, "{}", wrap(&outcome.summary_line(), width))
}

/// `text` broken at spaces into lines of at most `width` characters (a
/// longer word keeps its own line).
fn wrap(text: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines.join("\n")
}

/// `column changed: type`, `table missing`, `column not declared`.
fn what_changed(m: &Mismatch) -> String {
    let change = match m.change {
        Change::Unexpected => "not declared",
        other => other.as_str(),
    };
    match &m.attribute {
        Some(attribute) => format!("{} {change}: {}", m.object_type, printable(attribute)),
        None => format!("{} {change}", m.object_type),
    }
}

/// The value lines worth printing: not the bare "present" of a whole
/// object, nor "-" for the side that has none.
fn values(m: &Mismatch) -> Vec<(&'static str, &str)> {
    fn informative(v: &Option<String>) -> Option<&str> {
        v.as_deref().filter(|text| *text != "present")
    }
    let mut out = Vec::new();
    match m.change {
        Change::Changed => {
            out.push(("expected", cell(&m.expected)));
            out.push(("actual", cell(&m.actual)));
        }
        Change::Missing => out.extend(informative(&m.expected).map(|v| ("expected", v))),
        Change::Unexpected => out.extend(informative(&m.actual).map(|v| ("actual", v))),
    }
    out
}

/// Text safe to print on a terminal: line breaks stay (a cell may span
/// lines), a tab becomes a space, and other control characters (a lone
/// carriage return, an escape sequence in a name) are shown escaped.
pub(crate) fn printable(text: &str) -> String {
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
