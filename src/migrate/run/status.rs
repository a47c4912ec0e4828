//! Reading and setting the recorded state: `status`, `history`, `current`,
//! `stamp`.

use std::path::PathBuf;

use postgres::Client;

use super::apply::last_versioned;
use super::lock::with_lock;
use super::revision;
use super::tracking::{ordered, AppliedMigration, Tracking, STAMPED};
use crate::migrate::model::{display_id, MigrateError, Migration, MigrationKind, Version};

/// Where one migration stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MigrationState {
    Pending,
    /// Applied, and the file is unchanged since.
    Applied,
    /// Applied, but the file changed since (its checksum differs).
    Changed,
    /// Applied, but the migrations directory has no file for it.
    FileMissing,
}

impl MigrationState {
    pub fn as_str(self) -> &'static str {
        match self {
            MigrationState::Pending => "pending",
            MigrationState::Applied => "applied",
            MigrationState::Changed => "changed",
            MigrationState::FileMissing => "file missing",
        }
    }
}

/// One line of `status`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusRow {
    pub version: Version,
    pub name: String,
    pub state: MigrationState,
    /// The up file, if there is one.
    pub file: Option<PathBuf>,
    /// The tracking row, if applied.
    pub applied: Option<AppliedMigration>,
}

impl StatusRow {
    /// `0003_workflows`.
    pub fn id(&self) -> String {
        display_id(self.version.text(), &self.name)
    }
}

/// Every migration on disk or in the tracking table, in order. Read-only:
/// a database without the tracking table has everything pending. A
/// repeatable migration whose file changed is pending (it runs again).
pub fn status(
    client: &mut Client,
    migrations: &[Migration],
) -> Result<Vec<StatusRow>, MigrateError> {
    let applied = history(client)?;
    let mut rows: Vec<StatusRow> = migrations
        .iter()
        .map(|m| {
            let row = applied.iter().find(|a| a.version == m.version.text());
            let state = match row {
                None => MigrationState::Pending,
                Some(a) if a.checksum == m.checksum => MigrationState::Applied,
                Some(_) if m.kind() == MigrationKind::Repeatable => MigrationState::Pending,
                Some(_) => MigrationState::Changed,
            };
            StatusRow {
                version: m.version.clone(),
                name: m.name.clone(),
                state,
                file: Some(m.up.path.clone()),
                applied: row.cloned(),
            }
        })
        .collect();
    for a in &applied {
        if !migrations.iter().any(|m| m.version.text() == a.version) {
            rows.push(StatusRow {
                version: Version::from_text(&a.version),
                name: a.name.clone(),
                state: MigrationState::FileMissing,
                file: None,
                applied: Some(a.clone()),
            });
        }
    }
    rows.sort_by(|a, b| a.version.cmp(&b.version));
    Ok(rows)
}

/// The tracking table's rows (none if it does not exist), in version order
/// as far as the rows themselves tell it; [`history_of`] orders them by
/// the migrations'.
pub fn history(client: &mut Client) -> Result<Vec<AppliedMigration>, MigrateError> {
    history_of(client, &[])
}

/// The tracking table's rows in the order of `migrations`.
pub fn history_of(
    client: &mut Client,
    migrations: &[Migration],
) -> Result<Vec<AppliedMigration>, MigrateError> {
    match Tracking::find(client)? {
        Some(tracking) => Ok(ordered(tracking.applied(client)?, migrations)),
        None => Ok(Vec::new()),
    }
}

/// The last applied versioned migration, if any.
pub fn current(
    client: &mut Client,
    migrations: &[Migration],
) -> Result<Option<AppliedMigration>, MigrateError> {
    let applied = history_of(client, migrations)?;
    let last = last_versioned(&applied, migrations);
    Ok(applied
        .into_iter()
        .rfind(|a| Some(a.version.as_str()) == last.as_ref().map(Version::text)))
}

/// Records exactly the versioned migrations up to and including `rev` (any
/// revision form; `0` or `base` clears the table) as applied, without
/// running anything, and returns the id stamped at (`None` for base). Rows
/// already present for those versions are kept with their original time,
/// their checksum set to the file's as it is now (the way to accept a
/// changed file); new rows are marked as stamped (see
/// [`AppliedMigration::stamped`]); every other row goes (repeatable
/// migrations then run at the next `up`).
pub fn stamp(
    client: &mut Client,
    migrations: &[Migration],
    rev: &str,
) -> Result<Option<String>, MigrateError> {
    revision::check(migrations, rev)?;
    with_lock(client, &mut |_| {}, |client, _| {
        let tracking = Tracking::ensure(client)?;
        let mut tx = client
            .transaction()
            .map_err(MigrateError::db("starting the stamp transaction"))?;
        let applied = tracking.applied(&mut tx)?;
        let current = last_versioned(&ordered(applied.clone(), migrations), migrations);
        let to = revision::target(migrations, rev, current.as_ref())?.migration();
        let keep: Vec<&Migration> = migrations
            .iter()
            .filter(|m| m.kind() == MigrationKind::Versioned)
            .filter(|m| to.is_some_and(|to| m.version <= to.version))
            .collect();
        for a in &applied {
            if !keep.iter().any(|m| m.version.text() == a.version) {
                tracking.delete(&mut tx, &a.version)?;
            }
        }
        for m in &keep {
            match applied.iter().find(|a| a.version == m.version.text()) {
                None => tracking.insert(&mut tx, m, STAMPED)?,
                // The way out of a changed file the user says is right.
                Some(a) if a.checksum != m.checksum => tracking.accept_checksum(&mut tx, m)?,
                Some(_) => {}
            }
        }
        tx.commit()
            .map_err(MigrateError::db("committing the stamp"))?;
        Ok(to.map(Migration::id))
    })
}
