//! `--update` of one table entry: its keys, columns, constraints,
//! indexes, triggers and policies, item by item as the diff pairs them.

use std::collections::BTreeSet;

use super::doc::{render_entry, render_item, Edits, Style};
use super::{ContainerPlan, Ctx, TablePair, TABLE_KEYS};
use crate::diff::{plan_list, Mismatch, ObjectType};
use crate::expected::privileges::acl_fields;
use crate::expected::write::{
    check_fields, column_fields, fk_fields, flow_map, implied_not_null, index_fields,
    partition_of_fields, policy_fields, primary_key_value, scalar, trigger_fields, unique_fields,
    Fields,
};
use crate::expected::yaml_text::options_map;
use crate::model::{Securable, SecurableKind, Table};

impl Ctx<'_> {
    pub(super) fn edit_table(
        &self,
        edits: &mut Edits,
        at: usize,
        table: TablePair<'_>,
        ms: &[&Mismatch],
    ) -> Option<()> {
        let TablePair {
            schema,
            name,
            expected: e,
            actual: a,
        } = table;
        let doc = self.doc;
        if doc.children(Some(at)).is_empty() {
            return None;
        }
        let kinds: BTreeSet<ObjectType> = ms.iter().map(|m| m.object_type).collect();
        // Exclusion constraints and rules are not spliced one by one: the
        // whole table is rewritten.
        if kinds.contains(&ObjectType::Exclusion) || kinds.contains(&ObjectType::Rule) {
            return None;
        }
        let key_indent = doc.child_indent(at);
        let pad = " ".repeat(key_indent);

        // The table's own attributes, one `key: value` line each.
        let attrs: BTreeSet<&str> = ms
            .iter()
            .filter(|m| m.object_type == ObjectType::Table)
            .filter_map(|m| m.attribute.as_deref())
            .collect();
        for attr in attrs {
            let value = match attr {
                "comment" => a.comment.as_deref().map(scalar),
                "partition_by" => a.partition_by.as_deref().map(scalar),
                "partition_of" => a
                    .partition_of
                    .as_ref()
                    .map(|p| flow_map(&partition_of_fields(schema, p))),
                "unlogged" => a.unlogged.then(|| "true".to_string()),
                "replica_identity" => {
                    (a.replica_identity != "default").then(|| scalar(&a.replica_identity))
                }
                "row_level_security" => a.rls_enabled.then(|| "true".to_string()),
                "force_row_level_security" => a.rls_forced.then(|| "true".to_string()),
                "options" => (!a.options.is_empty()).then(|| options_map(&a.options)),
                "owner" => self.table_acl(schema, name, "owner"),
                _ => return None,
            };
            self.set_key(
                edits,
                at,
                attr,
                value.map(|v| vec![format!("{pad}{attr}: {v}")]),
            )?;
        }

        let grants = |len: usize| {
            ms.iter()
                .filter(move |m| m.object_type == ObjectType::Grant && m.path.len() == len)
        };
        if grants(3).next().is_some() {
            let value = self.table_acl(schema, name, "grants");
            self.set_key(
                edits,
                at,
                "grants",
                value.map(|v| vec![format!("{pad}grants: {v}")]),
            )?;
        }

        if kinds.contains(&ObjectType::Column) || grants(4).next().is_some() {
            let c = doc.child(Some(at), "columns")?;
            let mut plan = ContainerPlan::default();
            let style_of = |i: usize| doc.entry_style(i);
            let children = doc.children(Some(c));
            let default_style = children.first().map_or(Style::Flow, |&i| style_of(i));
            let indent = children.first().map_or(key_indent + 2, |&i| doc.indent(i));
            let names: BTreeSet<&str> = ms
                .iter()
                .filter(|m| m.object_type == ObjectType::Column)
                .chain(grants(4))
                .filter_map(|m| m.path.get(2).map(String::as_str))
                .collect();
            for col in names {
                let here = doc.child(Some(c), col);
                let rendered = a.column(col).map(|ac| {
                    let mut fields = column_fields(name, ac, implied_not_null(a, ac));
                    let column = Securable::column(schema, name, col);
                    fields.extend(acl_fields(self.privileges, &column));
                    let style = here.map_or(default_style, style_of);
                    render_entry(&scalar(col), &fields, indent, style, Some("type"))
                });
                match (here, rendered) {
                    (Some(i), None) => plan.delete.push(i),
                    (Some(i), Some(lines)) => plan.replace.push((i, lines)),
                    (None, Some(lines)) => {
                        // After the column it follows in the database, if declared.
                        let pos = a.columns.iter().position(|x| x.name == col)?;
                        let after = a.columns[..pos]
                            .iter()
                            .rev()
                            .find_map(|x| doc.child(Some(c), &x.name));
                        plan.insert.push((after, lines));
                    }
                    (None, None) => {}
                }
            }
            self.apply(edits, c, plan)?;
        }

        if kinds.contains(&ObjectType::PrimaryKey) {
            let value = a
                .primary_key
                .as_ref()
                .map(|pk| vec![format!("{pad}primary_key: {}", primary_key_value(name, pk))]);
            self.set_key(edits, at, "primary_key", value)?;
        }

        let lists: [(ObjectType, &str, Option<&str>); 6] = [
            (ObjectType::Unique, "unique", Some("columns")),
            (ObjectType::Check, "checks", Some("expression")),
            (ObjectType::ForeignKey, "foreign_keys", None),
            (ObjectType::Index, "indexes", None),
            (ObjectType::Trigger, "triggers", None),
            (ObjectType::Policy, "policies", None),
        ];
        for (kind, key, short) in lists {
            if !kinds.contains(&kind) {
                continue;
            }
            let plan = plan_list(kind, schema, name, self.ignore, e, a);
            let (e_names, fields): (Vec<bool>, Vec<Fields>) = match kind {
                ObjectType::Unique => (
                    e.uniques.iter().map(|x| x.name.is_some()).collect(),
                    a.uniques.iter().map(unique_fields).collect(),
                ),
                ObjectType::Check => (
                    e.checks.iter().map(|x| x.name.is_some()).collect(),
                    a.checks.iter().map(check_fields).collect(),
                ),
                ObjectType::ForeignKey => (
                    e.foreign_keys.iter().map(|x| x.name.is_some()).collect(),
                    a.foreign_keys
                        .iter()
                        .map(|f| fk_fields(schema, f))
                        .collect(),
                ),
                ObjectType::Index => (
                    vec![true; e.indexes.len()],
                    a.indexes.iter().map(index_fields).collect(),
                ),
                ObjectType::Trigger => (
                    vec![true; e.triggers.len()],
                    a.triggers.iter().map(trigger_fields).collect(),
                ),
                _ => (
                    vec![true; e.policies.len()],
                    a.policies.iter().map(policy_fields).collect(),
                ),
            };
            let a_names: Vec<Option<&String>> = match kind {
                ObjectType::Unique => a.uniques.iter().map(|x| x.name.as_ref()).collect(),
                ObjectType::Check => a.checks.iter().map(|x| x.name.as_ref()).collect(),
                ObjectType::ForeignKey => a.foreign_keys.iter().map(|x| x.name.as_ref()).collect(),
                _ => vec![None; fields.len()],
            };
            let suffix = match kind {
                ObjectType::Unique => "_key",
                ObjectType::Check => "_check",
                _ => "_fkey",
            };
            let without_name = |mut f: Fields| {
                f.retain(|(k, _)| *k != "name");
                f
            };
            let container = doc.child(Some(at), key);
            let children = container.map(|c| doc.children(Some(c))).unwrap_or_default();
            if container.is_some() && children.len() != e_names.len() {
                return None;
            }
            let dash = children.first().map_or(key_indent + 2, |&i| doc.indent(i));
            let default_style = children.first().map_or(Style::Flow, |&i| doc.item_style(i));
            let mut cplan = ContainerPlan::default();
            for (i, j) in plan.changed {
                let f = if e_names[i] {
                    fields[j].clone()
                } else {
                    without_name(fields[j].clone())
                };
                let style = doc.item_style(children[i]);
                cplan
                    .replace
                    .push((children[i], render_item(&f, dash, style, short)));
            }
            for i in plan.missing {
                cplan.delete.push(children[i]);
            }
            let mut fresh = Vec::new();
            for j in plan.unexpected {
                let default_name = is_default_name(name, &a_names[j].cloned(), suffix);
                let f = if !self.names_constraints && default_name {
                    without_name(fields[j].clone())
                } else {
                    fields[j].clone()
                };
                fresh.push(render_item(&f, dash, default_style, short));
            }
            match container {
                Some(c) => {
                    cplan.insert = fresh.into_iter().map(|l| (None, l)).collect();
                    self.apply(edits, c, cplan)?;
                }
                None if !fresh.is_empty() => {
                    let mut lines = vec![format!("{pad}{key}:")];
                    lines.extend(fresh.into_iter().flatten());
                    self.set_key(edits, at, key, Some(lines))?;
                }
                None => {}
            }
        }
        Some(())
    }

    /// Replaces, removes or adds (in the writer's key order) the table key
    /// `key` of the table entry at `at`.
    /// The value of a table's `owner` or `grants` the file is to declare.
    pub(super) fn table_acl(&self, schema: &str, table: &str, key: &str) -> Option<String> {
        let table = Securable::new(SecurableKind::Table, schema, Some(table));
        acl_fields(self.privileges, &table)
            .into_iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }

    pub(super) fn set_key(
        &self,
        edits: &mut Edits,
        at: usize,
        key: &str,
        lines: Option<Vec<String>>,
    ) -> Option<()> {
        let doc = self.doc;
        match (doc.child(Some(at), key), lines) {
            (Some(i), Some(lines)) => edits.replace(i, doc.end(i), lines),
            (Some(i), None) => edits.delete(i, doc.end(i)),
            (None, Some(lines)) => {
                let rank = TABLE_KEYS.iter().position(|k| *k == key)?;
                let later = TABLE_KEYS[rank + 1..]
                    .iter()
                    .find_map(|k| doc.child(Some(at), k));
                match later {
                    Some(i) => edits.insert(i, lines),
                    None => edits.insert(doc.end(at), lines),
                }
            }
            (None, None) => {}
        }
        Some(())
    }
}

/// PostgreSQL's own names (`t_a_key`, `t_a_check`, `t_a_fkey`) left out, for
/// files that leave constraint names to the server.
pub(super) fn strip_default_names(table: &str, t: &mut Table) {
    for u in &mut t.uniques {
        if is_default_name(table, &u.name, "_key") {
            u.name = None;
        }
    }
    for c in &mut t.checks {
        if is_default_name(table, &c.name, "_check") {
            c.name = None;
        }
    }
    for f in &mut t.foreign_keys {
        if is_default_name(table, &f.name, "_fkey") {
            f.name = None;
        }
    }
}

pub(super) fn is_default_name(table: &str, name: &Option<String>, suffix: &str) -> bool {
    name.as_deref()
        .is_some_and(|n| n.starts_with(&format!("{table}_")) && n.ends_with(suffix))
}
