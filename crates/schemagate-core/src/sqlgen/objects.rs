//! Objects named in a schema: tables as a whole, views, sequences, enum
//! and composite types, domains, functions and procedures, extensions,
//! collations, extended statistics and foreign tables.

use super::functions::{function, routine_target};
use super::{
    alter_options, collation_name, comment_on, literal, option_list, qualified, table, Phase,
    Script,
};
use crate::canon::{canonical_query, canonical_type};
use crate::diff::{Change, ObjectType};
use crate::model::*;

/// Everything a missing schema holds.
pub(super) fn create_namespace(script: &mut Script, schema: &str, ns: &Namespace) {
    let empty = Namespace::default();
    // Every field by name: a new kind must be placed here.
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
    let kinds = [
        (ObjectType::Extension, extensions.keys().collect::<Vec<_>>()),
        (ObjectType::Collation, collations.keys().collect()),
        (ObjectType::Enum, enums.keys().collect()),
        (ObjectType::CompositeType, composite_types.keys().collect()),
        (ObjectType::Domain, domains.keys().collect()),
        (ObjectType::Sequence, sequences.keys().collect()),
        (ObjectType::Function, functions.keys().collect()),
        (ObjectType::Table, tables.keys().collect()),
        (ObjectType::View, views.keys().collect()),
        (ObjectType::Statistics, statistics.keys().collect()),
        (ObjectType::ForeignTable, foreign_tables.keys().collect()),
    ];
    for (kind, names) in kinds {
        for name in names {
            named(script, schema, kind, name, Change::Missing, ns, &empty);
        }
    }
}

/// `COMMENT ON` a sequence, enum, domain or function that is missing with
/// a comment, or whose comment differs.
fn comment_named(
    script: &mut Script,
    schema: &str,
    kind: ObjectType,
    name: &str,
    change: Change,
    e: &Namespace,
    a: &Namespace,
) {
    let q = qualified(schema, name);
    let (target, ec, ac) = match kind {
        ObjectType::Sequence => (
            format!("SEQUENCE {q}"),
            e.sequences.get(name).map(|x| &x.comment),
            a.sequences.get(name).map(|x| &x.comment),
        ),
        ObjectType::Enum => (
            format!("TYPE {q}"),
            e.enums.get(name).map(|x| &x.comment),
            a.enums.get(name).map(|x| &x.comment),
        ),
        ObjectType::Domain => (
            format!("DOMAIN {q}"),
            e.domains.get(name).map(|x| &x.comment),
            a.domains.get(name).map(|x| &x.comment),
        ),
        ObjectType::Function => (
            routine_target(schema, name),
            e.functions.get(name).map(|x| &x.comment),
            a.functions.get(name).map(|x| &x.comment),
        ),
        _ => return,
    };
    let Some(ec) = ec else { return };
    let push = match change {
        Change::Missing => ec.is_some(),
        Change::Changed => Some(ec) != ac,
        Change::Unexpected => false,
    };
    if push {
        script.push(Phase::Comments, comment_on(&target, ec));
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
    comment_named(script, schema, kind, name, change, e, a);
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
                        view_columns(script, &q, ev, Some(av));
                        let target = format!(
                            "{}VIEW {q}",
                            if ev.materialized { "MATERIALIZED " } else { "" }
                        );
                        alter_options(script, Phase::Views, &target, &ev.options, &av.options);
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
                script.push(Phase::Types, format!("CREATE SEQUENCE {q}{}", sequence_options(s)))
            }
            (Change::Changed, Some(s)) => {
                script.push(Phase::Types, format!("ALTER SEQUENCE {q}{}", sequence_options(s)))
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
                if let Some(c) = &d.collation {
                    sql.push_str(&format!(" COLLATE {}", collation_name(c)));
                }
                if let Some(def) = &d.default {
                    sql.push_str(&format!(" DEFAULT {def}"));
                }
                if !d.nullable {
                    sql.push_str(" NOT NULL");
                }
                // NOT VALID and comments only by ALTER DOMAIN / COMMENT ON.
                for c in d.checks.iter().filter(|c| c.validated) {
                    sql.push_str(&format!(" {}", domain_check(c)));
                }
                script.push(Phase::Types, sql);
                for c in &d.checks {
                    if c.validated {
                        domain_check_comment(script, &q, c);
                    } else {
                        add_domain_check(script, &q, c);
                    }
                }
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
                    || d.collation != ad.collation
                {
                    script.manual(
                        Phase::Types,
                        format!("domain {q}: its type or collation differs; recreate it by hand"),
                    );
                } else {
                    alter_domain_checks(script, &q, d, ad);
                }
            }
            _ => {}
        },
        ObjectType::Function => {
            function(script, schema, name, change, e.functions.get(name), a.functions.get(name))
        }
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
            (Change::Missing, Some(c)) => {
                script.push(Phase::Types, create_collation(&q, c));
                if c.comment.is_some() {
                    script.push(Phase::Comments, comment_on(&format!("COLLATION {q}"), &c.comment));
                }
            }
            (Change::Changed, Some(c)) => match a.collations.get(name) {
                // Only the comment differs.
                Some(ac)
                    if Collation {
                        line: c.line,
                        comment: c.comment.clone(),
                        ..ac.clone()
                    } == *c =>
                {
                    script.push(Phase::Comments, comment_on(&format!("COLLATION {q}"), &c.comment))
                }
                _ => script.manual(
                    Phase::Types,
                    format!("collation {q}: cannot repair in place; it is used by columns, recreate it by hand"),
                ),
            },
            _ => {}
        },
        ObjectType::CompositeType => match (change, e.composite_types.get(name)) {
            (Change::Unexpected, _) => {
                script.destructive(Phase::DropTypes, format!("DROP TYPE {q}"))
            }
            (Change::Missing, Some(t)) => {
                script.push(Phase::Types, format!("CREATE TYPE {q} AS ({})", fields(&t.attributes)));
                if t.comment.is_some() {
                    script.push(Phase::Comments, comment_on(&format!("TYPE {q}"), &t.comment));
                }
            }
            (Change::Changed, Some(t)) => {
                if let Some(at) = a.composite_types.get(name) {
                    alter_composite(script, &q, t, at);
                    if t.comment != at.comment {
                        script.push(Phase::Comments, comment_on(&format!("TYPE {q}"), &t.comment));
                    }
                }
            }
            _ => {}
        },
        ObjectType::Statistics => {
            let create = |st: &Statistics| {
                // No kind list: all kinds, or (on one expression) the
                // only form the server accepts.
                let kinds = if st.kinds == Statistics::all_kinds() || st.kinds.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", st.kinds.join(", "))
                };
                let mut targets: Vec<String> = Vec::new();
                if !st.columns.is_empty() {
                    targets.push(super::idents(&st.columns));
                }
                targets.extend(st.expressions.iter().map(|e| format!("({})", e.trim())));
                format!(
                    "CREATE STATISTICS {q}{kinds} ON {} FROM {}",
                    targets.join(", "),
                    qualified(schema, &st.table)
                )
            };
            match (change, e.statistics.get(name)) {
                (Change::Unexpected, _) => {
                    script.destructive(Phase::DropItems, format!("DROP STATISTICS {q}"))
                }
                (Change::Missing, Some(st)) => {
                    script.push(Phase::Keys, create(st));
                    if let Some(t) = st.target {
                        script.push(Phase::Keys, format!("ALTER STATISTICS {q} SET STATISTICS {t}"));
                    }
                    if st.comment.is_some() {
                        script.push(Phase::Comments, comment_on(&format!("STATISTICS {q}"), &st.comment));
                    }
                }
                (Change::Changed, Some(st)) => {
                    let only_target = a.statistics.get(name).is_some_and(|s| {
                        s.table == st.table
                            && s.kinds == st.kinds
                            && s.columns == st.columns
                            && s.expressions.len() == st.expressions.len()
                            && s.expressions
                                .iter()
                                .zip(&st.expressions)
                                .all(|(x, y)| crate::canon::same_expr(x, y))
                    });
                    let actual = a.statistics.get(name);
                    if only_target {
                        // Only the target or the comment differs.
                        if actual.is_some_and(|s| s.target != st.target) {
                            script.push(
                                Phase::Keys,
                                format!("ALTER STATISTICS {q} SET STATISTICS {}", st.target.unwrap_or(-1)),
                            );
                        }
                        if actual.is_some_and(|s| s.comment != st.comment) {
                            script.push(Phase::Comments, comment_on(&format!("STATISTICS {q}"), &st.comment));
                        }
                    } else {
                        script.push(Phase::DropItems, format!("DROP STATISTICS {q}"));
                        script.push(Phase::Keys, create(st));
                        if let Some(t) = st.target {
                            script.push(Phase::Keys, format!("ALTER STATISTICS {q} SET STATISTICS {t}"));
                        }
                        if st.comment.is_some() {
                            script.push(Phase::Comments, comment_on(&format!("STATISTICS {q}"), &st.comment));
                        }
                    }
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
        .map(|f| format!("{} {}", quote_ident(&f.name), f.written_type(&f.data_type)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn create_view(script: &mut Script, q: &str, v: &View) {
    match &v.definition {
        Some(def) => script.push(
            Phase::Views,
            format!(
                "CREATE {}VIEW {q}{} AS\n{}",
                if v.materialized { "MATERIALIZED " } else { "" },
                if v.options.is_empty() {
                    String::new()
                } else {
                    format!(" WITH ({})", option_list(&v.options))
                },
                def.trim().trim_end_matches(';')
            ),
        ),
        None => script.manual(
            Phase::Views,
            format!("view {q}: its definition is not in the expected file; create it from your migrations"),
        ),
    }
    comment_view(script, q, v);
    view_columns(script, q, v, None);
}

/// A view's column comments and defaults that `actual` lacks or has
/// otherwise (all of them for a view just created).
fn view_columns(script: &mut Script, q: &str, v: &View, actual: Option<&View>) {
    let none = ViewColumn::default();
    let names: std::collections::BTreeSet<&String> = v
        .columns
        .keys()
        .chain(actual.map(|a| a.columns.keys()).into_iter().flatten())
        .collect();
    for name in names {
        let e = v.columns.get(name).unwrap_or(&none);
        let a = actual.and_then(|a| a.columns.get(name)).unwrap_or(&none);
        let qc = quote_ident(name);
        if e.comment != a.comment {
            script.push(
                Phase::Comments,
                format!(
                    "COMMENT ON COLUMN {q}.{qc} IS {}",
                    e.comment.as_deref().map_or("NULL".into(), literal)
                ),
            );
        }
        let same_default = match (&e.default, &a.default) {
            (Some(x), Some(y)) => crate::canon::same_expr(x, y),
            (None, None) => true,
            _ => false,
        };
        if !same_default {
            script.push(
                Phase::Views,
                match &e.default {
                    Some(d) => format!("ALTER VIEW {q} ALTER COLUMN {qc} SET DEFAULT {d}"),
                    None => format!("ALTER VIEW {q} ALTER COLUMN {qc} DROP DEFAULT"),
                },
            );
        }
    }
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
    if e.comment.is_some() {
        // The new type has none: the old one's goes with it.
        script.destructive(
            Phase::Comments,
            comment_on(&format!("TYPE {q}"), &e.comment),
        );
    }
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

/// `AS t INCREMENT BY ... START WITH ... CACHE ... [NO] CYCLE`. Altering
/// uses START WITH too: RESTART would move the counter back to the start
/// and hand out numbers already used.
fn sequence_options(s: &Sequence) -> String {
    let mut sql = format!(
        " AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {}",
        s.data_type, s.increment, s.min_value, s.max_value, s.start, s.cache
    );
    sql.push_str(if s.cycle { " CYCLE" } else { " NO CYCLE" });
    sql
}

/// `ALTER TYPE ... DROP / ADD / ALTER ATTRIBUTE`, when that gives the
/// expected order (attributes only added at the end); otherwise a comment.
fn alter_composite(script: &mut Script, q: &str, e: &CompositeType, a: &CompositeType) {
    let find = |fields: &[Field], n: &str| fields.iter().find(|f| f.name == n).cloned();
    let kept: Vec<&Field> = a
        .attributes
        .iter()
        .filter(|f| find(&e.attributes, &f.name).is_some())
        .collect();
    let order: Vec<&str> = kept
        .iter()
        .map(|f| f.name.as_str())
        .chain(
            e.attributes
                .iter()
                .filter(|f| find(&a.attributes, &f.name).is_none())
                .map(|f| f.name.as_str()),
        )
        .collect();
    let wanted: Vec<&str> = e.attributes.iter().map(|f| f.name.as_str()).collect();
    if order != wanted {
        script.manual(
            Phase::Types,
            format!("composite type {q}: its attributes are in another order; recreate it by hand"),
        );
        return;
    }
    for f in &a.attributes {
        match find(&e.attributes, &f.name) {
            None => script.destructive(
                Phase::Types,
                format!("ALTER TYPE {q} DROP ATTRIBUTE {}", quote_ident(&f.name)),
            ),
            Some(ef) if canonical_type(&ef.data_type) != canonical_type(&f.data_type) => script
                .destructive(
                    Phase::Types,
                    format!(
                        "ALTER TYPE {q} ALTER ATTRIBUTE {} TYPE {}",
                        quote_ident(&f.name),
                        ef.written_type(&ef.data_type)
                    ),
                ),
            // The same type in another collation: no value changes.
            Some(ef)
                if ef.collation.as_deref().map(canonical_collation)
                    != f.collation.as_deref().map(canonical_collation) =>
            {
                let collation = ef.collation.as_deref().unwrap_or("\"default\"");
                script.push(
                    Phase::Types,
                    format!(
                        "ALTER TYPE {q} ALTER ATTRIBUTE {} TYPE {} COLLATE {collation}",
                        quote_ident(&f.name),
                        ef.data_type
                    ),
                )
            }
            Some(_) => {}
        }
    }
    for f in e
        .attributes
        .iter()
        .filter(|f| find(&a.attributes, &f.name).is_none())
    {
        script.push(
            Phase::Types,
            format!(
                "ALTER TYPE {q} ADD ATTRIBUTE {} {}",
                quote_ident(&f.name),
                f.written_type(&f.data_type)
            ),
        );
    }
}

/// `[CONSTRAINT name] CHECK (expression) [NOT VALID]`.
fn domain_check(c: &Check) -> String {
    let mut sql = String::new();
    if let Some(n) = &c.name {
        sql.push_str(&format!("CONSTRAINT {} ", quote_ident(n)));
    }
    sql.push_str(&format!("CHECK ({})", c.expression));
    if !c.validated {
        sql.push_str(" NOT VALID");
    }
    sql
}

/// `ALTER DOMAIN ... ADD [CONSTRAINT name] CHECK (...) [NOT VALID]`, and
/// its comment.
fn add_domain_check(script: &mut Script, q: &str, c: &Check) {
    script.push(
        Phase::Types,
        format!("ALTER DOMAIN {q} ADD {}", domain_check(c)),
    );
    domain_check_comment(script, q, c);
}

/// `COMMENT ON CONSTRAINT name ON DOMAIN ...`, for a named check with a
/// comment.
fn domain_check_comment(script: &mut Script, q: &str, c: &Check) {
    if let (Some(com), Some(n)) = (&c.comment, &c.name) {
        script.push(
            Phase::Comments,
            comment_on(
                &format!("CONSTRAINT {} ON DOMAIN {q}", quote_ident(n)),
                &Some(com.clone()),
            ),
        );
    }
}

/// A domain's checks brought to the expected ones, paired by expression:
/// an unpaired actual one dropped, an unpaired expected one added, a NOT
/// VALID one validated, a name or comment set in place.
fn alter_domain_checks(script: &mut Script, q: &str, d: &Domain, ad: &Domain) {
    let (pairs, missing, unexpected) = crate::diff::pair_domain_checks(&d.checks, &ad.checks);
    let drop = |script: &mut Script, c: &Check| match &c.name {
        Some(n) => script.push(
            Phase::DropItems,
            format!("ALTER DOMAIN {q} DROP CONSTRAINT {}", quote_ident(n)),
        ),
        None => script.manual(
            Phase::Types,
            format!("domain {q}: drop its check ({}) by hand", c.expression),
        ),
    };
    for j in unexpected {
        drop(script, &ad.checks[j]);
    }
    for i in missing {
        add_domain_check(script, q, &d.checks[i]);
    }
    for (i, j) in pairs {
        let (e, a) = (&d.checks[i], &ad.checks[j]);
        let Some(actual_name) = a.name.clone() else {
            continue;
        };
        if e.validated != a.validated {
            if e.validated {
                script.push(
                    Phase::Keys,
                    format!(
                        "ALTER DOMAIN {q} VALIDATE CONSTRAINT {}",
                        quote_ident(&actual_name)
                    ),
                );
            } else {
                // Valid where the file says NOT VALID: add it again so.
                drop(script, a);
                let mut e = e.clone();
                e.name = e.name.or(Some(actual_name.clone()));
                add_domain_check(script, q, &e);
                continue;
            }
        }
        let name = match &e.name {
            Some(n) if *n != actual_name => {
                script.push(
                    Phase::Types,
                    format!(
                        "ALTER DOMAIN {q} RENAME CONSTRAINT {} TO {}",
                        quote_ident(&actual_name),
                        quote_ident(n)
                    ),
                );
                n.clone()
            }
            _ => actual_name,
        };
        if e.comment != a.comment {
            script.push(
                Phase::Comments,
                comment_on(
                    &format!("CONSTRAINT {} ON DOMAIN {q}", quote_ident(&name)),
                    &e.comment,
                ),
            );
        }
    }
}
