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
    /// Migration-safety severities by rule (the `safety:` section).
    pub safety: BTreeMap<crate::hazard::SafetyRule, crate::hazard::Severity>,
    /// Owners and grants (opt-in: empty unless the file declares them).
    pub privileges: super::privileges::Privileges,
    /// Kinds of [`Uncovered`] objects that may be there (expected side).
    pub ignore_kinds: Vec<String>,
    /// Objects found but of a kind the model does not compare (actual side).
    pub not_compared: Vec<Uncovered>,
}

/// One PostgreSQL schema (namespace).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Namespace {
    pub line: Line,
    /// COMMENT ON SCHEMA.
    pub comment: Option<String>,
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

impl Schema {
    /// Drops from `self` the objects `setup` holds (what a `--setup` file
    /// made before the migrations ran), except those `declared` names: they
    /// are the project's prerequisites, not its schema. A namespace the
    /// setup made is dropped too once empty, unless declared (`public`,
    /// which every database has, always stays).
    pub fn remove_setup_objects(&mut self, setup: &Schema, declared: Option<&Schema>) {
        for (name, made) in &setup.schemas {
            let Some(actual) = self.schemas.get_mut(name) else {
                continue;
            };
            let declared = declared.and_then(|d| d.schemas.get(name));
            macro_rules! drop_undeclared {
                ($kind:ident) => {
                    for key in made.$kind.keys() {
                        if !declared.is_some_and(|d| d.$kind.contains_key(key)) {
                            actual.$kind.remove(key);
                        }
                    }
                };
            }
            drop_undeclared!(tables);
            drop_undeclared!(views);
            drop_undeclared!(sequences);
            drop_undeclared!(enums);
            drop_undeclared!(domains);
            drop_undeclared!(functions);
            let empty = actual.tables.is_empty()
                && actual.views.is_empty()
                && actual.sequences.is_empty()
                && actual.enums.is_empty()
                && actual.domains.is_empty()
                && actual.functions.is_empty();
            if empty && declared.is_none() && name != "public" {
                self.schemas.remove(name);
            }
        }
    }
}

#[cfg(test)]
mod setup_tests {
    use super::*;

    fn schema(namespaces: &[(&str, &[&str])]) -> Schema {
        let mut s = Schema::default();
        for (ns, tables) in namespaces {
            let entry = s.schemas.entry(ns.to_string()).or_default();
            for t in *tables {
                entry.tables.insert(t.to_string(), Table::default());
            }
        }
        s
    }

    #[test]
    fn setup_objects_are_dropped_unless_declared() {
        let setup = schema(&[("public", &["stub"]), ("auth", &["users"]), ("ext", &[])]);
        let mut actual = schema(&[
            ("public", &["stub", "app", "declared_stub"]),
            ("auth", &["users"]),
            ("ext", &[]),
        ]);
        let mut setup_with_declared = setup.clone();
        setup_with_declared
            .schemas
            .get_mut("public")
            .unwrap()
            .tables
            .insert("declared_stub".into(), Table::default());
        let declared = schema(&[("public", &["app", "declared_stub"])]);
        actual.remove_setup_objects(&setup_with_declared, Some(&declared));
        let left: Vec<(&str, Vec<&str>)> = actual
            .schemas
            .iter()
            .map(|(n, ns)| (n.as_str(), ns.tables.keys().map(String::as_str).collect()))
            .collect();
        assert_eq!(left, [("public", vec!["app", "declared_stub"])]);
    }
}
