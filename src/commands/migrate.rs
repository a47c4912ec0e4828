//! `schemagate migrate …`: from resolved arguments to a verdict, with short
//! human lines on stdout and notes on stderr.

use std::path::Path;
use std::time::Duration;

use anyhow::{anyhow, Result};
use comfy_table::{presets, ContentArrangement, Table};

use schemagate::db;
use schemagate::migrate::{
    self, DownTarget, MigrateEvent, Migration, MigrationKind, MigrationState, Version,
};

use super::Verdict;
use crate::cli::{MigrateAction, MigrateArgs};

pub fn run(args: MigrateArgs, quiet: bool) -> Result<Verdict> {
    let url = || {
        args.database_url
            .as_deref()
            .or_else(|| db::pg_env_present().then_some(""))
            .ok_or_else(|| anyhow!("no database given: pass --database-url, set DATABASE_URL, or set PGHOST/PGDATABASE"))
    };
    let connect =
        || -> Result<postgres::Client> { Ok(db::connect(url()?, Duration::from_secs(2))?) };
    let on_event = |event: MigrateEvent<'_>| report_event(event, quiet);
    let discover = || -> Result<Vec<Migration>> {
        let migrations = migrate::discover(
            &args.migrations.migrations,
            args.migrations.format_migrations,
        )?;
        for warning in migrations.iter().flat_map(Migration::warnings) {
            eprintln!("schemagate: warning: {warning}");
        }
        Ok(migrations)
    };
    // history and current only order rows by the files; they work without them.
    let discover_if_there = || -> Result<Vec<Migration>> {
        match args.migrations.migrations.is_dir() {
            true => discover(),
            false => Ok(Vec::new()),
        }
    };
    match args.action {
        MigrateAction::New { name } => {
            let (up, down) = migrate::new(&args.migrations.migrations, &name)?;
            println!("created {}", up.display());
            println!("created {}", down.display());
        }
        MigrateAction::Up { to, backup } => {
            let migrations = discover()?;
            if let Some(file) = &backup {
                write_backup(url()?, file)?;
            }
            let summary = match migrate::up(&mut connect()?, &migrations, to.as_deref(), on_event) {
                Ok(summary) => summary,
                Err(e) => {
                    // Say where the run left the database: what the user
                    // decides next depends on it.
                    let at = connect()
                        .ok()
                        .and_then(|mut c| migrate::current(&mut c, &migrations).ok())
                        .map(|row| {
                            row.map_or_else(|| "0 (nothing applied)".to_string(), |r| r.id())
                        });
                    if let Some(at) = at {
                        eprintln!(
                            "schemagate: the run stopped (a failed migration is never recorded); database left at {at}"
                        );
                    }
                    return Err(e.into());
                }
            };
            let at = describe(summary.current.as_ref(), &migrations);
            if summary.ran.is_empty() {
                println!("nothing to apply; database is at {at}");
            } else {
                println!("database is at {at}");
            }
        }
        MigrateAction::Down { to, steps, backup } => {
            let target = match (to, steps) {
                (_, Some(n)) => DownTarget::Steps(n),
                (Some(v), None) => DownTarget::To(v),
                // clap requires one of them.
                (None, None) => return Err(anyhow!("say how far: --to REV or --steps N")),
            };
            let migrations = discover()?;
            if let Some(file) = &backup {
                write_backup(url()?, file)?;
            }
            let summary = migrate::down(&mut connect()?, &migrations, target, on_event)?;
            let at = describe(summary.current.as_ref(), &migrations);
            if summary.ran.is_empty() {
                println!("nothing to revert; database is at {at}");
            } else {
                println!("database is at {at}");
            }
        }
        MigrateAction::Status { format } => {
            let migrations = discover()?;
            let rows = migrate::status(&mut connect()?, &migrations)?;
            let head = head(&migrations);
            return match format.as_str() {
                "json" => print_status_json(&rows, head.as_deref()),
                _ => print_status(&rows, head.as_deref()),
            };
        }
        MigrateAction::History => {
            let migrations = discover_if_there()?;
            let mut client = connect()?;
            let rows = migrate::history_of(&mut client, &migrations)?;
            let current = migrate::current(&mut client, &migrations)?.map(|r| r.id());
            let head = head(&migrations);
            if rows.is_empty() {
                println!("no migrations applied");
            }
            let width = rows.iter().map(|r| r.id().len()).max().unwrap_or(0);
            for row in rows {
                let id = row.id();
                let (how, took) = if row.stamped() {
                    ("stamped", "-".to_string())
                } else {
                    ("applied", format!("{} ms", row.duration_ms))
                };
                println!(
                    "{id:width$}  {how} {}  {took:>9}  checksum {}{}",
                    row.applied_at,
                    row.checksum.get(..12).unwrap_or(&row.checksum),
                    marks(&id, head.as_deref(), current.as_deref())
                );
            }
        }
        MigrateAction::Current => match migrate::current(&mut connect()?, &discover_if_there()?)? {
            Some(row) => println!("{}", row.id()),
            None => println!("none"),
        },
        MigrateAction::Stamp { rev } => {
            let migrations = discover()?;
            match migrate::stamp(&mut connect()?, &migrations, &rev)? {
                None => println!("tracking table cleared (nothing was run)"),
                Some(id) => println!("database stamped at {id} (nothing was run)"),
            }
        }
    }
    Ok(Verdict::Match)
}

fn report_event(event: MigrateEvent<'_>, quiet: bool) {
    match event {
        MigrateEvent::WaitingForLock if !quiet => {
            eprintln!("schemagate: waiting for another migration run to release its lock");
        }
        MigrateEvent::Applied {
            migration,
            duration,
        } => println!("applied {} ({} ms)", migration.id(), duration.as_millis()),
        MigrateEvent::Reverted {
            migration,
            duration,
        } => println!("reverted {} ({} ms)", migration.id(), duration.as_millis()),
        _ => {}
    }
}

/// `0003_workflows`, or `0 (nothing applied)`.
fn describe(version: Option<&Version>, migrations: &[Migration]) -> String {
    match version {
        None => "0 (nothing applied)".to_string(),
        Some(v) => migrations
            .iter()
            .find(|m| m.version.text() == v.text())
            .map_or_else(|| v.to_string(), Migration::id),
    }
}

fn write_backup(url: &str, file: &Path) -> Result<()> {
    let config = db::parse(url)?;
    migrate::backup(&config, file)?;
    println!("backed up to {} (pg_dump custom format)", file.display());
    Ok(())
}

/// The last versioned migration on disk, if any.
fn head(migrations: &[Migration]) -> Option<String> {
    migrations
        .iter()
        .rfind(|m| m.kind() == MigrationKind::Versioned)
        .map(Migration::id)
}

/// The last applied versioned migration of `rows`.
fn current_of(rows: &[migrate::StatusRow]) -> Option<String> {
    rows.iter()
        .rfind(|r| r.applied.is_some() && r.version.kind() == MigrationKind::Versioned)
        .map(migrate::StatusRow::id)
}

/// ` (head)`, ` (current)`, both or nothing.
fn marks(id: &str, head: Option<&str>, current: Option<&str>) -> String {
    let mut out = String::new();
    if head == Some(id) {
        out.push_str(" (head)");
    }
    if current == Some(id) {
        out.push_str(" (current)");
    }
    out
}

/// The state as shown: stamped rows are not runs.
fn shown_state(row: &migrate::StatusRow) -> (&'static str, &'static str) {
    let applied = if row.applied.as_ref().is_some_and(|a| a.stamped()) {
        "stamped"
    } else {
        "applied"
    };
    match row.state {
        MigrationState::Pending => ("pending", "-"),
        MigrationState::Applied => (applied, "ok"),
        MigrationState::Changed => (applied, "changed"),
        MigrationState::FileMissing => (applied, "file missing"),
    }
}

fn drift(rows: &[migrate::StatusRow]) -> bool {
    rows.iter().any(|r| {
        matches!(
            r.state,
            MigrationState::Changed | MigrationState::FileMissing
        )
    })
}

fn print_status(rows: &[migrate::StatusRow], head: Option<&str>) -> Result<Verdict> {
    let current = current_of(rows);
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(["migration", "state", "applied at", "checksum"]);
    for row in rows {
        let (state, checksum) = shown_state(row);
        let applied_at = row.applied.as_ref().map_or("-", |a| a.applied_at.as_str());
        let id = row.id();
        let shown = format!("{id}{}", marks(&id, head, current.as_deref()));
        table.add_row([shown.as_str(), state, applied_at, checksum]);
    }
    let applied = rows.iter().filter(|r| r.applied.is_some()).count();
    if !rows.is_empty() {
        println!("{table}");
    }
    let drift = drift(rows);
    println!(
        "{applied} applied, {} pending{}",
        rows.len() - applied,
        if drift {
            format!(
                "; an applied migration's file changed or is missing: restore it, or, if the \
                 database is right as it is, record that with `schemagate migrate stamp {}`",
                current.as_deref().unwrap_or("base")
            )
        } else {
            String::new()
        }
    );
    Ok(if drift {
        Verdict::Mismatch
    } else {
        Verdict::Match
    })
}

/// `migrate status --format json`: its own wire structs, versioned.
#[derive(serde::Serialize)]
struct JsonStatus<'a> {
    version: u32,
    status: &'static str,
    head: Option<&'a str>,
    current: Option<String>,
    summary: JsonSummary,
    migrations: Vec<JsonMigration>,
}

#[derive(serde::Serialize)]
struct JsonSummary {
    applied: usize,
    stamped: usize,
    pending: usize,
    changed: usize,
    file_missing: usize,
}

#[derive(serde::Serialize)]
struct JsonMigration {
    id: String,
    version: String,
    name: String,
    /// `pending`, `applied`, `stamped`.
    state: &'static str,
    /// `ok`, `changed`, `file missing`, or null when pending.
    checksum: Option<&'static str>,
    file: Option<String>,
    applied_at: Option<String>,
    duration_ms: Option<i64>,
    head: bool,
    current: bool,
}

fn print_status_json(rows: &[migrate::StatusRow], head: Option<&str>) -> Result<Verdict> {
    let current = current_of(rows);
    let count = |state| rows.iter().filter(|r| r.state == state).count();
    let migrations: Vec<JsonMigration> = rows
        .iter()
        .map(|row| {
            let (state, checksum) = shown_state(row);
            let id = row.id();
            let stamped = row.applied.as_ref().is_some_and(|a| a.stamped());
            JsonMigration {
                head: head == Some(id.as_str()),
                current: current.as_deref() == Some(id.as_str()),
                id,
                version: row.version.text().to_string(),
                name: row.name.clone(),
                state,
                checksum: row.applied.as_ref().map(|_| checksum),
                file: row.file.as_ref().map(|f| f.display().to_string()),
                applied_at: row.applied.as_ref().map(|a| a.applied_at.clone()),
                duration_ms: row
                    .applied
                    .as_ref()
                    .filter(|_| !stamped)
                    .map(|a| a.duration_ms),
            }
        })
        .collect();
    let drift = drift(rows);
    let status = JsonStatus {
        version: 1,
        status: if drift { "drift" } else { "ok" },
        head,
        summary: JsonSummary {
            applied: migrations.iter().filter(|m| m.state == "applied").count(),
            stamped: migrations.iter().filter(|m| m.state == "stamped").count(),
            pending: count(MigrationState::Pending),
            changed: count(MigrationState::Changed),
            file_missing: count(MigrationState::FileMissing),
        },
        current,
        migrations,
    };
    println!("{}", serde_json::to_string_pretty(&status)?);
    Ok(if drift {
        Verdict::Mismatch
    } else {
        Verdict::Match
    })
}
