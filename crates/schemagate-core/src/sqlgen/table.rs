//! Tables: `CREATE TABLE` for a missing one, and for one on both sides the
//! `ALTER TABLE`s of its attributes, columns, keys, indexes, triggers and
//! policies.

use std::collections::BTreeSet;

use super::{idents, literal, qualified, Phase, Script};
use crate::canon::{canonical_type, serial_type};
use crate::diff::{plan_list, Change, Mismatch, ObjectType};
use crate::model::*;

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
    let phase = if t.partition_of.is_some() {
        Phase::Partitions
    } else {
        Phase::Tables
    };
    script.push(phase, sql);
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
        script.push(Phase::Triggers, create_rule(r));
    }
    if t.replica_identity != "default" {
        script.push(Phase::Keys, replica_identity(&q, &t.replica_identity));
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
            Some("replica_identity") => {
                script.push(Phase::Keys, replica_identity(&q, &e.replica_identity))
            }
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
            (Change::Missing, Some(c), _) => script.push(
                Phase::Columns,
                format!("ALTER TABLE {q} ADD COLUMN {}", column_definition(c)),
            ),
            (Change::Unexpected, _, Some(_)) => script.destructive(
                Phase::DropColumns,
                format!("ALTER TABLE {q} DROP COLUMN {qc}"),
            ),
            (Change::Changed, Some(c), Some(ac)) => {
                alter_column(script, &q, c, ac, m.attribute.as_deref())
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
    if kinds.contains(&ObjectType::PrimaryKey) {
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
        }
    }
    for kind in [
        ObjectType::Unique,
        ObjectType::Check,
        ObjectType::ForeignKey,
        ObjectType::Index,
        ObjectType::Trigger,
        ObjectType::Policy,
        ObjectType::Exclusion,
        ObjectType::Rule,
    ] {
        if !kinds.contains(&kind) {
            continue;
        }
        let plan = plan_list(kind, schema, name, ignore, e, a);
        for (i, j) in plan.changed {
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
        ObjectType::Rule => script.push(Phase::Triggers, create_rule(&t.rules[i])),
        _ => script.push(Phase::Triggers, create_policy(&q, &t.policies[i])),
    }
}

/// One attribute of a column on both sides.
fn alter_column(script: &mut Script, q: &str, e: &Column, a: &Column, attribute: Option<&str>) {
    let qc = quote_ident(&e.name);
    let alter = format!("ALTER TABLE {q} ALTER COLUMN {qc}");
    match attribute {
        Some("type") => {
            let ty = sql_type(&e.data_type);
            let collate = e
                .collation
                .as_ref()
                .map_or(String::new(), |c| format!(" COLLATE {}", quote_ident(c)));
            let sql = format!("{alter} TYPE {ty}{collate} USING {qc}::{ty}");
            if is_widening(&a.data_type, &e.data_type) {
                script.push(Phase::Columns, sql);
            } else {
                script.destructive(Phase::Columns, sql);
            }
        }
        Some("collation") => {
            let collate = e
                .collation
                .as_ref()
                .map_or(" COLLATE \"default\"".to_string(), |c| {
                    format!(" COLLATE {}", quote_ident(c))
                });
            script.push(
                Phase::Columns,
                format!("{alter} TYPE {}{collate}", sql_type(&e.data_type)),
            );
        }
        Some("nullable") => script.push(
            Phase::Columns,
            format!(
                "{alter} {} NOT NULL",
                if e.nullable { "DROP" } else { "SET" }
            ),
        ),
        Some("default") => script.push(
            Phase::Columns,
            match &e.default {
                Some(d) => format!("{alter} SET DEFAULT {d}"),
                None => format!("{alter} DROP DEFAULT"),
            },
        ),
        Some("identity") => match (e.identity, a.identity) {
            (Some(i), Some(_)) => script.push(
                Phase::Columns,
                format!("{alter} SET GENERATED {}", identity(i)),
            ),
            (Some(i), None) => script.push(
                Phase::Columns,
                format!("{alter} ADD GENERATED {} AS IDENTITY", identity(i)),
            ),
            (None, _) => script.push(Phase::Columns, format!("{alter} DROP IDENTITY")),
        },
        Some("generated") => match &e.generated {
            None => script.push(Phase::Columns, format!("{alter} DROP EXPRESSION")),
            Some(_) => {
                // Before PostgreSQL 17 a generation expression cannot be
                // changed in place: the column is dropped and added again.
                script.destructive(Phase::Columns, format!("ALTER TABLE {q} DROP COLUMN {qc}"));
                script.destructive(
                    Phase::Columns,
                    format!("ALTER TABLE {q} ADD COLUMN {}", column_definition(e)),
                );
            }
        },
        Some("comment") => script.push(
            Phase::Comments,
            format!(
                "COMMENT ON COLUMN {q}.{qc} IS {}",
                e.comment.as_deref().map_or("NULL".into(), literal)
            ),
        ),
        _ => {}
    }
}

fn identity(i: Identity) -> &'static str {
    match i {
        Identity::Always => "ALWAYS",
        Identity::ByDefault => "BY DEFAULT",
    }
}

/// A type as SQL: `serial` types are `integer` & co. outside `CREATE TABLE`.
fn sql_type(data_type: &str) -> String {
    serial_type(data_type).map_or_else(|| data_type.to_string(), str::to_string)
}

/// Whether changing `from` to `to` keeps every value: a longer varchar or
/// to text, a wider integer, a numeric with more digits.
fn is_widening(from: &str, to: &str) -> bool {
    let (from, to) = (canonical_type(from), canonical_type(to));
    let ints = ["smallint", "integer", "bigint"];
    let rank = |t: &str| ints.iter().position(|i| *i == t);
    if let (Some(f), Some(t)) = (rank(&from), rank(&to)) {
        return t >= f;
    }
    let length = |t: &str, base: &str| -> Option<Option<u32>> {
        let rest = t.strip_prefix(base)?;
        if rest.is_empty() {
            return Some(None);
        }
        rest.strip_prefix('(')?
            .strip_suffix(')')?
            .parse()
            .ok()
            .map(Some)
    };
    if to == "text" && (from.starts_with("character varying") || from.starts_with("character")) {
        return true;
    }
    if let (Some(f), Some(t)) = (
        length(&from, "character varying"),
        length(&to, "character varying"),
    ) {
        return match (f, t) {
            (_, None) => true,
            (Some(f), Some(t)) => t >= f,
            (None, Some(_)) => false,
        };
    }
    false
}

/// `name type [COLLATE c] [GENERATED ...] [DEFAULT d] [NOT NULL]`.
fn column_definition(c: &Column) -> String {
    let mut sql = format!("{} {}", quote_ident(&c.name), c.data_type);
    if let Some(coll) = &c.collation {
        sql.push_str(&format!(" COLLATE {}", quote_ident(coll)));
    }
    if let Some(g) = &c.generated {
        sql.push_str(&format!(" GENERATED ALWAYS AS ({g}) STORED"));
    }
    if let Some(i) = c.identity {
        sql.push_str(&format!(" GENERATED {} AS IDENTITY", identity(i)));
    }
    if let Some(d) = &c.default {
        if serial_type(&c.data_type).is_none() && c.identity.is_none() {
            sql.push_str(&format!(" DEFAULT {d}"));
        }
    }
    if !c.nullable {
        sql.push_str(" NOT NULL");
    }
    sql
}

fn constraint_name(name: &Option<String>) -> String {
    name.as_ref()
        .map_or(String::new(), |n| format!("CONSTRAINT {} ", quote_ident(n)))
}

fn deferrable(d: Deferrable) -> &'static str {
    match d {
        Deferrable::No => "",
        Deferrable::InitiallyImmediate => " DEFERRABLE",
        Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
    }
}

fn primary_key(pk: &PrimaryKey) -> String {
    format!(
        "{}PRIMARY KEY ({}){}",
        constraint_name(&pk.name),
        idents(&pk.columns),
        deferrable(pk.deferrable)
    )
}

fn exclusion(x: &Exclusion) -> String {
    let mut sql = format!(
        "{}EXCLUDE USING {} ({})",
        constraint_name(&x.name),
        x.method,
        x.elements.join(", ")
    );
    if let Some(p) = &x.predicate {
        sql.push_str(&format!(" WHERE ({p})"));
    }
    sql.push_str(deferrable(x.deferrable));
    sql
}

/// The rule as the server prints it (`CREATE RULE ... AS ON ... DO ...`),
/// replacing one of the same name.
fn create_rule(r: &Rule) -> String {
    let def = r.definition.trim().trim_end_matches(';');
    match def.strip_prefix("CREATE RULE ") {
        Some(rest) => format!("CREATE OR REPLACE RULE {rest}"),
        None => def.to_string(),
    }
}

/// `ALTER TABLE ... REPLICA IDENTITY DEFAULT | FULL | NOTHING | USING INDEX i`.
fn replica_identity(q: &str, value: &str) -> String {
    match value.strip_prefix("index ") {
        Some(index) => format!(
            "ALTER TABLE {q} REPLICA IDENTITY USING INDEX {}",
            quote_ident(index)
        ),
        None => format!("ALTER TABLE {q} REPLICA IDENTITY {}", value.to_uppercase()),
    }
}

fn unique(u: &Unique) -> String {
    format!(
        "{}UNIQUE{} ({}){}",
        constraint_name(&u.name),
        if u.nulls_not_distinct {
            " NULLS NOT DISTINCT"
        } else {
            ""
        },
        idents(&u.columns),
        deferrable(u.deferrable)
    )
}

fn check(c: &Check) -> String {
    format!(
        "{}CHECK ({}){}",
        constraint_name(&c.name),
        c.expression,
        if c.validated { "" } else { " NOT VALID" }
    )
}

fn foreign_key(f: &ForeignKey) -> String {
    let mut sql = format!(
        "{}FOREIGN KEY ({}) REFERENCES {} ({})",
        constraint_name(&f.name),
        idents(&f.columns),
        qualified(&f.ref_table.schema, &f.ref_table.name),
        idents(&f.ref_columns)
    );
    if f.on_delete != FkAction::NoAction {
        sql.push_str(&format!(
            " ON DELETE {}",
            f.on_delete.as_str().to_uppercase()
        ));
    }
    if f.on_update != FkAction::NoAction {
        sql.push_str(&format!(
            " ON UPDATE {}",
            f.on_update.as_str().to_uppercase()
        ));
    }
    sql.push_str(deferrable(f.deferrable));
    if !f.validated {
        sql.push_str(" NOT VALID");
    }
    sql
}

fn create_index(schema: &str, table: &str, i: &Index) -> String {
    let mut sql = format!("CREATE {}INDEX ", if i.unique { "UNIQUE " } else { "" });
    if let Some(n) = &i.name {
        sql.push_str(&quote_ident(n));
        sql.push(' ');
    }
    let keys: Vec<String> = i.keys.iter().map(|k| k.to_string()).collect();
    sql.push_str(&format!("ON {}", qualified(schema, table)));
    if i.method != "btree" {
        sql.push_str(&format!(" USING {}", i.method));
    }
    sql.push_str(&format!(" ({})", keys.join(", ")));
    if !i.include.is_empty() {
        sql.push_str(&format!(" INCLUDE ({})", idents(&i.include)));
    }
    if i.nulls_not_distinct {
        sql.push_str(" NULLS NOT DISTINCT");
    }
    if let Some(p) = &i.predicate {
        sql.push_str(&format!(" WHERE {p}"));
    }
    sql
}

fn create_trigger(script: &mut Script, q: &str, t: &Trigger) {
    let events: Vec<String> = t
        .events
        .iter()
        .map(|e| match e.strip_prefix("update of ") {
            // Column names keep their spelling.
            Some(columns) => format!("UPDATE OF {columns}"),
            None => e.to_uppercase(),
        })
        .collect();
    let mut sql = format!(
        "CREATE TRIGGER {} {} {} ON {q} FOR EACH {}",
        quote_ident(&t.name),
        t.timing.to_uppercase(),
        events.join(" OR "),
        t.level.to_uppercase()
    );
    if let Some(w) = &t.when {
        sql.push_str(&format!(" WHEN ({w})"));
    }
    sql.push_str(&format!(" EXECUTE FUNCTION {}", t.function));
    script.push(Phase::Triggers, sql);
    if !t.enabled {
        script.push(
            Phase::Triggers,
            format!("ALTER TABLE {q} DISABLE TRIGGER {}", quote_ident(&t.name)),
        );
    }
}

fn create_policy(q: &str, p: &Policy) -> String {
    let roles: Vec<String> = p
        .roles
        .iter()
        .map(|r| {
            if r == "public" {
                "PUBLIC".to_string()
            } else {
                quote_ident(r)
            }
        })
        .collect();
    let mut sql = format!(
        "CREATE POLICY {} ON {q} AS {} FOR {} TO {}",
        quote_ident(&p.name),
        if p.permissive {
            "PERMISSIVE"
        } else {
            "RESTRICTIVE"
        },
        p.command.to_uppercase(),
        roles.join(", ")
    );
    if let Some(u) = &p.using {
        sql.push_str(&format!(" USING ({u})"));
    }
    if let Some(w) = &p.with_check {
        sql.push_str(&format!(" WITH CHECK ({w})"));
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::is_widening;

    #[test]
    fn widening_is_known_narrowing_is_not() {
        assert!(is_widening("varchar(40)", "varchar(50)"));
        assert!(is_widening("varchar(40)", "text"));
        assert!(is_widening("integer", "bigint"));
        assert!(!is_widening("varchar(50)", "varchar(40)"));
        assert!(!is_widening("bigint", "integer"));
        assert!(!is_widening("text", "integer"));
    }
}
