//! Compares an expected schema with an actual one: `diff(&expected, &actual)`.
//!
//! Pure and deterministic: mismatches come out sorted by object, then by
//! kind and attribute. Types and expressions are compared in their canonical
//! forms (`normalize`), constraints and indexes by structure; a name counts
//! only when the expected side gives one.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::canon::{canonical_expr, canonical_query, same_expr, same_type};
use crate::model::*;

/// How an object differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// Declared in the expected schema, absent from the database.
    Missing,
    /// Present in the database, not declared.
    Unexpected,
    /// Present in both, with an attribute that differs.
    Changed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Missing => "missing",
            Change::Unexpected => "unexpected",
            Change::Changed => "changed",
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of object a mismatch is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectType {
    Schema,
    Table,
    Column,
    PrimaryKey,
    Unique,
    Check,
    ForeignKey,
    Index,
    Trigger,
    Policy,
    View,
    Sequence,
    Enum,
    Domain,
    Function,
}

impl ObjectType {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectType::Schema => "schema",
            ObjectType::Table => "table",
            ObjectType::Column => "column",
            ObjectType::PrimaryKey => "primary_key",
            ObjectType::Unique => "unique",
            ObjectType::Check => "check",
            ObjectType::ForeignKey => "foreign_key",
            ObjectType::Index => "index",
            ObjectType::Trigger => "trigger",
            ObjectType::Policy => "policy",
            ObjectType::View => "view",
            ObjectType::Sequence => "sequence",
            ObjectType::Enum => "enum",
            ObjectType::Domain => "domain",
            ObjectType::Function => "function",
        }
    }
}

impl fmt::Display for ObjectType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One difference between the expected and the actual schema.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mismatch {
    /// Qualified, SQL-quoted where needed: `public.users.email`.
    pub object: String,
    pub object_type: ObjectType,
    pub change: Change,
    /// For `changed`: which attribute (`type`, `nullable`, `default`, `on_delete`, ...).
    pub attribute: Option<String>,
    pub expected: Option<String>,
    pub actual: Option<String>,
    /// Line in the expected file of the object, or of its table for `unexpected`.
    pub line: Line,
    /// The table the object belongs to, if any (for grouping in reports).
    pub table: Option<QualifiedName>,
    /// Unquoted name parts, for `ignore` globs.
    pub path: Vec<String>,
}

/// Compares `expected` with `actual` and returns every mismatch, sorted.
/// Objects matching an `ignore` glob of the expected schema are left out.
pub fn diff(expected: &Schema, actual: &Schema) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let names: BTreeSet<&String> = expected
        .schemas
        .keys()
        .chain(actual.schemas.keys())
        .collect();
    for name in names {
        let exp = expected.schemas.get(name);
        let act = actual.schemas.get(name);
        let at = Scope {
            schema: name,
            table: None,
            line: exp.and_then(|n| n.line),
        };
        match (exp, act) {
            (Some(e), Some(a)) => diff_namespace(name, e, a, &mut out),
            (Some(e), None) => at.push_simple(
                &mut out,
                ObjectType::Schema,
                vec![name.clone()],
                Change::Missing,
                e.line,
            ),
            (None, Some(a)) => {
                if !is_empty(a) {
                    at.push_simple(
                        &mut out,
                        ObjectType::Schema,
                        vec![name.clone()],
                        Change::Unexpected,
                        None,
                    );
                }
            }
            (None, None) => {}
        }
    }
    out.retain(|m| !is_ignored(&expected.ignore, &m.path));
    out.sort();
    out
}

fn is_empty(ns: &Namespace) -> bool {
    ns.tables.is_empty()
        && ns.views.is_empty()
        && ns.sequences.is_empty()
        && ns.enums.is_empty()
        && ns.domains.is_empty()
        && ns.functions.is_empty()
}

/// Where mismatches are being reported: which schema, which table.
struct Scope<'a> {
    schema: &'a str,
    table: Option<&'a str>,
    /// Line of the enclosing expected object, for `unexpected` children.
    line: Line,
}

impl Scope<'_> {
    fn object(&self, path: &[String]) -> String {
        path.iter()
            .map(|p| quote_ident(p))
            .collect::<Vec<_>>()
            .join(".")
    }

    fn table_name(&self) -> Option<QualifiedName> {
        self.table.map(|t| QualifiedName::new(self.schema, t))
    }

    fn push_simple(
        &self,
        out: &mut Vec<Mismatch>,
        object_type: ObjectType,
        path: Vec<String>,
        change: Change,
        line: Line,
    ) {
        let (expected, actual) = match change {
            Change::Missing => (Some("present".to_string()), None),
            _ => (None, Some("present".to_string())),
        };
        out.push(Mismatch {
            object: self.object(&path),
            object_type,
            change,
            attribute: None,
            expected,
            actual,
            line: line.or(self.line),
            table: self.table_name(),
            path,
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &self,
        out: &mut Vec<Mismatch>,
        object_type: ObjectType,
        object: String,
        path: Vec<String>,
        change: Change,
        attribute: Option<&str>,
        expected: Option<String>,
        actual: Option<String>,
        line: Line,
    ) {
        out.push(Mismatch {
            object,
            object_type,
            change,
            attribute: attribute.map(str::to_string),
            expected,
            actual,
            line: line.or(self.line),
            table: self.table_name(),
            path,
        });
    }
}

fn diff_namespace(schema: &str, exp: &Namespace, act: &Namespace, out: &mut Vec<Mismatch>) {
    let scope = Scope {
        schema,
        table: None,
        line: exp.line,
    };
    diff_map(
        &scope,
        out,
        ObjectType::Table,
        &exp.tables,
        &act.tables,
        |t| t.line,
        |name, e, a, out| {
            let scope = Scope {
                schema,
                table: Some(name),
                line: e.line,
            };
            diff_table(&scope, e, a, out)
        },
    );
    diff_map(
        &scope,
        out,
        ObjectType::View,
        &exp.views,
        &act.views,
        |v| v.line,
        |name, e, a, out| {
            let path = vec![schema.to_string(), name.to_string()];
            let attrs = [
                attr("materialized", e.materialized, a.materialized),
                // A view's query is compared only when the file gives one.
                match (&e.definition, &a.definition) {
                    (Some(ed), Some(ad)) => (ed != ad
                        && canonical_query(ed) != canonical_query(ad))
                    .then(|| ("definition", Some(ed.clone()), Some(ad.clone()))),
                    (Some(ed), None) => Some(("definition", Some(ed.clone()), None)),
                    _ => None,
                },
                attr_opt_text("comment", &e.comment, &a.comment),
            ];
            push_attrs(&scope, out, ObjectType::View, &path, e.line, attrs);
        },
    );
    diff_map(
        &scope,
        out,
        ObjectType::Sequence,
        &exp.sequences,
        &act.sequences,
        |s| s.line,
        |name, e, a, out| {
            let path = vec![schema.to_string(), name.to_string()];
            let attrs = [
                attr_type("type", &e.data_type, &a.data_type),
                attr("start", e.start, a.start),
                attr("increment", e.increment, a.increment),
                attr("min_value", e.min_value, a.min_value),
                attr("max_value", e.max_value, a.max_value),
                attr("cache", e.cache, a.cache),
                attr("cycle", e.cycle, a.cycle),
            ];
            push_attrs(&scope, out, ObjectType::Sequence, &path, e.line, attrs);
        },
    );
    diff_map(
        &scope,
        out,
        ObjectType::Enum,
        &exp.enums,
        &act.enums,
        |e| e.line,
        |name, e, a, out| {
            let path = vec![schema.to_string(), name.to_string()];
            let attrs = [attr_list("values", &e.values, &a.values)];
            push_attrs(&scope, out, ObjectType::Enum, &path, e.line, attrs);
        },
    );
    diff_map(
        &scope,
        out,
        ObjectType::Domain,
        &exp.domains,
        &act.domains,
        |d| d.line,
        |name, e, a, out| {
            let path = vec![schema.to_string(), name.to_string()];
            let e_checks: Vec<String> =
                sorted(e.checks.iter().map(|c| canonical_expr(&c.expression)));
            let a_checks: Vec<String> =
                sorted(a.checks.iter().map(|c| canonical_expr(&c.expression)));
            let attrs = [
                attr_type("type", &e.data_type, &a.data_type),
                attr("nullable", e.nullable, a.nullable),
                attr_opt_expr("default", &e.default, &a.default, true),
                (e_checks != a_checks).then(|| {
                    (
                        "checks",
                        Some(
                            e.checks
                                .iter()
                                .map(|c| c.expression.as_str())
                                .collect::<Vec<_>>()
                                .join("; "),
                        ),
                        Some(
                            a.checks
                                .iter()
                                .map(|c| c.expression.as_str())
                                .collect::<Vec<_>>()
                                .join("; "),
                        ),
                    )
                }),
            ];
            push_attrs(&scope, out, ObjectType::Domain, &path, e.line, attrs);
        },
    );
    diff_map(
        &scope,
        out,
        ObjectType::Function,
        &exp.functions,
        &act.functions,
        |f| f.line,
        |name, e, a, out| {
            let path = vec![schema.to_string(), name.to_string()];
            let attrs = [
                attr_type("returns", &e.returns, &a.returns),
                attr(
                    "language",
                    e.language.to_lowercase(),
                    a.language.to_lowercase(),
                ),
            ];
            push_attrs(&scope, out, ObjectType::Function, &path, e.line, attrs);
        },
    );
}

/// Diffs two maps of named objects: missing, unexpected, and `both` for pairs.
#[allow(clippy::too_many_arguments)]
fn diff_map<T>(
    scope: &Scope,
    out: &mut Vec<Mismatch>,
    object_type: ObjectType,
    expected: &BTreeMap<String, T>,
    actual: &BTreeMap<String, T>,
    line: impl Fn(&T) -> Line,
    mut both: impl FnMut(&str, &T, &T, &mut Vec<Mismatch>),
) {
    for (name, e) in expected {
        match actual.get(name) {
            Some(a) => both(name, e, a, out),
            None => {
                let path = vec![scope.schema.to_string(), name.clone()];
                scope.push_simple(out, object_type, path, Change::Missing, line(e))
            }
        }
    }
    for name in actual.keys().filter(|n| !expected.contains_key(*n)) {
        let path = vec![scope.schema.to_string(), name.clone()];
        scope.push_simple(out, object_type, path, Change::Unexpected, None);
    }
}

/// A differing attribute: name, expected rendering, actual rendering.
type Attr = Option<(&'static str, Option<String>, Option<String>)>;

fn attr<T: PartialEq + ToString>(name: &'static str, expected: T, actual: T) -> Attr {
    (expected != actual).then(|| (name, Some(expected.to_string()), Some(actual.to_string())))
}

/// Compares type names in canonical form, reports them as written.
fn attr_type(name: &'static str, e: &str, a: &str) -> Attr {
    (!same_type(e, a)).then(|| (name, Some(e.to_string()), Some(a.to_string())))
}

/// Compares expressions in canonical form, reports them as written.
fn attr_expr(name: &'static str, e: &str, a: &str) -> Attr {
    (!same_expr(e, a)).then(|| (name, Some(e.to_string()), Some(a.to_string())))
}

fn attr_opt_expr(
    name: &'static str,
    e: &Option<String>,
    a: &Option<String>,
    compare: bool,
) -> Attr {
    if !compare {
        return None;
    }
    let same = match (e, a) {
        (Some(e), Some(a)) => same_expr(e, a),
        (None, None) => true,
        _ => false,
    };
    (!same).then(|| (name, e.clone(), a.clone()))
}

fn attr_opt_text(name: &'static str, e: &Option<String>, a: &Option<String>) -> Attr {
    (e != a).then(|| (name, e.clone(), a.clone()))
}

fn attr_list(name: &'static str, e: &[String], a: &[String]) -> Attr {
    (e != a).then(|| (name, Some(e.join(", ")), Some(a.join(", "))))
}

fn push_attrs<const N: usize>(
    scope: &Scope,
    out: &mut Vec<Mismatch>,
    object_type: ObjectType,
    path: &[String],
    line: Line,
    attrs: [Attr; N],
) {
    for (attribute, expected, actual) in attrs.into_iter().flatten() {
        scope.push(
            out,
            object_type,
            scope.object(path),
            path.to_vec(),
            Change::Changed,
            Some(attribute),
            expected,
            actual,
            line,
        );
    }
}

fn sorted(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = items.collect();
    v.sort();
    v
}

fn diff_table(scope: &Scope, e: &Table, a: &Table, out: &mut Vec<Mismatch>) {
    let table_path = vec![
        scope.schema.to_string(),
        scope.table.unwrap_or_default().to_string(),
    ];
    let attrs = [
        attr_opt_text("comment", &e.comment, &a.comment),
        attr_opt_text("partition_by", &e.partition_by, &a.partition_by),
        attr_opt_text(
            "partition_of",
            &e.partition_of.as_ref().map(render_partition_of),
            &a.partition_of.as_ref().map(render_partition_of),
        ),
        attr("row_level_security", e.rls_enabled, a.rls_enabled),
        attr("force_row_level_security", e.rls_forced, a.rls_forced),
    ];
    push_attrs(scope, out, ObjectType::Table, &table_path, e.line, attrs);

    diff_columns(scope, &table_path, e, a, out);

    // Primary key.
    match (&e.primary_key, &a.primary_key) {
        (Some(pe), Some(pa)) => {
            let object = constraint_object(
                scope,
                &table_path,
                pe.name.as_deref().or(pa.name.as_deref()),
                &pe.columns,
            );
            let attrs = [
                attr_list("columns", &pe.columns, &pa.columns),
                name_attr(&pe.name, &pa.name),
            ];
            push_attrs_at(
                scope,
                out,
                ObjectType::PrimaryKey,
                object,
                &table_path,
                pe.line,
                attrs,
            );
        }
        (Some(pe), None) => push_whole(
            scope,
            out,
            ObjectType::PrimaryKey,
            &table_path,
            Change::Missing,
            pe.name.as_deref(),
            &pe.columns,
            render_pk(pe),
            pe.line,
        ),
        (None, Some(pa)) => push_whole(
            scope,
            out,
            ObjectType::PrimaryKey,
            &table_path,
            Change::Unexpected,
            pa.name.as_deref(),
            &pa.columns,
            render_pk(pa),
            None,
        ),
        (None, None) => {}
    }

    diff_list(
        scope,
        out,
        &table_path,
        ObjectType::Unique,
        &e.uniques,
        &a.uniques,
        &UniqueKind,
    );
    diff_list(
        scope,
        out,
        &table_path,
        ObjectType::Check,
        &e.checks,
        &a.checks,
        &CheckKind,
    );
    diff_list(
        scope,
        out,
        &table_path,
        ObjectType::ForeignKey,
        &e.foreign_keys,
        &a.foreign_keys,
        &ForeignKeyKind,
    );
    diff_list(
        scope,
        out,
        &table_path,
        ObjectType::Index,
        &e.indexes,
        &a.indexes,
        &IndexKind,
    );
    diff_list(
        scope,
        out,
        &table_path,
        ObjectType::Trigger,
        &e.triggers,
        &a.triggers,
        &TriggerKind,
    );
    diff_list(
        scope,
        out,
        &table_path,
        ObjectType::Policy,
        &e.policies,
        &a.policies,
        &PolicyKind,
    );
}

fn render_partition_of(p: &PartitionOf) -> String {
    format!("{} {}", p.parent, p.bound)
}

fn diff_columns(
    scope: &Scope,
    table_path: &[String],
    e: &Table,
    a: &Table,
    out: &mut Vec<Mismatch>,
) {
    let column_path = |name: &str| {
        let mut path = table_path.to_vec();
        path.push(name.to_string());
        path
    };
    for ec in &e.columns {
        let Some(ac) = a.column(&ec.name) else {
            let path = column_path(&ec.name);
            scope.push(
                out,
                ObjectType::Column,
                scope.object(&path),
                path,
                Change::Missing,
                None,
                Some(ec.data_type.clone()),
                None,
                ec.line,
            );
            continue;
        };
        let attrs = [
            attr_type("type", &ec.data_type, &ac.data_type),
            (ec.nullable != ac.nullable).then(|| {
                (
                    "nullable",
                    Some(nullability(ec.nullable)),
                    Some(nullability(ac.nullable)),
                )
            }),
            attr_opt_expr("default", &ec.default, &ac.default, true),
            (ec.identity != ac.identity).then(|| {
                (
                    "identity",
                    ec.identity.map(|i| i.as_str().to_string()),
                    ac.identity.map(|i| i.as_str().to_string()),
                )
            }),
            attr_opt_expr("generated", &ec.generated, &ac.generated, true),
            attr_opt_text("collation", &ec.collation, &ac.collation),
            attr_opt_text("comment", &ec.comment, &ac.comment),
        ];
        if attrs.iter().any(Option::is_some) {
            let path = column_path(&ec.name);
            push_attrs(scope, out, ObjectType::Column, &path, ec.line, attrs);
        }
    }
    for ac in a.columns.iter().filter(|ac| e.column(&ac.name).is_none()) {
        let path = column_path(&ac.name);
        scope.push(
            out,
            ObjectType::Column,
            scope.object(&path),
            path,
            Change::Unexpected,
            None,
            None,
            Some(ac.data_type.clone()),
            None,
        );
    }
}

fn nullability(nullable: bool) -> String {
    if nullable { "null" } else { "not null" }.to_string()
}

fn name_attr(e: &Option<String>, a: &Option<String>) -> Attr {
    match e {
        Some(name) if Some(name) != a.as_ref() => Some(("name", Some(name.clone()), a.clone())),
        _ => None,
    }
}

/// `public.users.users_email_key`, or `public.users(email)` when no name is known.
fn constraint_object(
    scope: &Scope,
    table_path: &[String],
    name: Option<&str>,
    columns: &[String],
) -> String {
    match name {
        Some(n) => {
            let mut path = table_path.to_vec();
            path.push(n.to_string());
            scope.object(&path)
        }
        None => format!(
            "{}({})",
            scope.object(table_path),
            columns
                .iter()
                .map(|c| quote_ident(c))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[allow(clippy::too_many_arguments)]
fn push_whole(
    scope: &Scope,
    out: &mut Vec<Mismatch>,
    object_type: ObjectType,
    table_path: &[String],
    change: Change,
    name: Option<&str>,
    columns: &[String],
    rendered: String,
    line: Line,
) {
    let object = constraint_object(scope, table_path, name, columns);
    let mut path = table_path.to_vec();
    path.push(
        name.map(str::to_string)
            .unwrap_or_else(|| columns.join(",")),
    );
    let (expected, actual) = match change {
        Change::Missing => (Some(rendered), None),
        _ => (None, Some(rendered)),
    };
    scope.push(
        out,
        object_type,
        object,
        path,
        change,
        None,
        expected,
        actual,
        line,
    );
}

fn push_attrs_at<const N: usize>(
    scope: &Scope,
    out: &mut Vec<Mismatch>,
    object_type: ObjectType,
    object: String,
    table_path: &[String],
    line: Line,
    attrs: [Attr; N],
) {
    for (attribute, expected, actual) in attrs.into_iter().flatten() {
        let mut path = table_path.to_vec();
        path.push(object.clone());
        scope.push(
            out,
            object_type,
            object.clone(),
            path,
            Change::Changed,
            Some(attribute),
            expected,
            actual,
            line,
        );
    }
}

fn render_pk(pk: &PrimaryKey) -> String {
    format!("PRIMARY KEY ({})", idents(&pk.columns))
}

fn idents(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| quote_ident(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How one kind of table-level list item (constraint, index, trigger, policy)
/// is identified and compared.
trait ItemKind<T> {
    fn name<'a>(&self, item: &'a T) -> Option<&'a str>;
    fn line(&self, item: &T) -> Line;
    /// Columns (or a description) to name an unnamed item.
    fn columns(&self, item: &T) -> Vec<String>;
    /// The full structure; equal structures are the same object.
    fn structure(&self, item: &T) -> String;
    /// A looser identity: two items with the same key but different
    /// structure are one object that changed, not one missing and one extra.
    fn key(&self, item: &T) -> Option<String>;
    fn render(&self, item: &T) -> String;
    /// Differing attributes of a pair.
    fn attributes(&self, e: &T, a: &T) -> Vec<Attr>;
    /// Items like triggers always have a name, which is their identity.
    fn named_identity(&self) -> bool {
        false
    }
}

#[allow(clippy::too_many_arguments)]
fn diff_list<T, K: ItemKind<T>>(
    scope: &Scope,
    out: &mut Vec<Mismatch>,
    table_path: &[String],
    object_type: ObjectType,
    expected: &[T],
    actual: &[T],
    kind: &K,
) {
    let mut paired_actual = vec![false; actual.len()];
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut unpaired: Vec<usize> = Vec::new();

    // 1. By name, where the expected side gives one.
    for (i, e) in expected.iter().enumerate() {
        let found = kind.name(e).and_then(|n| {
            actual
                .iter()
                .enumerate()
                .position(|(j, a)| !paired_actual[j] && kind.name(a) == Some(n))
        });
        match found {
            Some(j) => {
                paired_actual[j] = true;
                pairs.push((i, j));
            }
            None => unpaired.push(i),
        }
    }
    if !kind.named_identity() {
        // 2. By full structure, then 3. by the looser key.
        for pass in 0..2 {
            let mut still = Vec::new();
            for &i in &unpaired {
                let e = &expected[i];
                let wanted = if pass == 0 {
                    Some(kind.structure(e))
                } else {
                    kind.key(e)
                };
                let found = wanted.and_then(|w| {
                    (0..actual.len()).find(|&j| {
                        !paired_actual[j]
                            && Some(&w)
                                == (if pass == 0 {
                                    Some(kind.structure(&actual[j]))
                                } else {
                                    kind.key(&actual[j])
                                })
                                .as_ref()
                    })
                });
                match found {
                    Some(j) => {
                        paired_actual[j] = true;
                        pairs.push((i, j));
                    }
                    None => still.push(i),
                }
            }
            unpaired = still;
        }
    }

    for (i, j) in pairs {
        let (e, a) = (&expected[i], &actual[j]);
        let mut attrs = kind.attributes(e, a);
        attrs.push(name_attr(
            &kind.name(e).map(str::to_string),
            &kind.name(a).map(str::to_string),
        ));
        if attrs.iter().all(Option::is_none) {
            continue;
        }
        let object = constraint_object(
            scope,
            table_path,
            kind.name(e).or(kind.name(a)),
            &kind.columns(e),
        );
        for (attribute, ev, av) in attrs.into_iter().flatten() {
            let mut path = table_path.to_vec();
            path.push(
                kind.name(e)
                    .or(kind.name(a))
                    .unwrap_or_default()
                    .to_string(),
            );
            scope.push(
                out,
                object_type,
                object.clone(),
                path,
                Change::Changed,
                Some(attribute),
                ev,
                av,
                kind.line(e),
            );
        }
    }
    for i in unpaired {
        let e = &expected[i];
        push_whole(
            scope,
            out,
            object_type,
            table_path,
            Change::Missing,
            kind.name(e),
            &kind.columns(e),
            kind.render(e),
            kind.line(e),
        );
    }
    for (_, a) in actual
        .iter()
        .enumerate()
        .filter(|(j, _)| !paired_actual[*j])
    {
        push_whole(
            scope,
            out,
            object_type,
            table_path,
            Change::Unexpected,
            kind.name(a),
            &kind.columns(a),
            kind.render(a),
            None,
        );
    }
}

struct UniqueKind;
impl ItemKind<Unique> for UniqueKind {
    fn name<'a>(&self, u: &'a Unique) -> Option<&'a str> {
        u.name.as_deref()
    }
    fn line(&self, u: &Unique) -> Line {
        u.line
    }
    fn columns(&self, u: &Unique) -> Vec<String> {
        u.columns.clone()
    }
    fn structure(&self, u: &Unique) -> String {
        format!(
            "{:?}|{}|{:?}",
            u.columns, u.nulls_not_distinct, u.deferrable
        )
    }
    fn key(&self, u: &Unique) -> Option<String> {
        Some(format!("{:?}", u.columns))
    }
    fn render(&self, u: &Unique) -> String {
        let mut s = format!("UNIQUE ({})", idents(&u.columns));
        if u.nulls_not_distinct {
            s = format!("UNIQUE NULLS NOT DISTINCT ({})", idents(&u.columns));
        }
        if u.deferrable != Deferrable::No {
            s.push(' ');
            s.push_str(&u.deferrable.as_str().to_uppercase());
        }
        s
    }
    fn attributes(&self, e: &Unique, a: &Unique) -> Vec<Attr> {
        vec![
            attr_list("columns", &e.columns, &a.columns),
            attr(
                "nulls_not_distinct",
                e.nulls_not_distinct,
                a.nulls_not_distinct,
            ),
            attr("deferrable", e.deferrable.as_str(), a.deferrable.as_str()),
        ]
    }
}

struct CheckKind;
impl ItemKind<Check> for CheckKind {
    fn name<'a>(&self, c: &'a Check) -> Option<&'a str> {
        c.name.as_deref()
    }
    fn line(&self, c: &Check) -> Line {
        c.line
    }
    fn columns(&self, c: &Check) -> Vec<String> {
        vec![c.expression.clone()]
    }
    fn structure(&self, c: &Check) -> String {
        canonical_expr(&c.expression)
    }
    fn key(&self, _: &Check) -> Option<String> {
        None
    }
    fn render(&self, c: &Check) -> String {
        format!("CHECK ({})", c.expression)
    }
    fn attributes(&self, e: &Check, a: &Check) -> Vec<Attr> {
        vec![
            attr_expr("expression", &e.expression, &a.expression),
            attr("validated", e.validated, a.validated),
        ]
    }
}

struct ForeignKeyKind;
impl ItemKind<ForeignKey> for ForeignKeyKind {
    fn name<'a>(&self, f: &'a ForeignKey) -> Option<&'a str> {
        f.name.as_deref()
    }
    fn line(&self, f: &ForeignKey) -> Line {
        f.line
    }
    fn columns(&self, f: &ForeignKey) -> Vec<String> {
        f.columns.clone()
    }
    fn structure(&self, f: &ForeignKey) -> String {
        format!(
            "{:?}|{}|{:?}|{:?}|{:?}|{:?}|{}",
            f.columns,
            f.ref_table,
            f.ref_columns,
            f.on_delete,
            f.on_update,
            f.deferrable,
            f.validated
        )
    }
    fn key(&self, f: &ForeignKey) -> Option<String> {
        Some(format!("{:?}", f.columns))
    }
    fn render(&self, f: &ForeignKey) -> String {
        render_fk(f)
    }
    fn attributes(&self, e: &ForeignKey, a: &ForeignKey) -> Vec<Attr> {
        let target = |f: &ForeignKey| format!("{}({})", f.ref_table, idents(&f.ref_columns));
        let same_target = e.ref_table == a.ref_table && e.ref_columns == a.ref_columns;
        vec![
            (!same_target).then(|| ("references", Some(target(e)), Some(target(a)))),
            attr("on_delete", e.on_delete.as_str(), a.on_delete.as_str()),
            attr("on_update", e.on_update.as_str(), a.on_update.as_str()),
            attr("deferrable", e.deferrable.as_str(), a.deferrable.as_str()),
            attr("validated", e.validated, a.validated),
        ]
    }
}

pub fn render_fk(f: &ForeignKey) -> String {
    let mut s = format!(
        "FOREIGN KEY ({}) REFERENCES {}({})",
        idents(&f.columns),
        f.ref_table,
        idents(&f.ref_columns)
    );
    if f.on_delete != FkAction::NoAction {
        s.push_str(&format!(
            " ON DELETE {}",
            f.on_delete.as_str().to_uppercase()
        ));
    }
    if f.on_update != FkAction::NoAction {
        s.push_str(&format!(
            " ON UPDATE {}",
            f.on_update.as_str().to_uppercase()
        ));
    }
    if f.deferrable != Deferrable::No {
        s.push(' ');
        s.push_str(&f.deferrable.as_str().to_uppercase());
    }
    if !f.validated {
        s.push_str(" NOT VALID");
    }
    s
}

struct IndexKind;
impl IndexKind {
    fn keys(i: &Index) -> String {
        i.keys
            .iter()
            .map(|k| {
                let canon = IndexKey {
                    expression: canonical_expr(&k.expression),
                    opclass: k.opclass.clone(),
                    descending: k.descending,
                    nulls_first: k.nulls_first,
                };
                canon.to_string()
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
    fn written_keys(i: &Index) -> String {
        i.keys
            .iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
impl ItemKind<Index> for IndexKind {
    fn name<'a>(&self, i: &'a Index) -> Option<&'a str> {
        i.name.as_deref()
    }
    fn line(&self, i: &Index) -> Line {
        i.line
    }
    fn columns(&self, i: &Index) -> Vec<String> {
        i.keys.iter().map(|k| k.to_string()).collect()
    }
    fn structure(&self, i: &Index) -> String {
        format!(
            "{}|{}|{}|{:?}|{:?}|{}",
            i.unique,
            i.method.to_lowercase(),
            Self::keys(i),
            i.include,
            i.predicate.as_deref().map(canonical_expr),
            i.nulls_not_distinct
        )
    }
    fn key(&self, i: &Index) -> Option<String> {
        // Same key expressions (ignoring direction and options): the same index.
        Some(
            i.keys
                .iter()
                .map(|k| canonical_expr(&k.expression))
                .collect::<Vec<_>>()
                .join(", "),
        )
    }
    fn render(&self, i: &Index) -> String {
        let mut s = String::new();
        if i.unique {
            s.push_str("UNIQUE ");
        }
        s.push_str(&format!(
            "INDEX USING {} ({})",
            i.method,
            Self::written_keys(i)
        ));
        if !i.include.is_empty() {
            s.push_str(&format!(" INCLUDE ({})", idents(&i.include)));
        }
        if i.nulls_not_distinct {
            s.push_str(" NULLS NOT DISTINCT");
        }
        if let Some(p) = &i.predicate {
            s.push_str(&format!(" WHERE {p}"));
        }
        s
    }
    fn attributes(&self, e: &Index, a: &Index) -> Vec<Attr> {
        vec![
            attr("unique", e.unique, a.unique),
            attr("method", e.method.to_lowercase(), a.method.to_lowercase()),
            (e.keys != a.keys && Self::keys(e) != Self::keys(a)).then(|| {
                (
                    "columns",
                    Some(Self::written_keys(e)),
                    Some(Self::written_keys(a)),
                )
            }),
            attr_list("include", &e.include, &a.include),
            attr_opt_expr("predicate", &e.predicate, &a.predicate, true),
            attr(
                "nulls_not_distinct",
                e.nulls_not_distinct,
                a.nulls_not_distinct,
            ),
        ]
    }
}

struct TriggerKind;
impl ItemKind<Trigger> for TriggerKind {
    fn name<'a>(&self, t: &'a Trigger) -> Option<&'a str> {
        Some(&t.name)
    }
    fn line(&self, t: &Trigger) -> Line {
        t.line
    }
    fn columns(&self, t: &Trigger) -> Vec<String> {
        vec![t.name.clone()]
    }
    fn structure(&self, t: &Trigger) -> String {
        t.name.clone()
    }
    fn key(&self, _: &Trigger) -> Option<String> {
        None
    }
    fn render(&self, t: &Trigger) -> String {
        let mut s = format!(
            "{} {} ON EACH {} EXECUTE FUNCTION {}",
            t.timing.to_uppercase(),
            t.events.join(" OR ").to_uppercase(),
            t.level.to_uppercase(),
            t.function
        );
        if let Some(w) = &t.when {
            s.push_str(&format!(" WHEN ({w})"));
        }
        s
    }
    fn attributes(&self, e: &Trigger, a: &Trigger) -> Vec<Attr> {
        vec![
            attr("timing", e.timing.to_lowercase(), a.timing.to_lowercase()),
            attr_list("events", &e.events, &a.events),
            attr("level", e.level.to_lowercase(), a.level.to_lowercase()),
            attr_expr("function", &e.function, &a.function),
            attr_opt_expr("when", &e.when, &a.when, true),
            attr("enabled", e.enabled, a.enabled),
        ]
    }
    fn named_identity(&self) -> bool {
        true
    }
}

struct PolicyKind;
impl ItemKind<Policy> for PolicyKind {
    fn name<'a>(&self, p: &'a Policy) -> Option<&'a str> {
        Some(&p.name)
    }
    fn line(&self, p: &Policy) -> Line {
        p.line
    }
    fn columns(&self, p: &Policy) -> Vec<String> {
        vec![p.name.clone()]
    }
    fn structure(&self, p: &Policy) -> String {
        p.name.clone()
    }
    fn key(&self, _: &Policy) -> Option<String> {
        None
    }
    fn render(&self, p: &Policy) -> String {
        let mut s = format!(
            "POLICY {} AS {} FOR {} TO {}",
            quote_ident(&p.name),
            if p.permissive {
                "PERMISSIVE"
            } else {
                "RESTRICTIVE"
            },
            p.command.to_uppercase(),
            p.roles.join(", ")
        );
        if let Some(u) = &p.using {
            s.push_str(&format!(" USING ({u})"));
        }
        if let Some(w) = &p.with_check {
            s.push_str(&format!(" WITH CHECK ({w})"));
        }
        s
    }
    fn attributes(&self, e: &Policy, a: &Policy) -> Vec<Attr> {
        vec![
            attr(
                "command",
                e.command.to_lowercase(),
                a.command.to_lowercase(),
            ),
            attr("permissive", e.permissive, a.permissive),
            attr_list("roles", &e.roles, &a.roles),
            attr_opt_expr("using", &e.using, &a.using, true),
            attr_opt_expr("with_check", &e.with_check, &a.with_check, true),
        ]
    }
    fn named_identity(&self) -> bool {
        true
    }
}

/// Whether `path` (or one of its leading parts, e.g. the table of a column)
/// matches one of the globs. Globs use `*` and `?` over dot-joined names.
fn is_ignored(globs: &[String], path: &[String]) -> bool {
    if globs.is_empty() {
        return false;
    }
    (1..=path.len()).any(|n| {
        let joined = path[..n].join(".");
        globs.iter().any(|g| glob_match(g, &joined))
    })
}

/// Minimal glob: `*` any run of characters, `?` one character.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_star_and_question_mark() {
        assert!(glob_match("public.tmp_*", "public.tmp_x"));
        assert!(glob_match("*.audit?", "app.audit1"));
        assert!(!glob_match("public.tmp_*", "public.users"));
        assert!(glob_match("*", ""));
    }
}
