//! Reading and setting the recorded state: `status`, `history`, `current`,
//! `stamp`.

use std::path::PathBuf;

use postgres::Client;

use super::lock::with_lock;
use super::run::known;
use super::tracking::{AppliedMigration, Tracking};
use super::{MigrateError, Migration};

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
    pub version: u64,
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
        format!("{:04}_{}", self.version, self.name)
    }
}

/// Every migration on disk or in the tracking table, by version. Read-only:
/// a database without the tracking table has everything pending.
pub fn status(
    client: &mut Client,
    migrations: &[Migration],
) -> Result<Vec<StatusRow>, MigrateError> {
    let applied = history(client)?;
    let mut rows: Vec<StatusRow> = migrations
        .iter()
        .map(|m| {
            let row = applied.iter().find(|a| a.version == m.version);
            let state = match row {
                None => MigrationState::Pending,
                Some(a) if a.checksum == m.checksum => MigrationState::Applied,
                Some(_) => MigrationState::Changed,
            };
            StatusRow {
                version: m.version,
                name: m.name.clone(),
                state,
                file: Some(m.up.path.clone()),
                applied: row.cloned(),
            }
        })
        .collect();
    for a in &applied {
        if !migrations.iter().any(|m| m.version == a.version) {
            rows.push(StatusRow {
                version: a.version,
                name: a.name.clone(),
                state: MigrationState::FileMissing,
                file: None,
                applied: Some(a.clone()),
            });
        }
    }
    rows.sort_by_key(|r| r.version);
    Ok(rows)
}

/// The tracking table's rows, by version (none if it does not exist).
pub fn history(client: &mut Client) -> Result<Vec<AppliedMigration>, MigrateError> {
    match Tracking::find(client)? {
        Some(tracking) => tracking.applied(client),
        None => Ok(Vec::new()),
    }
}

/// The highest applied migration, if any.
pub fn current(client: &mut Client) -> Result<Option<AppliedMigration>, MigrateError> {
    Ok(history(client)?.pop())
}

/// Records exactly the migrations up to and including `version` as applied,
/// without running anything (0 clears the table). Rows already present for
/// those versions are kept as they are, with their original time and
/// checksum.
pub fn stamp(
    client: &mut Client,
    migrations: &[Migration],
    version: u64,
) -> Result<(), MigrateError> {
    if version != 0 {
        known(migrations, version)?;
    }
    with_lock(client, &mut |_| {}, |client, _| {
        let tracking = Tracking::ensure(client)?;
        let mut tx = client
            .transaction()
            .map_err(MigrateError::db("starting the stamp transaction"))?;
        let applied = tracking.applied(&mut tx)?;
        tracking.delete_above(&mut tx, version)?;
        for m in migrations.iter().filter(|m| m.version <= version) {
            if !applied.iter().any(|a| a.version == m.version) {
                tracking.insert(&mut tx, m, 0)?;
            }
        }
        tx.commit()
            .map_err(MigrateError::db("committing the stamp"))
    })
}
