//! `schemagate migrate …`: from resolved arguments to a verdict, with short
//! human lines on stdout and notes on stderr.

use std::path::Path;
use std::time::Duration;

use anyhow::{anyhow, Result};
use comfy_table::{presets, ContentArrangement, Table};

use schemagate::db;
use schemagate::migrate::{self, DownTarget, MigrateEvent, Migration, MigrationState, Version};

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
            let summary = migrate::up(&mut connect()?, &migrations, to.as_deref(), on_event)?;
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
        MigrateAction::Status => {
            let migrations = discover()?;
            let rows = migrate::status(&mut connect()?, &migrations)?;
            return print_status(&rows);
        }
        MigrateAction::History => {
            let rows = migrate::history_of(&mut connect()?, &discover_if_there()?)?;
            if rows.is_empty() {
                println!("no migrations applied");
            }
            let width = rows.iter().map(|r| r.id().len()).max().unwrap_or(0);
            for row in rows {
                println!(
                    "{:width$}  applied {}  {:>6} ms  checksum {}",
                    row.id(),
                    row.applied_at,
                    row.duration_ms,
                    row.checksum.get(..12).unwrap_or(&row.checksum)
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

fn print_status(rows: &[migrate::StatusRow]) -> Result<Verdict> {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(["migration", "state", "applied at", "checksum"]);
    let mut drift = false;
    for row in rows {
        let (state, checksum) = match row.state {
            MigrationState::Pending => ("pending", "-"),
            MigrationState::Applied => ("applied", "ok"),
            MigrationState::Changed => ("applied", "changed"),
            MigrationState::FileMissing => ("applied", "file missing"),
        };
        drift |= matches!(
            row.state,
            MigrationState::Changed | MigrationState::FileMissing
        );
        let applied_at = row.applied.as_ref().map_or("-", |a| a.applied_at.as_str());
        table.add_row([row.id().as_str(), state, applied_at, checksum]);
    }
    let applied = rows.iter().filter(|r| r.applied.is_some()).count();
    if !rows.is_empty() {
        println!("{table}");
    }
    println!(
        "{applied} applied, {} pending{}",
        rows.len() - applied,
        if drift {
            "; an applied migration's file changed or is missing"
        } else {
            ""
        }
    );
    Ok(if drift {
        Verdict::Mismatch
    } else {
        Verdict::Match
    })
}
