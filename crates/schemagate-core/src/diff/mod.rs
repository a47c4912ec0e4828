//! Compares an expected schema with an actual one: `diff(&expected, &actual)`.
//!
//! Pure and deterministic: mismatches come out sorted by object, then by
//! kind and attribute. Types and expressions are compared in their canonical
//! forms (`canon`), constraints and indexes by structure; a name counts
//! only when the expected side gives one.
//!
//! `namespace` walks a schema present on both sides; `named` pairs its
//! tables, views, sequences, enums, domains, functions and the kinds of
//! `catalog_objects` by name (`view`, `sequence`, `types`, `function`,
//! `catalog_objects` say which attributes count); `table`
//! diffs a table's attributes, `column`s and lists, whose items `pairing`
//! matches by typed keys (`constraint`, `index`, `trigger`, `policy` give
//! them). `scope` turns each finding into [`Mismatch`] values;
//! `not_compared` lists what the diff could not look into.

mod attr;
mod catalog_objects;
mod column;
mod constraint;
mod function;
mod ignore;
mod index;
mod mismatch;
mod named;
mod namespace;
mod not_compared;
mod pairing;
mod policy;
mod privileges;
mod scope;
mod sequence;
mod table;
mod trigger;
mod types;
mod view;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

pub use constraint::render_fk;
pub(crate) use function::canonical_arguments;
pub use ignore::glob_match;
pub use mismatch::{Change, Mismatch, ObjectType};
pub use not_compared::not_compared;
pub(crate) use pairing::ListPlan;
pub(crate) use types::pair_domain_checks;

use crate::model::{Schema, Table};
use named::present;
use scope::{Object, Scope};

/// Compares `expected` with `actual` and returns every mismatch, sorted.
/// Objects matching an `ignore` glob of the expected schema are left out.
pub fn diff(expected: &Schema, actual: &Schema) -> Vec<Mismatch> {
    // A file may spell the casts the server adds to columns (`email::text`
    // on a varchar column): drop them on both sides, with the column types.
    let (mut expected, mut actual) = (expected.clone(), actual.clone());
    crate::canon::drop_server_casts_in(&mut expected);
    crate::canon::drop_server_casts_in(&mut actual);
    diff_normalized(&expected, &actual)
}

/// [`diff`] of two schemas whose server casts are already dropped
/// ([`crate::canon::drop_server_casts_in`]; introspection does it, and a
/// loaded file once before comparing it with one or many databases): no
/// copy of either is made, which at tens of thousands of tables is most of
/// the memory and a good part of the time.
pub fn diff_normalized(expected: &Schema, actual: &Schema) -> Vec<Mismatch> {
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
        let schema = |line| Object::at(ObjectType::Schema, vec![name.clone()], line);
        match (exp, act) {
            (Some(e), Some(a)) => namespace::diff_namespace(name, &mut out, e, a),
            (Some(e), None) => at.absent(&mut out, schema(e.line), Change::Missing, present()),
            (None, Some(a)) => {
                if !namespace::is_empty(a) {
                    at.absent(&mut out, schema(None), Change::Unexpected, present());
                }
            }
            (None, None) => {}
        }
    }
    privileges::diff_privileges(expected, actual, &mut out);
    out.retain(|m| !ignore::is_ignored(&expected.ignore, &m.path));
    out.sort();
    out
}

/// How the items of one table-level list pair up (`kind` is one of
/// unique, check, foreign key, index, trigger or policy) in table
/// `schema.table`, for `--update` and `--sql`; items the expected schema's
/// `ignore` globs match are left out.
pub(crate) fn plan_list(
    kind: ObjectType,
    schema: &str,
    table: &str,
    ignore: &[String],
    expected: &Table,
    actual: &Table,
) -> ListPlan {
    use constraint::{CheckKind, ExclusionKind, ForeignKeyKind, UniqueKind};
    let ignored = |name: Vec<String>| {
        let mut path = vec![schema.to_string(), table.to_string()];
        path.extend(name);
        ignore::is_ignored(ignore, &path)
    };
    let (e, a) = (expected, actual);
    match kind {
        ObjectType::Unique => pairing::plan::<UniqueKind>(&e.uniques, &a.uniques, ignored),
        ObjectType::Check => pairing::plan::<CheckKind>(&e.checks, &a.checks, ignored),
        ObjectType::ForeignKey => {
            pairing::plan::<ForeignKeyKind>(&e.foreign_keys, &a.foreign_keys, ignored)
        }
        ObjectType::Index => pairing::plan::<index::IndexKind>(&e.indexes, &a.indexes, ignored),
        ObjectType::Trigger => {
            pairing::plan::<trigger::TriggerKind>(&e.triggers, &a.triggers, ignored)
        }
        ObjectType::Policy => {
            pairing::plan::<policy::PolicyKind>(&e.policies, &a.policies, ignored)
        }
        ObjectType::Exclusion => {
            pairing::plan::<ExclusionKind>(&e.exclusions, &a.exclusions, ignored)
        }
        ObjectType::Rule => pairing::plan::<trigger::RuleKind>(&e.rules, &a.rules, ignored),
        _ => ListPlan::default(),
    }
}
