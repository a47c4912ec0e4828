//! Constraints: primary keys, uniques, checks, exclusions and foreign keys
//! as table-constraint clauses for `CREATE TABLE` and `ALTER TABLE ... ADD`.

use crate::model::*;
use crate::sqlgen::{idents, qualified};

pub(super) fn constraint_name(name: &Option<String>) -> String {
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

pub(super) fn primary_key(pk: &PrimaryKey) -> String {
    format!(
        "{}PRIMARY KEY ({}){}{}",
        constraint_name(&pk.name),
        key_columns(&pk.columns, pk.without_overlaps),
        key_index(&pk.include, &pk.options),
        deferrable(pk.deferrable)
    )
}

/// ` INCLUDE (c) WITH (fillfactor = '70')`: what a key's index carries
/// beyond its keys, as the constraint clause takes it.
fn key_index(include: &[String], options: &std::collections::BTreeMap<String, String>) -> String {
    let mut sql = String::new();
    if !include.is_empty() {
        sql.push_str(&format!(" INCLUDE ({})", idents(include)));
    }
    if !options.is_empty() {
        sql.push_str(&format!(" WITH ({})", crate::sqlgen::option_list(options)));
    }
    sql
}

/// `a, b` or, for a temporal key (PostgreSQL 18), `a, b WITHOUT OVERLAPS`.
fn key_columns(columns: &[String], without_overlaps: bool) -> String {
    let mut sql = idents(columns);
    if without_overlaps {
        sql.push_str(" WITHOUT OVERLAPS");
    }
    sql
}

/// `a, b` or, with a period (PostgreSQL 18), `a, PERIOD b`.
fn period_columns(columns: &[String], period: bool) -> String {
    match columns.split_last() {
        Some((last, rest)) if period => {
            let mut all: Vec<String> = rest.iter().map(|c| quote_ident(c)).collect();
            all.push(format!("PERIOD {}", quote_ident(last)));
            all.join(", ")
        }
        _ => idents(columns),
    }
}

pub(super) fn exclusion(x: &Exclusion) -> String {
    let mut sql = format!(
        "{}EXCLUDE USING {} ({})",
        constraint_name(&x.name),
        x.method,
        x.elements.join(", ")
    );
    sql.push_str(&key_index(&x.include, &x.options));
    if let Some(p) = &x.predicate {
        sql.push_str(&format!(" WHERE ({p})"));
    }
    sql.push_str(deferrable(x.deferrable));
    sql
}

pub(super) fn unique(u: &Unique) -> String {
    format!(
        "{}UNIQUE{} ({}){}{}",
        constraint_name(&u.name),
        if u.nulls_not_distinct {
            " NULLS NOT DISTINCT"
        } else {
            ""
        },
        key_columns(&u.columns, u.without_overlaps),
        key_index(&u.include, &u.options),
        deferrable(u.deferrable)
    )
}

pub(super) fn check(c: &Check) -> String {
    format!(
        "{}CHECK ({}){}{}",
        constraint_name(&c.name),
        c.expression,
        if c.no_inherit { " NO INHERIT" } else { "" },
        if !c.enforced {
            " NOT ENFORCED"
        } else if !c.validated {
            " NOT VALID"
        } else {
            ""
        }
    )
}

pub(super) fn foreign_key(f: &ForeignKey) -> String {
    let mut sql = format!(
        "{}FOREIGN KEY ({}) REFERENCES {} ({})",
        constraint_name(&f.name),
        period_columns(&f.columns, f.period),
        qualified(&f.ref_table.schema, &f.ref_table.name),
        period_columns(&f.ref_columns, f.period)
    );
    if f.match_full {
        sql.push_str(" MATCH FULL");
    }
    if f.on_delete != FkAction::NoAction {
        sql.push_str(&format!(
            " ON DELETE {}",
            f.on_delete.as_str().to_uppercase()
        ));
        let set = f.canonical_on_delete_columns();
        if !set.is_empty() {
            sql.push_str(&format!(" ({})", idents(&set)));
        }
    }
    if f.on_update != FkAction::NoAction {
        sql.push_str(&format!(
            " ON UPDATE {}",
            f.on_update.as_str().to_uppercase()
        ));
    }
    sql.push_str(deferrable(f.deferrable));
    if !f.enforced {
        sql.push_str(" NOT ENFORCED");
    } else if !f.validated {
        sql.push_str(" NOT VALID");
    }
    sql
}
