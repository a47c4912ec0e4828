//! `schemagate diff`: live databases compared with the expected file,
//! read-only. One database gives today's report (`--sql` prints the DDL
//! that would repair it, never running it; `--update` rewrites the expected
//! file instead); several (or a schema pattern, a list, a shard) give a
//! fleet report.

use std::io::{Read, Write};
use std::time::Duration;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use schemagate::pipeline::{self, output, FleetEvent, FleetOptions, FleetTarget, PipelineError};
use schemagate::report::fleet::Status;
use schemagate::sqlgen;

use super::Verdict;
use crate::cli::DiffArgs;
use crate::ui::Ui;

pub fn run(args: DiffArgs, ui: Ui) -> Result<Verdict> {
    if args.fleet.any() || args.db.database_url.len() > 1 {
        if args.sql || args.update {
            anyhow::bail!(
                "--sql and --update work on one database; give one --database-url \
                 without --databases, --schema-pattern or --shard"
            );
        }
        return run_fleet(args, ui);
    }
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

fn run_fleet(args: DiffArgs, ui: Ui) -> Result<Verdict> {
    let mut urls = args.db.database_url.clone();
    // A list replaces the DATABASE_URL of the environment (or .env), which
    // clap cannot tell from a URL given on the command line.
    if args.fleet.databases.is_some()
        && urls.len() == 1
        && std::env::var("DATABASE_URL").ok().as_deref() == Some(urls[0].as_str())
    {
        urls.clear();
    }
    let mut targets: Vec<FleetTarget> = urls
        .iter()
        .enumerate()
        .map(|(i, url)| FleetTarget::unnamed(url.clone(), i))
        .collect();
    if let Some(path) = &args.fleet.databases {
        let (text, origin) = if path.as_os_str() == "-" {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("reading the database list from standard input")?;
            (text, "<stdin>".to_string())
        } else {
            let text = std::fs::read_to_string(path).map_err(|source| PipelineError::ReadList {
                path: path.clone(),
                source,
            })?;
            (text, path.display().to_string())
        };
        targets.extend(pipeline::parse_list(&text, &origin, targets.len())?);
    }
    if targets.is_empty() {
        // A schema pattern over the one database of the environment.
        targets.push(FleetTarget::unnamed(args.db.live().conninfo()?, 0));
    }
    if let Some(shard) = args.fleet.shard {
        targets = shard.select(targets);
    }
    let live = args.db.live();
    let options = FleetOptions {
        schemas: live.schemas.clone(),
        schema_pattern: args.fleet.schema_pattern.clone(),
        jobs: args.fleet.jobs.map_or_else(
            || std::thread::available_parallelism().map_or(1, |n| n.get()),
            |n| n as usize,
        ),
        limits: live.limits,
    };
    let bar = if ui.shows_progress() {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} [{elapsed}]")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        Some(bar)
    } else {
        None
    };
    let failed = std::sync::atomic::AtomicUsize::new(0);
    let on_event = |event: FleetEvent<'_>| {
        if let FleetEvent::Note { database, text } = event {
            let note = || ui.note(&format!("{database}: {text}"));
            match &bar {
                Some(bar) => bar.suspend(note),
                None => note(),
            }
            return;
        }
        let Some(bar) = &bar else { return };
        match event {
            FleetEvent::Note { .. } => {}
            FleetEvent::Total(n) => bar.set_length(n as u64),
            FleetEvent::Finished(report) => {
                if report.status == Status::Error {
                    let n = failed.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    bar.set_message(format!("{n} failed"));
                }
                bar.inc(1);
            }
        }
    };
    let report = pipeline::diff_fleet(&targets, &args.expected, &options, &on_event);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = report?;
    for extra in &args.report.outputs {
        output::write_file(&extra.file, |file| {
            schemagate::report::fleet::render(extra.format, &report, file)
        })?;
    }
    output::write_fleet(&report, args.report.format, &mut std::io::stdout().lock())?;
    Ok(Verdict::of_fleet(&report))
}
