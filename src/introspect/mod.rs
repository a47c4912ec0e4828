//! Reads what the server built: `introspect::schema(client, schemas)`.
//!
//! A fixed number of set-based catalog queries (one per object kind, never
//! one per table) inside a single READ ONLY, REPEATABLE READ transaction, so
//! the picture is consistent and nothing is written. Given a second
//! connection, the two costliest queries run there at the same time, in a
//! READ ONLY transaction that imports the first one's snapshot
//! (`pg_export_snapshot`), so the picture is the same. Types, defaults and
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
use session::{begin, read_on_helper};

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
        let helper_job = helper.map(|(helper, snapshot)| {
            let names = names.clone();
            scope.spawn(move || read_on_helper(helper, &snapshot, &names, limits, catalog))
        });
        let mut run = |stage: &'static str,
                       sql: &str,
                       params: &[&(dyn postgres::types::ToSql + Sync)]|
         -> Result<Vec<Row>, IntrospectError> {
            let sql = catalog.render(sql);
            let started = Instant::now();
            let rows = tx
                .query(&sql, params)
                .map_err(IntrospectError::query(stage))?;
            on_stage(stage, started.elapsed());
            Ok(rows)
        };
        let mut partial = Partial::new();
        let mut assembling = Duration::ZERO;
        // Each query's rows are turned into the model and dropped before the
        // next query, so that only one result set is in memory at a time.
        let mut assemble = |rows: Vec<Row>, partial: &mut Partial, f: Assembler| {
            let started = Instant::now();
            f(&rows, partial);
            drop(rows);
            assembling += started.elapsed();
        };
        for (stage, sql, assembler) in MAIN_QUERIES {
            assemble(run(stage, sql, &[&names])?, &mut partial, assembler);
        }
        if limits.privileges {
            let rows = run("privileges", privileges::SQL, &[&names])?;
            assemble(rows, &mut partial, privileges::assemble);
            let rows = run("roles", privileges::ROLES_SQL, &[])?;
            assemble(rows, &mut partial, privileges::assemble_roles);
        }

        // The constraint and index queries deparse expressions and cost the
        // most: given a second connection, they ran there in the meantime.
        let helped = match helper_job.map(|job| job.join()) {
            Some(Ok(Ok(helped))) => Some(helped),
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            // A lock the helper waited for would be waited for again here.
            Some(Ok(Err(IntrospectError::Query { stage, source })))
                if locks::is_lock_timeout(&source) =>
            {
                return Err(IntrospectError::Query { stage, source });
            }
            // The helper could not do it (say, the snapshot could not be
            // imported): read them here.
            Some(Ok(Err(_))) | None => None,
        };
        let mut helper_stages = Vec::new();
        let (constraint_rows, index_rows) = match helped {
            Some(((constraint_rows, took_constraints), (index_rows, took_indexes))) => {
                helper_stages = vec![
                    ("constraints (2nd connection)", took_constraints),
                    ("indexes (2nd connection)", took_indexes),
                ];
                (constraint_rows, index_rows)
            }
            None => (
                run("constraints", constraints::SQL, &[&names])?,
                run("indexes", indexes::SQL, &[&names])?,
            ),
        };
        // Foreign keys to tables outside the selected schemas: their column
        // names come from one more query.
        let outside = constraints::outside_tables(&constraint_rows, &partial);
        if !outside.is_empty() {
            let rows = run(
                "referenced columns",
                constraints::REF_COLUMNS_SQL,
                &[&outside],
            )?;
            constraints::assemble_ref_columns(&rows, &mut partial);
        }
        assemble(constraint_rows, &mut partial, constraints::assemble);
        assemble(index_rows, &mut partial, indexes::assemble);

        tx.commit().map_err(IntrospectError::query("commit"))?;
        let started = Instant::now();
        let out = partial.finish();
        assembling += started.elapsed();
        for (stage, took) in helper_stages {
            on_stage(stage, took);
        }
        on_stage("assemble", assembling);
        Ok(out)
    })
}
