//! Progress of a run, reported through the caller's callback.

use std::time::Duration;

use crate::migrate::model::Migration;

/// What a run is doing, for progress output.
#[derive(Clone, Copy, Debug)]
pub enum MigrateEvent<'a> {
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
