//! Runs migrations against a database and reads what ran: `up`, `down`,
//! `status`, `stamp`, the lock and the tracking table, `pg_dump` backups,
//! and `new` for a project's next migration.
//!
//! Layer 4 of `migrate` (running), the last: imports the model, SQL
//! scanning and sources layers; nothing in `migrate` imports it. Inside it,
//! `event` comes first, then `lock`, `tracking` and `revision`, then `apply`,
//! then `status`; `backup`, `new` and `setup` stand alone.

mod apply;
mod backup;
mod event;
mod lock;
mod new;
mod observe;
mod revision;
mod setup;
mod status;
mod tracking;

pub use apply::{down, up, up_observed, DownTarget, RunSummary};
pub use backup::{backup, find_pg_dump};
pub use event::MigrateEvent;
pub use lock::LOCK_NAME;
pub use new::new;
pub use observe::{NoObserver, Observer, Query};
pub use revision::{is_relative, resolve, target, Target};
pub use setup::setup;
pub use status::{current, history, history_of, stamp, status, MigrationState, StatusRow};
pub use tracking::{AppliedMigration, TRACKING_TABLE};
