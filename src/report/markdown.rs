//! Markdown for pull-request comments and `$GITHUB_STEP_SUMMARY`.

use std::io;

use super::{cell, Outcome};

pub fn render(outcome: &Outcome, out: &mut dyn io::Write) -> io::Result<()> {
    let icon = if outcome.is_match() { "✅" } else { "❌" };
    writeln!(
        out,
        "### {icon} schemagate: {}",
        escape(&outcome.summary_line())
    )?;
    if outcome.is_match() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "| object | type | change | attribute | expected | actual | line |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|")?;
    for m in &outcome.mismatches {
        writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} | {} |",
            m.object.replace('`', "'"),
            m.object_type,
            m.change,
            m.attribute.as_deref().unwrap_or("-"),
            code(cell(&m.expected)),
            code(cell(&m.actual)),
            m.line.map_or("-".to_string(), |l| format!(
                "{}:{l}",
                outcome.expected_file
            )),
        )?;
    }
    Ok(())
}

fn code(text: &str) -> String {
    if text == "-" {
        return text.to_string();
    }
    format!(
        "`{}`",
        text.replace('`', "'")
            .replace('|', "\\|")
            .replace('\n', " ")
    )
}

fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}
