//! Runs a project's migrations against a database, once each, with history.
//!
//! Native layout: `NNNN_name.up.sql` + `NNNN_name.down.sql` in one directory;
//! the layouts of sqlx, golang-migrate, Diesel, dbmate, sql-migrate and
//! Flyway are read too ([`formats`]), all through [`discover`]. Applied migrations are recorded in the tracking table
//! `schemagate_migrations` ([`tracking`]); [`up`] and [`down`] hold a session
//! advisory lock for the whole run ([`lock`]) so concurrent runners
//! serialise, and run each migration in its own transaction together with
//! its tracking row ([`run`]). A failing statement is reported with the
//! file, line and column the server pointed at ([`position`]).

// MigrateError::Statement carries the server's whole report; errors end a
// run and sit next to network round trips, so the size costs nothing worth
// an extra Box in every match on it.
#![allow(clippy::result_large_err)]

mod backup;
mod discover;
mod error;
pub mod formats;
mod lock;
mod new;
mod position;
mod run;
mod split;
mod status;
mod tracking;
mod transaction;
mod version;

pub use backup::{backup, find_pg_dump};
pub use discover::{
    checksum, discover, Direction, Migration, MigrationFile, NO_TRANSACTION_MARKER,
};
pub use error::MigrateError;
pub use formats::{detect, MigrationFormat};
pub use lock::LOCK_NAME;
pub use new::new;
pub use position::{locate, Location};
pub use run::{down, resolve, up, DownTarget, Event, RunSummary};
pub use split::{split, Statement};
pub use status::{current, history, history_of, stamp, status, MigrationState, StatusRow};
pub use tracking::{AppliedMigration, TRACKING_TABLE};
pub use transaction::needs_no_transaction;
pub use version::{MigrationKind, Version};
