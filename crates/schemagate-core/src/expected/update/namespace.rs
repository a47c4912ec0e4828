//! One pass of `--update`: the diff planned kind by kind over the
//! namespaces of the file, and the namespace-level keys it sets.

use std::collections::{BTreeMap, BTreeSet};

use super::doc::{reindent, Doc, Edits};
use super::privileges::{self, Place};
use super::table::strip_default_names;
use super::{ContainerPlan, Ctx, TablePair, Updated, NAMESPACE_KEYS};
use crate::diff::{diff, Change, Mismatch, ObjectType};
use crate::expected::privileges::{acl_fields, default_privileges_lines, grants_value};
use crate::expected::write::{namespace_entry, namespace_lines};
use crate::model::{Namespace, Schema, Securable, SecurableKind};

pub(super) fn update_once(text: &str, expected: &Schema, actual: &Schema) -> Updated {
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
    let mut database = false;

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
                    // Types are domains, enums or composite types.
                    let ns = expected.schemas.get(&schema);
                    let kind = match ns {
                        Some(ns) if ns.enums.contains_key(&name) => "enums",
                        Some(ns) if ns.composite_types.contains_key(&name) => "composite_types",
                        _ => kind,
                    };
                    named.insert((schema, kind, name));
                }
                Some(Place::Database) => database = true,
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

    // The top-level `database:` (declared, or it was not compared).
    let database_at = doc.child(None, "database").filter(|_| database);
    if let Some(at) = database_at {
        let db = Securable::database();
        let grants = target.objects.get(&db).and_then(|a| a.grants.as_ref());
        if let Some(grants) = grants {
            let value = grants_value(&target, &db, grants);
            edits.replace(
                at,
                doc.end(at),
                vec![format!("database: {{grants: {value}}}")],
            );
        }
    }

    Updated {
        text: doc.apply(edits),
        resolved: mismatches,
    }
}

impl Ctx<'_> {
    /// Sets (replaces, inserts or, for `None`, deletes) a namespace's own
    /// key, new ones before its first object kind.
    pub(super) fn set_namespace_key(
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
}
