//! The reviewer's Markdown document of `schemagate report`: what a change
//! does (against a base revision), counts, the foreign keys as a Mermaid ER
//! diagram, every table grouped as the expected file groups them (with its
//! columns, keys, indexes, checks, triggers, policies, partitions, and
//! whether it is unlogged, inherits or has a replica identity), then the
//! views, types, sequences, functions, extensions, collations, extended
//! statistics and foreign tables (`objects.rs`).
//!
//! Everything shown is what the server built, in one canonical spelling
//! everywhere — the one `snapshot` writes (`varchar(255)`, `timestamptz`,
//! expressions without the casts the server adds) — whatever the expected
//! file or the server's catalog happen to say.

use std::collections::BTreeMap;
use std::io;

use super::markdown::{code, text};
use super::objects::display;
use crate::canon::{pretty_expr, pretty_type};
use crate::diff::{Change, Mismatch};
use crate::model::{GeneratedKind, Namespace, QualifiedName, Schema, Table};

/// Tables the expected file gives no `group` are listed under this heading.
pub const OTHER_GROUP: &str = "Other";

/// What the document describes.
pub struct Document<'a> {
    /// The schema as the server built it.
    pub actual: &'a Schema,
    /// The declared schema, for table groups and comments (never compared here).
    pub expected: Option<&'a Schema>,
    /// Where `actual` comes from, password redacted.
    pub source: &'a str,
    /// The change against a base revision, if one was asked for.
    pub changes: Option<Changes<'a>>,
}

/// `diff(base, head)`: unexpected objects were added, missing ones removed.
pub struct Changes<'a> {
    /// The base revision as the user named it.
    pub base: &'a str,
    pub mismatches: &'a [Mismatch],
}

/// How many objects of each kind a schema holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Tables, partitioned or not, but not their partitions.
    pub tables: usize,
    /// Partitions of partitioned tables (their columns and keys are the
    /// parent's, and are not counted again).
    pub partitions: usize,
    pub columns: usize,
    pub primary_keys: usize,
    pub uniques: usize,
    pub checks: usize,
    pub foreign_keys: usize,
    /// Indexes besides those of primary keys and unique constraints.
    pub indexes: usize,
    pub triggers: usize,
    pub policies: usize,
    pub views: usize,
    pub sequences: usize,
    pub enums: usize,
    pub domains: usize,
    pub functions: usize,
    pub composite_types: usize,
    pub extensions: usize,
    pub collations: usize,
    pub statistics: usize,
    pub foreign_tables: usize,
}

impl Counts {
    /// Every field of `Namespace` and `Table` is listed, so that a new
    /// object kind does not compile until it is counted (or said not to be).
    pub fn of(schema: &Schema) -> Counts {
        let mut c = Counts::default();
        for ns in schema.schemas.values() {
            let Namespace {
                line: _,
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
            c.composite_types += composite_types.len();
            c.extensions += extensions.len();
            c.collations += collations.len();
            c.statistics += statistics.len();
            c.foreign_tables += foreign_tables.len();
            c.views += views.len();
            c.sequences += sequences.len();
            c.enums += enums.len();
            c.domains += domains.len();
            c.functions += functions.len();
            for t in tables.values() {
                let Table {
                    line: _,
                    group: _,
                    comment: _,
                    partition_by: _,
                    partition_of,
                    unlogged: _,
                    inherits: _,
                    replica_identity: _,
                    cluster_on: _,
                    of_type: _,
                    access_method: _,
                    columns,
                    primary_key,
                    uniques,
                    checks,
                    foreign_keys,
                    exclusions: _,
                    indexes,
                    triggers,
                    rules: _,
                    rls_enabled: _,
                    rls_forced: _,
                    policies,
                    options: _,
                } = t;
                if partition_of.is_some() {
                    c.partitions += 1;
                    continue;
                }
                c.tables += 1;
                c.columns += columns.len();
                c.primary_keys += usize::from(primary_key.is_some());
                c.uniques += uniques.len();
                c.checks += checks.len();
                c.foreign_keys += foreign_keys.len();
                c.indexes += indexes.len();
                c.triggers += triggers.len();
                c.policies += policies.len();
            }
        }
        c
    }

    /// Primary keys, unique, check and foreign-key constraints.
    pub fn constraints(&self) -> usize {
        self.primary_keys + self.uniques + self.checks + self.foreign_keys
    }
}

pub fn render(doc: &Document, out: &mut dyn io::Write) -> io::Result<()> {
    writeln!(out, "# Schema report")?;
    writeln!(out)?;
    writeln!(out, "Source: {}.", text(doc.source))?;
    // What changed comes first: it is what a reviewer came for.
    if let Some(changes) = &doc.changes {
        writeln!(out)?;
        render_changes(changes, out)?;
    }
    writeln!(out)?;
    writeln!(out, "## Counts")?;
    writeln!(out)?;
    render_counts(&Counts::of(doc.actual), out)?;
    let groups = group_tables(doc);
    if !groups.is_empty() {
        writeln!(out)?;
        writeln!(out, "| group | tables |")?;
        writeln!(out, "|---|---|")?;
        for (group, tables) in &groups {
            let names: Vec<String> = tables.iter().map(|(n, _)| code(&display(n))).collect();
            writeln!(out, "| {} | {} |", text(group), names.join(", "))?;
        }
    }
    writeln!(out)?;
    writeln!(out, "## Relationships")?;
    writeln!(out)?;
    writeln!(out, "```mermaid")?;
    super::mermaid::render(doc.actual, out)?;
    writeln!(out, "```")?;
    if !groups.is_empty() {
        writeln!(out)?;
        writeln!(out, "## Tables")?;
        for (group, tables) in &groups {
            writeln!(out)?;
            writeln!(out, "### {}", text(group))?;
            for (name, table) in tables {
                writeln!(out)?;
                render_table(doc, name, table, out)?;
            }
        }
    }
    super::objects::render(doc.actual, out)
}

fn render_counts(c: &Counts, out: &mut dyn io::Write) -> io::Result<()> {
    writeln!(out, "| objects | count |")?;
    writeln!(out, "|---|---:|")?;
    let rows = [
        ("tables", c.tables, true),
        ("partitions", c.partitions, c.partitions > 0),
        ("columns", c.columns, true),
        ("foreign keys", c.foreign_keys, true),
        (
            "indexes (besides those of primary keys and unique constraints)",
            c.indexes,
            true,
        ),
        (
            "constraints (primary key, unique, check, foreign key)",
            c.constraints(),
            true,
        ),
        ("primary keys", c.primary_keys, true),
        ("unique constraints", c.uniques, true),
        ("check constraints", c.checks, true),
        ("triggers", c.triggers, c.triggers > 0),
        ("policies", c.policies, c.policies > 0),
        ("views", c.views, c.views > 0),
        (
            "sequences (not owned by a column)",
            c.sequences,
            c.sequences > 0,
        ),
        ("enum types", c.enums, c.enums > 0),
        ("domains", c.domains, c.domains > 0),
        ("functions", c.functions, c.functions > 0),
        ("composite types", c.composite_types, c.composite_types > 0),
        ("extensions", c.extensions, c.extensions > 0),
        ("collations", c.collations, c.collations > 0),
        ("extended statistics", c.statistics, c.statistics > 0),
        ("foreign tables", c.foreign_tables, c.foreign_tables > 0),
    ];
    for (what, n, shown) in rows {
        if shown {
            writeln!(out, "| {what} | {n} |")?;
        }
    }
    Ok(())
}

fn render_changes(changes: &Changes, out: &mut dyn io::Write) -> io::Result<()> {
    writeln!(out, "## What this change does")?;
    writeln!(out)?;
    let of = |change: Change| -> Vec<&Mismatch> {
        changes
            .mismatches
            .iter()
            .filter(|m| m.change == change)
            .collect()
    };
    let (added, removed, changed) = (
        of(Change::Unexpected),
        of(Change::Missing),
        of(Change::Changed),
    );
    if changes.mismatches.is_empty() {
        writeln!(
            out,
            "Compared with {}: no schema change (both build the same schema).",
            code(changes.base)
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "Compared with {}: {} added, {} removed, {} changed.",
        code(changes.base),
        added.len(),
        removed.len(),
        changed.len()
    )?;
    for (heading, items, is_added) in [("Added", added, true), ("Removed", removed, false)] {
        if items.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "### {heading}")?;
        writeln!(out)?;
        for m in items {
            let mut line = format!("- {} {}", m.object_type, code(&m.object));
            // Constraints and indexes carry their definition; tables and
            // columns only say `present`.
            let definition = if is_added { &m.actual } else { &m.expected };
            if let Some(def) = definition.as_deref().filter(|d| *d != "present") {
                line.push_str(&format!(": {}", code(def)));
            }
            writeln!(out, "{line}")?;
        }
    }
    if !changed.is_empty() {
        writeln!(out)?;
        writeln!(out, "### Changed")?;
        writeln!(out)?;
        for m in changed {
            writeln!(
                out,
                "- {} {}: {} {} → {}",
                m.object_type,
                code(&m.object),
                m.attribute.as_deref().map_or(String::new(), text),
                m.expected.as_deref().map_or("-".into(), code),
                m.actual.as_deref().map_or("-".into(), code),
            )?;
        }
    }
    Ok(())
}

type Group<'a> = Vec<(QualifiedName, &'a Table)>;

/// Tables by group, groups in the order the expected file first names them
/// (`Other` last), tables in file order, then by name.
fn group_tables<'a>(doc: &Document<'a>) -> Vec<(String, Group<'a>)> {
    let declared = |name: &QualifiedName| -> Option<&'a Table> {
        doc.expected?
            .schemas
            .get(&name.schema)?
            .tables
            .get(&name.name)
    };
    // (group order, group) -> [(table order, name, table)]
    let mut groups: BTreeMap<String, Vec<(u32, QualifiedName, &'a Table)>> = BTreeMap::new();
    let mut first_line: BTreeMap<String, u32> = BTreeMap::new();
    for (schema, ns) in &doc.actual.schemas {
        for (name, table) in &ns.tables {
            // A partition is shown with its parent, not as a table again.
            if table.partition_of.is_some() {
                continue;
            }
            let qn = QualifiedName::new(schema, name);
            let decl = declared(&qn);
            let group = decl
                .and_then(|t| t.group.clone())
                .unwrap_or_else(|| OTHER_GROUP.to_string());
            let line = decl.and_then(|t| t.line).unwrap_or(u32::MAX);
            let first = first_line.entry(group.clone()).or_insert(u32::MAX);
            if group != OTHER_GROUP {
                *first = (*first).min(line);
            }
            groups.entry(group).or_default().push((line, qn, table));
        }
    }
    let mut ordered: Vec<(String, Group<'a>)> = groups
        .into_iter()
        .map(|(group, mut tables)| {
            tables.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
            (group, tables.into_iter().map(|(_, n, t)| (n, t)).collect())
        })
        .collect();
    ordered.sort_by_key(|(group, _)| (group == OTHER_GROUP, first_line[group], group.clone()));
    ordered
}

fn render_table(
    doc: &Document,
    name: &QualifiedName,
    table: &Table,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    // Every field is listed, so that a new one does not compile until the
    // document shows it (or says it does not).
    let Table {
        line: _,
        group: _,
        comment,
        partition_by,
        partition_of: _,
        unlogged,
        inherits,
        replica_identity,
        cluster_on,
        of_type,
        access_method,
        columns: table_columns,
        primary_key,
        uniques,
        checks,
        foreign_keys,
        exclusions,
        indexes,
        triggers,
        rules,
        rls_enabled: _,
        rls_forced: _,
        policies,
        options,
    } = table;
    writeln!(out, "#### {}", code(&display(name)))?;
    let declared = doc
        .expected
        .and_then(|e| e.schemas.get(&name.schema))
        .and_then(|ns| ns.tables.get(&name.name));
    if let Some(comment) = comment
        .as_ref()
        .or(declared.and_then(|t| t.comment.as_ref()))
    {
        writeln!(out)?;
        writeln!(out, "{}", text(comment))?;
    }
    writeln!(out)?;
    writeln!(out, "| column | type | null | default |")?;
    writeln!(out, "|---|---|---|---|")?;
    for c in table_columns {
        let expr = |e: &Option<String>| e.as_deref().map(|e| code(&pretty_expr(e)));
        let default = if let Some(g) = expr(&c.generated) {
            match c.generated_kind {
                GeneratedKind::Stored => format!("generated: {g}"),
                GeneratedKind::Virtual => format!("generated (virtual): {g}"),
            }
        } else if let Some(i) = c.identity {
            format!("identity ({})", i.as_str().replace('_', " "))
        } else {
            expr(&c.default).unwrap_or_default()
        };
        writeln!(
            out,
            "| {} | {} | {} | {default} |",
            code(&c.name),
            code(&pretty_type(&c.data_type)),
            if c.nullable { "yes" } else { "no" },
        )?;
    }
    let mut items: Vec<String> = Vec::new();
    if *unlogged {
        items.push("**Unlogged**".to_string());
    }
    if !inherits.is_empty() {
        let parents: Vec<String> = inherits.iter().map(|p| code(&display(p))).collect();
        items.push(format!("**Inherits:** {}", parents.join(", ")));
    }
    if !options.is_empty() {
        items.push(format!(
            "**Options:** {}",
            code(&crate::canon::display_reloptions(
                &crate::canon::reloptions(options)
            ))
        ));
    }
    if let Some(t) = of_type {
        items.push(format!("**Of type:** {}", code(t)));
    }
    if let Some(m) = access_method {
        items.push(format!("**Access method:** {}", code(m)));
    }
    if let Some(i) = cluster_on {
        items.push(format!("**Clustered on:** {}", code(i)));
    }
    if replica_identity != "default" {
        let shown = match replica_identity.strip_prefix("index ") {
            Some(index) => format!("index {}", code(index)),
            None => text(replica_identity),
        };
        items.push(format!("**Replica identity:** {shown}"));
    }
    if let Some(by) = partition_by {
        items.push(format!("**Partitioned by:** {}", code(by)));
    }
    for (partition, bound) in partitions_of(doc.actual, name) {
        items.push(format!(
            "**Partition:** {} {}",
            code(&display(&partition)),
            code(bound)
        ));
    }
    if let Some(pk) = primary_key {
        items.push(format!("**Primary key:** {}", columns(&pk.columns)));
    }
    for u in uniques {
        let mut s = format!("**Unique:** {}", columns(&u.columns));
        if u.nulls_not_distinct {
            s.push_str(" nulls not distinct");
        }
        items.push(s);
    }
    for f in foreign_keys {
        let mut s = format!(
            "**Foreign key:** {} → {} {}",
            columns(&f.columns),
            code(&display(&f.ref_table)),
            columns(&f.ref_columns)
        );
        s.push_str(&format!(", on delete {}", f.on_delete_text()));
        if f.on_update != crate::model::FkAction::NoAction {
            s.push_str(&format!(", on update {}", f.on_update.as_str()));
        }
        if f.deferrable != crate::model::Deferrable::No {
            s.push_str(&format!(", {}", f.deferrable.as_str()));
        }
        items.push(s);
    }
    for i in indexes {
        let keys: Vec<String> = i
            .keys
            .iter()
            .map(|k| {
                let mut key = k.clone();
                key.expression = pretty_expr(&key.expression);
                key.to_string()
            })
            .collect();
        let mut s = format!("**{}:**", if i.unique { "Unique index" } else { "Index" });
        if let Some(n) = &i.name {
            s.push_str(&format!(" {}", code(n)));
        }
        s.push_str(&format!(" on {}", columns(&keys)));
        if i.method != "btree" {
            s.push_str(&format!(" using {}", text(&i.method)));
        }
        if !i.include.is_empty() {
            s.push_str(&format!(" include {}", columns(&i.include)));
        }
        if let Some(p) = &i.predicate {
            s.push_str(&format!(" where {}", code(&pretty_expr(p))));
        }
        items.push(s);
    }
    for c in checks {
        items.push(format!("**Check:** {}", code(&pretty_expr(&c.expression))));
    }
    for x in exclusions {
        items.push(format!(
            "**Exclusion:** using {} {}",
            text(&x.method),
            code(&x.elements.join(", "))
        ));
    }
    for t in triggers {
        items.push(format!(
            "**Trigger:** {} {} {} for each {} → {}",
            code(&t.name),
            text(&t.timing),
            text(&t.events.join(" or ")),
            text(&t.level),
            code(&t.function)
        ));
    }
    for r in rules {
        items.push(format!("**Rule:** {}", code(&r.name)));
    }
    for p in policies {
        let mut s = format!(
            "**Policy:** {}{} for {} to {}",
            code(&p.name),
            if p.permissive { "" } else { " (restrictive)" },
            text(&p.command),
            text(&p.roles.join(", "))
        );
        if let Some(using) = &p.using {
            s.push_str(&format!(" using {}", code(&pretty_expr(using))));
        }
        if let Some(check) = &p.with_check {
            s.push_str(&format!(" with check {}", code(&pretty_expr(check))));
        }
        items.push(s);
    }
    if !items.is_empty() {
        writeln!(out)?;
        for item in items {
            writeln!(out, "- {item}")?;
        }
    }
    Ok(())
}

/// The partitions of `parent` with their bounds, by name.
fn partitions_of<'a>(schema: &'a Schema, parent: &QualifiedName) -> Vec<(QualifiedName, &'a str)> {
    schema
        .schemas
        .iter()
        .flat_map(|(s, ns)| ns.tables.iter().map(move |(n, t)| (s, n, t)))
        .filter_map(|(s, n, t)| {
            let of = t.partition_of.as_ref()?;
            (of.parent == *parent).then(|| (QualifiedName::new(s, n), of.bound.as_str()))
        })
        .collect()
}

/// `(a, b)` with each name in code.
fn columns(cols: &[String]) -> String {
    let inner: Vec<String> = cols.iter().map(|c| code(c)).collect();
    format!("({})", inner.join(", "))
}
