//! The tracking table `schemagate_migrations`: which migrations are applied.

use postgres::{Client, GenericClient};

use super::{MigrateError, Migration};
use crate::db::{quote_ident_always, quote_literal};

/// The tracking table's name. It is found through `search_path`, and created
/// in the current schema (normally `public`) when missing.
pub const TRACKING_TABLE: &str = "schemagate_migrations";

/// A row of the tracking table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedMigration {
    pub version: u64,
    pub name: String,
    pub checksum: String,
    /// When it was applied, rendered by the server in UTC
    /// (`2025-01-31 12:00:00 UTC`).
    pub applied_at: String,
    pub duration_ms: i64,
}

impl AppliedMigration {
    /// `0003_workflows`.
    pub fn id(&self) -> String {
        format!("{:04}_{}", self.version, self.name)
    }
}

/// The tracking table, qualified once so that a migration that changes
/// `search_path` cannot make the runner lose its own table.
pub(crate) struct Tracking {
    table: String,
}

impl Tracking {
    /// Finds the table; `None` if it does not exist yet.
    pub(crate) fn find(client: &mut Client) -> Result<Option<Tracking>, MigrateError> {
        // to_regclass takes cstring before PostgreSQL 16, so no parameter.
        // language=PostgreSQL
        let sql = format!(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.oid = to_regclass({})",
            quote_literal(TRACKING_TABLE)
        );
        let row = client
            .query_opt(&sql, &[])
            .map_err(MigrateError::db("looking for the tracking table"))?;
        Ok(row.map(|r| Tracking::in_schema(r.get(0))))
    }

    /// Finds the table, creating it in the current schema if missing. Call
    /// it holding the migration lock: concurrent `CREATE TABLE IF NOT
    /// EXISTS` can fail with a unique violation.
    pub(crate) fn ensure(client: &mut Client) -> Result<Tracking, MigrateError> {
        if let Some(tracking) = Tracking::find(client)? {
            return Ok(tracking);
        }
        let schema: Option<String> = client
            .query_one("SELECT current_schema()", &[])
            .map_err(MigrateError::db("reading the current schema"))?
            .get(0);
        let tracking = Tracking::in_schema(schema.ok_or(MigrateError::NoCurrentSchema)?);
        // language=PostgreSQL
        let sql = format!(
            "CREATE TABLE IF NOT EXISTS {} (
                version     bigint      PRIMARY KEY,
                name        text        NOT NULL,
                checksum    text        NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now(),
                duration_ms bigint      NOT NULL
            )",
            tracking.table
        );
        client
            .batch_execute(&sql)
            .map_err(MigrateError::db("creating the tracking table"))?;
        Ok(tracking)
    }

    fn in_schema(schema: String) -> Tracking {
        Tracking {
            table: format!(
                "{}.{}",
                quote_ident_always(&schema),
                quote_ident_always(TRACKING_TABLE)
            ),
        }
    }

    /// The applied migrations, by version.
    pub(crate) fn applied(
        &self,
        client: &mut impl GenericClient,
    ) -> Result<Vec<AppliedMigration>, MigrateError> {
        // language=PostgreSQL
        let sql = format!(
            "SELECT version, name, checksum, \
                    to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC', \
                    duration_ms \
             FROM {} ORDER BY version",
            self.table
        );
        let rows = client
            .query(&sql, &[])
            .map_err(MigrateError::db("reading the tracking table"))?;
        Ok(rows
            .iter()
            .map(|r| AppliedMigration {
                version: r.get::<_, i64>(0) as u64,
                name: r.get(1),
                checksum: r.get(2),
                applied_at: r.get(3),
                duration_ms: r.get(4),
            })
            .collect())
    }

    pub(crate) fn insert(
        &self,
        client: &mut impl GenericClient,
        migration: &Migration,
        duration_ms: i64,
    ) -> Result<(), MigrateError> {
        // language=PostgreSQL
        let sql = format!(
            "INSERT INTO {} (version, name, checksum, duration_ms) VALUES ($1, $2, $3, $4)",
            self.table
        );
        client
            .execute(
                &sql,
                &[
                    &(migration.version as i64),
                    &migration.name,
                    &migration.checksum,
                    &duration_ms,
                ],
            )
            .map_err(MigrateError::db(format!("recording {}", migration.id())))?;
        Ok(())
    }

    pub(crate) fn delete(
        &self,
        client: &mut impl GenericClient,
        version: u64,
    ) -> Result<(), MigrateError> {
        // language=PostgreSQL
        let sql = format!("DELETE FROM {} WHERE version = $1", self.table);
        client
            .execute(&sql, &[&(version as i64)])
            .map_err(MigrateError::db(format!(
                "unrecording version {version:04}"
            )))?;
        Ok(())
    }

    /// Deletes every row above `version` (all rows for 0).
    pub(crate) fn delete_above(
        &self,
        client: &mut impl GenericClient,
        version: u64,
    ) -> Result<(), MigrateError> {
        // language=PostgreSQL
        let sql = format!("DELETE FROM {} WHERE version > $1", self.table);
        client
            .execute(&sql, &[&(version as i64)])
            .map_err(MigrateError::db("updating the tracking table"))?;
        Ok(())
    }
}
