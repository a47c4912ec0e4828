//! Writing findings for CI into any `io::Write`: a comparison in the chosen
//! format (plus workflow annotations inside GitHub Actions), and an
//! annotation at the file and line of a migration the server rejected.

use std::io::{self, Write};

use crate::db;
use crate::migrate::MigrateError;
use crate::report::fleet::{self, FleetReport};
use crate::report::{self, github, Format, Outcome};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("writing the report")]
    Report(#[source] io::Error),
    #[error("writing annotations")]
    Annotations(#[source] io::Error),
}

/// Whether this run is a GitHub Actions job.
pub fn in_github_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true")
}

/// Renders `outcome` in `format`; a table inside GitHub Actions is followed
/// by workflow annotations.
pub fn write_outcome(
    outcome: &Outcome,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), WriteError> {
    report::render(format, outcome, out).map_err(WriteError::Report)?;
    if format == Format::Table && in_github_actions() {
        report::render(Format::Github, outcome, out).map_err(WriteError::Annotations)?;
    }
    out.flush().map_err(WriteError::Report)
}

/// Renders a fleet report in `format`; a table inside GitHub Actions is
/// followed by workflow annotations.
pub fn write_fleet(
    report: &FleetReport,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), WriteError> {
    fleet::render(format, report, out).map_err(WriteError::Report)?;
    if format == Format::Table && in_github_actions() {
        fleet::render(Format::Github, report, out).map_err(WriteError::Annotations)?;
    }
    out.flush().map_err(WriteError::Report)
}

/// For a migration statement the server rejected, writes a GitHub
/// annotation at its file, line and column, when `github_format` or the run
/// is a GitHub Actions job. The error itself is the caller's to report.
pub fn annotate_migration_failure(error: &MigrateError, github_format: bool, out: &mut dyn Write) {
    if !github_format && !in_github_actions() {
        return;
    }
    let MigrateError::Statement {
        file,
        line,
        column,
        severity,
        sqlstate,
        message,
        detail,
        hint,
        ..
    } = error
    else {
        return;
    };
    // Annotations take paths relative to the repository.
    let file = std::env::var_os("GITHUB_WORKSPACE")
        .and_then(|root| file.strip_prefix(root).ok().map(|p| p.to_path_buf()))
        .unwrap_or_else(|| file.clone());
    let mut text = format!("{severity} {sqlstate}: {message}");
    for (label, extra) in [("DETAIL", detail), ("HINT", hint)] {
        if let Some(extra) = extra {
            text.push_str(&format!("\n{label}: {extra}"));
        }
    }
    let file = file.display().to_string();
    let at = github::AnnotationAt {
        file: &file,
        line: Some(*line),
        column: Some(*column),
    };
    let _ = github::error(out, &at, "migration failed", &db::redact(&text));
    let _ = out.flush();
}
