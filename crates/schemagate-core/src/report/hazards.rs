//! Cells shared by each renderer's migration-hazards section. A leaf: the
//! renderers (json, table, markdown, junit, github) import it, never the
//! other way, so each format owns its section.

use crate::hazard::Hazard;

/// The first line of a statement, shortened for a cell.
pub(super) fn short(statement: &str) -> String {
    let first = statement.lines().next().unwrap_or("").trim();
    if first.chars().count() > 60 {
        format!("{}…", first.chars().take(59).collect::<String>())
    } else if statement.trim().lines().count() > 1 {
        format!("{first} …")
    } else {
        first.to_string()
    }
}

pub(super) fn location(h: &Hazard) -> String {
    format!("{}:{}", h.file, h.line)
}
