//! One schema (namespace) present on both sides, and whether an undeclared
//! one holds anything worth reporting.

use super::attr::attr_opt_text;
use super::mismatch::{Mismatch, ObjectType};
use super::named::{diff_objects, paired};
use super::scope::{Object, Scope};
use super::table::diff_table;
use super::view::diff_view;
use crate::model::Namespace;

/// Every field is listed, on both sides, so that a new object kind does
/// not compile until it is diffed here.
pub(super) fn diff_namespace(
    schema: &str,
    out: &mut Vec<Mismatch>,
    expected: &Namespace,
    actual: &Namespace,
) {
    let Namespace {
        line,
        comment,
        tables,
        views,
        sequences,
        enums,
        domains,
        functions,
        composite_types,
        extensions,
        collations,
        statistics,
        foreign_tables,
    } = expected;
    let Namespace {
        line: _,
        comment: actual_comment,
        tables: actual_tables,
        views: actual_views,
        sequences: actual_sequences,
        enums: actual_enums,
        domains: actual_domains,
        functions: actual_functions,
        composite_types: actual_composite_types,
        extensions: actual_extensions,
        collations: actual_collations,
        statistics: actual_statistics,
        foreign_tables: actual_foreign_tables,
    } = actual;
    let scope = Scope {
        schema,
        table: None,
        line: *line,
    };
    scope.changed(
        out,
        Object::at(ObjectType::Schema, vec![schema.to_string()], *line),
        [attr_opt_text("comment", comment, actual_comment)],
    );
    for (name, e, a) in paired(&scope, out, tables, actual_tables) {
        diff_table(&scope.in_table(name, e.line), out, e, a);
    }
    for (name, e, a) in paired(&scope, out, views, actual_views) {
        diff_view(&scope, name, out, e, a);
    }
    diff_objects(&scope, out, sequences, actual_sequences);
    diff_objects(&scope, out, enums, actual_enums);
    diff_objects(&scope, out, domains, actual_domains);
    diff_objects(&scope, out, functions, actual_functions);
    diff_objects(&scope, out, composite_types, actual_composite_types);
    diff_objects(&scope, out, extensions, actual_extensions);
    diff_objects(&scope, out, collations, actual_collations);
    diff_objects(&scope, out, statistics, actual_statistics);
    diff_objects(&scope, out, foreign_tables, actual_foreign_tables);
}

/// An undeclared schema is reported only when it holds objects.
pub(super) fn is_empty(ns: &Namespace) -> bool {
    let Namespace {
        line: _,
        // A comment alone is not worth reporting.
        comment: _,
        tables,
        views,
        sequences,
        enums,
        domains,
        functions,
        composite_types,
        extensions,
        collations,
        statistics,
        foreign_tables,
    } = ns;
    tables.is_empty()
        && views.is_empty()
        && sequences.is_empty()
        && enums.is_empty()
        && domains.is_empty()
        && functions.is_empty()
        && composite_types.is_empty()
        && extensions.is_empty()
        && collations.is_empty()
        && statistics.is_empty()
        && foreign_tables.is_empty()
}
