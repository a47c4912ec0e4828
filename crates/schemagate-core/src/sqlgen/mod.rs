//! The DDL that brings a database to the expected schema (`diff --sql`).
//!
//! Driven by the diff's mismatches, with both schemas for what to build:
//! each mismatch becomes the statements that resolve it, and the statements
//! come out in dependency order, one phase after the other (drops of what
//! stands in the way, schemas, types and sequences, tables and columns,
//! keys and indexes, foreign keys, triggers and policies, views, comments,
//! then drops of what the expected file does not declare). Items of a table
//! pair exactly as the diff pairs them (`diff::plan_list`).
//!
//! A statement is *destructive* when it loses data or an object the
//! expected file cannot recreate: dropping a schema, table, column, view,
//! sequence, type, domain or function, dropping a key, index, trigger or
//! policy the file does not declare, removing enum values, and a type change
//! that is not a known widening. [`render`] comments those out unless asked.
//! What SQL cannot express from the file (a function whose body it does
//! not give, a changed partition key) is printed as a comment that says so. Owners and grants
//! (`privileges`) come after every object exists.

mod functions;
mod objects;
mod privileges;
mod table;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::diff::{Change, Mismatch, ObjectType};
use crate::model::{quote_ident, Namespace, Schema};

/// One statement of the repair script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepairStatement {
    /// One SQL statement, without the final `;`; or, when `manual`, the
    /// text of a comment.
    pub sql: String,
    pub destructive: bool,
    /// Not SQL: something to do by hand.
    pub manual: bool,
}

/// Phases, in the order their statements run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    DropForeignKeys,
    DropViews,
    DropItems,
    Schemas,
    Types,
    Tables,
    /// After every table, so that a partition's parent exists.
    Partitions,
    Columns,
    Keys,
    ForeignKeys,
    Triggers,
    Views,
    Comments,
    /// Owners and grants, once every object exists.
    Privileges,
    DropColumns,
    DropTables,
    DropTypes,
    DropSchemas,
}

/// Statements collected per phase, and the objects dropped to be created
/// again (their declared owner and grants are then set again: the DROP took
/// them, and the diff saw nothing to repair in them).
#[derive(Default)]
struct Script(
    BTreeMap<Phase, Vec<RepairStatement>>,
    Vec<crate::model::Securable>,
);

impl Script {
    fn push(&mut self, phase: Phase, sql: impl Into<String>) {
        self.add(phase, sql.into(), false, false);
    }
    fn destructive(&mut self, phase: Phase, sql: impl Into<String>) {
        self.add(phase, sql.into(), true, false);
    }
    fn manual(&mut self, phase: Phase, text: impl Into<String>) {
        self.add(phase, text.into(), false, true);
    }
    fn add(&mut self, phase: Phase, sql: String, destructive: bool, manual: bool) {
        self.0.entry(phase).or_default().push(RepairStatement {
            sql,
            destructive,
            manual,
        });
    }
}

/// The statements that resolve `mismatches` (the diff of `expected` and
/// `actual`), in the order to run them.
pub fn repair(expected: &Schema, actual: &Schema, mismatches: &[Mismatch]) -> Vec<RepairStatement> {
    let mut script = Script::default();
    let empty = Namespace::default();
    let mut tables: BTreeMap<(String, String), Vec<&Mismatch>> = BTreeMap::new();
    let mut named: BTreeSet<(String, ObjectType, String, Change)> = BTreeSet::new();
    let (privilege, mismatches): (Vec<&Mismatch>, Vec<&Mismatch>) =
        mismatches.iter().partition(|m| privileges::is_privilege(m));
    privileges::repair(&mut script, expected, actual, &privilege);
    for m in mismatches {
        match m.object_type {
            ObjectType::Schema => {
                let name = &m.path[0];
                match m.change {
                    Change::Missing => {
                        script.push(
                            Phase::Schemas,
                            format!("CREATE SCHEMA {}", quote_ident(name)),
                        );
                        if let Some(ns) = expected.schemas.get(name) {
                            objects::create_namespace(&mut script, name, ns);
                            if let Some(c) = &ns.comment {
                                script.push(
                                    Phase::Comments,
                                    format!(
                                        "COMMENT ON SCHEMA {} IS {}",
                                        quote_ident(name),
                                        literal(c)
                                    ),
                                );
                            }
                        }
                    }
                    Change::Changed => {
                        if m.attribute.as_deref() == Some("comment") {
                            let comment = expected
                                .schemas
                                .get(name)
                                .and_then(|ns| ns.comment.as_deref());
                            script.push(
                                Phase::Comments,
                                format!(
                                    "COMMENT ON SCHEMA {} IS {}",
                                    quote_ident(name),
                                    comment.map_or("NULL".into(), literal)
                                ),
                            );
                        }
                    }
                    Change::Unexpected => script.destructive(
                        Phase::DropSchemas,
                        format!("DROP SCHEMA {} CASCADE", quote_ident(name)),
                    ),
                }
            }
            ObjectType::Table if m.change == Change::Changed => {
                if let Some(t) = &m.table {
                    tables
                        .entry((t.schema.clone(), t.name.clone()))
                        .or_default()
                        .push(m);
                }
            }
            ObjectType::Table
            | ObjectType::View
            | ObjectType::Sequence
            | ObjectType::Enum
            | ObjectType::Domain
            | ObjectType::Function
            | ObjectType::CompositeType
            | ObjectType::Extension
            | ObjectType::Collation
            | ObjectType::Statistics
            | ObjectType::ForeignTable => {
                if m.path.len() >= 2 {
                    named.insert((
                        m.path[0].clone(),
                        m.object_type,
                        m.path[1].clone(),
                        m.change,
                    ));
                }
            }
            _ => {
                if let Some(t) = &m.table {
                    tables
                        .entry((t.schema.clone(), t.name.clone()))
                        .or_default()
                        .push(m);
                }
            }
        }
    }
    for (schema, kind, name, change) in named {
        let e = expected.schemas.get(&schema).unwrap_or(&empty);
        let a = actual.schemas.get(&schema).unwrap_or(&empty);
        objects::named(&mut script, &schema, kind, &name, change, e, a);
    }
    for ((schema, name), ms) in tables {
        let (Some(e), Some(a)) = (
            expected
                .schemas
                .get(&schema)
                .and_then(|n| n.tables.get(&name)),
            actual
                .schemas
                .get(&schema)
                .and_then(|n| n.tables.get(&name)),
        ) else {
            // Indexes, triggers and rules of a view.
            let is_view = |s: &Schema| {
                s.schemas
                    .get(&schema)
                    .is_some_and(|n| n.views.contains_key(&name))
            };
            if is_view(expected) || is_view(actual) {
                script.manual(
                    Phase::Views,
                    format!(
                        "view {}: its indexes, triggers or rules differ; recreate them from your migrations",
                        qualified(&schema, &name)
                    ),
                );
            }
            continue;
        };
        table::alter(&mut script, &schema, &name, e, a, &ms, &expected.ignore);
    }
    privileges::recreated(&mut script, expected, actual);
    script.0.into_values().flatten().collect()
}

/// The script as text: one statement per paragraph, each ending in `;`;
/// destructive ones commented out unless `allow_destructive`.
pub fn render(statements: &[RepairStatement], allow_destructive: bool) -> String {
    let mut out = String::new();
    if statements.is_empty() {
        out.push_str("-- schemagate: the database matches the expected schema; nothing to do.\n");
        return out;
    }
    let held = statements
        .iter()
        .filter(|s| s.destructive && !allow_destructive)
        .count();
    let _ = writeln!(
        out,
        "-- schemagate: {} statement{} to bring the database to the expected schema.",
        statements.len(),
        if statements.len() == 1 { "" } else { "s" }
    );
    if held > 0 {
        let _ = writeln!(
            out,
            "-- {held} destructive statement{} commented out; review, then rerun with --allow-destructive.",
            if held == 1 { " is" } else { "s are" }
        );
    }
    // Functions come before tables (a default or check may call one), but a
    // SQL function's body may name a table created further down: as pg_dump
    // does, bodies are checked when called, not when created.
    if statements.iter().any(|s| {
        !s.manual
            && (s.sql.starts_with("CREATE OR REPLACE FUNCTION")
                || s.sql.starts_with("CREATE OR REPLACE PROCEDURE"))
    }) {
        out.push_str(
            "\n-- function bodies are checked when called, not here, so that one may name a table created below\nSET check_function_bodies = off;\n",
        );
    }
    for s in statements {
        out.push('\n');
        if s.manual {
            for line in s.sql.lines() {
                let _ = writeln!(out, "-- {line}");
            }
        } else if s.destructive && !allow_destructive {
            out.push_str("-- destructive:\n");
            for line in format!("{};", s.sql).lines() {
                let _ = writeln!(out, "-- {line}");
            }
        } else {
            if s.destructive {
                out.push_str("-- destructive:\n");
            }
            let _ = writeln!(out, "{};", s.sql);
        }
    }
    out
}

/// `fillfactor = '70', security_invoker = 'true'`: options for `WITH (...)`
/// or `SET (...)`, canonical, values as literals (which every option takes).
/// `COMMENT ON target IS '...'` (or `IS NULL`).
fn comment_on(target: &str, comment: &Option<String>) -> String {
    format!(
        "COMMENT ON {target} IS {}",
        comment.as_deref().map_or("NULL".into(), literal)
    )
}

/// An option's name as SQL takes it: `toast.autovacuum_enabled` is the
/// option `autovacuum_enabled` of namespace `toast`, not one quoted name.
fn option_name(name: &str) -> String {
    name.split('.')
        .map(quote_ident)
        .collect::<Vec<_>>()
        .join(".")
}

pub(super) fn option_list(options: &BTreeMap<String, String>) -> String {
    crate::canon::reloptions(options)
        .iter()
        .map(|(k, v)| format!("{} = {}", option_name(k), literal(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `ALTER <target> RESET (...)` for the options only `actual` has, then
/// `SET (...)` for those `expected` gives another value or `actual` lacks.
fn alter_options(
    script: &mut Script,
    phase: Phase,
    target: &str,
    expected: &BTreeMap<String, String>,
    actual: &BTreeMap<String, String>,
) {
    let (e, a) = (
        crate::canon::reloptions(expected),
        crate::canon::reloptions(actual),
    );
    let reset: Vec<String> = a
        .keys()
        .filter(|k| !e.contains_key(*k))
        .map(|k| option_name(k))
        .collect();
    if !reset.is_empty() {
        script.push(
            phase,
            format!("ALTER {target} RESET ({})", reset.join(", ")),
        );
    }
    let set: BTreeMap<String, String> =
        e.into_iter().filter(|(k, v)| a.get(k) != Some(v)).collect();
    if !set.is_empty() {
        script.push(phase, format!("ALTER {target} SET ({})", option_list(&set)));
    }
}

/// `"App Data".name`: schema and name, each quoted where needed.
fn qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", quote_ident(schema), quote_ident(name))
}

/// A string literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A collation as the file names it (`C`, `public.ci`), quoted for SQL:
/// `"C"`, `public.ci`.
fn collation_name(name: &str) -> String {
    match name.split_once('.') {
        Some((schema, coll)) => format!("{}.{}", quote_ident(schema), quote_ident(coll)),
        None => quote_ident(name),
    }
}

fn idents(names: &[String]) -> String {
    names
        .iter()
        .map(|n| quote_ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}
