//! Markdown for pull-request comments and `$GITHUB_STEP_SUMMARY`: a summary
//! line, then the mismatches as a GitHub-flavoured Markdown table.

use std::io;

use super::{body_diff, Outcome};

pub fn render(outcome: &Outcome, out: &mut dyn io::Write) -> io::Result<()> {
    let icon = if outcome.is_match() { "✅" } else { "❌" };
    writeln!(
        out,
        "### {icon} schemagate: {}",
        text(&outcome.summary_line())
    )?;
    if !outcome.is_match() {
        mismatches(outcome, out)?;
    }
    match &outcome.safety {
        Some(safety) => super::hazards::markdown(safety, out),
        None => Ok(()),
    }
}

fn mismatches(outcome: &Outcome, out: &mut dyn io::Write) -> io::Result<()> {
    if !outcome.not_compared.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Not compared (present, but schemagate does not model them):"
        )?;
        writeln!(out)?;
        for u in &outcome.not_compared {
            writeln!(out, "- {} {}", text(&u.object_type), code(&u.to_string()))?;
        }
    }
    if outcome.mismatches.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "| object | type | change | attribute | expected | actual | line |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|")?;
    let mut diffs = Vec::new();
    for m in &outcome.mismatches {
        let (expected, actual) = match body_diff(m) {
            Some(diff) => {
                diffs.push((m, diff));
                ("*(diff below)*".to_string(), "*(diff below)*".to_string())
            }
            None => (
                m.expected.as_deref().map_or("-".to_string(), code),
                m.actual.as_deref().map_or("-".to_string(), code),
            ),
        };
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            code(&m.object),
            m.object_type,
            m.change,
            m.attribute.as_deref().map_or("-".to_string(), text),
            expected,
            actual,
            m.line.map_or("-".to_string(), |l| text(&format!(
                "{}:{l}",
                outcome.expected_file
            ))),
        )?;
    }
    for (m, diff) in diffs {
        // A fence longer than any run of backticks in the diff.
        let mut fence = "```".to_string();
        while diff.contains(&fence) {
            fence.push('`');
        }
        writeln!(out)?;
        writeln!(out, "{} body (- expected, + actual):", code(&m.object))?;
        writeln!(out)?;
        writeln!(out, "{fence}diff\n{diff}\n{fence}")?;
    }
    Ok(())
}

/// `text` as an inline code span that is safe in a table cell: the fence is
/// longer than any run of backticks inside, `|` is escaped (GFM splits cells
/// before it parses code spans), and line breaks become spaces (a table row
/// is one line; CommonMark turns them into spaces inside code spans anyway).
pub fn code(text: &str) -> String {
    let flat = one_line(text);
    if flat.is_empty() {
        return "*(empty)*".to_string();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in flat.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // CommonMark strips one space from each side when both are spaces, and a
    // backtick next to the fence would lengthen it: pad so both survive.
    let pad = if flat.starts_with(['`', ' ']) || flat.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", flat.replace('|', "\\|"))
}

/// `text` as plain inline Markdown on one line: every character that could
/// start emphasis, a link, HTML, an entity or a code span, or end a table
/// cell, is backslash-escaped.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Line breaks and tabs become spaces; other control characters (an escape
/// sequence in a name) are shown escaped.
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.replace("\r\n", " ").chars() {
        match c {
            '\r' | '\n' | '\t' => out.push(' '),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}
