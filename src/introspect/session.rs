//! The read-only transactions a read runs in: the main one, and the helper
//! connection's one in the main one's exported snapshot.

use std::time::{Duration, Instant};

use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, Row};

use super::catalog_version::CatalogVersion;
use super::error::IntrospectError;
use super::{constraints, indexes};

/// Limits for reading a live database.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub statement_timeout: Duration,
    pub lock_timeout: Duration,
    /// Also read owners and grants (one more query; off unless the expected
    /// file declares privileges or `snapshot --privileges` asks).
    pub privileges: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            statement_timeout: Duration::from_secs(60),
            lock_timeout: Duration::from_secs(5),
            privileges: false,
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
        // The server deparses constants and names in the session's settings,
        // which a database or role may change (`ALTER DATABASE ... SET`):
        // fixed here, a timestamptz bound or an interval default reads the
        // same wherever the file was written. `search_path = public` (with
        // pg_catalog implicitly first) is what the canonical forms assume:
        // objects in public unqualified, all others qualified; a session
        // that set `schemagate.search_path` (a tenant schema of a fleet,
        // read as if it were the declared one) gets that schema instead.
        // JIT compiling catalog queries costs more than it saves.
        "{SETTINGS} SET LOCAL jit = off; \
         SET LOCAL statement_timeout = {}; SET LOCAL lock_timeout = {}",
        limits.statement_timeout.as_millis(),
        // 0 is "do not wait" here; to the server it would mean "forever".
        limits.lock_timeout.as_millis().max(1)
    ))
    .map_err(IntrospectError::query("settings"))?;
    Ok(tx)
}

/// The settings that change deparsed text, fixed for every catalog read.
pub(super) const SETTINGS: &str = "SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, MDY'; \
     SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 1; \
     SELECT set_config('search_path', \
       coalesce(nullif(current_setting('schemagate.search_path', true), ''), 'public'), true);";

/// Runs `sql` in `tx` and hands its rows to `each` in batches of
/// `batch_rows` as they arrive (the last one possibly empty), so that no
/// whole result set is held; returns the time the query took, not counting
/// the time spent in `each`.
pub(super) fn stream_rows(
    tx: &mut postgres::Transaction<'_>,
    stage: &'static str,
    sql: &str,
    params: &[&(dyn postgres::types::ToSql + Sync)],
    batch_rows: usize,
    each: &mut dyn FnMut(Vec<Row>),
) -> Result<Duration, IntrospectError> {
    let started = Instant::now();
    let mut handing = Duration::ZERO;
    let mut hand = |batch: Vec<Row>| {
        let at = Instant::now();
        each(batch);
        handing += at.elapsed();
    };
    let mut rows = tx
        .query_raw(sql, params.iter().copied())
        .map_err(IntrospectError::query(stage))?;
    let mut batch = Vec::with_capacity(batch_rows);
    while let Some(row) = rows.next().map_err(IntrospectError::query(stage))? {
        batch.push(row);
        if batch.len() == batch_rows {
            hand(std::mem::replace(
                &mut batch,
                Vec::with_capacity(batch_rows),
            ));
        }
    }
    hand(batch);
    Ok(started.elapsed().saturating_sub(handing))
}

/// What the helper connection sends the main one, in this order: batches
/// of constraint rows, then of index rows, then how long each query took.
pub(super) enum FromHelper {
    Constraints(Vec<Row>),
    Indexes(Vec<Row>),
    Done {
        constraints: Duration,
        indexes: Duration,
    },
}

/// The constraint and index queries on the helper connection, in
/// `snapshot`, their rows sent in batches of `batch_rows` as they arrive (the
/// main connection assembles them meanwhile, instead of all of them at the
/// end, which at 50,000 tables held 350,000 rows at once).
pub(super) fn read_on_helper(
    client: &mut Client,
    snapshot: &str,
    names: &[String],
    limits: Limits,
    catalog: CatalogVersion,
    batch_rows: usize,
    send: impl Fn(FromHelper),
) -> Result<(), IntrospectError> {
    let mut tx = begin(client, limits, Some(snapshot))?;
    let mut run = |stage: &'static str,
                   sql: &str,
                   wrap: fn(Vec<Row>) -> FromHelper|
     -> Result<Duration, IntrospectError> {
        let sql = catalog.render(sql);
        stream_rows(&mut tx, stage, &sql, &[&names], batch_rows, &mut |rows| {
            send(wrap(rows))
        })
    };
    let constraints = run("constraints", constraints::SQL, FromHelper::Constraints)?;
    let indexes = run("indexes", indexes::SQL, FromHelper::Indexes)?;
    tx.commit().map_err(IntrospectError::query("commit"))?;
    send(FromHelper::Done {
        constraints,
        indexes,
    });
    Ok(())
}
