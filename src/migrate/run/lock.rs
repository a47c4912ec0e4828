//! The session advisory lock that serialises concurrent migration runners.
//!
//! A session lock (not a transaction lock) because a run spans many
//! transactions, and statements of no-transaction files run outside any.
//! Behind a pooler in transaction mode (PgBouncer) a session lock does not
//! hold: connect runners to the server directly.

use postgres::Client;
use sha2::{Digest, Sha256};

use super::event::MigrateEvent;
use crate::migrate::model::MigrateError;

/// The lock's key is derived from this name, so every schemagate agrees on it.
pub const LOCK_NAME: &str = "schemagate";

/// The first 8 bytes of SHA-256 of [`LOCK_NAME`], as a signed 64-bit key.
pub(crate) fn lock_key() -> i64 {
    let digest = Sha256::digest(LOCK_NAME.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

/// Runs `f` while holding the lock; reports [`MigrateEvent::WaitingForLock`] first if
/// another session holds it. The lock is released afterwards even if `f` fails (and by the
/// server if the connection dies).
pub(crate) fn with_lock<T, E: FnMut(MigrateEvent<'_>)>(
    client: &mut Client,
    on_event: &mut E,
    f: impl FnOnce(&mut Client, &mut E) -> Result<T, MigrateError>,
) -> Result<T, MigrateError> {
    let key = lock_key();
    let got: bool = client
        .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
        .map_err(MigrateError::db("taking the migration lock"))?
        .get(0);
    if !got {
        on_event(MigrateEvent::WaitingForLock);
        client
            .execute("SELECT pg_advisory_lock($1)", &[&key])
            .map_err(MigrateError::db("waiting for the migration lock"))?;
    }
    let result = f(client, on_event);
    let released = client
        .execute("SELECT pg_advisory_unlock($1)", &[&key])
        .map_err(MigrateError::db("releasing the migration lock"));
    match (result, released) {
        (Err(e), _) => Err(e),
        (Ok(_), Err(e)) => Err(e),
        (Ok(value), Ok(_)) => Ok(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_key_never_changes() {
        // Runners of different schemagate versions must exclude each other,
        // and operators may look for this key in pg_locks.
        assert_eq!(lock_key(), 7853375708224301479);
    }
}
