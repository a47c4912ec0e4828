//! The whole schema and one namespace (a PostgreSQL schema) with what it holds.

use std::collections::BTreeMap;

use super::objects::{
    Collation, CompositeType, Domain, EnumType, Extension, ForeignTable, Function, Sequence,
    Statistics, View,
};
use super::table::Table;
use super::uncovered::Uncovered;
use super::Line;

/// A whole database schema: the selected namespaces and what they hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Schema {
    pub schemas: BTreeMap<String, Namespace>,
    /// Globs over qualified object names whose mismatches are dropped.
    pub ignore: Vec<String>,
    /// Kinds of [`Uncovered`] objects that may be there (expected side).
    pub ignore_kinds: Vec<String>,
    /// Objects found but of a kind the model does not compare (actual side).
    pub not_compared: Vec<Uncovered>,
}

/// One PostgreSQL schema (namespace).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Namespace {
    pub line: Line,
    pub tables: BTreeMap<String, Table>,
    pub views: BTreeMap<String, View>,
    pub sequences: BTreeMap<String, Sequence>,
    pub enums: BTreeMap<String, EnumType>,
    pub domains: BTreeMap<String, Domain>,
    /// Keyed by signature, e.g. `set_updated_at()` or `add(integer, integer)`.
    pub functions: BTreeMap<String, Function>,
    pub composite_types: BTreeMap<String, CompositeType>,
    pub extensions: BTreeMap<String, Extension>,
    pub collations: BTreeMap<String, Collation>,
    pub statistics: BTreeMap<String, Statistics>,
    pub foreign_tables: BTreeMap<String, ForeignTable>,
}
