//! The schema as the catalog queries fill it in, one query's rows at a time.
//!
//! Every assembler (one file per catalog query) takes its rows and this
//! value; nothing here runs a query. Tables are kept by oid while they are
//! filled in (a hash lookup per row, not a tree walk) and put into the
//! schema at the end.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::model::{Index, Namespace, Rule, Schema, Table, Trigger, View};

pub(super) struct Partial {
    pub(super) schema: Schema,
    pub(super) tables: Tables,
    /// Views and materialized views by oid, with their schema and name,
    /// until [`Partial::finish`] files them: triggers and indexes find them.
    pub(super) views: HashMap<u32, (String, String, View)>,
    /// Column names by (table oid, attnum), for constraints, which name
    /// columns by number: the selected tables' columns, plus those of tables
    /// outside the selected schemas that foreign keys point to.
    pub(super) attnames: HashMap<(u32, i16), String>,
    /// The tables whose column names `attnames` holds (or that were asked
    /// for and have none): kept apart, so that finding the tables still to
    /// ask for is a lookup per foreign key, not a pass over every column.
    pub(super) named_tables: HashSet<u32>,
}

impl Partial {
    pub(super) fn new() -> Partial {
        Partial {
            schema: Schema {
                schemas: BTreeMap::new(),
                ignore: Vec::new(),
                safety: BTreeMap::new(),
                privileges: Default::default(),
                ignore_kinds: Vec::new(),
                not_compared: Vec::new(),
            },
            tables: Tables(HashMap::new()),
            views: HashMap::new(),
            attnames: HashMap::new(),
            named_tables: HashSet::new(),
        }
    }

    /// The namespace `name`, created empty if no query has named it yet.
    pub(super) fn namespace(&mut self, name: String) -> &mut Namespace {
        self.schema
            .schemas
            .entry(name)
            .or_insert_with(empty_namespace)
    }

    /// The triggers of the table or view `oid`, if it is a selected one.
    pub(super) fn triggers_of(&mut self, oid: u32) -> Option<&mut Vec<Trigger>> {
        if let Some(table) = self.tables.get_mut(oid) {
            return Some(&mut table.triggers);
        }
        self.views
            .get_mut(&oid)
            .map(|(_, _, view)| &mut view.triggers)
    }

    /// The rules of the table or view `oid`.
    pub(super) fn rules_of(&mut self, oid: u32) -> Option<&mut Vec<Rule>> {
        if let Some(table) = self.tables.get_mut(oid) {
            return Some(&mut table.rules);
        }
        self.views.get_mut(&oid).map(|(_, _, view)| &mut view.rules)
    }

    /// The indexes of the table or materialized view `oid`.
    pub(super) fn indexes_of(&mut self, oid: u32) -> Option<&mut Vec<Index>> {
        if let Some(table) = self.tables.get_mut(oid) {
            return Some(&mut table.indexes);
        }
        self.views
            .get_mut(&oid)
            .map(|(_, _, view)| &mut view.indexes)
    }

    /// Files the tables and views into their namespaces.
    pub(super) fn finish(mut self) -> Schema {
        for (schema, name, view) in std::mem::take(&mut self.views).into_values() {
            self.namespace(schema).views.insert(name, view);
        }
        for (schema, name, table) in std::mem::take(&mut self.tables.0).into_values() {
            self.namespace(schema).tables.insert(name, table);
        }
        // What the server added to column references is not in the file.
        crate::canon::drop_server_casts_in(&mut self.schema);
        self.schema
    }
}

/// The tables of the selected schemas by oid, with their schema and name,
/// until [`Partial::finish`] files them.
pub(super) struct Tables(HashMap<u32, (String, String, Table)>);

impl Tables {
    pub(super) fn insert(&mut self, oid: u32, schema: String, name: String, table: Table) {
        self.0.insert(oid, (schema, name, table));
    }

    /// The table `oid`, if it is one of the selected schemas' tables (rows
    /// of other relations, say views' columns, are skipped by the caller).
    pub(super) fn get_mut(&mut self, oid: u32) -> Option<&mut Table> {
        self.0.get_mut(&oid).map(|(_, _, table)| table)
    }
}

/// A namespace before any object of it is read. Every field is listed so
/// that a new kind of object fails to compile here: it needs a catalog
/// query and an assembler in this module too.
pub(super) fn empty_namespace() -> Namespace {
    Namespace {
        line: None,
        // From the namespaces query.
        comment: None,
        tables: BTreeMap::new(),
        views: BTreeMap::new(),
        sequences: BTreeMap::new(),
        enums: BTreeMap::new(),
        domains: BTreeMap::new(),
        functions: BTreeMap::new(),
        composite_types: BTreeMap::new(),
        extensions: BTreeMap::new(),
        collations: BTreeMap::new(),
        statistics: BTreeMap::new(),
        foreign_tables: BTreeMap::new(),
    }
}
