//! `schemagate diff`: a live database compared with the expected file,
//! read-only. `--sql` prints the DDL that would repair it (never runs it);
//! `--update` rewrites the expected file instead.

use std::io::Write;

use anyhow::{Context, Result};

use schemagate::pipeline::{self, output};
use schemagate::sqlgen;

use super::Verdict;
use crate::cli::DiffArgs;
use crate::ui::Ui;

pub fn run(args: DiffArgs, ui: Ui) -> Result<Verdict> {
    let started = std::time::Instant::now();
    let mut compared = pipeline::diff(
        &args.db.live(),
        &args.expected,
        &args.ignore_kinds,
        move |event| ui.event(event),
    )?;
    compared.outcome.took = Some(started.elapsed());
    let outcome = &compared.outcome;
    let mut verdict = if outcome.is_match() {
        Verdict::Match
    } else {
        Verdict::Mismatch
    };
    if args.sql {
        let statements = sqlgen::repair(&compared.expected, &compared.actual, &outcome.mismatches);
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(sqlgen::render(&statements, args.allow_destructive).as_bytes())
            .and_then(|()| stdout.flush())
            .context("writing the SQL")?;
        ui.note(&outcome.summary_line());
    } else {
        output::write_outcomes(
            outcome,
            args.report.format,
            &args.report.outputs,
            &mut std::io::stdout().lock(),
        )?;
        if args.update && !outcome.is_match() {
            let rewritten = pipeline::update_expected(
                &args.expected,
                &compared.expected,
                &compared.actual,
                &outcome.source,
            )?;
            verdict = super::after_update(&args.expected, &rewritten, ui);
        }
    }
    // The process ends after this: freeing two large schemas string by
    // string would take longer than comparing them.
    std::mem::forget(compared);
    Ok(verdict)
}
