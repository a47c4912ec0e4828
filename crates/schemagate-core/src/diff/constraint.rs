//! Constraints of a table: primary key, unique, check, foreign key and
//! exclusion.

use super::attr::{
    attr, attr_expr, attr_list, attr_opt_expr, attr_opt_text, attr_options, name_attr, Attr,
};
use super::mismatch::{Change, Mismatch, ObjectType};
use super::pairing::{idents, item_name, item_object, ItemKind};
use super::scope::{Object, Scope};
use crate::canon::{canonical_expr, pretty_expr};
use crate::model::{
    Check, Deferrable, Exclusion, FkAction, ForeignKey, Line, PrimaryKey, QualifiedName, Unique,
};

/// A table has at most one primary key, so there is nothing to pair.
pub(super) fn diff_primary_key(
    scope: &Scope,
    out: &mut Vec<Mismatch>,
    expected: &Option<PrimaryKey>,
    actual: &Option<PrimaryKey>,
) {
    let whole = |pk: &PrimaryKey, line: Line| {
        item_object(
            scope,
            ObjectType::PrimaryKey,
            pk.name.as_deref(),
            &pk.columns,
            line,
        )
    };
    match (expected, actual) {
        (Some(pe), Some(pa)) => {
            let name = item_name(
                scope,
                pe.name.as_deref().or(pa.name.as_deref()),
                &pe.columns,
            );
            let attrs = [
                attr_list("columns", &pe.columns, &pa.columns),
                attr("without_overlaps", pe.without_overlaps, pa.without_overlaps),
                name_attr(&pe.name, &pa.name),
                attr("deferrable", pe.deferrable.as_str(), pa.deferrable.as_str()),
                attr_list("include", &pe.include, &pa.include),
                attr_options(&pe.options, &pa.options),
                attr_opt_text("comment", &pe.comment, &pa.comment),
            ];
            let object = Object {
                object_type: ObjectType::PrimaryKey,
                // The path ends in the name as shown (quoted), as it always has.
                path: scope.path(&name),
                name,
                line: pe.line,
            };
            scope.changed(out, object, attrs);
        }
        (Some(pe), None) => scope.absent(out, whole(pe, pe.line), Change::Missing, render_pk(pe)),
        (None, Some(pa)) => scope.absent(out, whole(pa, None), Change::Unexpected, render_pk(pa)),
        (None, None) => {}
    }
}

fn render_pk(pk: &PrimaryKey) -> String {
    let mut s = format!(
        "PRIMARY KEY ({})",
        key_columns(&pk.columns, pk.without_overlaps, " WITHOUT OVERLAPS")
    );
    s.push_str(&include_clause(&pk.include));
    if pk.deferrable != Deferrable::No {
        s.push(' ');
        s.push_str(&pk.deferrable.as_str().to_uppercase());
    }
    s
}

/// The columns of a key, the last one followed by `marker` (` WITHOUT
/// OVERLAPS`) or preceded by it (`PERIOD `) in a temporal key.
fn key_columns(columns: &[String], temporal: bool, marker: &str) -> String {
    let list = idents(columns);
    if !temporal || columns.is_empty() {
        return list;
    }
    let (init, last) = columns.split_at(columns.len() - 1);
    let last = idents(last);
    let last = if marker.ends_with(' ') {
        format!("{marker}{last}")
    } else {
        format!("{last}{marker}")
    };
    if init.is_empty() {
        last
    } else {
        format!("{}, {last}", idents(init))
    }
}

/// ` INCLUDE (c, d)`, or nothing.
fn include_clause(include: &[String]) -> String {
    if include.is_empty() {
        String::new()
    } else {
        format!(" INCLUDE ({})", idents(include))
    }
}

pub(super) struct UniqueKind;
impl ItemKind for UniqueKind {
    type Item = Unique;
    /// Columns, NULLS NOT DISTINCT, deferrability, WITHOUT OVERLAPS.
    type Structure = (Vec<String>, bool, &'static str, bool);
    /// Columns.
    type Key = Vec<String>;
    const OBJECT_TYPE: ObjectType = ObjectType::Unique;

    fn name(u: &Unique) -> Option<&str> {
        u.name.as_deref()
    }
    fn line(u: &Unique) -> Line {
        u.line
    }
    fn columns(u: &Unique) -> Vec<String> {
        u.columns.clone()
    }
    fn structure(u: &Unique) -> Option<Self::Structure> {
        Some((
            u.columns.clone(),
            u.nulls_not_distinct,
            u.deferrable.as_str(),
            u.without_overlaps,
        ))
    }
    fn key(u: &Unique) -> Option<Self::Key> {
        Some(u.columns.clone())
    }
    fn render(u: &Unique) -> String {
        let columns = key_columns(&u.columns, u.without_overlaps, " WITHOUT OVERLAPS");
        let mut s = format!("UNIQUE ({columns})");
        if u.nulls_not_distinct {
            s = format!("UNIQUE NULLS NOT DISTINCT ({columns})");
        }
        s.push_str(&include_clause(&u.include));
        if u.deferrable != Deferrable::No {
            s.push(' ');
            s.push_str(&u.deferrable.as_str().to_uppercase());
        }
        s
    }
    fn attributes(e: &Unique, a: &Unique) -> Vec<Attr> {
        vec![
            attr_list("columns", &e.columns, &a.columns),
            attr(
                "nulls_not_distinct",
                e.nulls_not_distinct,
                a.nulls_not_distinct,
            ),
            attr("deferrable", e.deferrable.as_str(), a.deferrable.as_str()),
            attr("without_overlaps", e.without_overlaps, a.without_overlaps),
            attr_list("include", &e.include, &a.include),
            attr_options(&e.options, &a.options),
            attr_opt_text("comment", &e.comment, &a.comment),
        ]
    }
}

pub(super) struct CheckKind;
impl ItemKind for CheckKind {
    type Item = Check;
    /// The canonical expression.
    type Structure = String;
    /// Checks have no looser identity than their expression.
    type Key = ();
    const OBJECT_TYPE: ObjectType = ObjectType::Check;

    fn name(c: &Check) -> Option<&str> {
        c.name.as_deref()
    }
    fn line(c: &Check) -> Line {
        c.line
    }
    fn columns(c: &Check) -> Vec<String> {
        vec![c.expression.clone()]
    }
    fn structure(c: &Check) -> Option<String> {
        Some(canonical_expr(&c.expression))
    }
    fn key(_: &Check) -> Option<()> {
        None
    }
    fn render(c: &Check) -> String {
        let mut s = format!("CHECK ({})", pretty_expr(&c.expression));
        if c.no_inherit {
            s.push_str(" NO INHERIT");
        }
        if !c.enforced {
            s.push_str(" NOT ENFORCED");
        } else if !c.validated {
            s.push_str(" NOT VALID");
        }
        s
    }
    fn attributes(e: &Check, a: &Check) -> Vec<Attr> {
        vec![
            attr_expr("expression", &e.expression, &a.expression),
            // Validity is a property of an enforced constraint only.
            (e.enforced && a.enforced)
                .then(|| attr("validated", e.validated, a.validated))
                .flatten(),
            attr("enforced", e.enforced, a.enforced),
            attr("no_inherit", e.no_inherit, a.no_inherit),
            attr_opt_text("comment", &e.comment, &a.comment),
        ]
    }
}

pub(super) struct ForeignKeyKind;
impl ItemKind for ForeignKeyKind {
    type Item = ForeignKey;
    /// Columns, referenced table and columns, ON DELETE, ON UPDATE,
    /// deferrability, validated, enforced, PERIOD (the model's enums by
    /// their SQL words).
    type Structure = (
        Vec<String>,
        QualifiedName,
        Vec<String>,
        String,
        &'static str,
        &'static str,
        bool,
        bool,
        bool,
        bool,
    );
    /// Columns.
    type Key = Vec<String>;
    const OBJECT_TYPE: ObjectType = ObjectType::ForeignKey;

    fn name(f: &ForeignKey) -> Option<&str> {
        f.name.as_deref()
    }
    fn line(f: &ForeignKey) -> Line {
        f.line
    }
    fn columns(f: &ForeignKey) -> Vec<String> {
        f.columns.clone()
    }
    fn structure(f: &ForeignKey) -> Option<Self::Structure> {
        Some((
            f.columns.clone(),
            f.ref_table.clone(),
            f.ref_columns.clone(),
            f.on_delete_text(),
            f.on_update.as_str(),
            f.deferrable.as_str(),
            f.validated,
            f.enforced,
            f.period,
            f.match_full,
        ))
    }
    fn key(f: &ForeignKey) -> Option<Self::Key> {
        Some(f.columns.clone())
    }
    fn render(f: &ForeignKey) -> String {
        render_fk(f)
    }
    fn attributes(e: &ForeignKey, a: &ForeignKey) -> Vec<Attr> {
        let target = |f: &ForeignKey| format!("{}({})", f.ref_table, idents(&f.ref_columns));
        let same_target = e.ref_table == a.ref_table && e.ref_columns == a.ref_columns;
        vec![
            (!same_target).then(|| ("references", Some(target(e)), Some(target(a)))),
            attr("on_delete", e.on_delete_text(), a.on_delete_text()),
            attr("on_update", e.on_update.as_str(), a.on_update.as_str()),
            attr("deferrable", e.deferrable.as_str(), a.deferrable.as_str()),
            // Validity is a property of an enforced constraint only.
            (e.enforced && a.enforced)
                .then(|| attr("validated", e.validated, a.validated))
                .flatten(),
            attr("enforced", e.enforced, a.enforced),
            attr("period", e.period, a.period),
            attr("match_full", e.match_full, a.match_full),
            attr_opt_text("comment", &e.comment, &a.comment),
        ]
    }
}

pub fn render_fk(f: &ForeignKey) -> String {
    let mut s = format!(
        "FOREIGN KEY ({}) REFERENCES {}({})",
        key_columns(&f.columns, f.period, "PERIOD "),
        f.ref_table,
        key_columns(&f.ref_columns, f.period, "PERIOD ")
    );
    if f.match_full {
        s.push_str(" MATCH FULL");
    }
    if f.on_delete != FkAction::NoAction {
        s.push_str(&format!(
            " ON DELETE {}{}",
            f.on_delete.as_str().to_uppercase(),
            set_columns(f)
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
    if !f.enforced {
        s.push_str(" NOT ENFORCED");
    } else if !f.validated {
        s.push_str(" NOT VALID");
    }
    s
}

/// ` (a, b)` after `ON DELETE SET NULL` when it sets only some columns.
fn set_columns(f: &ForeignKey) -> String {
    let columns = f.canonical_on_delete_columns();
    if columns.is_empty() {
        String::new()
    } else {
        format!(" ({})", idents(&columns))
    }
}

pub(super) struct ExclusionKind;
impl ItemKind for ExclusionKind {
    type Item = Exclusion;
    /// Method, elements, canonical predicate, deferrability.
    type Structure = (String, Vec<String>, Option<String>, &'static str);
    /// Elements.
    type Key = Vec<String>;
    const OBJECT_TYPE: ObjectType = ObjectType::Exclusion;

    fn name(x: &Exclusion) -> Option<&str> {
        x.name.as_deref()
    }
    fn line(x: &Exclusion) -> Line {
        x.line
    }
    fn columns(x: &Exclusion) -> Vec<String> {
        x.elements.clone()
    }
    fn structure(x: &Exclusion) -> Option<Self::Structure> {
        Some((
            x.method.clone(),
            canonical_elements(&x.elements),
            x.predicate.as_deref().map(canonical_expr),
            x.deferrable.as_str(),
        ))
    }
    fn key(x: &Exclusion) -> Option<Self::Key> {
        Some(canonical_elements(&x.elements))
    }
    fn render(x: &Exclusion) -> String {
        let mut s = format!("EXCLUDE USING {} ({})", x.method, x.elements.join(", "));
        s.push_str(&include_clause(&x.include));
        if let Some(p) = &x.predicate {
            s.push_str(&format!(" WHERE ({p})"));
        }
        if x.deferrable != Deferrable::No {
            s.push(' ');
            s.push_str(&x.deferrable.as_str().to_uppercase());
        }
        s
    }
    fn attributes(e: &Exclusion, a: &Exclusion) -> Vec<Attr> {
        vec![
            attr("using", &e.method, &a.method),
            (canonical_elements(&e.elements) != canonical_elements(&a.elements)).then(|| {
                (
                    "elements",
                    Some(e.elements.join(", ")),
                    Some(a.elements.join(", ")),
                )
            }),
            attr_opt_expr("where", &e.predicate, &a.predicate),
            attr("deferrable", e.deferrable.as_str(), a.deferrable.as_str()),
            attr_list("include", &e.include, &a.include),
            attr_options(&e.options, &a.options),
            attr_opt_text("comment", &e.comment, &a.comment),
        ]
    }
}

/// `expression WITH operator` with the expression in canonical form.
fn canonical_elements(elements: &[String]) -> Vec<String> {
    elements
        .iter()
        .map(
            |e| match e.rsplit_once(" WITH ").or_else(|| e.rsplit_once(" with ")) {
                Some((expr, op)) => format!("{} WITH {}", canonical_expr(expr), op.trim()),
                None => canonical_expr(e),
            },
        )
        .collect()
}
