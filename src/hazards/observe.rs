//! The observer that `up` calls around each statement of a judged
//! migration: a snapshot of the user relations before the migration, then
//! after each statement the backend's locks (read from a second connection
//! while the migration's transaction is open) and the catalog as the
//! migration's own transaction sees it.

// As in `migrate`: the observer fails with the runner's own error, which
// carries the server's whole report; a Box buys nothing next to a round trip.
#![allow(clippy::result_large_err)]

use std::collections::BTreeSet;

use postgres::Client;

use super::state::{State, LOCKS};
use crate::hazard::{allowed_rules, judge, Hazard, SeverityPolicy, StatementObservation};
use crate::migrate::run::{Observer, Query};
use crate::migrate::sql::Statement;
use crate::migrate::{locate, MigrateError, Migration, MigrationFile};

pub struct SafetyObserver {
    /// Versions (as tracked) of the migrations to judge.
    judged: BTreeSet<String>,
    policy: SeverityPolicy,
    /// The second connection, for `pg_locks`.
    watcher: Client,
    pid: Option<i32>,
    current: Option<Current>,
    pub hazards: Vec<Hazard>,
    /// Ids of the migrations judged, in the order applied.
    pub judged_ids: Vec<String>,
    pub unobserved: Vec<String>,
}

struct Current {
    state: State,
    oids: Vec<i64>,
    /// Where the previous statement ended, for `-- schemagate:allow`.
    previous_end: usize,
    /// `lock_timeout` when the migration started: a value left by an
    /// earlier migration of the session, or a role default, is not one
    /// this migration set.
    lock_timeout_at_start: String,
    /// A statement of this migration so far named lock_timeout.
    sets_lock_timeout: bool,
}

// language=PostgreSQL
const LOCK_TIMEOUT: &str = "SELECT pg_catalog.current_setting('lock_timeout')";

fn observing(what: &str) -> impl FnOnce(postgres::Error) -> MigrateError + '_ {
    move |e| MigrateError::db(format!("observing migration safety: {what}"))(e)
}

impl SafetyObserver {
    pub fn new(
        judged: BTreeSet<String>,
        policy: SeverityPolicy,
        watcher: Client,
    ) -> SafetyObserver {
        SafetyObserver {
            judged,
            policy,
            watcher,
            pid: None,
            current: None,
            hazards: Vec::new(),
            judged_ids: Vec::new(),
            unobserved: Vec::new(),
        }
    }

    fn locks(&mut self, oids: &[i64]) -> Result<BTreeSet<(i64, String)>, MigrateError> {
        let pid = self.pid.unwrap_or_default();
        Ok(self
            .watcher
            .query(LOCKS, &[&pid, &oids])
            .map_err(observing("reading pg_locks"))?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect())
    }
}

impl Observer for SafetyObserver {
    fn begin(
        &mut self,
        migration: &Migration,
        file: &MigrationFile,
        query: Query<'_>,
    ) -> Result<(), MigrateError> {
        self.current = None;
        if !self.judged.contains(migration.version.text()) {
            return Ok(());
        }
        if self.pid.is_none() {
            let rows = query("SELECT pg_catalog.pg_backend_pid()", &[])
                .map_err(observing("reading the backend pid"))?;
            self.pid = rows.first().map(|r| r.get(0));
        }
        let lock_timeout_at_start = lock_timeout(query)?;
        let state = State::read(query, None).map_err(observing("reading the catalog"))?;
        let oids = state.relations.keys().copied().collect();
        self.judged_ids.push(migration.id());
        if file.no_transaction {
            self.unobserved.push(format!(
                "locks and lock_timeout in {} (no-transaction: each statement commits, releasing its locks, before they can be read); its rewrites, scans, index builds, drops and renames are observed",
                migration.id()
            ));
        }
        self.current = Some(Current {
            state,
            oids,
            previous_end: 0,
            lock_timeout_at_start,
            sets_lock_timeout: false,
        });
        Ok(())
    }

    fn statement(
        &mut self,
        migration: &Migration,
        file: &MigrationFile,
        statement: &Statement,
        query: Query<'_>,
    ) -> Result<(), MigrateError> {
        let Some(current) = self.current.take() else {
            return Ok(());
        };
        let locks = if file.no_transaction {
            BTreeSet::new()
        } else {
            self.locks(&current.oids)?
        };
        // Inside a transaction a statement that changed a relation still
        // holds a lock on it: only those are read again, so a large schema
        // costs no more per statement than the relations it touches.
        let changed: Vec<i64> = if file.no_transaction {
            current.oids.clone()
        } else {
            let locked: BTreeSet<i64> = locks.iter().map(|(oid, _)| *oid).collect();
            locked.into_iter().collect()
        };
        let fresh = if changed.is_empty() {
            State::default()
        } else {
            State::read(query, Some(&changed)).map_err(observing("reading the catalog"))?
        };
        let mut now = current.state.merged(&changed, fresh);
        now.locks = locks;
        // Columns the migration added are as new as its tables.
        now.columns
            .retain(|key, _| current.state.columns.contains_key(key));
        let text = statement.text(&file.sql).trim();
        let upper = text.to_uppercase();
        let sets_lock_timeout = current.sets_lock_timeout || upper.contains("LOCK_TIMEOUT");
        let timeout = lock_timeout(query)?;
        let lock_timeout =
            timeout != "0" && (sets_lock_timeout || timeout != current.lock_timeout_at_start);

        let gap = file
            .sql
            .get(current.previous_end..statement.start)
            .unwrap_or("");
        let mut o = StatementObservation {
            migration: migration.id(),
            file: file.path.display().to_string(),
            line: u32::try_from(locate(&file.sql, statement.start).line).unwrap_or(u32::MAX),
            statement: text.to_string(),
            allowed: allowed_rules(gap),
            lock_timeout,
            ..StatementObservation::default()
        };
        current.state.changes(
            &now,
            upper.contains("CONCURRENTLY"),
            upper.starts_with("TRUNCATE"),
            &mut o,
        );
        self.hazards.extend(judge(&o, &self.policy));
        self.current = Some(Current {
            state: now,
            oids: current.oids,
            previous_end: statement.end,
            lock_timeout_at_start: current.lock_timeout_at_start,
            sets_lock_timeout,
        });
        Ok(())
    }
}

/// The session's `lock_timeout` (`0`: none).
fn lock_timeout(query: Query<'_>) -> Result<String, MigrateError> {
    Ok(query(LOCK_TIMEOUT, &[])
        .map_err(observing("reading lock_timeout"))?
        .first()
        .map_or_else(|| "0".to_string(), |r| r.get(0)))
}
