//! `schemagate check`: throwaway server -> migrations -> introspect -> diff ->
//! report, then what it did in one line on stderr.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Result;

use schemagate::pipeline::{self, output, CheckOptions, Event};
use schemagate::report::{Format, Outcome};

use super::Verdict;
use crate::cli::CheckArgs;
use crate::ui::Ui;

pub fn run(args: CheckArgs, ui: Ui) -> Result<Verdict> {
    let started = Instant::now();
    let options = CheckOptions {
        source: args.source.source(),
        expected: args.expected,
        schemas: args.schema.schemas,
        safety: args.safety.options(),
        ignore_kinds: args.ignore_kinds,
    };
    let format = args.report.format;
    let github = format == Format::Github
        || args
            .report
            .outputs
            .iter()
            .any(|o| o.format == Format::Github);
    let built = Mutex::new(None);
    let mut compared = pipeline::check_compared(&options, &|event| {
        match event {
            Event::MigrationFailed(error) => {
                output::annotate_migration_failure(error, github, &mut std::io::stdout().lock())
            }
            Event::Built {
                description,
                server_version,
                migrations,
            } => {
                *built.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some(ran_on(description, server_version, migrations));
            }
            _ => {}
        }
        ui.event(event);
    })?;
    compared.outcome.took = Some(started.elapsed());
    let outcome = &compared.outcome;
    output::write_outcomes(
        outcome,
        format,
        &args.report.outputs,
        &mut std::io::stdout().lock(),
    )?;
    if let Some(ran_on) = built.into_inner().unwrap_or_else(|e| e.into_inner()) {
        ui.summary(&what_was_done(&ran_on, outcome, started.elapsed()));
    }
    if args.update && !outcome.is_match() {
        let rewritten = pipeline::update_expected(
            &options.expected,
            &compared.expected,
            &compared.actual,
            &outcome.source,
        )?;
        let verdict = super::after_update(&options.expected, &rewritten, ui);
        // Hazards are not something an update of the file can fix.
        return Ok(if outcome.hazards_fail() {
            Verdict::Mismatch
        } else {
            verdict
        });
    }
    // A hazard at or above --fail-on fails the run like a mismatch.
    Ok(if outcome.is_match() && !outcome.hazards_fail() {
        Verdict::Match
    } else {
        Verdict::Mismatch
    })
}

/// `applied 6 migrations on local PostgreSQL 16.4 (throwaway cluster)`,
/// with the server's version when the description does not give it.
fn ran_on(description: &str, server_version: Option<&str>, migrations: Option<usize>) -> String {
    let applied = match migrations {
        Some(1) => "applied 1 migration".to_string(),
        Some(n) => format!("applied {n} migrations"),
        None => "ran the migration command".to_string(),
    };
    match server_version {
        Some(v) if !description.contains(v) => {
            format!("{applied} on {description} (PostgreSQL {v})")
        }
        _ => format!("{applied} on {description}"),
    }
}

/// The one line that says what `check` did.
fn what_was_done(ran_on: &str, outcome: &Outcome, took: Duration) -> String {
    format!(
        "{ran_on}; compared {} objects of {} in {:.1} s",
        outcome.objects_compared,
        outcome.expected_file,
        took.as_secs_f64()
    )
}
