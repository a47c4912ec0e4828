//! `--update`: edits `expected_schema.yaml` in place so that it declares the
//! actual schema, touching only the entries of objects that differ.
//!
//! A text splice over the file's lines, not a round trip through a YAML
//! tree: comments, groups, key order, blank lines, quoting, flow or block
//! style and the modeline stay byte for byte outside the edited entries.
//! (The lossless editor crates, e.g. `yaml-edit`, were considered: they are
//! young, pull in a syntax-tree library, and we would still have to find
//! entries and choose styles ourselves.) Entries are found by their key path
//! (`schemas` / schema / kind / name, then a table's keys, then the n-th item
//! of a list), the same way the loader reads them; an entry in a form the
//! splice cannot address (a table written on one flow line) is rewritten
//! whole in the writer's style. New entries take the style of their
//! siblings: a flow mapping, a block mapping, or the short form (`col: text`,
//! `- [a, b]`, `- "a > 0"`). Which items of a list change comes from the
//! diff's own pairing, so the edit matches the report item for item.

use std::collections::{BTreeMap, BTreeSet};

use super::privileges::{acl_fields, default_privileges_lines};
use super::write::{
    check_fields, column_fields, fk_fields, flow_map, implied_not_null, index_fields,
    namespace_entry, namespace_lines, partition_of_fields, policy_fields, primary_key_value,
    scalar, trigger_fields, unique_fields, Fields,
};
use crate::diff::{diff, plan_list, Change, Mismatch, ObjectType};
use crate::model::{Namespace, Privileges, Schema, Securable, SecurableKind, Table};
use privileges::Place;

/// The file after `--update`, and the mismatches it resolved.
#[derive(Debug)]
pub struct Updated {
    pub text: String,
    pub resolved: Vec<Mismatch>,
}

/// Rewrites `text` (the expected file, which parses to `expected`) so that
/// it declares `actual` wherever the two differ.
///
/// One edit can make another necessary (a dropped primary key leaves its
/// columns NOT NULL only if they say so): the result is read back and
/// edited again while that still changes something, a few times at most.
pub fn update(text: &str, expected: &Schema, actual: &Schema) -> Updated {
    let mut updated = update_once(text, expected, actual);
    for _ in 0..3 {
        let Ok(back) = super::parse(&updated.text, std::path::Path::new("expected_schema.yaml"))
        else {
            break;
        };
        let again = update_once(&updated.text, &back, actual);
        if again.resolved.is_empty() || again.text == updated.text {
            break;
        }
        updated.text = again.text;
    }
    updated
}

fn update_once(text: &str, expected: &Schema, actual: &Schema) -> Updated {
    let mismatches = diff(expected, actual);
    let doc = Doc::new(text);
    let mut edits = Edits::default();
    let names_constraints = expected.schemas.values().any(|ns| {
        ns.tables.values().any(|t| {
            t.uniques.iter().any(|u| u.name.is_some())
                || t.checks.iter().any(|c| c.name.is_some())
                || t.foreign_keys.iter().any(|f| f.name.is_some())
        })
    });
    let target = privileges::target(&expected.privileges, &actual.privileges);
    let by_display = privileges::by_display(&expected.privileges, &actual.privileges);
    let ctx = Ctx {
        doc: &doc,
        names_constraints,
        ignore: &expected.ignore,
        privileges: &target,
    };
    let mut schema_privileges: BTreeSet<String> = BTreeSet::new();

    let mut namespaces: BTreeSet<String> = BTreeSet::new();
    let mut named: BTreeSet<(String, &'static str, String)> = BTreeSet::new();
    let mut tables: BTreeMap<(String, String), Vec<&Mismatch>> = BTreeMap::new();
    for m in &mismatches {
        if let Some(place) = privileges::place(m, &by_display) {
            match place {
                Some(Place::Schema(schema)) => {
                    schema_privileges.insert(schema);
                }
                Some(Place::Table(schema, table)) => {
                    let foreign = expected
                        .schemas
                        .get(&schema)
                        .is_some_and(|ns| ns.foreign_tables.contains_key(&table));
                    if foreign {
                        named.insert((schema, "foreign_tables", table));
                        continue;
                    }
                    tables.entry((schema, table)).or_default().push(m);
                }
                Some(Place::Named(schema, kind, name)) => {
                    // Types are domains or enums.
                    let is_enum = expected
                        .schemas
                        .get(&schema)
                        .is_some_and(|ns| ns.enums.contains_key(&name));
                    let kind = if is_enum { "enums" } else { kind };
                    named.insert((schema, kind, name));
                }
                None => {}
            }
            continue;
        }
        let kind = match m.object_type {
            ObjectType::Schema => {
                namespaces.insert(m.path[0].clone());
                continue;
            }
            ObjectType::Table if m.change != Change::Changed => "tables",
            ObjectType::View => "views",
            ObjectType::Sequence => "sequences",
            ObjectType::Enum => "enums",
            ObjectType::Domain => "domains",
            ObjectType::Function => "functions",
            ObjectType::CompositeType => "composite_types",
            ObjectType::Extension => "extensions",
            ObjectType::Collation => "collations",
            ObjectType::Statistics => "statistics",
            ObjectType::ForeignTable => "foreign_tables",
            // Residue of `roundtrip`: nothing the file can say about it.
            ObjectType::NotCompared => continue,
            // An index, trigger or rule of a view: the view, rewritten.
            _ if m.table.as_ref().is_some_and(|t| {
                [expected, actual].iter().any(|s| {
                    s.schemas
                        .get(&t.schema)
                        .is_some_and(|n| n.views.contains_key(&t.name))
                })
            }) =>
            {
                let t = m.table.as_ref().expect("checked above");
                named.insert((t.schema.clone(), "views", t.name.clone()));
                continue;
            }
            _ => {
                if let Some(t) = &m.table {
                    tables
                        .entry((t.schema.clone(), t.name.clone()))
                        .or_default()
                        .push(m);
                }
                continue;
            }
        };
        if m.path.len() >= 2 {
            named.insert((m.path[0].clone(), kind, m.path[1].clone()));
        }
    }

    let schemas_key = doc.child(None, "schemas");
    // Edits at one line apply in the order added: a table's last list
    // grows before a new table goes after it.
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
            continue;
        };
        let at = schemas_key
            .and_then(|s| doc.child(Some(s), &schema))
            .and_then(|n| doc.child(Some(n), "tables"))
            .and_then(|t| doc.child(Some(t), &name));
        let Some(at) = at else { continue };
        let mut table_edits = Edits::default();
        if ctx
            .edit_table(
                &mut table_edits,
                at,
                TablePair {
                    schema: &schema,
                    name: &name,
                    expected: e,
                    actual: a,
                },
                &ms,
            )
            .is_some()
        {
            edits.0.extend(table_edits.0);
        } else {
            // An entry the splice cannot address: the whole table, rewritten.
            let mut t = a.clone();
            t.group = e.group.clone();
            if !ctx.names_constraints {
                strip_default_names(&name, &mut t);
            }
            let mut one = Namespace::default();
            one.tables.insert(name.clone(), t);
            let lines = namespace_entry(&schema, "tables", &name, &one, &target);
            edits.replace(at, doc.end(at), reindent(&lines, 6, doc.indent(at)));
        }
    }

    for name in &namespaces {
        let at = schemas_key.and_then(|s| doc.child(Some(s), name));
        match (at, actual.schemas.get(name)) {
            (Some(i), None) => edits.delete(i, doc.end(i)),
            (None, Some(ns)) => {
                if let Some(s) = schemas_key {
                    let indent = doc.child_indent(s);
                    let lines = reindent(&namespace_lines(name, ns, &target), 2, indent);
                    edits.insert(doc.insertion_point(s), lines);
                }
            }
            (Some(i), Some(ns)) => {
                let indent = doc.indent(i);
                edits.replace(
                    i,
                    doc.end(i),
                    reindent(&namespace_lines(name, ns, &target), 2, indent),
                );
            }
            (None, None) => {}
        }
    }

    // Namespace-level objects, grouped per container (`tables`, `views`...).
    let mut per_kind: BTreeMap<(String, &'static str), Vec<String>> = BTreeMap::new();
    for (schema, kind, name) in named {
        if namespaces.contains(&schema) {
            continue;
        }
        per_kind.entry((schema, kind)).or_default().push(name);
    }
    for ((schema, kind), names) in per_kind {
        let ns_at = schemas_key.and_then(|s| doc.child(Some(s), &schema));
        let Some(ns_at) = ns_at else { continue };
        let empty = Namespace::default();
        let act_ns = actual.schemas.get(&schema).unwrap_or(&empty);
        let exp_ns = expected.schemas.get(&schema).unwrap_or(&empty);
        let container = doc.child(Some(ns_at), kind);
        let mut plan = ContainerPlan::default();
        let mut fresh = Vec::new();
        for name in names {
            let mut lines = namespace_entry(&schema, kind, &name, act_ns, &target);
            if kind == "tables" {
                if let Some(t) = act_ns.tables.get(&name) {
                    let mut t = t.clone();
                    t.group = exp_ns.tables.get(&name).and_then(|e| e.group.clone());
                    if !ctx.names_constraints {
                        strip_default_names(&name, &mut t);
                    }
                    let mut one = Namespace::default();
                    one.tables.insert(name.clone(), t);
                    lines = namespace_entry(&schema, kind, &name, &one, &target);
                }
            }
            let at = container.and_then(|c| doc.child(Some(c), &name));
            match (at, lines.is_empty()) {
                (Some(i), true) => plan.delete.push(i),
                (Some(i), false) => plan.replace.push((i, lines)),
                (None, false) => fresh.push(lines),
                (None, true) => {}
            }
        }
        match container {
            Some(c) => {
                let indent = doc.child_indent(c);
                for lines in fresh {
                    plan.insert.push((None, reindent(&lines, 6, indent)));
                }
                for (_, lines) in &mut plan.replace {
                    *lines = reindent(lines, 6, indent);
                }
                ctx.apply(&mut edits, c, plan);
            }
            None if !fresh.is_empty() => {
                let indent = doc.child_indent(ns_at);
                let mut lines = vec![format!("{}{kind}:", " ".repeat(indent))];
                for f in fresh {
                    lines.extend(reindent(&f, 6, indent + 2));
                }
                // Where the writer puts the kind: before the first kind
                // that follows it (comments above that one stay with it).
                let rank = NAMESPACE_KEYS.iter().position(|k| *k == kind).unwrap_or(0);
                let later = NAMESPACE_KEYS[rank + 1..]
                    .iter()
                    .find_map(|k| doc.child(Some(ns_at), k));
                match later {
                    Some(i) => edits.insert(doc.leading_comments(i), lines),
                    None => edits.insert(doc.end(ns_at), lines),
                }
            }
            None => {}
        }
    }

    // A schema's own owner, grants and default privileges.
    for schema in schema_privileges {
        if namespaces.contains(&schema) {
            continue;
        }
        let Some(ns_at) = schemas_key.and_then(|s| doc.child(Some(s), &schema)) else {
            continue;
        };
        let indent = doc.child_indent(ns_at);
        let pad = " ".repeat(indent);
        let own = acl_fields(
            &target,
            &Securable::new(SecurableKind::Schema, &schema, None),
        );
        for key in ["owner", "grants"] {
            let value = own.iter().find(|(k, _)| *k == key);
            let lines = value.map(|(k, v)| vec![format!("{pad}{k}: {v}")]);
            ctx.set_namespace_key(&mut edits, ns_at, key, lines);
        }
        let defaults = default_privileges_lines(&target, &schema);
        let lines = (!defaults.is_empty()).then(|| {
            let mut lines = vec![format!("{pad}default_privileges:")];
            lines.extend(defaults.iter().map(|l| format!("{pad}  {l}")));
            lines
        });
        ctx.set_namespace_key(&mut edits, ns_at, "default_privileges", lines);
    }

    Updated {
        text: doc.apply(edits),
        resolved: mismatches,
    }
}

/// PostgreSQL's own names (`t_a_key`, `t_a_check`, `t_a_fkey`) left out, for
/// files that leave constraint names to the server.
fn strip_default_names(table: &str, t: &mut Table) {
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

fn is_default_name(table: &str, name: &Option<String>, suffix: &str) -> bool {
    name.as_deref()
        .is_some_and(|n| n.starts_with(&format!("{table}_")) && n.ends_with(suffix))
}

struct Ctx<'d> {
    doc: &'d Doc<'d>,
    names_constraints: bool,
    /// The expected file's `ignore` globs.
    ignore: &'d [String],
    /// The owners and grants the file is to declare.
    privileges: &'d Privileges,
}

/// What happens to the children of one container entry.
#[derive(Default)]
struct ContainerPlan {
    delete: Vec<usize>,
    replace: Vec<(usize, Vec<String>)>,
    /// After that child (its line), or after the last one.
    insert: Vec<(Option<usize>, Vec<String>)>,
}

/// The kinds of a namespace in the order the writer puts them.
const NAMESPACE_KEYS: [&str; 11] = [
    "extensions",
    "collations",
    "composite_types",
    "enums",
    "domains",
    "sequences",
    "functions",
    "views",
    "statistics",
    "foreign_tables",
    "tables",
];

/// The keys of a table in the order the writer puts them.
const TABLE_KEYS: [&str; 21] = [
    "group",
    "comment",
    "owner",
    "grants",
    "partition_by",
    "partition_of",
    "unlogged",
    "inherits",
    "replica_identity",
    "columns",
    "primary_key",
    "unique",
    "checks",
    "foreign_keys",
    "exclusions",
    "indexes",
    "triggers",
    "rules",
    "row_level_security",
    "force_row_level_security",
    "policies",
];

/// A table as the file declares it and as the database holds it.
struct TablePair<'t> {
    schema: &'t str,
    name: &'t str,
    expected: &'t Table,
    actual: &'t Table,
}

impl Ctx<'_> {
    /// Applies `plan` to the container entry at line `c`; `None` when its
    /// children cannot be addressed line by line.
    fn apply(&self, edits: &mut Edits, c: usize, plan: ContainerPlan) -> Option<()> {
        let doc = self.doc;
        let children = doc.children(Some(c));
        if children.is_empty() && !plan.insert.is_empty() {
            return None;
        }
        if plan.delete.len() == children.len() && plan.insert.is_empty() && plan.replace.is_empty()
        {
            edits.delete(c, doc.end(c));
            return Some(());
        }
        for d in plan.delete {
            edits.delete(d, doc.end(d));
        }
        for (r, mut lines) in plan.replace {
            // A one-line entry keeps its trailing comment.
            let original = doc.lines[r].trim_end();
            let comment = &original[strip_comment(original).len()..];
            if lines.len() == 1 && doc.end(r) == r + 1 && !comment.is_empty() {
                lines[0].push_str(comment);
            }
            edits.replace(r, doc.end(r), lines);
        }
        let spaced = children.len() >= 2 && {
            let last = children[children.len() - 1];
            let prev_end = doc.end(children[children.len() - 2]);
            (prev_end..last).any(|i| doc.lines[i].trim().is_empty())
        };
        for (after, mut lines) in plan.insert {
            let after = after.unwrap_or(*children.last()?);
            if spaced {
                lines.insert(0, String::new());
            }
            edits.insert(doc.end(after), lines);
        }
        Some(())
    }

    fn edit_table(
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
    fn table_acl(&self, schema: &str, table: &str, key: &str) -> Option<String> {
        let table = Securable::new(SecurableKind::Table, schema, Some(table));
        acl_fields(self.privileges, &table)
            .into_iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }

    /// Sets (replaces, inserts or, for `None`, deletes) a namespace's own
    /// key, new ones before its first object kind.
    fn set_namespace_key(
        &self,
        edits: &mut Edits,
        at: usize,
        key: &str,
        lines: Option<Vec<String>>,
    ) {
        let doc = self.doc;
        match (doc.child(Some(at), key), lines) {
            (Some(i), Some(lines)) => edits.replace(i, doc.end(i), lines),
            (Some(i), None) => edits.delete(i, doc.end(i)),
            (None, Some(lines)) => {
                let first = NAMESPACE_KEYS.iter().find_map(|k| doc.child(Some(at), k));
                match first {
                    Some(i) => edits.insert(doc.leading_comments(i), lines),
                    None => edits.insert(doc.end(at), lines),
                }
            }
            (None, None) => {}
        }
    }

    fn set_key(
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

/// How an entry is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    /// `key: {a: 1, b: 2}` / `- {a: 1}`
    Flow,
    /// `key:` then `a: 1` lines / `- a: 1` then `  b: 2`
    Block,
    /// The short form: `col: text`, `- [a, b]`, `- "a > 0"`.
    Short,
}

/// A mapping entry `key: ...` at `indent`; the short form when `fields`
/// hold only `short`.
fn render_entry(
    key: &str,
    fields: &Fields,
    indent: usize,
    style: Style,
    short: Option<&str>,
) -> Vec<String> {
    let pad = " ".repeat(indent);
    match style {
        Style::Short if fields.len() == 1 && Some(fields[0].0) == short => {
            vec![format!("{pad}{key}: {}", fields[0].1)]
        }
        Style::Block => {
            let mut lines = vec![format!("{pad}{key}:")];
            for (k, v) in fields {
                lines.push(format!("{pad}  {k}: {v}"));
            }
            lines
        }
        _ => vec![format!("{pad}{key}: {}", flow_map(fields))],
    }
}

/// A list item `- ...` with its dash at `dash`.
fn render_item(fields: &Fields, dash: usize, style: Style, short: Option<&str>) -> Vec<String> {
    let pad = " ".repeat(dash);
    match style {
        Style::Short if fields.len() == 1 && Some(fields[0].0) == short => {
            vec![format!("{pad}- {}", fields[0].1)]
        }
        Style::Block => fields
            .iter()
            .enumerate()
            .map(|(n, (k, v))| {
                let lead = if n == 0 { "- " } else { "  " };
                format!("{pad}{lead}{k}: {v}")
            })
            .collect(),
        _ => vec![format!("{pad}- {}", flow_map(fields))],
    }
}

/// Moves lines written at indent `from` to indent `to`.
fn reindent(lines: &[String], from: usize, to: usize) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            if l.trim().is_empty() {
                return String::new();
            }
            let have = l.len() - l.trim_start().len();
            let want = (have + to).saturating_sub(from);
            format!("{}{}", " ".repeat(want), l.trim_start())
        })
        .collect()
}

/// Line edits, applied back to front so that earlier line numbers hold.
#[derive(Default)]
struct Edits(Vec<(usize, usize, Vec<String>)>);

impl Edits {
    fn delete(&mut self, start: usize, end: usize) {
        self.0.push((start, end, Vec::new()));
    }
    fn replace(&mut self, start: usize, end: usize, lines: Vec<String>) {
        self.0.push((start, end, lines));
    }
    fn insert(&mut self, at: usize, lines: Vec<String>) {
        self.0.push((at, at, lines));
    }
}

/// The file as lines, with the few questions the splice asks of its
/// indentation structure.
struct Doc<'a> {
    lines: Vec<&'a str>,
    newline: &'static str,
    trailing_newline: bool,
}

impl<'a> Doc<'a> {
    fn new(text: &'a str) -> Doc<'a> {
        Doc {
            lines: text.lines().collect(),
            newline: if text.contains("\r\n") { "\r\n" } else { "\n" },
            trailing_newline: text.ends_with('\n') || text.is_empty(),
        }
    }

    fn indent(&self, i: usize) -> usize {
        let l = self.lines[i];
        l.len() - l.trim_start_matches(' ').len()
    }

    fn is_content(&self, i: usize) -> bool {
        let t = self.lines[i].trim().trim_start_matches('\u{feff}');
        !t.is_empty() && !t.starts_with('#')
    }

    /// One past the last line of the entry starting at line `start`
    /// (trailing blank lines and comments belong to what follows).
    fn end(&self, start: usize) -> usize {
        let base = self.indent(start);
        let text = strip_comment(self.lines[start].trim());
        let opens_block = !text.starts_with('-') && text.ends_with(':');
        let mut last = start;
        for j in start + 1..self.lines.len() {
            if !self.is_content(j) {
                continue;
            }
            let ind = self.indent(j);
            let item = self.lines[j].trim_start().starts_with('-');
            if ind > base || (opens_block && ind == base && item) {
                last = j;
            } else {
                break;
            }
        }
        last + 1
    }

    /// The first lines of the children of the entry at `parent` (the whole
    /// file's top-level keys for `None`).
    fn children(&self, parent: Option<usize>) -> Vec<usize> {
        let (from, to) = match parent {
            Some(p) => (p + 1, self.end(p)),
            None => (0, self.lines.len()),
        };
        let content: Vec<usize> = (from..to).filter(|&i| self.is_content(i)).collect();
        let Some(&first) = content.first() else {
            return Vec::new();
        };
        let indent = self.indent(first);
        content
            .into_iter()
            .filter(|&i| self.indent(i) == indent)
            .filter(|&i| parent.is_none() || self.lines[i].trim_start() != "---")
            .collect()
    }

    fn child_indent(&self, parent: usize) -> usize {
        self.children(Some(parent))
            .first()
            .map_or(self.indent(parent) + 2, |&i| self.indent(i))
    }

    fn child(&self, parent: Option<usize>, key: &str) -> Option<usize> {
        self.children(parent)
            .into_iter()
            .find(|&i| key_of(self.lines[i].trim_start()).as_deref() == Some(key))
    }

    /// Where a new last child of `parent` goes: after its last content line.
    fn insertion_point(&self, parent: usize) -> usize {
        self.end(parent)
    }

    /// The first of the comment lines directly above line `i` (or `i`).
    fn leading_comments(&self, i: usize) -> usize {
        let mut first = i;
        while first > 0 && self.lines[first - 1].trim_start().starts_with('#') {
            first -= 1;
        }
        first
    }

    fn entry_style(&self, i: usize) -> Style {
        let t = strip_comment(self.lines[i].trim());
        match t.split_once(": ") {
            None => Style::Block,
            Some((_, v)) if v.trim_start().starts_with('{') => Style::Flow,
            Some(_) => Style::Short,
        }
    }

    fn item_style(&self, i: usize) -> Style {
        let t = self.lines[i].trim();
        let rest = t.strip_prefix('-').unwrap_or(t).trim_start();
        if rest.starts_with('{') {
            Style::Flow
        } else if rest.starts_with(['"', '\'', '[']) || key_of(rest).is_none() {
            Style::Short
        } else {
            Style::Block
        }
    }

    fn apply(&self, mut edits: Edits) -> String {
        // Back to front; among edits at one line, the later added goes below.
        let order: Vec<usize> = {
            let mut idx: Vec<usize> = (0..edits.0.len()).collect();
            idx.sort_by_key(|&n| (edits.0[n].0, n));
            idx
        };
        let mut lines: Vec<String> = self.lines.iter().map(|l| l.to_string()).collect();
        for n in order.into_iter().rev() {
            let (start, end, new) = std::mem::take(&mut edits.0[n]);
            lines.splice(start..end, new);
        }
        let mut text = lines.join(self.newline);
        if self.trailing_newline && !text.is_empty() {
            text.push_str(self.newline);
        }
        text
    }
}

/// The key of a block mapping line (`key: ...` or `key:`), unquoted.
fn key_of(line: &str) -> Option<String> {
    if line.starts_with('-') && (line.len() == 1 || line[1..].starts_with(' ')) {
        return None;
    }
    if let Some(q) = line.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let mut out = String::new();
        let mut chars = line[1..].char_indices();
        while let Some((n, c)) = chars.next() {
            if c == q {
                if q == '\'' && line[1 + n + 1..].starts_with('\'') {
                    out.push('\'');
                    chars.next();
                    continue;
                }
                let rest = line[1 + n + 1..].trim_start();
                return rest.starts_with(':').then_some(out);
            }
            if c == '\\' && q == '"' {
                match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, other)) => out.push(other),
                    None => return None,
                }
                continue;
            }
            out.push(c);
        }
        return None;
    }
    let end = line.find(": ").or_else(|| {
        let t = strip_comment(line);
        t.ends_with(':').then(|| t.len() - 1)
    })?;
    let key = line[..end].trim_end();
    (!key.is_empty() && !key.starts_with(['{', '['])).then(|| key.to_string())
}

/// The line without a trailing `# comment` (outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    let mut prev = ' ';
    for (n, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && prev.is_whitespace() => return line[..n].trim_end(),
            None => {}
        }
        prev = c;
    }
    line.trim_end()
}

mod privileges;
#[cfg(test)]
mod tests;
