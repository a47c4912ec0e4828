//! Objects named in a schema (tables, views, sequences, enum types,
//! domains, functions): paired by name across the two maps.

use std::collections::BTreeMap;

use super::attr::Attr;
use super::mismatch::{Change, Mismatch, ObjectType};
use super::scope::{Object, Scope};
use crate::model::Line;

/// An object keyed by its name in a schema's map.
pub(super) trait SchemaObject {
    const OBJECT_TYPE: ObjectType;
    fn line(&self) -> Line;
}

/// A schema object whose own attributes are all there is to compare.
pub(super) trait Attributes: SchemaObject {
    /// Differing attributes of `self` (expected) and `actual`.
    fn attributes(&self, actual: &Self) -> Vec<Attr>;
}

/// Reports the objects only one side has and returns the pairs, in name order.
pub(super) fn paired<'m, T: SchemaObject>(
    scope: &Scope,
    out: &mut Vec<Mismatch>,
    expected: &'m BTreeMap<String, T>,
    actual: &'m BTreeMap<String, T>,
) -> Vec<(&'m str, &'m T, &'m T)> {
    let mut pairs = Vec::new();
    for (name, e) in expected {
        match actual.get(name) {
            Some(a) => pairs.push((name.as_str(), e, a)),
            None => {
                let object = Object::at(T::OBJECT_TYPE, scope.path(name), e.line());
                scope.absent(out, object, Change::Missing, present());
            }
        }
    }
    for name in actual.keys().filter(|n| !expected.contains_key(*n)) {
        let object = Object::at(T::OBJECT_TYPE, scope.path(name), None);
        scope.absent(out, object, Change::Unexpected, present());
    }
    pairs
}

/// Diffs two maps of objects compared by their attributes.
pub(super) fn diff_objects<T: Attributes>(
    scope: &Scope,
    out: &mut Vec<Mismatch>,
    expected: &BTreeMap<String, T>,
    actual: &BTreeMap<String, T>,
) {
    for (name, e, a) in paired(scope, out, expected, actual) {
        let object = Object::at(T::OBJECT_TYPE, scope.path(name), e.line());
        scope.changed(out, object, e.attributes(a));
    }
}

/// What a missing or unexpected schema, table or other named object shows.
pub(super) fn present() -> String {
    "present".to_string()
}
