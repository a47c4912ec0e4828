//! Reads what the server built: `introspect::schema(client, schemas)`.
//!
//! A fixed number of set-based catalog queries (one per object kind, never
//! one per table) inside a single READ ONLY, REPEATABLE READ transaction, so
//! the picture is consistent and nothing is written. Given a second
//! connection, the two costliest queries run there at the same time, in a
//! READ ONLY transaction that imports the first one's snapshot
//! (`pg_export_snapshot`), so the picture is the same. Rows are taken in
//! batches as they arrive and turned into the model at once (the helper's
//! over a channel), so no whole result set is held: at 50,000 tables that
//! was a few hundred megabytes. Types, defaults and
//! expressions come from the server's own renderers (`format_type`,
//! `pg_get_expr`, `pg_get_indexdef`, ...) under fixed settings
//! (`session::SETTINGS`: UTC, ISO dates, postgres intervals,
//! `search_path = public`), whatever the database or role sets.
//!
//! One file per catalog query: `<kind>.sql` and, next to it, `<kind>.rs`
//! with `SQL` and `assemble(rows, partial)`, which adds that query's rows to
//! the `partial::Partial` schema. This file only runs them in order.
//! Version differences are placeholders in the `.sql` files, filled in
//! by `catalog_version`. Imports go one way: `error`, `partial` and
//! `catalog_version` first, then the
//! assemblers, then `session` (transactions, the helper connection), then
//! this file.

use std::time::{Duration, Instant};

use postgres::{Client, Row};

use crate::model::Schema;

mod catalog_objects;
mod catalog_version;
mod columns;
mod constraints;
mod error;
mod functions;
mod indexes;
mod locks;
mod namespaces;
mod partial;
mod policies;
mod privileges;
mod relations;
mod rules;
mod sequences;
mod session;
mod triggers;
mod types;
mod uncovered;

use catalog_version::CatalogVersion;
pub use error::IntrospectError;
pub use locks::HeldLock;
use partial::Partial;
pub use session::Limits;
use session::{begin, read_on_helper, stream_rows, FromHelper};

/// Adds one catalog query's rows to the partial schema.
type Assembler = fn(&[Row], &mut Partial);

/// The queries that always run on the main connection, in order (the
/// namespaces and tables must be there before what hangs off them).
/// Constraints and indexes follow, on the helper connection if there is one.
const MAIN_QUERIES: [(&str, &str, Assembler); 15] = [
    ("schemas", namespaces::SQL, namespaces::assemble),
    ("relations", relations::SQL, relations::assemble),
    ("columns", columns::SQL, columns::assemble),
    ("triggers", triggers::SQL, triggers::assemble),
    ("rules", rules::SQL, rules::assemble),
    ("policies", policies::SQL, policies::assemble),
    ("sequences", sequences::SQL, sequences::assemble),
    ("types", types::SQL, types::assemble),
    ("functions", functions::SQL, functions::assemble),
    (
        "composite types",
        catalog_objects::COMPOSITE_TYPES_SQL,
        catalog_objects::assemble_composite_types,
    ),
    (
        "extensions",
        catalog_objects::EXTENSIONS_SQL,
        catalog_objects::assemble_extensions,
    ),
    (
        "collations",
        catalog_objects::COLLATIONS_SQL,
        catalog_objects::assemble_collations,
    ),
    (
        "statistics",
        catalog_objects::STATISTICS_SQL,
        catalog_objects::assemble_statistics,
    ),
    (
        "foreign tables",
        catalog_objects::FOREIGN_TABLES_SQL,
        catalog_objects::assemble_foreign_tables,
    ),
    ("not compared", uncovered::SQL, uncovered::assemble),
];

/// Rows handed to an assembler at a time.
const BATCH_ROWS: usize = 2048;

type Params<'a> = &'a [&'a (dyn postgres::types::ToSql + Sync)];

/// Runs one query (stage, SQL, parameters), handing its rows on in batches.
type Runner<'r> = dyn FnMut(&'static str, &str, Params<'_>, &mut dyn FnMut(Vec<Row>)) -> Result<(), IntrospectError>
    + 'r;

/// All rows of one query, through a batch-wise runner.
fn fetch(
    run: &mut Runner<'_>,
    stage: &'static str,
    sql: &str,
    params: Params<'_>,
) -> Result<Vec<Row>, IntrospectError> {
    let mut all = Vec::new();
    run(stage, sql, params, &mut |rows| all.extend(rows))?;
    Ok(all)
}

/// The oldest server whose catalog these queries know.
pub const MIN_SERVER_VERSION: i32 = 130000;

/// Reads the selected `schemas` of the database behind `client`.
pub fn schema(
    client: &mut Client,
    schemas: &[String],
    limits: Limits,
) -> Result<Schema, IntrospectError> {
    schema_timed(client, schemas, limits, |_, _| {})
}

/// [`schema`], telling `on_stage` how long each catalog query took (for `-v`).
pub fn schema_timed(
    client: &mut Client,
    schemas: &[String],
    limits: Limits,
    on_stage: impl FnMut(&'static str, Duration),
) -> Result<Schema, IntrospectError> {
    schema_with_helper(client, None, schemas, limits, on_stage)
}

/// [`schema_timed`], optionally with a second connection to the same
/// database (`helper`): the two queries that deparse expressions
/// (constraints, indexes) run there while the others run on `client`, in a
/// transaction that imports the first one's snapshot, so that both read the
/// same state of the catalog. Without a helper, or if it cannot import the
/// snapshot, everything runs on `client`.
///
/// A lock timeout (the server's deparse functions lock what they read: a
/// migration in flight holding ACCESS EXCLUSIVE blocks them) ends the read
/// at once, on either connection, as [`IntrospectError::Locked`] naming the
/// relations held and their holders.
pub fn schema_with_helper(
    client: &mut Client,
    helper: Option<&mut Client>,
    schemas: &[String],
    limits: Limits,
    on_stage: impl FnMut(&'static str, Duration),
) -> Result<Schema, IntrospectError> {
    match read(client, helper, schemas, limits, on_stage) {
        Err(IntrospectError::Query { stage, source }) if locks::is_lock_timeout(&source) => {
            // The transaction that timed out has ended: ask who holds what.
            Err(IntrospectError::Locked {
                stage,
                held: locks::held(client),
                source,
            })
        }
        other => other,
    }
}

fn read(
    client: &mut Client,
    helper: Option<&mut Client>,
    schemas: &[String],
    limits: Limits,
    mut on_stage: impl FnMut(&'static str, Duration),
) -> Result<Schema, IntrospectError> {
    let mut tx = begin(client, limits, None)?;
    let version: i32 = tx
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .map_err(IntrospectError::query("version"))?
        .get(0);
    if version < MIN_SERVER_VERSION {
        let text: String = tx
            .query_one("SELECT current_setting('server_version')", &[])
            .map_err(IntrospectError::query("version"))?
            .get(0);
        return Err(IntrospectError::UnsupportedVersion { found: text });
    }
    let catalog = CatalogVersion(version);
    let names: Vec<String> = schemas.to_vec();
    let helper = match helper {
        Some(helper) => match tx.query_one("SELECT pg_export_snapshot()", &[]) {
            Ok(row) => Some((helper, row.get::<_, String>(0))),
            Err(_) => {
                // The failed statement ended the transaction: start over alone.
                drop(tx);
                tx = begin(client, limits, None)?;
                None
            }
        },
        None => None,
    };
    std::thread::scope(|scope| {
        let (sender, from_helper) = std::sync::mpsc::channel::<FromHelper>();
        let helper_job = helper.map(|(helper, snapshot)| {
            let names = names.clone();
            let sender = sender.clone();
            scope.spawn(move || {
                let send = |message| {
                    // Gone only if this read already failed.
                    let _ = sender.send(message);
                };
                read_on_helper(helper, &snapshot, &names, limits, catalog, BATCH_ROWS, send)
            })
        });
        // The helper's is the only sender left: the channel ends with it.
        drop(sender);
        let mut run = |stage: &'static str,
                       sql: &str,
                       params: &[&(dyn postgres::types::ToSql + Sync)],
                       each: &mut dyn FnMut(Vec<Row>)|
         -> Result<(), IntrospectError> {
            let sql = catalog.render(sql);
            let took = stream_rows(&mut tx, stage, &sql, params, BATCH_ROWS, each)?;
            on_stage(stage, took);
            Ok(())
        };
        let mut partial = Partial::new();
        // Time spent turning rows into the model (a Cell: several closures add to it).
        let assembling = std::cell::Cell::new(Duration::ZERO);
        let assemble = |rows: Vec<Row>, partial: &mut Partial, f: Assembler| {
            let started = Instant::now();
            f(&rows, partial);
            drop(rows);
            assembling.set(assembling.get() + started.elapsed());
        };
        // Each batch of rows is turned into the model and dropped at once.
        let mut stream = |stage: &'static str,
                          sql: &str,
                          params: &[&(dyn postgres::types::ToSql + Sync)],
                          partial: &mut Partial,
                          f: Assembler|
         -> Result<(), IntrospectError> {
            run(stage, sql, params, &mut |rows| assemble(rows, partial, f))
        };
        for (stage, sql, assembler) in MAIN_QUERIES {
            stream(stage, sql, &[&names], &mut partial, assembler)?;
        }
        if limits.privileges {
            stream(
                "privileges",
                privileges::SQL,
                &[&names],
                &mut partial,
                privileges::assemble,
            )?;
            stream(
                "roles",
                privileges::ROLES_SQL,
                &[],
                &mut partial,
                privileges::assemble_roles,
            )?;
        }

        // Constraint rows name columns by number: those of tables outside
        // the selected schemas (foreign keys point there) come from one
        // more query, for each batch that has some.
        let add_constraints = |rows: Vec<Row>,
                               partial: &mut Partial,
                               run: &mut Runner<'_>|
         -> Result<(), IntrospectError> {
            let outside = constraints::outside_tables(&rows, partial);
            if !outside.is_empty() {
                let refs = fetch(
                    run,
                    "referenced columns",
                    constraints::REF_COLUMNS_SQL,
                    &[&outside],
                )?;
                constraints::assemble_ref_columns(&outside, &refs, partial);
            }
            assemble(rows, partial, constraints::assemble);
            Ok(())
        };

        // The constraint and index queries deparse expressions and cost the
        // most: given a second connection, they run there meanwhile, and
        // their rows are assembled here as they come.
        let mut helper_stages = Vec::new();
        let mut helped = false;
        if let Some(job) = helper_job {
            let mut received = false;
            for message in from_helper.iter() {
                received = true;
                match message {
                    FromHelper::Constraints(rows) => add_constraints(rows, &mut partial, &mut run)?,
                    FromHelper::Indexes(rows) => assemble(rows, &mut partial, indexes::assemble),
                    FromHelper::Done {
                        constraints,
                        indexes,
                    } => {
                        helper_stages = vec![
                            ("constraints (2nd connection)", constraints),
                            ("indexes (2nd connection)", indexes),
                        ];
                        helped = true;
                    }
                }
            }
            match job.join() {
                Err(panic) => std::panic::resume_unwind(panic),
                Ok(Ok(())) => {}
                // A lock the helper waited for would be waited for again
                // here; and rows it sent are assembled already.
                Ok(Err(e)) if received => return Err(e),
                Ok(Err(IntrospectError::Query { stage, source }))
                    if locks::is_lock_timeout(&source) =>
                {
                    return Err(IntrospectError::Query { stage, source });
                }
                // The helper could not start (say, the snapshot could not be
                // imported): read them here.
                Ok(Err(_)) => {}
            }
        }
        if !helped {
            let rows = fetch(&mut run, "constraints", constraints::SQL, &[&names])?;
            add_constraints(rows, &mut partial, &mut run)?;
            let rows = fetch(&mut run, "indexes", indexes::SQL, &[&names])?;
            assemble(rows, &mut partial, indexes::assemble);
        }

        tx.commit().map_err(IntrospectError::query("commit"))?;
        let started = Instant::now();
        let out = partial.finish();
        assembling.set(assembling.get() + started.elapsed());
        for (stage, took) in helper_stages {
            on_stage(stage, took);
        }
        on_stage("assemble", assembling.get());
        Ok(out)
    })
}
