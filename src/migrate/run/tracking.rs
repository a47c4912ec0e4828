//! The tracking table `schemagate_migrations`: which migrations are applied.
//!
//! `version` is text: versions are not all integers (timestamps beyond
//! bigint are rare, but Flyway's `1.2.3` and sql-migrate's `1_init` are
//! common). It holds [`Version::text`], whose numeric
//! form has no leading zeros, so the rows of a table created by an earlier
//! schemagate (bigint `3`) still name the same migrations once the column
//! is converted, which [`Tracking::ensure`] does under the migration lock.
//! Rows are ordered in Rust by the migrations' order, not by SQL.

use postgres::{Client, GenericClient};

use crate::db::{quote_ident_always, quote_literal};
use crate::migrate::model::{display, display_id, MigrateError, Migration, MigrationKind, Version};

/// The tracking table's name. It is found through `search_path`, and created
/// in the current schema (normally `public`) when missing.
pub const TRACKING_TABLE: &str = "schemagate_migrations";

/// A row of the tracking table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedMigration {
    /// [`Version::text`] of the migration.
    pub version: String,
    pub name: String,
    pub checksum: String,
    /// When it was applied, rendered by the server in UTC
    /// (`2025-01-31 12:00:00 UTC`).
    pub applied_at: String,
    pub duration_ms: i64,
}

/// The `duration_ms` of a row that `stamp` wrote: nothing ran. (Rows
/// stamped by earlier schemagate versions have 0 and read as runs of 0 ms.)
pub(crate) const STAMPED: i64 = -1;

impl AppliedMigration {
    /// `0003_workflows`, as [`Migration::id`] shows it.
    pub fn id(&self) -> String {
        display_id(&self.version, &self.name)
    }

    /// Recorded by `stamp`, not run.
    pub fn stamped(&self) -> bool {
        self.duration_ms == STAMPED
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
            tracking.convert_bigint_version(client)?;
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
                version     text        PRIMARY KEY,
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

    /// A table created before versions were text has a bigint `version`;
    /// its numbers convert to the same text the migrations now have.
    fn convert_bigint_version(&self, client: &mut Client) -> Result<(), MigrateError> {
        // language=PostgreSQL
        let sql = format!(
            "SELECT format_type(atttypid, NULL) FROM pg_attribute \
             WHERE attrelid = {}::regclass AND attname = 'version'",
            quote_literal(&self.table)
        );
        let kind: Option<String> = client
            .query_opt(&sql, &[])
            .map_err(MigrateError::db("reading the tracking table's columns"))?
            .map(|r| r.get(0));
        if kind.as_deref() == Some("bigint") {
            // language=PostgreSQL
            let sql = format!(
                "ALTER TABLE {} ALTER COLUMN version TYPE text USING version::text",
                self.table
            );
            client.batch_execute(&sql).map_err(MigrateError::db(
                "converting the tracking table's version to text",
            ))?;
        }
        Ok(())
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

    /// The applied migrations, in no particular order (see [`ordered`]).
    pub(crate) fn applied(
        &self,
        client: &mut impl GenericClient,
    ) -> Result<Vec<AppliedMigration>, MigrateError> {
        // language=PostgreSQL
        let sql = format!(
            "SELECT version::text, name, checksum, \
                    to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC', \
                    duration_ms \
             FROM {}",
            self.table
        );
        let rows = client
            .query(&sql, &[])
            .map_err(MigrateError::db("reading the tracking table"))?;
        Ok(rows
            .iter()
            .map(|r| AppliedMigration {
                version: r.get(0),
                name: r.get(1),
                checksum: r.get(2),
                applied_at: r.get(3),
                duration_ms: r.get(4),
            })
            .collect())
    }

    /// Records `migration` as applied; a repeatable migration's row is
    /// replaced (it runs again whenever its checksum changes).
    pub(crate) fn insert(
        &self,
        client: &mut impl GenericClient,
        migration: &Migration,
        duration_ms: i64,
    ) -> Result<(), MigrateError> {
        let replace = match migration.kind() {
            MigrationKind::Versioned => "",
            MigrationKind::Repeatable => {
                " ON CONFLICT (version) DO UPDATE SET name = excluded.name, \
                 checksum = excluded.checksum, applied_at = now(), \
                 duration_ms = excluded.duration_ms"
            }
        };
        // language=PostgreSQL
        let sql = format!(
            "INSERT INTO {} (version, name, checksum, duration_ms) VALUES ($1, $2, $3, $4){replace}",
            self.table
        );
        client
            .execute(
                &sql,
                &[
                    &migration.version.text(),
                    &migration.name,
                    &migration.checksum,
                    &duration_ms,
                ],
            )
            .map_err(MigrateError::db(format!("recording {}", migration.id())))?;
        Ok(())
    }

    /// Records the file of `migration` as it is now as the one applied.
    pub(crate) fn accept_checksum(
        &self,
        client: &mut impl GenericClient,
        migration: &Migration,
    ) -> Result<(), MigrateError> {
        // language=PostgreSQL
        let sql = format!("UPDATE {} SET checksum = $2 WHERE version = $1", self.table);
        client
            .execute(&sql, &[&migration.version.text(), &migration.checksum])
            .map_err(MigrateError::db(format!("restamping {}", migration.id())))?;
        Ok(())
    }

    pub(crate) fn delete(
        &self,
        client: &mut impl GenericClient,
        version: &str,
    ) -> Result<(), MigrateError> {
        // language=PostgreSQL
        let sql = format!("DELETE FROM {} WHERE version = $1", self.table);
        client
            .execute(&sql, &[&version])
            .map_err(MigrateError::db(format!(
                "unrecording version {}",
                display(version)
            )))?;
        Ok(())
    }
}

/// `applied` in the order of `migrations` (a row whose file is gone by its
/// own version).
pub(crate) fn ordered(
    mut applied: Vec<AppliedMigration>,
    migrations: &[Migration],
) -> Vec<AppliedMigration> {
    applied.sort_by_cached_key(|a| order_key(&a.version, migrations));
    applied
}

/// Where a version sorts: its migration's place if there is one.
pub(crate) fn order_key(version: &str, migrations: &[Migration]) -> Version {
    migrations
        .iter()
        .find(|m| m.version.text() == version)
        .map_or_else(|| Version::from_text(version), |m| m.version.clone())
}
