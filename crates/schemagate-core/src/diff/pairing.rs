//! Table-level lists (constraints, indexes, triggers, policies): how an
//! expected item finds its actual counterpart, and the mismatches of a list.
//!
//! Items pair by typed keys, never by formatted strings: first by name
//! where the expected side gives one, then by full structure (the same
//! object under another or no name), then by a looser key (one object that
//! changed, not one missing and one unexpected). Each actual item pairs at
//! most once, always with the first candidate in list order, so the result
//! does not depend on anything but the two lists.

use std::collections::{BTreeMap, VecDeque};

use super::attr::{name_attr, Attr};
use super::mismatch::{Change, Mismatch, ObjectType};
use super::scope::{display, Object, Scope};
use crate::model::{quote_ident, Line};

/// How one kind of table-level list item is identified and compared.
pub(super) trait ItemKind {
    type Item;
    /// The full structure; equal structures are the same object.
    type Structure: Ord;
    /// A looser identity: two items with the same key but different
    /// structures are one object that changed.
    type Key: Ord;
    const OBJECT_TYPE: ObjectType;

    fn name(item: &Self::Item) -> Option<&str>;
    fn line(item: &Self::Item) -> Line;
    /// Columns (or a description) to name an unnamed item.
    fn columns(item: &Self::Item) -> Vec<String>;
    /// `None` for kinds whose name is their only identity (triggers, policies).
    fn structure(item: &Self::Item) -> Option<Self::Structure>;
    fn key(item: &Self::Item) -> Option<Self::Key>;
    fn render(item: &Self::Item) -> String;
    /// Differing attributes of a pair (besides the name).
    fn attributes(e: &Self::Item, a: &Self::Item) -> Vec<Attr>;
}

/// Which expected item pairs with which actual one, by index.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Pairing {
    /// `(expected, actual)`, in the order the passes found them.
    pub pairs: Vec<(usize, usize)>,
    /// Expected items without a counterpart, ascending.
    pub missing: Vec<usize>,
    /// Actual items without a counterpart, ascending.
    pub unexpected: Vec<usize>,
}

pub(super) fn pair<K: ItemKind>(expected: &[K::Item], actual: &[K::Item]) -> Pairing {
    let mut taken = Taken {
        actual: vec![false; actual.len()],
        pairs: Vec::new(),
    };
    let all = (0..expected.len()).collect();
    let rest = taken.pass(all, |i| K::name(&expected[i]), |j| K::name(&actual[j]));
    let rest = taken.pass(
        rest,
        |i| K::structure(&expected[i]),
        |j| K::structure(&actual[j]),
    );
    let missing = taken.pass(rest, |i| K::key(&expected[i]), |j| K::key(&actual[j]));
    let unexpected = (0..actual.len()).filter(|&j| !taken.actual[j]).collect();
    Pairing {
        pairs: taken.pairs,
        missing,
        unexpected,
    }
}

/// The pairs found so far and which actual items they took.
struct Taken {
    actual: Vec<bool>,
    pairs: Vec<(usize, usize)>,
}

impl Taken {
    /// Pairs each of `unpaired` (ascending) with the first free actual item
    /// of an equal key; returns those left without one.
    fn pass<Q: Ord>(
        &mut self,
        unpaired: Vec<usize>,
        expected_key: impl Fn(usize) -> Option<Q>,
        actual_key: impl Fn(usize) -> Option<Q>,
    ) -> Vec<usize> {
        let mut candidates: BTreeMap<Q, VecDeque<usize>> = BTreeMap::new();
        for j in (0..self.actual.len()).filter(|&j| !self.actual[j]) {
            if let Some(key) = actual_key(j) {
                candidates.entry(key).or_default().push_back(j);
            }
        }
        let mut left = Vec::new();
        for i in unpaired {
            let found = expected_key(i)
                .and_then(|key| candidates.get_mut(&key))
                .and_then(VecDeque::pop_front);
            match found {
                Some(j) => {
                    self.actual[j] = true;
                    self.pairs.push((i, j));
                }
                None => left.push(i),
            }
        }
        left
    }
}

/// Diffs one list of a table: changed pairs, missing and unexpected items.
pub(super) fn diff_items<K: ItemKind>(
    scope: &Scope,
    out: &mut Vec<Mismatch>,
    expected: &[K::Item],
    actual: &[K::Item],
) {
    let Pairing {
        pairs,
        missing,
        unexpected,
    } = pair::<K>(expected, actual);
    for (i, j) in pairs {
        let (e, a) = (&expected[i], &actual[j]);
        let mut attrs = K::attributes(e, a);
        attrs.push(name_attr(
            &K::name(e).map(str::to_string),
            &K::name(a).map(str::to_string),
        ));
        if attrs.iter().all(Option::is_none) {
            continue;
        }
        let name = K::name(e).or(K::name(a));
        let object = Object {
            object_type: K::OBJECT_TYPE,
            name: item_name(scope, name, &K::columns(e)),
            path: scope.path(name.unwrap_or_default()),
            line: K::line(e),
        };
        scope.changed(out, object, attrs);
    }
    for i in missing {
        let e = &expected[i];
        let object = item_object(
            scope,
            K::OBJECT_TYPE,
            K::name(e),
            &K::columns(e),
            K::line(e),
        );
        scope.absent(out, object, Change::Missing, K::render(e));
    }
    for j in unexpected {
        let a = &actual[j];
        let object = item_object(scope, K::OBJECT_TYPE, K::name(a), &K::columns(a), None);
        scope.absent(out, object, Change::Unexpected, K::render(a));
    }
}

/// A whole item of the scope's table: named by its name, or by its columns
/// (`public.users(email)`) when it has none.
pub(super) fn item_object(
    scope: &Scope,
    object_type: ObjectType,
    name: Option<&str>,
    columns: &[String],
    line: Line,
) -> Object {
    Object {
        object_type,
        name: item_name(scope, name, columns),
        path: scope.path(&name.map_or_else(|| columns.join(","), str::to_string)),
        line,
    }
}

/// `public.users.users_email_key`, or `public.users(email)` when no name is known.
pub(super) fn item_name(scope: &Scope, name: Option<&str>, columns: &[String]) -> String {
    match name {
        Some(n) => display(&scope.path(n)),
        None => format!("{}({})", display(&scope.table_path()), idents(columns)),
    }
}

/// `a, "B"`: names quoted where needed, comma-separated.
pub(super) fn idents(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| quote_ident(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What `--update` does to one list: pairs that differ (to rewrite), and
/// the missing and unexpected items (to remove and to add).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ListPlan {
    pub changed: Vec<(usize, usize)>,
    /// The pairs of `changed` that differ in their comment or storage
    /// parameters alone: both can be set without building the item again.
    pub in_place: Vec<(usize, usize)>,
    pub missing: Vec<usize>,
    pub unexpected: Vec<usize>,
}

/// The same pairing as the diff's, so that `--update` edits exactly the
/// items the report shows.
/// Items matching an `ignore` glob (`ignored` of their name parts) are
/// left out, as the diff leaves out their mismatches.
pub(super) fn plan<K: ItemKind>(
    expected: &[K::Item],
    actual: &[K::Item],
    ignored: impl Fn(Vec<String>) -> bool,
) -> ListPlan {
    let Pairing {
        pairs,
        missing,
        unexpected,
    } = pair::<K>(expected, actual);
    let path =
        |item: &K::Item| K::name(item).map_or_else(|| K::columns(item).join(","), str::to_string);
    let missing = missing
        .into_iter()
        .filter(|&i| !ignored(vec![path(&expected[i])]))
        .collect();
    let unexpected = unexpected
        .into_iter()
        .filter(|&j| !ignored(vec![path(&actual[j])]))
        .collect();
    let mut in_place = Vec::new();
    let changed = pairs
        .into_iter()
        .filter(|&(i, j)| {
            let name = K::name(&expected[i]).or(K::name(&actual[j]));
            !ignored(vec![name.unwrap_or_default().to_string()])
        })
        .filter(|&(i, j)| {
            let (e, a) = (&expected[i], &actual[j]);
            let mut attrs = K::attributes(e, a);
            attrs.push(name_attr(
                &K::name(e).map(str::to_string),
                &K::name(a).map(str::to_string),
            ));
            let differing: Vec<&str> = attrs.iter().flatten().map(|(n, _, _)| *n).collect();
            if !differing.is_empty()
                && differing
                    .iter()
                    .all(|n| matches!(*n, "comment" | "options"))
            {
                in_place.push((i, j));
            }
            !differing.is_empty()
        })
        .collect();
    ListPlan {
        changed,
        in_place,
        missing,
        unexpected,
    }
}
