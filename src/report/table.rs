//! The human format: one row per mismatch, then a summary line.

use std::io;

use comfy_table::{presets, ContentArrangement, Table};

use super::{cell, Outcome};

pub fn render(outcome: &Outcome, out: &mut dyn io::Write) -> io::Result<()> {
    if !outcome.is_match() {
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
            table.add_row([
                m.object.as_str(),
                m.object_type.as_str(),
                m.change.as_str(),
                m.attribute.as_deref().unwrap_or("-"),
                cell(&m.expected),
                cell(&m.actual),
                &m.line.map_or("-".to_string(), |l| l.to_string()),
            ]);
        }
        writeln!(out, "{table}")?;
    }
    writeln!(out, "{}", outcome.summary_line())
}
