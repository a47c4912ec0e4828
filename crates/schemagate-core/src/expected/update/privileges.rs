//! `--update` of owners and grants: the file's declared owners and grants
//! become the server's, for the roles the file speaks for; nothing is
//! declared that the file did not declare before (but a column's grants on
//! a table that declares its own).

use std::collections::BTreeMap;

use crate::diff::{Mismatch, ObjectType};
use crate::model::{Privileges, Securable, SecurableKind};

/// The privileges the file should declare: the expected ones, with each
/// declared owner and grants as `actual` has them (grants to a role the
/// server lacks stay as they are: they were not compared).
pub(super) fn target(expected: &Privileges, actual: &Privileges) -> Privileges {
    let mut out = expected.clone();
    for (s, acl) in out.objects.iter_mut() {
        if s.creator
            .as_ref()
            .is_some_and(|c| !actual.roles.contains(c))
        {
            continue;
        }
        let merged;
        let a = match actual.objects.get(s) {
            None if s.kind == SecurableKind::DefaultPrivileges && s.creator.is_none() => {
                merged = actual.merged_defaults(s, expected);
                Some(&merged)
            }
            a => a,
        };
        if acl.owner.is_some() {
            if let Some(owner) = a.and_then(|a| a.owner.clone()) {
                acl.owner = Some(owner);
            }
        }
        if let Some(grants) = &mut acl.grants {
            let held = a.and_then(|a| a.grants.clone()).unwrap_or_default();
            grants.retain(|role, _| role != "PUBLIC" && !actual.roles.contains(role));
            grants.extend(
                held.into_iter()
                    .filter(|(role, g)| expected.roles.contains(role) && !g.privileges.is_empty()),
            );
        }
    }
    for (s, a) in &actual.objects {
        if s.kind != SecurableKind::Column || out.objects.contains_key(s) {
            continue;
        }
        let table = Securable::new(SecurableKind::Table, &s.schema, s.name.as_deref());
        if expected
            .objects
            .get(&table)
            .is_some_and(|t| t.grants.is_some())
        {
            out.objects.insert(s.clone(), a.clone());
        }
    }
    out
}

/// What a privilege mismatch edits in the file.
pub(super) enum Place {
    /// The schema's `owner`, `grants` or `default_privileges`.
    Schema(String),
    /// A table's `owner` or `grants`, or a column's grants (the table's
    /// edit tells them apart by the mismatch).
    Table(String, String),
    /// A namespace-level entry (`functions`, `sequences`, `views`, `domains`).
    Named(String, &'static str, String),
    /// The top-level `database:`.
    Database,
}

/// Whether `m` is about an owner or a grant, and if so where it is fixed.
pub(super) fn place(
    m: &Mismatch,
    by_display: &BTreeMap<String, Securable>,
) -> Option<Option<Place>> {
    let privilege = matches!(
        m.object_type,
        ObjectType::Grant | ObjectType::DefaultPrivileges | ObjectType::Type
    ) || m.attribute.as_deref() == Some("owner");
    if !privilege {
        return None;
    }
    let object = match m.object_type {
        ObjectType::Grant | ObjectType::DefaultPrivileges => m
            .object
            .rsplit_once(" TO ")
            .map_or(m.object.as_str(), |(o, _)| o),
        _ => m.object.as_str(),
    };
    let Some(s) = by_display.get(object) else {
        return Some(None);
    };
    let schema = s.schema.clone();
    let name = s.name.clone().unwrap_or_default();
    Some(Some(match s.kind {
        SecurableKind::Schema | SecurableKind::DefaultPrivileges => Place::Schema(schema),
        SecurableKind::Table | SecurableKind::Column => Place::Table(schema, name),
        SecurableKind::Function => Place::Named(schema, "functions", name),
        SecurableKind::Sequence => Place::Named(schema, "sequences", name),
        SecurableKind::View => Place::Named(schema, "views", name),
        SecurableKind::Type => Place::Named(schema, "domains", name),
        SecurableKind::Database => Place::Database,
    }))
}

/// Securables by how mismatches name them.
pub(super) fn by_display(
    expected: &Privileges,
    actual: &Privileges,
) -> BTreeMap<String, Securable> {
    actual
        .objects
        .keys()
        .chain(expected.objects.keys())
        .map(|s| (s.display(), s.clone()))
        .collect()
}
