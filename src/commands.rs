//! What each subcommand does, from resolved arguments to a verdict.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use schemagate::db;
use schemagate::expected;
use schemagate::introspect::{self, Limits};
use schemagate::model::Schema;
use schemagate::report::{self, Format, Outcome};

use crate::cli::{Cli, Command, DatabaseArgs, DiffArgs, SnapshotArgs};
use crate::ui::Ui;
use crate::Verdict;

pub fn run(cli: Cli) -> Result<Verdict> {
    let ui = Ui::new(cli.quiet, cli.verbose);
    match cli.command {
        Command::Check(args) => crate::cmd_check::run(args, ui),
        Command::Diff(args) => run_diff(args, ui),
        Command::Snapshot(args) => run_snapshot(args, ui),
        Command::Migrate(args) => crate::cmd_migrate::run_migrate(args, cli.quiet),
        Command::Bootstrap(args) => crate::cmd_migrate::run_bootstrap(args, cli.quiet),
        Command::Roundtrip(args) => crate::cmd_roundtrip::run(args, ui),
        Command::Report(args) => crate::cmd_report::run(args, ui),
        Command::Schema => print_json_schema(),
    }
}

/// The connection string: --database-url / DATABASE_URL, else the PG* environment.
fn database_url(args: &DatabaseArgs) -> Result<String> {
    match &args.database_url {
        Some(url) => Ok(url.clone()),
        None if db::pg_env_present() => Ok(String::new()),
        None => anyhow::bail!(
            "no database given: pass --database-url, set DATABASE_URL, or set PGHOST/PGDATABASE"
        ),
    }
}

fn limits(args: &DatabaseArgs) -> Limits {
    Limits {
        statement_timeout: Duration::from_secs(args.statement_timeout),
        lock_timeout: Duration::from_secs(args.lock_timeout),
    }
}

/// The schemas to read: those asked for, else those the expected file declares.
pub fn schemas_to_read(asked: &[String], expected: Option<&Schema>) -> Vec<String> {
    if !asked.is_empty() {
        return asked.to_vec();
    }
    match expected {
        Some(e) if !e.schemas.is_empty() => e.schemas.keys().cloned().collect(),
        _ => vec!["public".to_string()],
    }
}

fn run_diff(args: DiffArgs, ui: Ui) -> Result<Verdict> {
    // Parsing a large expected file takes as long as reading the catalog:
    // when the schemas to read are known up front (--schema, or guessed from
    // the file's text), the catalog is read on another thread meanwhile.
    let guess = if args.db.schemas.is_empty() {
        std::fs::read_to_string(&args.expected)
            .ok()
            .and_then(|text| expected::declared_schemas_hint(&text))
            .map(|names| {
                if names.is_empty() {
                    vec!["public".to_string()]
                } else {
                    names
                }
            })
    } else {
        Some(args.db.schemas.clone())
    };
    let reader = guess.map(|guessed| {
        let db = args.db.clone();
        let schemas = guessed.clone();
        let handle = std::thread::spawn(move || read_database(&db, &schemas, ui));
        (guessed, handle)
    });
    let expected = load_expected(&args.expected, ui)?;
    let schemas = schemas_to_read(&args.db.schemas, Some(&expected));
    let url = database_url(&args.db)?;
    let actual = match reader {
        Some((guessed, handle)) => {
            let read = handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            if guessed == schemas {
                read?
            } else {
                ui.verbose("the file declares other schemas than guessed: reading again");
                read_database(&args.db, &schemas, ui)?
            }
        }
        None => read_database(&args.db, &schemas, ui)?,
    };
    let started = Instant::now();
    let outcome = compare(
        &expected,
        &actual,
        &args.expected.display().to_string(),
        db::describe(&url),
    );
    ui.verbose(&format!(
        "compared in {} ms ({} mismatches)",
        started.elapsed().as_millis(),
        outcome.mismatches.len()
    ));
    let verdict = emit(&outcome, args.format);
    // The process ends after this: freeing two large schemas string by
    // string would take longer than comparing them.
    std::mem::forget((expected, actual, outcome));
    verdict
}

/// `expected::load`, saying with -v how long it took.
pub fn load_expected(path: &Path, ui: Ui) -> Result<Schema> {
    let started = Instant::now();
    let expected = expected::load(path)?;
    ui.verbose(&format!(
        "loaded {} ({} tables) in {} ms",
        path.display(),
        table_count(&expected),
        started.elapsed().as_millis()
    ));
    Ok(expected)
}

/// Connects and introspects, saying with -v how long each stage took.
fn read_database(args: &DatabaseArgs, schemas: &[String], ui: Ui) -> Result<Schema> {
    let url = database_url(args)?;
    introspect_timed(&url, Duration::from_secs(2), schemas, limits(args), ui)
}

/// Connects to `url` (a URL or a key-value connection string) and runs
/// `introspect::schema_with_helper`, with per-query timings under -v. A
/// second connection, when it can be had, reads the costliest part of the
/// catalog at the same time, in the same snapshot.
pub fn introspect_timed(
    url: &str,
    patience: Duration,
    schemas: &[String],
    limits: Limits,
    ui: Ui,
) -> Result<Schema> {
    let started = Instant::now();
    let mut client = db::connect(url, patience)?;
    let mut helper = db::connect(url, Duration::ZERO).ok();
    ui.verbose(&format!(
        "connected in {} ms{}",
        started.elapsed().as_millis(),
        if helper.is_some() {
            " (2 connections)"
        } else {
            ""
        }
    ));
    let started = Instant::now();
    let actual = introspect::schema_with_helper(
        &mut client,
        helper.as_mut(),
        schemas,
        limits,
        |stage, took| ui.verbose(&format!("  {stage}: {} ms", took.as_millis())),
    )?;
    ui.verbose(&format!(
        "read the catalog ({} tables) in {} ms",
        table_count(&actual),
        started.elapsed().as_millis()
    ));
    Ok(actual)
}

fn table_count(s: &Schema) -> usize {
    s.schemas.values().map(|n| n.tables.len()).sum()
}

pub fn compare(expected: &Schema, actual: &Schema, expected_file: &str, source: String) -> Outcome {
    Outcome::compare(expected, actual, expected_file, source)
}

pub fn emit(outcome: &Outcome, format: Format) -> Result<Verdict> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    report::render(format, outcome, &mut out).context("writing the report")?;
    if format == Format::Table && std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true") {
        report::render(Format::Github, outcome, &mut out).context("writing annotations")?;
    }
    out.flush().context("writing the report")?;
    Ok(if outcome.is_match() {
        Verdict::Match
    } else {
        Verdict::Mismatch
    })
}

fn run_snapshot(args: SnapshotArgs, ui: Ui) -> Result<Verdict> {
    let schemas = schemas_to_read(&args.db.schemas, None);
    let actual = match &args.migrations {
        Some(dir) => {
            let source = crate::cli::SourceArgs {
                migrations: dir.clone(),
                target: args.target.clone().unwrap_or_else(|| "auto".into()),
                pg_bin: args.pg_bin.clone(),
                bootstrap: false,
                migrate_cmd: None,
                format_migrations: None,
            };
            crate::cmd_check::build(&source, ui)?.introspect(&schemas)?
        }
        None => read_database(&args.db, &schemas, ui)?,
    };
    let yaml = expected::to_yaml(&actual);
    // The process ends soon after: no need to free the schema piece by piece.
    std::mem::forget(actual);
    match &args.output {
        Some(path) => std::fs::write(path, yaml)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout()
            .write_all(yaml.as_bytes())
            .context("writing the snapshot")?,
    }
    Ok(Verdict::Match)
}

/// `schemagate schema`: the JSON Schema of expected_schema.yaml.
fn print_json_schema() -> Result<Verdict> {
    let mut out = std::io::stdout().lock();
    out.write_all(schemagate::expected::json_schema::render().as_bytes())
        .and_then(|()| out.flush())
        .context("writing the JSON Schema")?;
    Ok(Verdict::Match)
}
