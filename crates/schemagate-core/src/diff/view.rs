//! Views and materialized views, with their triggers, indexes and rules.

use super::attr::{attr, attr_opt_text, attr_options, Attr};
use super::index::IndexKind;
use super::mismatch::{Mismatch, ObjectType};
use super::named::{Attributes, SchemaObject};
use super::pairing::diff_items;
use super::scope::{Object, Scope};
use super::trigger::{RuleKind, TriggerKind};
use crate::canon::canonical_query;
use crate::model::{Line, View, ViewColumn};

impl SchemaObject for View {
    const OBJECT_TYPE: ObjectType = ObjectType::View;
    fn line(&self) -> Line {
        self.line
    }
}

impl Attributes for View {
    fn attributes(&self, actual: &View) -> Vec<Attr> {
        let View {
            line: _,
            materialized,
            definition,
            comment,
            // Lists, diffed by `diff_view`.
            triggers: _,
            indexes: _,
            rules: _,
            options,
            columns,
        } = self;
        vec![
            attr("materialized", materialized, &actual.materialized),
            // A view's query is compared only when the file gives one.
            match (definition, &actual.definition) {
                (Some(ed), Some(ad)) => (ed != ad && canonical_query(ed) != canonical_query(ad))
                    .then(|| ("definition", Some(ed.clone()), Some(ad.clone()))),
                (Some(ed), None) => Some(("definition", Some(ed.clone()), None)),
                _ => None,
            },
            attr_opt_text("comment", comment, &actual.comment),
            attr_options(options, &actual.options),
            (view_columns(columns) != view_columns(&actual.columns)).then(|| {
                (
                    "columns",
                    Some(render_columns(columns)),
                    Some(render_columns(&actual.columns)),
                )
            }),
        ]
    }
}

/// A view present on both sides: its attributes, then its triggers,
/// indexes and rules, reported in the view's scope (as a table's are in its own).
pub(super) fn diff_view(
    scope: &Scope,
    name: &str,
    out: &mut Vec<Mismatch>,
    expected: &View,
    actual: &View,
) {
    let object = Object::at(ObjectType::View, scope.path(name), expected.line);
    scope.changed(out, object, expected.attributes(actual));
    let inner = scope.in_table(name, expected.line);
    diff_items::<TriggerKind>(&inner, out, &expected.triggers, &actual.triggers);
    diff_items::<IndexKind>(&inner, out, &expected.indexes, &actual.indexes);
    diff_items::<RuleKind>(&inner, out, &expected.rules, &actual.rules);
}

/// Columns with a comment or a default, defaults in canonical form.
fn view_columns(
    columns: &std::collections::BTreeMap<String, ViewColumn>,
) -> Vec<(&str, Option<&str>, Option<String>)> {
    columns
        .iter()
        .filter(|(_, c)| c.comment.is_some() || c.default.is_some())
        .map(|(n, c)| {
            (
                n.as_str(),
                c.comment.as_deref(),
                c.default.as_deref().map(crate::canon::canonical_expr),
            )
        })
        .collect()
}

/// `a (default 1, comment 'x'); b (comment 'y')`, or `-`.
fn render_columns(columns: &std::collections::BTreeMap<String, ViewColumn>) -> String {
    let shown: Vec<String> = columns
        .iter()
        .filter(|(_, c)| c.comment.is_some() || c.default.is_some())
        .map(|(n, c)| {
            let mut parts = Vec::new();
            if let Some(d) = &c.default {
                parts.push(format!("default {}", crate::canon::pretty_expr(d)));
            }
            if let Some(com) = &c.comment {
                parts.push(format!("comment '{com}'"));
            }
            format!("{n} ({})", parts.join(", "))
        })
        .collect();
    if shown.is_empty() {
        "-".to_string()
    } else {
        shown.join("; ")
    }
}
