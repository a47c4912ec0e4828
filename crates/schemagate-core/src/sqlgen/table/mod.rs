//! Tables: `CREATE TABLE` for a missing one, and for one on both sides the
//! `ALTER TABLE`s of its attributes, columns, keys, indexes, triggers and
//! policies.

mod attached;
mod columns;
mod constraints;

use std::collections::{BTreeMap, BTreeSet};

use super::{alter_options, literal, option_list, qualified, Phase, Script};
use crate::diff::{plan_list, Change, Mismatch, ObjectType};
use crate::model::*;

use attached::{
    create_index, create_policy, create_rule, create_trigger, replica_identity, set_access_method,
};
use columns::{add_not_null, alter_column, column_definition, set_tuning};
use constraints::{check, exclusion, foreign_key, primary_key, unique};

/// `CREATE TABLE` with columns, primary key, uniques and checks; then its
/// indexes, foreign keys, triggers, row-level security, policies and
/// comments in their phases.
pub(super) fn create(script: &mut Script, schema: &str, name: &str, t: &Table) {
    let q = qualified(schema, name);
    let mut sql = match &t.partition_of {
        Some(p) => format!(
            "CREATE TABLE {q} PARTITION OF {} {}",
            qualified(&p.parent.schema, &p.parent.name),
            p.bound
        ),
        None => {
            let mut parts: Vec<String> = t.columns.iter().map(column_definition).collect();
            if let Some(pk) = &t.primary_key {
                parts.push(primary_key(pk));
            }
            parts.extend(t.uniques.iter().map(unique));
            parts.extend(t.checks.iter().filter(|c| c.validated).map(check));
            parts.extend(t.exclusions.iter().map(exclusion));
            let mut sql = format!(
                "CREATE {}TABLE {q} (\n  {}\n)",
                if t.unlogged { "UNLOGGED " } else { "" },
                parts.join(",\n  ")
            );
            if !t.inherits.is_empty() {
                let parents: Vec<String> = t
                    .inherits
                    .iter()
                    .map(|p| qualified(&p.schema, &p.name))
                    .collect();
                sql.push_str(&format!(" INHERITS ({})", parents.join(", ")));
            }
            sql
        }
    };
    if let Some(by) = &t.partition_by {
        sql.push_str(&format!(" PARTITION BY {by}"));
    }
    if !t.options.is_empty() {
        sql.push_str(&format!(" WITH ({})", option_list(&t.options)));
    }
    let phase = if t.partition_of.is_some() {
        Phase::Partitions
    } else {
        Phase::Tables
    };
    script.push(phase, sql);
    for c in t
        .columns
        .iter()
        .filter(|c| !c.nullable && !c.not_null_validated)
    {
        script.push(Phase::Keys, add_not_null(&q, c));
    }
    for c in &t.columns {
        set_tuning(script, (schema, name), c, &ColumnTuning::default());
    }
    if t.partition_of.is_none() {
        for c in t.checks.iter().filter(|c| !c.validated) {
            script.push(Phase::Keys, format!("ALTER TABLE {q} ADD {}", check(c)));
        }
        // A partition gets its parent's indexes and foreign keys by itself.
        for i in &t.indexes {
            script.push(Phase::Keys, create_index(schema, name, i));
        }
        for f in &t.foreign_keys {
            script.push(
                Phase::ForeignKeys,
                format!("ALTER TABLE {q} ADD {}", foreign_key(f)),
            );
        }
    }
    for tr in &t.triggers {
        create_trigger(script, &q, tr);
    }
    for r in &t.rules {
        create_rule(script, &q, r);
    }
    if t.replica_identity != "default" {
        script.push(Phase::Keys, replica_identity(&q, &t.replica_identity));
    }
    if let Some(i) = &t.cluster_on {
        script.push(
            Phase::Keys,
            format!("ALTER TABLE {q} CLUSTER ON {}", quote_ident(i)),
        );
    }
    if let Some(method) = &t.access_method {
        // Before the rows come: rewriting an empty table costs nothing.
        script.push(Phase::Keys, set_access_method(&q, Some(method)));
    }
    if let Some(ty) = &t.of_type {
        // Its columns are the type's attributes: bind it once they exist.
        script.push(Phase::Keys, format!("ALTER TABLE {q} OF {ty}"));
    }
    if t.rls_enabled {
        script.push(
            Phase::Triggers,
            format!("ALTER TABLE {q} ENABLE ROW LEVEL SECURITY"),
        );
    }
    if t.rls_forced {
        script.push(
            Phase::Triggers,
            format!("ALTER TABLE {q} FORCE ROW LEVEL SECURITY"),
        );
    }
    for p in &t.policies {
        script.push(Phase::Triggers, create_policy(&q, p));
    }
    if let Some(c) = &t.comment {
        script.push(
            Phase::Comments,
            format!("COMMENT ON TABLE {q} IS {}", literal(c)),
        );
    }
    if let Some(sql) = t
        .primary_key
        .as_ref()
        .filter(|pk| pk.comment.is_some())
        .and_then(|pk| pk_comment(schema, name, pk))
    {
        script.push(Phase::Comments, sql);
    }
    for kind in ITEM_KINDS {
        // A partition's indexes and foreign keys are its parent's.
        let inherited = matches!(kind, ObjectType::Index | ObjectType::ForeignKey);
        if inherited && t.partition_of.is_some() {
            continue;
        }
        for i in 0..item_count(kind, t) {
            if item_comment(kind, t, i).is_some() {
                if let Some(sql) = comment_item(schema, name, kind, t, i, None) {
                    script.push(Phase::Comments, sql);
                }
            }
        }
    }
    for c in &t.columns {
        if let Some(com) = &c.comment {
            script.push(
                Phase::Comments,
                format!(
                    "COMMENT ON COLUMN {q}.{} IS {}",
                    quote_ident(&c.name),
                    literal(com)
                ),
            );
        }
    }
}

/// The statements for a table on both sides, from its mismatches.
pub(super) fn alter(
    script: &mut Script,
    schema: &str,
    name: &str,
    e: &Table,
    a: &Table,
    ms: &[&Mismatch],
    ignore: &[String],
) {
    let q = qualified(schema, name);
    let kinds: BTreeSet<ObjectType> = ms.iter().map(|m| m.object_type).collect();
    for m in ms.iter().filter(|m| m.object_type == ObjectType::Table) {
        match m.attribute.as_deref() {
            Some("comment") => script.push(
                Phase::Comments,
                format!(
                    "COMMENT ON TABLE {q} IS {}",
                    e.comment.as_deref().map_or("NULL".into(), literal)
                ),
            ),
            Some("row_level_security") => script.push(
                Phase::Triggers,
                format!(
                    "ALTER TABLE {q} {} ROW LEVEL SECURITY",
                    if e.rls_enabled { "ENABLE" } else { "DISABLE" }
                ),
            ),
            Some("options") => alter_options(
                script,
                Phase::Tables,
                &format!("TABLE {q}"),
                &e.options,
                &a.options,
            ),
            Some("force_row_level_security") => script.push(
                Phase::Triggers,
                format!(
                    "ALTER TABLE {q} {}FORCE ROW LEVEL SECURITY",
                    if e.rls_forced { "" } else { "NO " }
                ),
            ),
            Some("partition_of") => {
                if let Some(p) = &a.partition_of {
                    script.push(
                        Phase::Tables,
                        format!(
                            "ALTER TABLE {} DETACH PARTITION {q}",
                            qualified(&p.parent.schema, &p.parent.name)
                        ),
                    );
                }
                if let Some(p) = &e.partition_of {
                    script.push(
                        Phase::Tables,
                        format!(
                            "ALTER TABLE {} ATTACH PARTITION {q} {}",
                            qualified(&p.parent.schema, &p.parent.name),
                            p.bound
                        ),
                    );
                }
            }
            Some("unlogged") => script.push(
                Phase::Tables,
                format!(
                    "ALTER TABLE {q} SET {}",
                    if e.unlogged { "UNLOGGED" } else { "LOGGED" }
                ),
            ),
            Some("inherits") => {
                let same =
                    |x: &QualifiedName, y: &QualifiedName| x.schema == y.schema && x.name == y.name;
                for p in a
                    .inherits
                    .iter()
                    .filter(|p| !e.inherits.iter().any(|x| same(x, p)))
                {
                    script.push(
                        Phase::Tables,
                        format!(
                            "ALTER TABLE {q} NO INHERIT {}",
                            qualified(&p.schema, &p.name)
                        ),
                    );
                }
                for p in e
                    .inherits
                    .iter()
                    .filter(|p| !a.inherits.iter().any(|x| same(x, p)))
                {
                    script.push(
                        Phase::Columns,
                        format!("ALTER TABLE {q} INHERIT {}", qualified(&p.schema, &p.name)),
                    );
                }
            }
            Some("replica_identity") => {
                script.push(Phase::Keys, replica_identity(&q, &e.replica_identity))
            }
            Some("access_method") => script.push(
                Phase::Keys,
                set_access_method(&q, e.access_method.as_deref()),
            ),
            Some("of_type") => script.push(
                Phase::Keys,
                match &e.of_type {
                    Some(ty) => format!("ALTER TABLE {q} OF {ty}"),
                    None => format!("ALTER TABLE {q} NOT OF"),
                },
            ),
            Some("cluster_on") => script.push(
                Phase::Keys,
                match &e.cluster_on {
                    Some(i) => format!("ALTER TABLE {q} CLUSTER ON {}", quote_ident(i)),
                    None => format!("ALTER TABLE {q} SET WITHOUT CLUSTER"),
                },
            ),
            Some(other) => script.manual(
                Phase::Tables,
                format!("{q}: {other} differs; SQL cannot change it in place, recreate the table"),
            ),
            None => {}
        }
    }
    let mut column_changes: Vec<&Mismatch> = ms
        .iter()
        .copied()
        .filter(|m| m.object_type == ObjectType::Column)
        .collect();
    column_changes.sort_by_key(|m| m.path.get(2).cloned());
    for m in column_changes {
        let Some(col) = m.path.get(2) else { continue };
        let qc = quote_ident(col);
        match (m.change, e.column(col), a.column(col)) {
            (Change::Missing, Some(c), _) => {
                script.push(
                    Phase::Columns,
                    format!("ALTER TABLE {q} ADD COLUMN {}", column_definition(c)),
                );
                if !c.nullable && !c.not_null_validated {
                    script.push(Phase::Keys, add_not_null(&q, c));
                }
                set_tuning(script, (schema, name), c, &ColumnTuning::default());
            }
            (Change::Unexpected, _, Some(_)) => script.destructive(
                Phase::DropColumns,
                format!("ALTER TABLE {q} DROP COLUMN {qc}"),
            ),
            (Change::Changed, Some(c), Some(ac)) => {
                alter_column(script, (schema, name), c, ac, m.attribute.as_deref())
            }
            _ => {}
        }
        if m.change == Change::Missing {
            if let Some(com) = e.column(col).and_then(|c| c.comment.as_ref()) {
                script.push(
                    Phase::Comments,
                    format!("COMMENT ON COLUMN {q}.{qc} IS {}", literal(com)),
                );
            }
        }
    }
    // Only the comment or the index's storage parameters differ: the key
    // stays (dropping it would take the foreign keys that use it).
    let pk_in_place = ms
        .iter()
        .filter(|m| m.object_type == ObjectType::PrimaryKey)
        .all(|m| matches!(m.attribute.as_deref(), Some("comment" | "options")));
    if let (true, true, Some(pe), Some(pa)) = (
        kinds.contains(&ObjectType::PrimaryKey),
        pk_in_place,
        &e.primary_key,
        &a.primary_key,
    ) {
        let mut pk = pe.clone();
        pk.name = pk.name.or_else(|| pa.name.clone());
        if pe.comment != pa.comment {
            if let Some(sql) = pk_comment(schema, name, &pk) {
                script.push(Phase::Comments, sql);
            }
        }
        let index = pk.name.unwrap_or_else(|| format!("{name}_pkey"));
        alter_options(
            script,
            Phase::Keys,
            &format!("INDEX {}", qualified(schema, &index)),
            &pe.options,
            &pa.options,
        );
    } else if kinds.contains(&ObjectType::PrimaryKey) {
        if let Some(pk) = &a.primary_key {
            let drop = format!(
                "ALTER TABLE {q} DROP CONSTRAINT {}",
                quote_ident(pk.name.as_deref().unwrap_or(&format!("{name}_pkey")))
            );
            if e.primary_key.is_some() {
                script.push(Phase::DropItems, drop);
            } else {
                script.destructive(Phase::DropItems, drop);
            }
        }
        if let Some(pk) = &e.primary_key {
            script.push(
                Phase::Keys,
                format!("ALTER TABLE {q} ADD {}", primary_key(pk)),
            );
            if pk.comment.is_some() {
                if let Some(sql) = pk_comment(schema, name, pk) {
                    script.push(Phase::Comments, sql);
                }
            }
        }
    }
    for kind in ITEM_KINDS {
        if !kinds.contains(&kind) {
            continue;
        }
        let plan = plan_list(kind, schema, name, ignore, e, a);
        for (i, j) in plan.changed {
            if plan.in_place.contains(&(i, j)) {
                // Only the comment or the storage parameters differ: the
                // item stays.
                let fallback = item_name(kind, a, j).or_else(|| item_label(kind, a, j));
                if item_comment(kind, e, i) != item_comment(kind, a, j) {
                    if let Some(sql) = comment_item(schema, name, kind, e, i, fallback.clone()) {
                        script.push(Phase::Comments, sql);
                    }
                }
                if let (Some((eo, ao)), Some(index)) = (
                    item_options(kind, e, i).zip(item_options(kind, a, j)),
                    item_name(kind, e, i).or(fallback),
                ) {
                    // A key's index has the constraint's name.
                    alter_options(
                        script,
                        Phase::Keys,
                        &format!("INDEX {}", qualified(schema, &index)),
                        eo,
                        ao,
                    );
                }
                continue;
            }
            drop_item(script, schema, name, kind, a, j, false);
            create_item(script, schema, name, kind, e, i, item_name(kind, a, j));
        }
        for i in plan.missing {
            create_item(script, schema, name, kind, e, i, None);
        }
        for j in plan.unexpected {
            drop_item(script, schema, name, kind, a, j, true);
        }
    }
}

/// The actual item's name, to keep when the expected one has none.
fn item_name(kind: ObjectType, t: &Table, j: usize) -> Option<String> {
    match kind {
        ObjectType::Unique => t.uniques[j].name.clone(),
        ObjectType::Check => t.checks[j].name.clone(),
        ObjectType::ForeignKey => t.foreign_keys[j].name.clone(),
        ObjectType::Index => t.indexes[j].name.clone(),
        ObjectType::Exclusion => t.exclusions[j].name.clone(),
        _ => None,
    }
}

fn drop_item(
    script: &mut Script,
    schema: &str,
    name: &str,
    kind: ObjectType,
    t: &Table,
    j: usize,
    destructive: bool,
) {
    let q = qualified(schema, name);
    let (phase, sql) = match kind {
        ObjectType::Unique | ObjectType::Check | ObjectType::ForeignKey | ObjectType::Exclusion => {
            let Some(n) = item_name(kind, t, j) else {
                return;
            };
            let phase = if kind == ObjectType::ForeignKey {
                Phase::DropForeignKeys
            } else {
                Phase::DropItems
            };
            (
                phase,
                format!("ALTER TABLE {q} DROP CONSTRAINT {}", quote_ident(&n)),
            )
        }
        ObjectType::Index => {
            let Some(n) = &t.indexes[j].name else { return };
            (
                Phase::DropItems,
                format!("DROP INDEX {}", qualified(schema, n)),
            )
        }
        ObjectType::Trigger => (
            Phase::DropItems,
            format!("DROP TRIGGER {} ON {q}", quote_ident(&t.triggers[j].name)),
        ),
        ObjectType::Rule => (
            Phase::DropItems,
            format!("DROP RULE {} ON {q}", quote_ident(&t.rules[j].name)),
        ),
        _ => (
            Phase::DropItems,
            format!("DROP POLICY {} ON {q}", quote_ident(&t.policies[j].name)),
        ),
    };
    if destructive {
        script.destructive(phase, sql);
    } else {
        script.push(phase, sql);
    }
}

fn create_item(
    script: &mut Script,
    schema: &str,
    name: &str,
    kind: ObjectType,
    t: &Table,
    i: usize,
    fallback_name: Option<String>,
) {
    if item_comment(kind, t, i).is_some() {
        if let Some(sql) = comment_item(schema, name, kind, t, i, fallback_name.clone()) {
            script.push(Phase::Comments, sql);
        }
    }
    let q = qualified(schema, name);
    match kind {
        ObjectType::Unique => {
            let mut u = t.uniques[i].clone();
            u.name = u.name.or(fallback_name);
            script.push(Phase::Keys, format!("ALTER TABLE {q} ADD {}", unique(&u)));
        }
        ObjectType::Check => {
            let mut c = t.checks[i].clone();
            c.name = c.name.or(fallback_name);
            script.push(Phase::Keys, format!("ALTER TABLE {q} ADD {}", check(&c)));
        }
        ObjectType::ForeignKey => {
            let mut f = t.foreign_keys[i].clone();
            f.name = f.name.or(fallback_name);
            script.push(
                Phase::ForeignKeys,
                format!("ALTER TABLE {q} ADD {}", foreign_key(&f)),
            );
        }
        ObjectType::Index => {
            let mut x = t.indexes[i].clone();
            x.name = x.name.or(fallback_name);
            script.push(Phase::Keys, create_index(schema, name, &x));
        }
        ObjectType::Trigger => create_trigger(script, &q, &t.triggers[i]),
        ObjectType::Exclusion => {
            let mut x = t.exclusions[i].clone();
            x.name = x.name.or(fallback_name);
            script.push(
                Phase::Keys,
                format!("ALTER TABLE {q} ADD {}", exclusion(&x)),
            );
        }
        ObjectType::Rule => create_rule(script, &q, &t.rules[i]),
        _ => script.push(Phase::Triggers, create_policy(&q, &t.policies[i])),
    }
}

/// The kinds of a table's list items, in the order they are repaired.
const ITEM_KINDS: [ObjectType; 8] = [
    ObjectType::Unique,
    ObjectType::Check,
    ObjectType::ForeignKey,
    ObjectType::Index,
    ObjectType::Trigger,
    ObjectType::Policy,
    ObjectType::Exclusion,
    ObjectType::Rule,
];

fn item_count(kind: ObjectType, t: &Table) -> usize {
    match kind {
        ObjectType::Unique => t.uniques.len(),
        ObjectType::Check => t.checks.len(),
        ObjectType::ForeignKey => t.foreign_keys.len(),
        ObjectType::Index => t.indexes.len(),
        ObjectType::Trigger => t.triggers.len(),
        ObjectType::Policy => t.policies.len(),
        ObjectType::Exclusion => t.exclusions.len(),
        ObjectType::Rule => t.rules.len(),
        _ => 0,
    }
}

fn item_comment(kind: ObjectType, t: &Table, i: usize) -> &Option<String> {
    match kind {
        ObjectType::Unique => &t.uniques[i].comment,
        ObjectType::Check => &t.checks[i].comment,
        ObjectType::ForeignKey => &t.foreign_keys[i].comment,
        ObjectType::Index => &t.indexes[i].comment,
        ObjectType::Trigger => &t.triggers[i].comment,
        ObjectType::Policy => &t.policies[i].comment,
        ObjectType::Exclusion => &t.exclusions[i].comment,
        _ => &t.rules[i].comment,
    }
}

/// The storage parameters of an index or of a key's index.
fn item_options(kind: ObjectType, t: &Table, i: usize) -> Option<&BTreeMap<String, String>> {
    match kind {
        ObjectType::Unique => Some(&t.uniques[i].options),
        ObjectType::Index => Some(&t.indexes[i].options),
        ObjectType::Exclusion => Some(&t.exclusions[i].options),
        _ => None,
    }
}

/// The name of a trigger, policy or rule (always named).
fn item_label(kind: ObjectType, t: &Table, j: usize) -> Option<String> {
    match kind {
        ObjectType::Trigger => Some(t.triggers[j].name.clone()),
        ObjectType::Policy => Some(t.policies[j].name.clone()),
        ObjectType::Rule => Some(t.rules[j].name.clone()),
        _ => None,
    }
}

/// `COMMENT ON CONSTRAINT|INDEX|TRIGGER|POLICY|RULE ... IS ...` for item
/// `i` of `t` (its name, or `fallback` when it has none); none for an
/// unnamed constraint, whose name the server chooses.
fn comment_item(
    schema: &str,
    table: &str,
    kind: ObjectType,
    t: &Table,
    i: usize,
    fallback: Option<String>,
) -> Option<String> {
    let q = qualified(schema, table);
    let named = item_name(kind, t, i)
        .or_else(|| item_label(kind, t, i))
        .or(fallback)?;
    let target = match kind {
        ObjectType::Index => format!("INDEX {}", qualified(schema, &named)),
        ObjectType::Trigger => format!("TRIGGER {} ON {q}", quote_ident(&named)),
        ObjectType::Policy => format!("POLICY {} ON {q}", quote_ident(&named)),
        ObjectType::Rule => format!("RULE {} ON {q}", quote_ident(&named)),
        _ => format!("CONSTRAINT {} ON {q}", quote_ident(&named)),
    };
    Some(format!(
        "COMMENT ON {target} IS {}",
        item_comment(kind, t, i)
            .as_deref()
            .map_or("NULL".into(), literal)
    ))
}

/// `COMMENT ON CONSTRAINT` of a primary key (named `table_pkey` by default).
fn pk_comment(schema: &str, table: &str, pk: &PrimaryKey) -> Option<String> {
    let name = pk.name.clone().unwrap_or_else(|| format!("{table}_pkey"));
    Some(format!(
        "COMMENT ON CONSTRAINT {} ON {} IS {}",
        quote_ident(&name),
        qualified(schema, table),
        pk.comment.as_deref().map_or("NULL".into(), literal)
    ))
}
