//! Objects named in a schema: tables as a whole, views, sequences, enum
//! types, domains and functions.

use super::{literal, qualified, table, Phase, Script};
use crate::canon::{canonical_query, canonical_type};
use crate::diff::{Change, ObjectType};
use crate::model::*;

/// Everything a missing schema holds.
pub(super) fn create_namespace(script: &mut Script, schema: &str, ns: &Namespace) {
    let empty = Namespace::default();
    let kinds = [
        (
            ObjectType::Extension,
            ns.extensions.keys().collect::<Vec<_>>(),
        ),
        (ObjectType::Collation, ns.collations.keys().collect()),
        (ObjectType::Enum, ns.enums.keys().collect()),
        (
            ObjectType::CompositeType,
            ns.composite_types.keys().collect(),
        ),
        (ObjectType::Domain, ns.domains.keys().collect()),
        (ObjectType::Sequence, ns.sequences.keys().collect()),
        (ObjectType::Function, ns.functions.keys().collect()),
        (ObjectType::Table, ns.tables.keys().collect()),
        (ObjectType::View, ns.views.keys().collect()),
        (ObjectType::Statistics, ns.statistics.keys().collect()),
        (ObjectType::ForeignTable, ns.foreign_tables.keys().collect()),
    ];
    for (kind, names) in kinds {
        for name in names {
            named(script, schema, kind, name, Change::Missing, ns, &empty);
        }
    }
}

/// One named object missing, unexpected or changed.
pub(super) fn named(
    script: &mut Script,
    schema: &str,
    kind: ObjectType,
    name: &str,
    change: Change,
    e: &Namespace,
    a: &Namespace,
) {
    let q = qualified(schema, name);
    match kind {
        ObjectType::Table => match (change, e.tables.get(name)) {
            (Change::Missing, Some(t)) => table::create(script, schema, name, t),
            (Change::Unexpected, _) => {
                script.destructive(Phase::DropTables, format!("DROP TABLE {q}"))
            }
            _ => {}
        },
        ObjectType::View => {
            let drop = |v: &View| {
                format!(
                    "DROP {}VIEW {q}",
                    if v.materialized { "MATERIALIZED " } else { "" }
                )
            };
            match (change, e.views.get(name), a.views.get(name)) {
                // Before the tables and columns it may depend on.
                (Change::Unexpected, _, Some(v)) => script.destructive(Phase::DropViews, drop(v)),
                (Change::Missing, Some(v), _) => create_view(script, &q, v),
                (Change::Changed, Some(ev), Some(av)) => {
                    let same_query = match (&ev.definition, &av.definition) {
                        (None, _) => true,
                        (Some(ed), Some(ad)) => canonical_query(ed) == canonical_query(ad),
                        (Some(_), None) => false,
                    };
                    if same_query && ev.materialized == av.materialized {
                        comment_view(script, &q, ev);
                    } else {
                        script.push(Phase::DropViews, drop(av));
                        create_view(script, &q, ev);
                    }
                }
                _ => {}
            }
        }
        ObjectType::Sequence => match (change, e.sequences.get(name)) {
            (Change::Unexpected, _) => {
                script.destructive(Phase::DropTypes, format!("DROP SEQUENCE {q}"))
            }
            (Change::Missing, Some(s)) => {
                script.push(Phase::Types, format!("CREATE SEQUENCE {q}{}", sequence_options(s, false)))
            }
            (Change::Changed, Some(s)) => {
                script.push(Phase::Types, format!("ALTER SEQUENCE {q}{}", sequence_options(s, true)))
            }
            _ => {}
        },
        ObjectType::Enum => match (change, e.enums.get(name), a.enums.get(name)) {
            (Change::Unexpected, _, _) => {
                script.destructive(Phase::DropTypes, format!("DROP TYPE {q}"))
            }
            (Change::Missing, Some(en), _) => script.push(Phase::Types, create_enum(&q, en)),
            (Change::Changed, Some(en), Some(ae)) => alter_enum(script, schema, name, en, ae, a),
            _ => {}
        },
        ObjectType::Domain => match (change, e.domains.get(name), a.domains.get(name)) {
            (Change::Unexpected, _, _) => {
                script.destructive(Phase::DropTypes, format!("DROP DOMAIN {q}"))
            }
            (Change::Missing, Some(d), _) => {
                let mut sql = format!("CREATE DOMAIN {q} AS {}", d.data_type);
                if let Some(def) = &d.default {
                    sql.push_str(&format!(" DEFAULT {def}"));
                }
                if !d.nullable {
                    sql.push_str(" NOT NULL");
                }
                for c in &d.checks {
                    sql.push_str(&format!(" CHECK ({})", c.expression));
                }
                script.push(Phase::Types, sql);
            }
            (Change::Changed, Some(d), Some(ad)) => {
                if d.default != ad.default {
                    script.push(
                        Phase::Types,
                        match &d.default {
                            Some(def) => format!("ALTER DOMAIN {q} SET DEFAULT {def}"),
                            None => format!("ALTER DOMAIN {q} DROP DEFAULT"),
                        },
                    );
                }
                if d.nullable != ad.nullable {
                    script.push(
                        Phase::Types,
                        format!(
                            "ALTER DOMAIN {q} {} NOT NULL",
                            if d.nullable { "DROP" } else { "SET" }
                        ),
                    );
                }
                if canonical_type(&d.data_type) != canonical_type(&ad.data_type)
                    || d.checks.len() != ad.checks.len()
                    || d.checks
                        .iter()
                        .zip(&ad.checks)
                        .any(|(x, y)| !crate::canon::same_expr(&x.expression, &y.expression))
                {
                    script.manual(
                        Phase::Types,
                        format!("domain {q}: its type or checks differ; recreate it by hand"),
                    );
                }
            }
            _ => {}
        },
        ObjectType::Function => match change {
            Change::Unexpected => {
                let (fname, args) = name.split_once('(').unwrap_or((name, ")"));
                script.destructive(
                    Phase::DropTypes,
                    format!("DROP FUNCTION {}({args}", qualified(schema, fname)),
                );
            }
            _ => script.manual(
                Phase::Types,
                format!(
                    "function {schema}.{name}: cannot repair a function from the expected file; create or replace it from your migrations"
                ),
            ),
        },
        ObjectType::Extension => match (change, e.extensions.get(name)) {
            (Change::Unexpected, _) => {
                script.destructive(Phase::DropTypes, format!("DROP EXTENSION {}", quote_ident(name)))
            }
            (Change::Missing, Some(x)) => {
                let mut sql = format!(
                    "CREATE EXTENSION {} SCHEMA {}",
                    quote_ident(name),
                    quote_ident(schema)
                );
                if let Some(v) = &x.version {
                    sql.push_str(&format!(" VERSION {}", literal(v)));
                }
                script.push(Phase::Schemas, sql);
            }
            (Change::Changed, Some(x)) => match &x.version {
                Some(v) => script.push(
                    Phase::Schemas,
                    format!("ALTER EXTENSION {} UPDATE TO {}", quote_ident(name), literal(v)),
                ),
                None => script.manual(
                    Phase::Schemas,
                    format!("extension {name}: cannot repair; move it with ALTER EXTENSION ... SET SCHEMA"),
                ),
            },
            _ => {}
        },
        ObjectType::Collation => match (change, e.collations.get(name)) {
            (Change::Unexpected, _) => {
                script.destructive(Phase::DropTypes, format!("DROP COLLATION {q}"))
            }
            (Change::Missing, Some(c)) => script.push(Phase::Types, create_collation(&q, c)),
            (Change::Changed, Some(_)) => script.manual(
                Phase::Types,
                format!("collation {q}: cannot repair in place; it is used by columns, recreate it by hand"),
            ),
            _ => {}
        },
        ObjectType::CompositeType => match (change, e.composite_types.get(name)) {
            (Change::Unexpected, _) => {
                script.destructive(Phase::DropTypes, format!("DROP TYPE {q}"))
            }
            (Change::Missing, Some(t)) => {
                script.push(Phase::Types, format!("CREATE TYPE {q} AS ({})", fields(&t.attributes)))
            }
            (Change::Changed, Some(_)) => script.manual(
                Phase::Types,
                format!("composite type {q}: cannot repair its attributes in place; ALTER TYPE ... ADD/DROP/ALTER ATTRIBUTE by hand"),
            ),
            _ => {}
        },
        ObjectType::Statistics => {
            let create = |st: &Statistics| {
                let kinds = if st.kinds == Statistics::all_kinds() {
                    String::new()
                } else {
                    format!(" ({})", st.kinds.join(", "))
                };
                format!(
                    "CREATE STATISTICS {q}{kinds} ON {} FROM {}",
                    super::idents(&st.columns),
                    qualified(schema, &st.table)
                )
            };
            match (change, e.statistics.get(name)) {
                (Change::Unexpected, _) => {
                    script.destructive(Phase::DropItems, format!("DROP STATISTICS {q}"))
                }
                (Change::Missing, Some(st)) => script.push(Phase::Keys, create(st)),
                (Change::Changed, Some(st)) => {
                    script.push(Phase::DropItems, format!("DROP STATISTICS {q}"));
                    script.push(Phase::Keys, create(st));
                }
                _ => {}
            }
        }
        ObjectType::ForeignTable => match change {
            Change::Unexpected => {
                script.destructive(Phase::DropTables, format!("DROP FOREIGN TABLE {q}"))
            }
            _ => script.manual(
                Phase::Tables,
                format!("foreign table {q}: cannot repair; create it (with its server) from your migrations"),
            ),
        },
        _ => {}
    }
}

fn create_collation(q: &str, c: &Collation) -> String {
    let mut options = vec![
        format!("provider = {}", c.provider),
        format!("locale = {}", literal(&c.locale)),
    ];
    if !c.deterministic {
        options.push("deterministic = false".into());
    }
    format!("CREATE COLLATION {q} ({})", options.join(", "))
}

/// `a integer, b text`.
fn fields(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| format!("{} {}", quote_ident(&f.name), f.data_type))
        .collect::<Vec<_>>()
        .join(", ")
}

fn create_view(script: &mut Script, q: &str, v: &View) {
    match &v.definition {
        Some(def) => script.push(
            Phase::Views,
            format!(
                "CREATE {}VIEW {q} AS\n{}",
                if v.materialized { "MATERIALIZED " } else { "" },
                def.trim().trim_end_matches(';')
            ),
        ),
        None => script.manual(
            Phase::Views,
            format!("view {q}: its definition is not in the expected file; create it from your migrations"),
        ),
    }
    comment_view(script, q, v);
}

fn comment_view(script: &mut Script, q: &str, v: &View) {
    script.push(
        Phase::Comments,
        format!(
            "COMMENT ON {}VIEW {q} IS {}",
            if v.materialized { "MATERIALIZED " } else { "" },
            v.comment.as_deref().map_or("NULL".into(), literal)
        ),
    );
}

fn create_enum(q: &str, e: &EnumType) -> String {
    let values: Vec<String> = e.values.iter().map(|v| literal(v)).collect();
    format!("CREATE TYPE {q} AS ENUM ({})", values.join(", "))
}

/// Values only added (the actual ones in order within the expected):
/// `ADD VALUE`. Otherwise the type is rebuilt and its columns converted,
/// which fails on rows holding a removed value: destructive.
fn alter_enum(
    script: &mut Script,
    schema: &str,
    name: &str,
    e: &EnumType,
    a: &EnumType,
    actual: &Namespace,
) {
    let q = qualified(schema, name);
    let mut rest = e.values.iter();
    let subsequence = a.values.iter().all(|v| rest.any(|x| x == v));
    if subsequence {
        for (n, v) in e.values.iter().enumerate() {
            if a.values.contains(v) {
                continue;
            }
            let place = match e.values[n + 1..].iter().find(|x| a.values.contains(x)) {
                Some(next) => format!(" BEFORE {}", literal(next)),
                None => String::new(),
            };
            script.push(
                Phase::Types,
                format!("ALTER TYPE {q} ADD VALUE {}{place}", literal(v)),
            );
        }
        return;
    }
    let old = format!("{name}__schemagate_old");
    script.destructive(
        Phase::Types,
        format!("ALTER TYPE {q} RENAME TO {}", quote_ident(&old)),
    );
    script.destructive(Phase::Types, create_enum(&q, e));
    let spellings = [name.to_string(), q.clone(), quote_ident(name)];
    for (tname, t) in &actual.tables {
        for c in &t.columns {
            let base = c.data_type.trim_end_matches("[]");
            if !spellings.iter().any(|s| s == base) {
                continue;
            }
            let array = if c.data_type.ends_with("[]") {
                "[]"
            } else {
                ""
            };
            let alter = format!(
                "ALTER TABLE {} ALTER COLUMN {}",
                qualified(schema, tname),
                quote_ident(&c.name)
            );
            if c.default.is_some() {
                script.destructive(Phase::Types, format!("{alter} DROP DEFAULT"));
            }
            script.destructive(
                Phase::Types,
                format!(
                    "{alter} TYPE {q}{array} USING {}::text{array}::{q}{array}",
                    quote_ident(&c.name)
                ),
            );
            if let Some(d) = &c.default {
                let d = d.replace(&format!("::{old}"), &format!("::{name}"));
                script.destructive(Phase::Types, format!("{alter} SET DEFAULT {d}"));
            }
        }
    }
    script.destructive(
        Phase::Types,
        format!("DROP TYPE {}", qualified(schema, &old)),
    );
}

fn sequence_options(s: &Sequence, alter: bool) -> String {
    let mut sql = format!(
        " AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} {} {} CACHE {}",
        s.data_type,
        s.increment,
        s.min_value,
        s.max_value,
        if alter { "RESTART WITH" } else { "START WITH" },
        s.start,
        s.cache
    );
    sql.push_str(if s.cycle { " CYCLE" } else { " NO CYCLE" });
    sql
}
