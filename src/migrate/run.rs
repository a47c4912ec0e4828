//! Applies and reverts migrations: `up` and `down`.
//!
//! Both hold the migration lock for the whole run and read the applied set
//! only once they hold it, so a runner that waited sees what the one before
//! it did. Each migration runs in its own transaction together with its
//! tracking row, so a failure leaves the database at the previous version.

use std::time::{Duration, Instant};

use postgres::error::ErrorPosition;
use postgres::Client;

use super::lock::with_lock;
use super::position::{locate, locate_error, PositionUnit};
use super::split::{first_keyword, split};
use super::tracking::{AppliedMigration, Tracking};
use super::{MigrateError, Migration, MigrationFile};

/// What a run is doing, for progress output.
#[derive(Clone, Copy, Debug)]
pub enum Event<'a> {
    /// Another runner holds the lock; this one waits for it.
    WaitingForLock,
    Applying(&'a Migration),
    Applied {
        migration: &'a Migration,
        duration: Duration,
    },
    Reverting(&'a Migration),
    Reverted {
        migration: &'a Migration,
        duration: Duration,
    },
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunSummary {
    /// The versions applied (up) or reverted (down), in the order run.
    pub ran: Vec<u64>,
    /// The highest applied version afterwards; `None` if nothing is applied.
    pub current: Option<u64>,
}

/// How far `down` goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DownTarget {
    /// Revert every applied migration above this version; 0 reverts all.
    To(u64),
    /// Revert this many of the most recent applied migrations.
    Steps(u64),
}

/// Applies the pending migrations in version order, up to and including
/// `to` (all if `None`). Fails before running anything if an applied
/// migration's file changed or is gone.
pub fn up(
    client: &mut Client,
    migrations: &[Migration],
    to: Option<u64>,
    mut on_event: impl FnMut(Event<'_>),
) -> Result<RunSummary, MigrateError> {
    if let Some(version) = to {
        known(migrations, version)?;
    }
    let unit = position_unit(client)?;
    with_lock(client, &mut on_event, |client, on_event| {
        let tracking = Tracking::ensure(client)?;
        let applied = tracking.applied(client)?;
        verify(migrations, &applied)?;
        let pending = migrations.iter().filter(|m| {
            to.is_none_or(|to| m.version <= to) && !applied.iter().any(|a| a.version == m.version)
        });
        let mut summary = RunSummary {
            ran: Vec::new(),
            current: applied.last().map(|a| a.version),
        };
        for migration in pending {
            on_event(Event::Applying(migration));
            let duration = run_file(
                client,
                &tracking,
                migration,
                &migration.up,
                Record::Insert,
                unit,
            )?;
            on_event(Event::Applied {
                migration,
                duration,
            });
            summary.ran.push(migration.version);
            summary.current = summary.current.max(Some(migration.version));
        }
        Ok(summary)
    })
}

/// Reverts applied migrations, newest first, with their down files. Fails
/// before running anything if one of them has no down file, or if an
/// applied migration's file changed or is gone.
pub fn down(
    client: &mut Client,
    migrations: &[Migration],
    target: DownTarget,
    mut on_event: impl FnMut(Event<'_>),
) -> Result<RunSummary, MigrateError> {
    if let DownTarget::To(version) = target {
        if version != 0 {
            known(migrations, version)?;
        }
    }
    let unit = position_unit(client)?;
    with_lock(client, &mut on_event, |client, on_event| {
        let tracking = Tracking::ensure(client)?;
        let applied = tracking.applied(client)?;
        verify(migrations, &applied)?;
        let newest_first = applied.iter().rev().map(|a| a.version);
        let to_revert: Vec<u64> = match target {
            DownTarget::To(to) => newest_first.filter(|v| *v > to).collect(),
            DownTarget::Steps(n) => newest_first
                .take(n.try_into().unwrap_or(usize::MAX))
                .collect(),
        };
        let mut plan = Vec::with_capacity(to_revert.len());
        for version in &to_revert {
            // verify() has checked that every applied version has a file.
            let Some(migration) = migrations.iter().find(|m| m.version == *version) else {
                continue;
            };
            let Some(file) = &migration.down else {
                return Err(MigrateError::NoDownFile {
                    file: migration.up.path.clone(),
                });
            };
            plan.push((migration, file));
        }
        let mut remaining: Vec<u64> = applied.iter().map(|a| a.version).collect();
        let mut ran = Vec::new();
        for (migration, file) in plan {
            on_event(Event::Reverting(migration));
            let duration = run_file(client, &tracking, migration, file, Record::Delete, unit)?;
            on_event(Event::Reverted {
                migration,
                duration,
            });
            ran.push(migration.version);
            remaining.retain(|v| *v != migration.version);
        }
        Ok(RunSummary {
            ran,
            current: remaining.iter().max().copied(),
        })
    })
}

pub(crate) fn known(migrations: &[Migration], version: u64) -> Result<(), MigrateError> {
    if migrations.iter().any(|m| m.version == version) {
        Ok(())
    } else {
        Err(MigrateError::UnknownVersion { version })
    }
}

/// Every applied migration still has its file, unchanged.
pub(crate) fn verify(
    migrations: &[Migration],
    applied: &[AppliedMigration],
) -> Result<(), MigrateError> {
    for row in applied {
        let Some(migration) = migrations.iter().find(|m| m.version == row.version) else {
            return Err(MigrateError::AppliedWithoutFile {
                version: row.version,
                name: row.name.clone(),
            });
        };
        if migration.checksum != row.checksum {
            return Err(MigrateError::ChecksumMismatch {
                file: migration.up.path.clone(),
                expected: row.checksum.clone(),
                actual: migration.checksum.clone(),
            });
        }
    }
    Ok(())
}

fn position_unit(client: &mut Client) -> Result<PositionUnit, MigrateError> {
    let encoding: String = client
        .query_one("SELECT current_setting('server_encoding')", &[])
        .map_err(MigrateError::db("reading the server encoding"))?
        .get(0);
    Ok(if encoding == "SQL_ASCII" {
        PositionUnit::Bytes
    } else {
        PositionUnit::Chars
    })
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
) -> Result<Duration, MigrateError> {
    let statements = split(&file.sql);
    if file.no_transaction {
        let started = Instant::now();
        for (i, statement) in statements.iter().enumerate() {
            client
                .batch_execute(statement.text(&file.sql))
                .map_err(|e| {
                    statement_error(e, file, statement.start, Some(statement.start), unit, i > 0)
                })?;
        }
        let duration = started.elapsed();
        match record {
            Record::Insert => tracking.insert(client, migration, millis(duration))?,
            Record::Delete => tracking.delete(client, migration.version)?,
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
    }
    let duration = started.elapsed();
    match record {
        Record::Insert => tracking.insert(&mut tx, migration, millis(duration))?,
        Record::Delete => tracking.delete(&mut tx, migration.version)?,
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
            "make `-- schemagate:no-transaction` the first line of the file to run it \
             statement by statement outside a transaction"
                .to_string()
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
