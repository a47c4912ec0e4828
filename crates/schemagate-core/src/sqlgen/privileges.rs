//! GRANT, REVOKE and ALTER ... OWNER TO for the privilege mismatches: each
//! grant that differs is revoked whole and granted as the file says, so the
//! result is exact whatever the database held.

use std::collections::BTreeMap;

use super::{Phase, Script};
use crate::diff::{Mismatch, ObjectType};
use crate::model::{quote_ident, Grant, Schema, Securable, SecurableKind};

/// Whether `m` is about an owner or a grant (and so handled here).
pub(super) fn is_privilege(m: &Mismatch) -> bool {
    matches!(
        m.object_type,
        ObjectType::Grant | ObjectType::DefaultPrivileges | ObjectType::Type
    ) || m.attribute.as_deref() == Some("owner")
}

pub(super) fn repair(script: &mut Script, expected: &Schema, actual: &Schema, ms: &[&Mismatch]) {
    let mut by_display: BTreeMap<String, &Securable> = BTreeMap::new();
    for s in actual
        .privileges
        .objects
        .keys()
        .chain(expected.privileges.objects.keys())
    {
        by_display.insert(s.display(), s);
    }
    for m in ms {
        if m.attribute.as_deref() == Some("owner") {
            let (Some(s), Some(owner)) = (by_display.get(&m.object), &m.expected) else {
                continue;
            };
            let target = match s.kind {
                SecurableKind::Schema => format!("SCHEMA {}", quote_ident(&s.schema)),
                _ => format!("{} {}", owner_keyword(expected, s), s.display()),
            };
            script.push(
                Phase::Privileges,
                format!("ALTER {target} OWNER TO {}", role(owner)),
            );
            continue;
        }
        let Some((object, grantee)) = m.object.rsplit_once(" TO ") else {
            continue;
        };
        let Some(s) = by_display.get(object) else {
            continue;
        };
        let wanted = expected
            .privileges
            .objects
            .get(*s)
            .and_then(|a| a.grants.as_ref())
            .and_then(|g| g.get(grantee));
        let database = actual.privileges.database.as_deref();
        grant(script, s, grantee, wanted, database);
    }
}

/// For each object dropped to be created again: the owner and grants the
/// file declares for it (to the roles the file speaks for that the server
/// has), which the new object would otherwise not have (a function would
/// be owned by whoever runs the script and executable by PUBLIC).
/// Statements already in the script for a grant mismatch are not repeated.
pub(super) fn recreated(script: &mut Script, expected: &Schema, actual: &Schema) {
    let objects = std::mem::take(&mut script.1);
    for s in &objects {
        let Some(acl) = expected.privileges.objects.get(s) else {
            continue;
        };
        let mut extra = Script::default();
        if let Some(owner) = &acl.owner {
            extra.push(
                Phase::Privileges,
                format!(
                    "ALTER {} {} OWNER TO {}",
                    owner_keyword(expected, s),
                    s.display(),
                    role(owner)
                ),
            );
        }
        if let Some(grants) = &acl.grants {
            let database = actual.privileges.database.as_deref();
            for grantee in expected.privileges.roles.iter().filter(|r| {
                *r == "PUBLIC"
                    || actual.privileges.roles.is_empty()
                    || actual.privileges.roles.contains(*r)
            }) {
                grant(&mut extra, s, grantee, grants.get(grantee), database);
            }
        }
        for statement in extra.0.into_values().flatten() {
            let held = script.0.entry(Phase::Privileges).or_default();
            if !held.contains(&statement) {
                held.push(statement);
            }
        }
    }
}

/// Revokes everything `grantee` holds on `s`, then grants what `wanted` says.
/// `database` is the name of the database the script is for.
fn grant(
    script: &mut Script,
    s: &Securable,
    grantee: &str,
    wanted: Option<&Grant>,
    database: Option<&str>,
) {
    let all = s.all();
    let to = role(grantee);
    let (prefix, on) = match s.kind {
        SecurableKind::DefaultPrivileges => (
            format!(
                "ALTER DEFAULT PRIVILEGES {}IN SCHEMA {} ",
                s.creator
                    .as_ref()
                    .map(|c| format!("FOR ROLE {} ", role(c)))
                    .unwrap_or_default(),
                quote_ident(&s.schema)
            ),
            s.name.as_deref().unwrap_or("tables").to_uppercase(),
        ),
        SecurableKind::Database => {
            let Some(name) = database else {
                return;
            };
            (String::new(), format!("DATABASE {}", quote_ident(name)))
        }
        SecurableKind::Column => (
            String::new(),
            format!(
                "TABLE {}.{}",
                quote_ident(&s.schema),
                quote_ident(s.name.as_deref().unwrap_or(""))
            ),
        ),
        SecurableKind::Schema => (String::new(), format!("SCHEMA {}", quote_ident(&s.schema))),
        // `ROUTINE`: a procedure is no `FUNCTION` to GRANT (PostgreSQL 11+).
        SecurableKind::Function => (String::new(), format!("ROUTINE {}", s.display())),
        kind => (String::new(), format!("{} {}", kind.keyword(), s.display())),
    };
    let column = s
        .column
        .as_ref()
        .map(|c| format!(" ({})", quote_ident(c)))
        .unwrap_or_default();
    let list = |set: &std::collections::BTreeSet<String>| -> String {
        if set.contains("ALL") {
            format!("ALL{column}")
        } else {
            all.iter()
                .filter(|p| set.contains(**p))
                .map(|p| format!("{p}{column}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    script.push(
        Phase::Privileges,
        format!("{prefix}REVOKE ALL{column} ON {on} FROM {to}"),
    );
    let Some(g) = wanted.filter(|g| !g.privileges.is_empty()) else {
        return;
    };
    script.push(
        Phase::Privileges,
        format!("{prefix}GRANT {} ON {on} TO {to}", list(&g.privileges)),
    );
    if !g.grantable.is_empty() {
        script.push(
            Phase::Privileges,
            format!(
                "{prefix}GRANT {} ON {on} TO {to} WITH GRANT OPTION",
                list(&g.grantable)
            ),
        );
    }
}

/// `TABLE`, `VIEW`, `MATERIALIZED VIEW`, `SEQUENCE`, `ROUTINE`, `TYPE` or
/// `DOMAIN`, as `ALTER ... OWNER TO` names the object.
fn owner_keyword(expected: &Schema, s: &Securable) -> &'static str {
    let ns = expected.schemas.get(&s.schema);
    let name = s.name.as_deref().unwrap_or("");
    match s.kind {
        SecurableKind::View => match ns.and_then(|n| n.views.get(name)) {
            Some(v) if v.materialized => "MATERIALIZED VIEW",
            _ => "VIEW",
        },
        SecurableKind::Type if ns.is_some_and(|n| n.domains.contains_key(name)) => "DOMAIN",
        SecurableKind::Table if ns.is_some_and(|n| n.foreign_tables.contains_key(name)) => {
            "FOREIGN TABLE"
        }
        // Functions and procedures alike.
        SecurableKind::Function => "ROUTINE",
        kind => kind.keyword(),
    }
}

/// A role as SQL names it: `PUBLIC` as the keyword, others quoted.
fn role(name: &str) -> String {
    if name == "PUBLIC" {
        name.to_string()
    } else {
        quote_ident(name)
    }
}
