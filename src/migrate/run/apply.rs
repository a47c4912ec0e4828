//! Applies and reverts migrations: `up` and `down`.
//!
//! Both hold the migration lock for the whole run and read the applied set
//! only once they hold it, so a runner that waited sees what the one before
//! it did. Each migration runs in its own transaction together with its
//! tracking row, so a failure leaves the database at the previous version.

use std::time::{Duration, Instant};

use postgres::error::ErrorPosition;
use postgres::Client;

use super::event::MigrateEvent;
use super::lock::{bookkeeping_settings, ensure_held, reset_session, with_lock};
use super::observe::{NoObserver, Observer};
use super::revision::{self, Target};
use super::tracking::{order_key, ordered, AppliedMigration, Tracking};
use crate::migrate::model::{
    Direction, MigrateError, Migration, MigrationFile, MigrationKind, Version,
};
use crate::migrate::sql::position::{locate, locate_error, PositionUnit};
use crate::migrate::sql::split::first_keyword;
use crate::migrate::sql::transaction::check_file;

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunSummary {
    /// The versions applied (up) or reverted (down), in the order run.
    pub ran: Vec<Version>,
    /// The last applied versioned migration afterwards; `None` if none is.
    pub current: Option<Version>,
}

/// How far `down` goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DownTarget {
    /// Revert every applied migration after this revision (as a user types
    /// it, see [`revision::target`]); `0` or `base` reverts all.
    To(String),
    /// Revert this many of the most recent applied migrations.
    Steps(u64),
}

/// Applies the pending migrations in order, up to and including `to` (all
/// if `None`), then — only when running to the end — Flyway's repeatable
/// migrations that are new or changed. Fails before running anything if an
/// applied migration's file changed or is gone.
pub fn up(
    client: &mut Client,
    migrations: &[Migration],
    to: Option<&str>,
    on_event: impl FnMut(MigrateEvent<'_>),
) -> Result<RunSummary, MigrateError> {
    up_observed(client, migrations, to, on_event, &mut NoObserver)
}

/// [`up`], with `observer` called around each migration and statement.
pub fn up_observed(
    client: &mut Client,
    migrations: &[Migration],
    to: Option<&str>,
    mut on_event: impl FnMut(MigrateEvent<'_>),
    observer: &mut dyn Observer,
) -> Result<RunSummary, MigrateError> {
    if let Some(rev) = to {
        revision::check(migrations, rev)?;
    }
    let (unit, server_version) = server_facts(client)?;
    with_lock(client, &mut on_event, |client, on_event| {
        let tracking = Tracking::ensure(client)?;
        let applied = ordered(tracking.applied(client)?, migrations);
        verify(migrations, &applied)?;
        let current = last_versioned(&applied, migrations);
        let to = to
            .map(|rev| revision::target(migrations, rev, current.as_ref()))
            .transpose()?
            .map(Target::migration);
        let is_applied = |m: &Migration| {
            applied
                .iter()
                .any(|a| a.version == m.version.text() && a.checksum == m.checksum)
        };
        let pending: Vec<&Migration> = migrations
            .iter()
            .filter(|m| match (m.kind(), to) {
                (MigrationKind::Versioned, None) => !is_applied(m),
                (MigrationKind::Versioned, Some(to)) => {
                    to.is_some_and(|to| m.version <= to.version) && !is_applied(m)
                }
                (MigrationKind::Repeatable, None) => !is_applied(m),
                (MigrationKind::Repeatable, Some(_)) => false,
            })
            .collect();
        for migration in &pending {
            check_for_server(&migration.up, server_version)?;
        }
        let mut summary = RunSummary {
            ran: Vec::new(),
            current: last_versioned(&applied, migrations),
        };
        for migration in pending {
            on_event(MigrateEvent::Applying(migration));
            reset_session(client)?;
            let duration = run_file(
                client,
                &tracking,
                migration,
                &migration.up,
                Record::Insert,
                unit,
                observer,
            )?;
            reset_session(client)?;
            ensure_held(client, &migration.up.path)?;
            on_event(MigrateEvent::Applied {
                migration,
                duration,
            });
            summary.ran.push(migration.version.clone());
            if migration.kind() == MigrationKind::Versioned {
                summary.current = summary.current.max(Some(migration.version.clone()));
            }
        }
        Ok(summary)
    })
}

/// Reverts applied migrations, newest first, with their down files. Fails
/// before running anything if one of them has no down file, or if an
/// applied migration's file changed or is gone.
///
/// Repeatable migrations are never reverted (they have no down file), but
/// once anything was reverted their records are dropped, so that the next
/// `up` runs them again over the schema as it then is.
pub fn down(
    client: &mut Client,
    migrations: &[Migration],
    target: DownTarget,
    mut on_event: impl FnMut(MigrateEvent<'_>),
) -> Result<RunSummary, MigrateError> {
    if let DownTarget::To(rev) = &target {
        revision::check(migrations, rev)?;
    }
    let (unit, server_version) = server_facts(client)?;
    with_lock(client, &mut on_event, |client, on_event| {
        let tracking = Tracking::ensure(client)?;
        let applied = ordered(tracking.applied(client)?, migrations);
        verify(migrations, &applied)?;
        let current = last_versioned(&applied, migrations);
        let to = match &target {
            DownTarget::To(rev) => revision::target(migrations, rev, current.as_ref())?.migration(),
            DownTarget::Steps(_) => None,
        };
        let newest_first = applied
            .iter()
            .rev()
            .filter_map(|a| migrations.iter().find(|m| m.version.text() == a.version))
            .filter(|m| m.kind() == MigrationKind::Versioned);
        let to_revert: Vec<&Migration> = match target {
            DownTarget::To(_) => newest_first
                .filter(|m| to.is_none_or(|to| m.version > to.version))
                .collect(),
            DownTarget::Steps(n) => newest_first
                .take(n.try_into().unwrap_or(usize::MAX))
                .collect(),
        };
        let mut plan = Vec::with_capacity(to_revert.len());
        for migration in to_revert {
            let Some(file) = &migration.down else {
                return Err(MigrateError::NoDownFile {
                    file: migration.up.path.clone(),
                });
            };
            check_for_server(file, server_version)?;
            plan.push((migration, file));
        }
        let mut remaining: Vec<AppliedMigration> = applied.clone();
        let mut ran = Vec::new();
        for (migration, file) in plan {
            on_event(MigrateEvent::Reverting(migration));
            reset_session(client)?;
            let duration = run_file(
                client,
                &tracking,
                migration,
                file,
                Record::Delete,
                unit,
                &mut NoObserver,
            )?;
            reset_session(client)?;
            ensure_held(client, &file.path)?;
            on_event(MigrateEvent::Reverted {
                migration,
                duration,
            });
            ran.push(migration.version.clone());
            remaining.retain(|a| a.version != migration.version.text());
        }
        if !ran.is_empty() {
            for a in &applied {
                if order_key(&a.version, migrations).kind() == MigrationKind::Repeatable {
                    tracking.delete(client, &a.version)?;
                }
            }
        }
        Ok(RunSummary {
            ran,
            current: last_versioned(&remaining, migrations),
        })
    })
}

/// The last applied versioned migration of `applied` (ordered).
pub(crate) fn last_versioned(
    applied: &[AppliedMigration],
    migrations: &[Migration],
) -> Option<Version> {
    applied
        .iter()
        .map(|a| order_key(&a.version, migrations))
        .rfind(|v| v.kind() == MigrationKind::Versioned)
}

/// Every applied migration still has its file, unchanged (a repeatable one
/// may change: it then runs again).
pub(crate) fn verify(
    migrations: &[Migration],
    applied: &[AppliedMigration],
) -> Result<(), MigrateError> {
    // The way out a user can take: stamp at the last applied migration
    // that still has its file.
    let current = || {
        applied
            .iter()
            .filter_map(|a| migrations.iter().find(|m| m.version.text() == a.version))
            .rfind(|m| m.kind() == MigrationKind::Versioned)
            .map_or_else(|| "base".to_string(), Migration::id)
    };
    for row in applied {
        let Some(migration) = migrations.iter().find(|m| m.version.text() == row.version) else {
            return Err(MigrateError::AppliedWithoutFile {
                id: row.id(),
                current: current(),
            });
        };
        if migration.checksum != row.checksum && migration.kind() == MigrationKind::Versioned {
            return Err(MigrateError::ChecksumMismatch {
                file: migration.up.path.clone(),
                expected: row.checksum.clone(),
                actual: migration.checksum.clone(),
                current: current(),
            });
        }
    }
    Ok(())
}

/// Checks that depend on the server: before PostgreSQL 12, `ALTER TYPE …
/// ADD VALUE` cannot run in a transaction either. A down file is checked
/// here in full: `discover` does not fail on it (only what runs is checked).
fn check_for_server(file: &MigrationFile, server_version: i32) -> Result<(), MigrateError> {
    if server_version >= 120000 && file.direction == Direction::Up {
        return Ok(());
    }
    let mut file = file.clone();
    check_file(&mut file, Some(server_version))
}

/// How the server counts error positions, and its `server_version_num`.
fn server_facts(client: &mut Client) -> Result<(PositionUnit, i32), MigrateError> {
    let row = client
        .query_one(
            "SELECT current_setting('server_encoding'), current_setting('server_version_num')::int",
            &[],
        )
        .map_err(MigrateError::db("reading the server encoding and version"))?;
    let encoding: String = row.get(0);
    let unit = if encoding == "SQL_ASCII" {
        PositionUnit::Bytes
    } else {
        PositionUnit::Chars
    };
    Ok((unit, row.get(1)))
}

#[derive(Clone, Copy)]
enum Record {
    Insert,
    Delete,
}

/// Runs one file and records it; returns how long the file took.
fn run_file(
    client: &mut Client,
    tracking: &Tracking,
    migration: &Migration,
    file: &MigrationFile,
    record: Record,
    unit: PositionUnit,
    observer: &mut dyn Observer,
) -> Result<Duration, MigrateError> {
    let statements = file.statements();
    observer.begin(migration, file, &mut |sql, params| {
        client.query(sql, params)
    })?;
    if file.no_transaction {
        let started = Instant::now();
        for (i, statement) in statements.iter().enumerate() {
            client
                .batch_execute(statement.text(&file.sql))
                .map_err(|e| {
                    statement_error(e, file, statement.start, Some(statement.start), unit, i > 0)
                })?;
            observer.statement(migration, file, statement, &mut |sql, params| {
                client.query(sql, params)
            })?;
        }
        let duration = started.elapsed();
        // The file's `SET`s (a 1 ms statement_timeout, a read-only default,
        // another role) must not fail the runner's own bookkeeping.
        reset_session(client)?;
        match record {
            Record::Insert => tracking.insert(client, migration, millis(duration))?,
            Record::Delete => tracking.delete(client, migration.version.text())?,
        }
        return Ok(duration);
    }

    // A BEGIN or COMMIT in the file would end our transaction early and
    // commit half a migration without its tracking row.
    for statement in &statements {
        let keyword = first_keyword(statement.text(&file.sql));
        if matches!(
            keyword.as_str(),
            "BEGIN" | "START" | "COMMIT" | "ROLLBACK" | "ABORT"
        ) {
            return Err(MigrateError::OwnTransaction {
                file: file.path.clone(),
                line: locate(&file.sql, statement.start).line,
                hint: file.no_transaction_hint(),
            });
        }
    }
    let mut tx = client.transaction().map_err(MigrateError::db(format!(
        "starting a transaction for {}",
        migration.id()
    )))?;
    let started = Instant::now();
    // Statement by statement inside the one transaction: an error the
    // server gives no position for (ALTER TABLE on a missing relation, a
    // failing constraint) is still placed at its statement's line.
    for statement in &statements {
        tx.batch_execute(statement.text(&file.sql)).map_err(|e| {
            statement_error(e, file, statement.start, Some(statement.start), unit, false)
        })?;
        observer.statement(migration, file, statement, &mut |sql, params| {
            tx.query(sql, params)
        })?;
    }
    let duration = started.elapsed();
    // The file's `SET`s stay in force inside its transaction; the tracking
    // row is written as the runner, without the file's timeouts or role.
    bookkeeping_settings(&mut tx)?;
    match record {
        Record::Insert => tracking.insert(&mut tx, migration, millis(duration))?,
        Record::Delete => tracking.delete(&mut tx, migration.version.text())?,
    }
    tx.commit()
        .map_err(MigrateError::db(format!("committing {}", migration.id())))?;
    Ok(duration)
}

fn millis(duration: Duration) -> i64 {
    duration.as_millis().try_into().unwrap_or(i64::MAX)
}

/// The error for a failed statement, placed in the file: `statement_start`
/// is where the text sent begins, `fallback` where the failing statement
/// begins if known.
fn statement_error(
    error: postgres::Error,
    file: &MigrationFile,
    statement_start: usize,
    fallback: Option<usize>,
    unit: PositionUnit,
    partial: bool,
) -> MigrateError {
    let Some(db) = error.as_db_error() else {
        return MigrateError::Database {
            context: format!("running {}", file.path.display()),
            source: error,
        };
    };
    let location = match db.position() {
        Some(ErrorPosition::Original(position)) => {
            locate_error(&file.sql, statement_start, *position, unit)
        }
        // No position, or one inside a function body the statement called.
        _ => locate(&file.sql, fallback.unwrap_or(0)),
    };
    let sqlstate = db.code().code().to_string();
    let hint = db.hint().map(str::to_string).or_else(|| {
        // 25001: e.g. CREATE INDEX CONCURRENTLY inside a transaction block.
        (sqlstate == "25001" && !file.no_transaction).then(|| {
            format!(
                "to run the file statement by statement outside a transaction, {}",
                file.no_transaction_hint()
            )
        })
    });
    MigrateError::Statement {
        file: file.path.clone(),
        line: location.line,
        column: location.column,
        severity: db
            .parsed_severity()
            .map_or_else(|| db.severity().to_string(), |s| s.to_string()),
        sqlstate,
        message: db.message().to_string(),
        detail: db.detail().map(str::to_string),
        hint,
        partial,
    }
}
