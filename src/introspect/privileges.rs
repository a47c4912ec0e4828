//! Owners and grants, read only when they are compared (the expected file
//! declares privileges, or `snapshot --privileges`).

use std::collections::BTreeMap;

use postgres::Row;

use super::partial::Partial;
use crate::expected::canonical_signature;
use crate::model::{canonical_privileges, Acl, Securable, SecurableKind};

pub(super) const SQL: &str = include_str!("privileges.sql");

/// Every role of the server, so that a role the file names but the server
/// lacks is told apart from one without grants.
// language=PostgreSQL
pub(super) const ROLES_SQL: &str = "SELECT rolname::text FROM pg_roles";

pub(super) fn assemble_roles(rows: &[Row], partial: &mut Partial) {
    partial.schema.privileges.roles = rows.iter().map(|r| r.get(0)).collect();
}

pub(super) fn assemble(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        let kind = match row.get::<_, &str>("kind") {
            "schema" => SecurableKind::Schema,
            "sequence" => SecurableKind::Sequence,
            "view" => SecurableKind::View,
            "column" => SecurableKind::Column,
            "function" => SecurableKind::Function,
            "type" => SecurableKind::Type,
            "default" => SecurableKind::DefaultPrivileges,
            "database" => SecurableKind::Database,
            _ => SecurableKind::Table,
        };
        let schema: String = row.get("schema");
        let name: Option<String> = row.get("name");
        let name = match kind {
            SecurableKind::Function => name.map(|s| canonical_signature(&s)),
            // Compared whatever its name: a throwaway server's is not the real one.
            SecurableKind::Database => {
                partial.schema.privileges.database = name;
                None
            }
            _ => name,
        };
        let owner: String = row.get("owner");
        let securable = Securable {
            schema,
            kind,
            name,
            column: row.get("col"),
            // Default privileges apply to the new objects of their "owner".
            creator: (kind == SecurableKind::DefaultPrivileges).then(|| owner.clone()),
        };
        let objects = &mut partial.schema.privileges.objects;
        let acl = objects.entry(securable).or_insert_with(|| Acl {
            line: None,
            // A column has no owner of its own, nor do default privileges.
            owner: match kind {
                SecurableKind::DefaultPrivileges | SecurableKind::Column => None,
                _ => Some(owner),
            },
            grants: Some(BTreeMap::new()),
        });
        let Some(grantee) = row.get::<_, Option<String>>("grantee") else {
            continue;
        };
        let privilege: String = row.get("privilege");
        let grantable: bool = row.get("grantable");
        let grant = acl
            .grants
            .get_or_insert_with(BTreeMap::new)
            .entry(grantee)
            .or_default();
        if grantable {
            grant.grantable.insert(privilege.clone());
        }
        grant.privileges.insert(privilege);
    }
    // `ALL` where a grant holds every privilege of its kind.
    for (securable, acl) in partial.schema.privileges.objects.iter_mut() {
        let all = securable.all();
        for grant in acl.grants.iter_mut().flat_map(|g| g.values_mut()) {
            grant.privileges =
                canonical_privileges(grant.privileges.iter().map(String::as_str), all);
            grant.grantable = canonical_privileges(grant.grantable.iter().map(String::as_str), all);
        }
    }
}
