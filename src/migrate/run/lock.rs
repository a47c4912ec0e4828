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

/// Puts the session back in the state every migration starts from, so that
/// a `SET search_path`, `SET ROLE` or `SET statement_timeout` in one file
/// does not change the next, and one `up` equals several `up --to`. Not
/// `DISCARD ALL`: it would release the migration lock too.
pub(crate) fn reset_session(client: &mut Client) -> Result<(), MigrateError> {
    // language=PostgreSQL
    client
        .batch_execute(
            "RESET ALL; SET SESSION AUTHORIZATION DEFAULT; CLOSE ALL; UNLISTEN *; \
             DISCARD TEMP; DISCARD SEQUENCES; DISCARD PLANS",
        )
        .map_err(MigrateError::db("resetting the session between migrations"))
}

/// Inside a migration's transaction, after its statements: the settings the
/// runner writes its tracking row with. `SET LOCAL` ends with the
/// transaction, so what the file set is what the session is reset from.
pub(crate) fn bookkeeping_settings(
    client: &mut impl postgres::GenericClient,
) -> Result<(), MigrateError> {
    // language=PostgreSQL
    client
        .batch_execute(
            "SET LOCAL statement_timeout = 0; SET LOCAL SESSION AUTHORIZATION DEFAULT; \
             SET LOCAL lock_timeout = 0; SET LOCAL search_path = pg_catalog, pg_temp",
        )
        .map_err(MigrateError::db("recording the migration"))
}

/// After `file` ran: whether the runner still holds its lock. A migration
/// may have released it (`pg_advisory_unlock_all()`); it is taken again,
/// unless another runner took it meanwhile, which is an error.
pub(crate) fn ensure_held(client: &mut Client, file: &std::path::Path) -> Result<(), MigrateError> {
    let key = lock_key();
    // language=PostgreSQL
    let held: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' \
             AND pid = pg_backend_pid() AND granted AND objsubid = 1 \
             AND classid::bigint = ($1::bigint >> 32) & 4294967295 \
             AND objid::bigint = $1::bigint & 4294967295)",
            &[&key],
        )
        .map_err(MigrateError::db("checking the migration lock"))?
        .get(0);
    if held {
        return Ok(());
    }
    let got: bool = client
        .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
        .map_err(MigrateError::db("taking the migration lock again"))?
        .get(0);
    if got {
        Ok(())
    } else {
        Err(MigrateError::LockLost {
            file: file.to_path_buf(),
        })
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
