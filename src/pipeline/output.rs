//! Writing findings for CI into any `io::Write`: a comparison in the chosen
//! format (plus workflow annotations inside GitHub Actions), the same
//! comparison in more formats into files (`--output FORMAT=FILE`), and an
//! annotation at the file and line of a migration the server rejected.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

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
    #[error("cannot write {}", path.display())]
    File {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// One `--output FORMAT=FILE`: a report written beside the main one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtraOutput<F> {
    pub format: F,
    pub file: PathBuf,
}

/// The width of the terminal that standard output is, for the table
/// layout: `COLUMNS` when set (as `ls` reads it), else the terminal's own
/// width; `None` when output goes to a pipe or file.
pub fn stdout_width() -> Option<usize> {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0)
    {
        return Some(columns);
    }
    if !io::stdout().is_terminal() {
        return None;
    }
    // SAFETY: TIOCGWINSZ fills a winsize struct for a terminal descriptor
    // and touches nothing else.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_col > 0).then_some(size.ws_col as usize)
}

/// Renders `outcome` in `format` to `out` as [`write_outcome`] does, at the
/// width of the terminal for the table, then writes each extra output to
/// its file.
pub fn write_outcomes(
    outcome: &Outcome,
    format: Format,
    extra: &[ExtraOutput<Format>],
    out: &mut dyn Write,
) -> Result<(), WriteError> {
    for output in extra {
        write_file(&output.file, |file| {
            report::render(output.format, outcome, file)
        })?;
    }
    if format == Format::Table {
        report::table::render_for_width(outcome, stdout_width(), out)
            .map_err(WriteError::Report)?;
        if in_github_actions() {
            report::render(Format::Github, outcome, out).map_err(WriteError::Annotations)?;
        }
        return out.flush().map_err(WriteError::Report);
    }
    write_outcome(outcome, format, out)
}

/// Writes `path` with `render`, whole or not at all: into a temporary file
/// beside it, renamed over it at the end.
pub fn write_file(
    path: &Path,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), WriteError> {
    let error = |source| WriteError::File {
        path: path.to_path_buf(),
        source,
    };
    let mut text = Vec::new();
    render(&mut text).map_err(error)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.schemagate-{}", std::process::id()));
    std::fs::write(&temporary, &text)
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            error(e)
        })
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
