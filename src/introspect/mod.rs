//! Reads what the server built: `introspect::schema(client, schemas)`.
//!
//! A fixed number of set-based catalog queries (one per object kind, never
//! one per table) inside a single READ ONLY, REPEATABLE READ transaction, so
//! the picture is consistent and nothing is written. Given a second
//! connection, the two costliest queries run there at the same time, in a
//! READ ONLY transaction that imports the first one's snapshot
//! (`pg_export_snapshot`), so the picture is the same. Types, defaults and
//! expressions come from the server's own renderers (`format_type`,
//! `pg_get_expr`, `pg_get_indexdef`, ...) with `search_path = public`.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::{Duration, Instant};

use postgres::{Client, Row};

use crate::model::*;

const NAMESPACES: &str = include_str!("namespaces.sql");
const RELATIONS: &str = include_str!("relations.sql");
const COLUMNS: &str = include_str!("columns.sql");
const CONSTRAINTS: &str = include_str!("constraints.sql");
const REF_COLUMNS: &str = include_str!("ref_columns.sql");
const INDEXES: &str = include_str!("indexes.sql");
const TRIGGERS: &str = include_str!("triggers.sql");
const POLICIES: &str = include_str!("policies.sql");
const SEQUENCES: &str = include_str!("sequences.sql");
const TYPES: &str = include_str!("types.sql");
const FUNCTIONS: &str = include_str!("functions.sql");

/// The oldest server whose catalog these queries know.
pub const MIN_SERVER_VERSION: i32 = 130000;

#[derive(Debug, thiserror::Error)]
pub enum IntrospectError {
    #[error("reading the catalog failed ({stage})")]
    Query {
        stage: &'static str,
        #[source]
        source: postgres::Error,
    },
    #[error("PostgreSQL {found} is not supported: schemagate needs 13 or newer")]
    UnsupportedVersion { found: String },
}

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
pub fn schema_with_helper(
    client: &mut Client,
    helper: Option<&mut Client>,
    schemas: &[String],
    limits: Limits,
    mut on_stage: impl FnMut(&'static str, Duration),
) -> Result<Schema, IntrospectError> {
    let q = |stage: &'static str| move |source| IntrospectError::Query { stage, source };
    let mut tx = begin(client, limits, None)?;
    let version: i32 = tx
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .map_err(q("version"))?
        .get(0);
    if version < MIN_SERVER_VERSION {
        let text: String = tx
            .query_one("SELECT current_setting('server_version')", &[])
            .map_err(q("version"))?
            .get(0);
        return Err(IntrospectError::UnsupportedVersion { found: text });
    }
    // PostgreSQL 15 added UNIQUE NULLS NOT DISTINCT.
    let nnd = if version >= 150000 {
        "i.indnullsnotdistinct"
    } else {
        "false"
    };
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
            scope.spawn(move || read_on_helper(helper, &snapshot, &names, limits, nnd))
        });
        let mut run = |stage: &'static str,
                       sql: &str,
                       params: &[&(dyn postgres::types::ToSql + Sync)]|
         -> Result<Vec<Row>, IntrospectError> {
            let sql = sql.replace("{nulls_not_distinct}", nnd);
            let started = Instant::now();
            let rows = tx.query(&sql, params).map_err(q(stage))?;
            on_stage(stage, started.elapsed());
            Ok(rows)
        };
        let mut assembling = Duration::ZERO;
        let mut helper_stages = Vec::new();
        // Each query's rows are turned into the model and dropped before the
        // next query, so that only one result set is in memory at a time.
        let mut out = Schema::default();
        let namespaces = run("schemas", NAMESPACES, &[&names])?;
        let started = Instant::now();
        for row in &namespaces {
            out.schemas.insert(row.get("name"), Namespace::default());
        }
        drop(namespaces);
        assembling += started.elapsed();
        // The tables we keep by oid, filled in by the queries below and put
        // into `out` at the end (a hash lookup per row, not a tree walk).
        let mut tables: HashMap<u32, (String, String, Table)> = HashMap::new();
        let relations = run("relations", RELATIONS, &[&names])?;
        let started = Instant::now();
        for row in &relations {
            let oid: u32 = row.get("oid");
            let schema: String = row.get("schema");
            let name: String = row.get("name");
            let kind: String = row.get("kind");
            let ns = out.schemas.entry(schema.clone()).or_default();
            let comment: Option<String> = row.get("comment");
            if kind == "v" || kind == "m" {
                ns.views.insert(
                    name,
                    View {
                        line: None,
                        materialized: kind == "m",
                        definition: row
                            .get::<_, Option<String>>("view_definition")
                            .map(|d| d.trim().to_string()),
                        comment,
                    },
                );
                continue;
            }
            let parent_name: Option<String> = row.get("parent_name");
            let partition_of = parent_name.map(|parent| PartitionOf {
                parent: QualifiedName::new(row.get::<_, String>("parent_schema"), parent),
                bound: row
                    .get::<_, Option<String>>("partition_bound")
                    .unwrap_or_default(),
            });
            let table = Table {
                comment,
                partition_by: row.get("partition_by"),
                partition_of,
                rls_enabled: row.get("relrowsecurity"),
                rls_forced: row.get("relforcerowsecurity"),
                ..Table::default()
            };
            tables.insert(oid, (schema, name, table));
        }
        drop(relations);
        assembling += started.elapsed();
        fn table_in(
            tables: &mut HashMap<u32, (String, String, Table)>,
            oid: u32,
        ) -> Option<&mut Table> {
            tables.get_mut(&oid).map(|(_, _, table)| table)
        }

        let columns = run("columns", COLUMNS, &[&names])?;
        let started = Instant::now();
        // Column names by (table, attnum), for constraints' column numbers.
        let mut attnames: HashMap<(u32, i16), String> = HashMap::new();
        for row in &columns {
            attnames.insert((row.get("table_oid"), row.get("attnum")), row.get("name"));
            let Some(table) = table_in(&mut tables, row.get("table_oid")) else {
                continue;
            };
            let identity = match row.get::<_, String>("identity").as_str() {
                "a" => Some(Identity::Always),
                "d" => Some(Identity::ByDefault),
                _ => None,
            };
            let expr: Option<String> = row.get("default_expr");
            let generated = row.get::<_, String>("generated") == "s";
            table.columns.push(Column {
                line: None,
                name: row.get("name"),
                data_type: row.get("data_type"),
                nullable: !row.get::<_, bool>("attnotnull"),
                default: if generated { None } else { expr.clone() },
                identity,
                generated: if generated { expr } else { None },
                collation: row.get("collation"),
                comment: row.get("comment"),
            });
        }
        let known: HashSet<u32> = attnames.keys().map(|(oid, _)| *oid).collect();
        drop(columns);
        assembling += started.elapsed();

        let triggers = run("triggers", TRIGGERS, &[&names])?;
        let started = Instant::now();
        for row in &triggers {
            let Some(table) = table_in(&mut tables, row.get("table_oid")) else {
                continue;
            };
            let tgtype: i32 = row.get("tgtype");
            let definition: String = row.get("definition");
            let update_columns: Vec<String> = row.get("update_columns");
            let (when, function) = split_trigger_definition(&definition);
            table.triggers.push(Trigger {
                line: None,
                name: row.get("name"),
                timing: trigger_timing(tgtype).into(),
                events: trigger_events(tgtype, &update_columns),
                level: if tgtype & 1 != 0 { "row" } else { "statement" }.into(),
                function,
                when,
                enabled: row.get::<_, String>("enabled") != "D",
            });
        }
        drop(triggers);
        assembling += started.elapsed();

        let policies = run("policies", POLICIES, &[&names])?;
        let started = Instant::now();
        for row in &policies {
            let Some(table) = table_in(&mut tables, row.get("table_oid")) else {
                continue;
            };
            let command = match row.get::<_, String>("command").as_str() {
                "r" => "select",
                "a" => "insert",
                "w" => "update",
                "d" => "delete",
                _ => "all",
            };
            table.policies.push(Policy {
                line: None,
                name: row.get("name"),
                command: command.into(),
                permissive: row.get("polpermissive"),
                roles: row.get("roles"),
                using: row.get("using_expr"),
                with_check: row.get("with_check"),
            });
        }
        drop(policies);
        assembling += started.elapsed();

        let sequences = run("sequences", SEQUENCES, &[&names])?;
        let started = Instant::now();
        for row in &sequences {
            let ns = out.schemas.entry(row.get("schema")).or_default();
            ns.sequences.insert(
                row.get("name"),
                Sequence {
                    line: None,
                    data_type: row.get("data_type"),
                    start: row.get("seqstart"),
                    increment: row.get("seqincrement"),
                    min_value: row.get("seqmin"),
                    max_value: row.get("seqmax"),
                    cache: row.get("seqcache"),
                    cycle: row.get("seqcycle"),
                },
            );
        }
        drop(sequences);
        assembling += started.elapsed();

        let types = run("types", TYPES, &[&names])?;
        let started = Instant::now();
        for row in &types {
            let ns = out.schemas.entry(row.get("schema")).or_default();
            let name: String = row.get("name");
            if row.get::<_, String>("kind") == "e" {
                ns.enums.insert(
                    name,
                    EnumType {
                        line: None,
                        values: row.get("labels"),
                    },
                );
            } else {
                let checks: Vec<String> = row.get("checks");
                ns.domains.insert(
                    name,
                    Domain {
                        line: None,
                        data_type: row
                            .get::<_, Option<String>>("base_type")
                            .unwrap_or_default(),
                        nullable: !row.get::<_, bool>("typnotnull"),
                        default: row.get("typdefault"),
                        checks: checks
                            .iter()
                            .map(|def| Check {
                                line: None,
                                name: None,
                                expression: strip_check(def),
                                validated: true,
                            })
                            .collect(),
                    },
                );
            }
        }
        drop(types);
        assembling += started.elapsed();

        let functions = run("functions", FUNCTIONS, &[&names])?;
        let started = Instant::now();
        for row in &functions {
            let ns = out.schemas.entry(row.get("schema")).or_default();
            let signature: String = row.get("signature");
            ns.functions.insert(
                crate::expected::canonical_signature(&signature),
                Function {
                    line: None,
                    returns: row.get("returns"),
                    language: row.get("language"),
                },
            );
        }
        drop(functions);
        assembling += started.elapsed();

        // The constraint and index queries deparse expressions and cost the
        // most: given a second connection, they ran there in the meantime.
        let helped = match helper_job.map(|job| job.join()) {
            Some(Ok(Ok(helped))) => Some(helped),
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            // The helper could not do it (say, the snapshot could not be
            // imported): read them here.
            Some(Ok(Err(_))) | None => None,
        };
        let (constraints, indexes) = match helped {
            Some(((constraints, took_constraints), (indexes, took_indexes))) => {
                helper_stages = vec![
                    ("constraints (2nd connection)", took_constraints),
                    ("indexes (2nd connection)", took_indexes),
                ];
                (constraints, indexes)
            }
            None => (
                run("constraints", CONSTRAINTS, &[&names])?,
                run("indexes", INDEXES, &[&names])?,
            ),
        };
        // Foreign keys to tables outside the selected schemas: their column
        // names come from one more query.
        let outside: Vec<u32> = constraints
            .iter()
            .map(|row| row.get::<_, u32>("ref_oid"))
            .filter(|oid| *oid != 0 && !known.contains(oid))
            .collect::<BTreeSet<u32>>()
            .into_iter()
            .collect();
        if !outside.is_empty() {
            for row in run("referenced columns", REF_COLUMNS, &[&outside])? {
                attnames.insert((row.get("table_oid"), row.get("attnum")), row.get("name"));
            }
        }
        let column_names = |oid: u32, numbers: Vec<i16>| -> Vec<String> {
            numbers
                .into_iter()
                .map(|n| {
                    attnames
                        .get(&(oid, n))
                        .cloned()
                        .unwrap_or_else(|| format!("#{n}"))
                })
                .collect()
        };
        let started = Instant::now();
        for row in &constraints {
            let Some(table) = table_in(&mut tables, row.get("table_oid")) else {
                continue;
            };
            let name: String = row.get("name");
            let columns = column_names(row.get("table_oid"), row.get("column_numbers"));
            let deferrable =
                Deferrable::from_flags(row.get("condeferrable"), row.get("condeferred"));
            let validated: bool = row.get("convalidated");
            match row.get::<_, String>("kind").as_str() {
                "p" => {
                    table.primary_key = Some(PrimaryKey {
                        line: None,
                        name: Some(name),
                        columns,
                    })
                }
                "u" => table.uniques.push(Unique {
                    line: None,
                    name: Some(name),
                    columns,
                    nulls_not_distinct: row.get("nulls_not_distinct"),
                    deferrable,
                }),
                "c" => table.checks.push(Check {
                    line: None,
                    name: Some(name),
                    expression: row
                        .get::<_, Option<String>>("check_expr")
                        .unwrap_or_default(),
                    validated,
                }),
                "f" => table.foreign_keys.push(ForeignKey {
                    line: None,
                    name: Some(name),
                    columns,
                    ref_table: QualifiedName::new(
                        row.get::<_, String>("ref_schema"),
                        row.get::<_, String>("ref_table"),
                    ),
                    ref_columns: column_names(row.get("ref_oid"), row.get("ref_column_numbers")),
                    on_delete: FkAction::from_catalog(first_byte(row, "on_delete")),
                    on_update: FkAction::from_catalog(first_byte(row, "on_update")),
                    deferrable,
                    validated,
                }),
                _ => {}
            }
        }
        drop(constraints);
        assembling += started.elapsed();

        let started = Instant::now();
        for row in &indexes {
            let Some(table) = table_in(&mut tables, row.get("table_oid")) else {
                continue;
            };
            let key_count = row.get::<_, i32>("key_count") as usize;
            let columns: Vec<String> = row.get("columns");
            let options: Vec<i16> = row.get("options");
            let opclasses: Vec<String> = row.get("opclasses");
            let keys = columns
                .iter()
                .take(key_count)
                .enumerate()
                .map(|(k, expr)| {
                    let option = options.get(k).copied().unwrap_or(0);
                    // indoption bits: 1 = DESC, 2 = NULLS FIRST.
                    let descending = option & 1 != 0;
                    let nulls_first = option & 2 != 0;
                    IndexKey {
                        expression: expr.clone(),
                        opclass: opclasses.get(k).filter(|o| !o.is_empty()).cloned(),
                        descending,
                        nulls_first: (nulls_first != descending).then_some(nulls_first),
                    }
                })
                .collect();
            table.indexes.push(Index {
                line: None,
                name: row.get("name"),
                unique: row.get("indisunique"),
                method: row.get("method"),
                keys,
                include: columns.iter().skip(key_count).cloned().collect(),
                predicate: row.get("predicate"),
                nulls_not_distinct: row.get("nulls_not_distinct"),
            });
        }
        drop(indexes);
        assembling += started.elapsed();

        tx.commit().map_err(q("commit"))?;
        let started = Instant::now();
        for (schema, name, table) in tables.into_values() {
            out.schemas
                .entry(schema)
                .or_default()
                .tables
                .insert(name, table);
        }
        assembling += started.elapsed();
        for (stage, took) in helper_stages {
            on_stage(stage, took);
        }
        on_stage("assemble", assembling);
        Ok(out)
    })
}

/// Starts the read-only, repeatable-read transaction with our settings;
/// with `snapshot`, in that exported snapshot.
fn begin<'a>(
    client: &'a mut Client,
    limits: Limits,
    snapshot: Option<&str>,
) -> Result<postgres::Transaction<'a>, IntrospectError> {
    let q = |stage: &'static str| move |source| IntrospectError::Query { stage, source };
    let mut tx = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(q("begin"))?;
    if let Some(snapshot) = snapshot {
        // Before any query of the transaction.
        tx.batch_execute(&format!(
            "SET TRANSACTION SNAPSHOT '{}'",
            snapshot.replace('\'', "''")
        ))
        .map_err(q("snapshot"))?;
    }
    tx.batch_execute(&format!(
        // JIT compiling catalog queries costs more than it saves.
        "SET LOCAL search_path = public; SET LOCAL jit = off; \
         SET LOCAL statement_timeout = {}; SET LOCAL lock_timeout = {}",
        limits.statement_timeout.as_millis(),
        limits.lock_timeout.as_millis()
    ))
    .map_err(q("settings"))?;
    Ok(tx)
}

type Timed = (Vec<Row>, Duration);

/// The constraint and index queries on the helper connection, in `snapshot`.
fn read_on_helper(
    client: &mut Client,
    snapshot: &str,
    names: &[String],
    limits: Limits,
    nnd: &str,
) -> Result<(Timed, Timed), IntrospectError> {
    let q = |stage: &'static str| move |source| IntrospectError::Query { stage, source };
    let mut tx = begin(client, limits, Some(snapshot))?;
    let mut run = |stage: &'static str, sql: &str| -> Result<Timed, IntrospectError> {
        let sql = sql.replace("{nulls_not_distinct}", nnd);
        let started = Instant::now();
        let rows = tx.query(&sql, &[&names]).map_err(q(stage))?;
        Ok((rows, started.elapsed()))
    };
    let constraints = run("constraints", CONSTRAINTS)?;
    let indexes = run("indexes", INDEXES)?;
    tx.commit().map_err(q("commit"))?;
    Ok((constraints, indexes))
}

fn first_byte(row: &Row, column: &str) -> i8 {
    row.get::<_, String>(column).bytes().next().unwrap_or(b'a') as i8
}

/// `CHECK ((VALUE > 0))` -> `(VALUE > 0)`; NOT VALID is dropped.
fn strip_check(def: &str) -> String {
    let def = def.trim();
    let def = def.strip_suffix(" NOT VALID").unwrap_or(def);
    def.strip_prefix("CHECK ")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| def.to_string())
}

fn trigger_timing(tgtype: i32) -> &'static str {
    if tgtype & 64 != 0 {
        "instead of"
    } else if tgtype & 2 != 0 {
        "before"
    } else {
        "after"
    }
}

fn trigger_events(tgtype: i32, update_columns: &[String]) -> Vec<String> {
    let mut events = Vec::new();
    if tgtype & 4 != 0 {
        events.push("insert".to_string());
    }
    if tgtype & 8 != 0 {
        events.push("delete".to_string());
    }
    if tgtype & 16 != 0 {
        if update_columns.is_empty() {
            events.push("update".to_string());
        } else {
            events.push(format!("update of {}", update_columns.join(", ")));
        }
    }
    if tgtype & 32 != 0 {
        events.push("truncate".to_string());
    }
    events.sort();
    events
}

/// Pulls the WHEN condition and the function call out of `pg_get_triggerdef`.
fn split_trigger_definition(def: &str) -> (Option<String>, String) {
    const EXEC: &str = " EXECUTE FUNCTION ";
    let Some(exec) = def.rfind(EXEC) else {
        return (None, def.to_string());
    };
    let function = def[exec + EXEC.len()..].trim().to_string();
    let head = &def[..exec];
    let when = head.find(" WHEN (").map(|w| {
        let inner = &head[w + " WHEN (".len()..];
        inner.strip_suffix(')').unwrap_or(inner).trim().to_string()
    });
    (when, function)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigger_definition_splits_into_when_and_call() {
        let (when, f) = split_trigger_definition(
            "CREATE TRIGGER t BEFORE UPDATE ON users FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION set_updated_at()",
        );
        assert_eq!(when.as_deref(), Some("(old.* IS DISTINCT FROM new.*)"));
        assert_eq!(f, "set_updated_at()");
    }

    #[test]
    fn trigger_type_bits_decode() {
        // ROW | BEFORE | UPDATE
        assert_eq!(trigger_timing(1 | 2 | 16), "before");
        assert_eq!(
            trigger_events(1 | 2 | 16 | 4, &[]),
            vec!["insert", "update"]
        );
        assert_eq!(trigger_events(16, &["a".into()]), vec!["update of a"]);
    }
}
