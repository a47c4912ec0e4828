//! The read-only transactions a read runs in: the main one, and the helper
//! connection's one in the main one's exported snapshot.

use std::time::{Duration, Instant};

use postgres::{Client, Row};

use super::error::IntrospectError;
use super::{constraints, indexes};

/// Limits for reading a live database.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub statement_timeout: Duration,
    pub lock_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            statement_timeout: Duration::from_secs(60),
            lock_timeout: Duration::from_secs(5),
        }
    }
}

/// Starts the read-only, repeatable-read transaction with our settings;
/// with `snapshot`, in that exported snapshot.
pub(super) fn begin<'a>(
    client: &'a mut Client,
    limits: Limits,
    snapshot: Option<&str>,
) -> Result<postgres::Transaction<'a>, IntrospectError> {
    let mut tx = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(IntrospectError::query("begin"))?;
    if let Some(snapshot) = snapshot {
        // Before any query of the transaction.
        tx.batch_execute(&format!(
            "SET TRANSACTION SNAPSHOT '{}'",
            snapshot.replace('\'', "''")
        ))
        .map_err(IntrospectError::query("snapshot"))?;
    }
    tx.batch_execute(&format!(
        // JIT compiling catalog queries costs more than it saves. The
        // search path is `public` unless the session set
        // `schemagate.search_path` (a tenant schema read as if it were the
        // declared one: expressions then name its objects unqualified).
        "SELECT set_config('search_path', coalesce(nullif(current_setting('schemagate.search_path', true), ''), 'public'), true); \
         SET LOCAL jit = off; \
         SET LOCAL statement_timeout = {}; SET LOCAL lock_timeout = {}",
        limits.statement_timeout.as_millis(),
        limits.lock_timeout.as_millis()
    ))
    .map_err(IntrospectError::query("settings"))?;
    Ok(tx)
}

pub(super) type Timed = (Vec<Row>, Duration);

/// The constraint and index queries on the helper connection, in `snapshot`.
pub(super) fn read_on_helper(
    client: &mut Client,
    snapshot: &str,
    names: &[String],
    limits: Limits,
    nnd: &str,
) -> Result<(Timed, Timed), IntrospectError> {
    let mut tx = begin(client, limits, Some(snapshot))?;
    let mut run = |stage: &'static str, sql: &str| -> Result<Timed, IntrospectError> {
        let sql = sql.replace("{nulls_not_distinct}", nnd);
        let started = Instant::now();
        let rows = tx
            .query(&sql, &[&names])
            .map_err(IntrospectError::query(stage))?;
        Ok((rows, started.elapsed()))
    };
    let constraints = run("constraints", constraints::SQL)?;
    let indexes = run("indexes", indexes::SQL)?;
    tx.commit().map_err(IntrospectError::query("commit"))?;
    Ok((constraints, indexes))
}
