//! Runs a project's migrations against a database, once each, with history.
//!
//! Native layout: `NNNN_name.up.sql` + `NNNN_name.down.sql` in one directory;
//! the layouts of sqlx, golang-migrate, Diesel, dbmate, sql-migrate and
//! Flyway are read too, all through [`discover`]. Applied migrations are
//! recorded in the tracking table `schemagate_migrations`; [`up`] and
//! [`down`] hold a session advisory lock for the whole run so concurrent
//! runners serialise, and run each migration in its own transaction
//! together with its tracking row. A failing statement is reported with the
//! file, line and column the server pointed at ([`locate`]).
//!
//! Four layers, each importing only the ones before it (as sqlx's
//! `sqlx-core/src/migrate/` separates migration, source and migrator):
//!
//! 1. [`model`]: the migration and its files, versions, the format enum,
//!    the errors — leaves;
//! 2. [`sql`]: SQL scanning — statement split, error positions, the
//!    no-transaction check;
//! 3. [`sources`]: reading a directory — discovery, format detection, one
//!    reader per format;
//! 4. [`run`]: running — up/down, lock, tracking table, status, backup, new.
//!
//! Everything callers use is re-exported here, so `migrate::up` and
//! `migrate::Migration` do not name a layer.

// MigrateError::Statement carries the server's whole report; errors end a
// run and sit next to network round trips, so the size costs nothing worth
// an extra Box in every match on it.
#![allow(clippy::result_large_err)]

pub mod model;
pub mod run;
pub mod sources;
pub mod sql;

pub use model::{
    checksum, Direction, MigrateError, Migration, MigrationFile, MigrationFormat, MigrationKind,
    Version, NO_TRANSACTION_MARKER,
};
pub use run::{
    backup, current, down, find_pg_dump, history, history_of, is_relative, new, resolve, setup,
    stamp, status, target, up, AppliedMigration, DownTarget, MigrateEvent, MigrationState,
    RunSummary, StatusRow, Target, LOCK_NAME, TRACKING_TABLE,
};
pub use sources::{detect, discover};
pub use sql::{locate, needs_no_transaction, split, SqlPosition, Statement};
