//! Owners and grants (opt-in): compared only where the expected file
//! declares them, and only for the roles its `roles:` lists.
//!
//! A grant is one role's privileges on one object: missing, unexpected, or
//! changed in its `privileges` or its `grant_option` (those held WITH
//! GRANT OPTION). When a table declares `grants:`, its columns' grants are
//! compared too (a column with none declared must have none).

use std::collections::{BTreeMap, BTreeSet};

use super::mismatch::{Change, Mismatch, ObjectType};
use crate::model::{
    render_privileges, Acl, Grant, Line, QualifiedName, Schema, Securable, SecurableKind,
};

pub(super) fn diff_privileges(expected: &Schema, actual: &Schema, out: &mut Vec<Mismatch>) {
    let exp = &expected.privileges;
    let act = &actual.privileges;
    let none = Acl::default();
    // Only the roles the server has (all of them, as read from the catalog).
    let roles: BTreeSet<String> = exp
        .roles
        .iter()
        .filter(|r| *r == "PUBLIC" || act.roles.contains(*r))
        .cloned()
        .collect();
    let roles = &roles;
    let mut compared: BTreeSet<&Securable> = BTreeSet::new();
    for (securable, e) in &exp.objects {
        let merged;
        let a = match act.objects.get(securable) {
            // A creator role the server lacks: its defaults cannot be read.
            _ if securable
                .creator
                .as_ref()
                .is_some_and(|c| !act.roles.contains(c)) =>
            {
                continue
            }
            // Default privileges for no role in particular: every creator's.
            None if securable.kind == SecurableKind::DefaultPrivileges
                && securable.creator.is_none()
                && parent_present(actual, securable) =>
            {
                merged = act.merged_defaults(securable, exp);
                &merged
            }
            Some(a) => a,
            // Absent: the object's own diff says so, unless only its
            // grants are (a column's, a schema's default privileges).
            None if matches!(
                securable.kind,
                SecurableKind::Column | SecurableKind::DefaultPrivileges
            ) && parent_present(actual, securable) =>
            {
                &none
            }
            None => continue,
        };
        compared.insert(securable);
        if let (Some(owner), Some(actual_owner)) = (&e.owner, &a.owner) {
            // An owner the server does not have is a warning, not a mismatch.
            if owner != actual_owner && act.roles.contains(owner) {
                out.push(mismatch(
                    securable,
                    object_type(securable),
                    None,
                    Change::Changed,
                    Some("owner"),
                    Some(owner.clone()),
                    Some(actual_owner.clone()),
                    e.line,
                ));
            }
        }
        if let Some(grants) = &e.grants {
            let empty = BTreeMap::new();
            let actual_grants = a.grants.as_ref().unwrap_or(&empty);
            diff_grants(roles, securable, e.line, grants, actual_grants, out);
        }
    }
    // Columns with grants the file does not declare, on tables that declare theirs.
    for (securable, a) in &act.objects {
        if securable.kind != SecurableKind::Column || compared.contains(securable) {
            continue;
        }
        let table = Securable::new(
            SecurableKind::Table,
            &securable.schema,
            securable.name.as_deref(),
        );
        let Some(e) = exp.objects.get(&table).filter(|t| t.grants.is_some()) else {
            continue;
        };
        if let Some(grants) = &a.grants {
            diff_grants(roles, securable, e.line, &BTreeMap::new(), grants, out);
        }
    }
}

/// Whether the table of a column, or the schema of default privileges, is there.
fn parent_present(actual: &Schema, securable: &Securable) -> bool {
    let Some(ns) = actual.schemas.get(&securable.schema) else {
        return false;
    };
    match securable.kind {
        SecurableKind::Column => securable
            .name
            .as_ref()
            .and_then(|t| ns.tables.get(t))
            .is_some_and(|t| {
                t.columns
                    .iter()
                    .any(|c| Some(&c.name) == securable.column.as_ref())
            }),
        _ => true,
    }
}

fn diff_grants(
    roles: &BTreeSet<String>,
    securable: &Securable,
    line: Line,
    expected: &BTreeMap<String, Grant>,
    actual: &BTreeMap<String, Grant>,
    out: &mut Vec<Mismatch>,
) {
    let all = securable.all();
    let grant_type = match securable.kind {
        SecurableKind::DefaultPrivileges => ObjectType::DefaultPrivileges,
        _ => ObjectType::Grant,
    };
    for role in roles {
        // `role: []` declares that it holds nothing, as leaving it out does.
        let e = expected.get(role).filter(|g| !g.privileges.is_empty());
        let a = actual.get(role).filter(|g| !g.privileges.is_empty());
        let at = e.and_then(|g| g.line).or(line);
        let with_option = |g: &Grant| {
            let mut text = render_privileges(&g.privileges, all);
            if !g.grantable.is_empty() {
                text.push_str(" (WITH GRANT OPTION: ");
                text.push_str(&render_privileges(&g.grantable, all));
                text.push(')');
            }
            text
        };
        let push = |out: &mut Vec<Mismatch>, change, attribute, expected, actual| {
            out.push(mismatch(
                securable,
                grant_type,
                Some(role),
                change,
                attribute,
                expected,
                actual,
                at,
            ))
        };
        match (e, a) {
            (None, None) => {}
            (Some(e), None) => push(out, Change::Missing, None, Some(with_option(e)), None),
            (None, Some(a)) => push(out, Change::Unexpected, None, None, Some(with_option(a))),
            (Some(e), Some(a)) => {
                if e.privileges != a.privileges {
                    push(
                        out,
                        Change::Changed,
                        Some("privileges"),
                        Some(render_privileges(&e.privileges, all)),
                        Some(render_privileges(&a.privileges, all)),
                    );
                }
                // A grant option on a privilege no longer held is not a
                // second difference.
                let held = |g: &Grant| -> BTreeSet<String> {
                    if a.privileges.contains("ALL") && e.privileges.contains("ALL") {
                        g.grantable.clone()
                    } else {
                        g.grantable
                            .iter()
                            .filter(|p| {
                                (e.privileges.contains(*p) || e.privileges.contains("ALL"))
                                    && (a.privileges.contains(*p) || a.privileges.contains("ALL"))
                            })
                            .cloned()
                            .collect()
                    }
                };
                let (eg, ag) = (held(e), held(a));
                if eg != ag {
                    push(
                        out,
                        Change::Changed,
                        Some("grant_option"),
                        Some(render_privileges(&eg, all)),
                        Some(render_privileges(&ag, all)),
                    );
                }
            }
        }
    }
}

fn object_type(securable: &Securable) -> ObjectType {
    match securable.kind {
        SecurableKind::Schema => ObjectType::Schema,
        SecurableKind::Table => ObjectType::Table,
        SecurableKind::Column => ObjectType::Column,
        SecurableKind::Sequence => ObjectType::Sequence,
        SecurableKind::Function => ObjectType::Function,
        SecurableKind::View => ObjectType::View,
        SecurableKind::Type => ObjectType::Type,
        SecurableKind::DefaultPrivileges => ObjectType::DefaultPrivileges,
        SecurableKind::Database => ObjectType::Grant,
    }
}

#[allow(clippy::too_many_arguments)]
fn mismatch(
    securable: &Securable,
    object_type: ObjectType,
    role: Option<&String>,
    change: Change,
    attribute: Option<&str>,
    expected: Option<String>,
    actual: Option<String>,
    line: Line,
) -> Mismatch {
    let mut object = securable.display();
    let mut path = securable.path();
    if let Some(role) = role {
        object.push_str(" TO ");
        object.push_str(role);
        path.push(role.clone());
    }
    let table = match securable.kind {
        SecurableKind::Table | SecurableKind::Column => securable
            .name
            .as_ref()
            .map(|t| QualifiedName::new(securable.schema.clone(), t.clone())),
        _ => None,
    };
    Mismatch {
        object,
        object_type,
        change,
        attribute: attribute.map(str::to_string),
        expected,
        actual,
        line,
        table,
        path,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    use crate::model::{Acl, Grant, Namespace, Schema, Securable};

    fn parse(text: &str) -> Schema {
        crate::expected::parse(text, Path::new("expected_schema.yaml")).unwrap()
    }

    /// A server whose schema `dp` holds `objects`, with roles ro, c1, c2, app.
    fn server(objects: Vec<(Securable, &str, &[&str])>) -> Schema {
        let mut actual = Schema::default();
        actual.schemas.insert("dp".into(), Namespace::default());
        let p = &mut actual.privileges;
        p.roles = ["ro", "c1", "c2", "app"].map(String::from).into();
        p.database = Some("real_name".into());
        for (securable, role, privileges) in objects {
            let all = securable.all();
            let grant = Grant {
                line: None,
                privileges: crate::model::canonical_privileges(privileges.iter().copied(), all),
                grantable: BTreeSet::new(),
            };
            p.objects.insert(
                securable,
                Acl {
                    line: None,
                    owner: None,
                    grants: Some(BTreeMap::from([(role.to_string(), grant)])),
                },
            );
        }
        actual
    }

    fn found(expected: &Schema, actual: &Schema) -> Vec<(String, String, Option<u32>)> {
        crate::diff::diff(expected, actual)
            .into_iter()
            .map(|m| (m.change.to_string(), m.object, m.line))
            .collect()
    }

    /// Default privileges without `for_role:` are every creator's merged, as
    /// they always were; under `for_role:` one creator's exactly, and those
    /// creators are then left out of the merged ones.
    #[test]
    fn default_privileges_merge_creators_unless_for_role_names_one() {
        let actual = server(vec![(
            Securable::defaults("dp", "tables", Some("c2")),
            "ro",
            &["SELECT"],
        )]);
        let head = "version: 1\nroles: [ro]\nschemas:\n  dp:\n    default_privileges:\n";
        let merged = parse(&format!("{head}      tables: {{ro: [SELECT]}}\n"));
        assert_eq!(found(&merged, &actual), vec![]);
        let c1 = parse(&format!(
            "{head}      for_role:\n        c1:\n          tables: {{ro: [SELECT]}}\n"
        ));
        assert_eq!(
            found(&c1, &actual),
            vec![(
                "missing".into(),
                "dp TABLES FOR ROLE c1 TO ro".into(),
                Some(8)
            )]
        );
        let both = parse(&format!(
            "{head}      tables: {{ro: [SELECT]}}\n      for_role:\n        c2: {{tables: {{ro: [SELECT]}}}}\n"
        ));
        assert_eq!(
            found(&both, &actual),
            vec![("missing".into(), "dp TABLES TO ro".into(), Some(6))]
        );
        // A creator the server lacks is not compared (a note says so).
        let absent = parse(&format!(
            "{head}      for_role:\n        nobody: {{tables: {{ro: [SELECT]}}}}\n"
        ));
        assert_eq!(found(&absent, &actual), vec![]);
        assert_eq!(
            absent.privileges.absent_roles(&actual.privileges),
            vec!["nobody".to_string()]
        );
    }

    /// The database's grants compare whatever its name; `TEMP` is TEMPORARY.
    #[test]
    fn database_grants_compare_on_the_connected_database() {
        let actual = server(vec![(
            Securable::database(),
            "app",
            &["CONNECT", "TEMPORARY"],
        )]);
        let file = |list: &str| {
            parse(&format!(
                "version: 1\nroles: [app]\ndatabase:\n  grants: {{app: {list}}}\nschemas: {{}}\n"
            ))
        };
        assert_eq!(found(&file("[connect, temp]"), &actual), vec![]);
        let all = file("ALL");
        assert_eq!(
            found(&all, &actual),
            vec![("changed".into(), "DATABASE TO app".into(), Some(4))]
        );
        let ms = crate::diff::diff(&all, &actual);
        let sql: Vec<String> = crate::sqlgen::repair(&all, &actual, &ms)
            .into_iter()
            .map(|s| s.sql)
            .collect();
        assert_eq!(
            sql,
            vec![
                "REVOKE ALL ON DATABASE real_name FROM app".to_string(),
                "GRANT ALL ON DATABASE real_name TO app".to_string()
            ]
        );
    }

    /// `--sql` names the creator of default privileges given `for_role:`.
    #[test]
    fn default_privileges_for_role_are_repaired_for_that_role() {
        let actual = server(vec![]);
        let expected = parse(
            "version: 1\nroles: [ro]\nschemas:\n  dp:\n    default_privileges:\n      for_role:\n        c1: {sequences: {ro: [USAGE]}}\n",
        );
        let ms = crate::diff::diff(&expected, &actual);
        assert_eq!(ms.len(), 1, "{ms:#?}");
        let sql: Vec<String> = crate::sqlgen::repair(&expected, &actual, &ms)
            .into_iter()
            .map(|s| s.sql)
            .collect();
        assert_eq!(
            sql,
            vec![
                "ALTER DEFAULT PRIVILEGES FOR ROLE c1 IN SCHEMA dp REVOKE ALL ON SEQUENCES FROM ro"
                    .to_string(),
                "ALTER DEFAULT PRIVILEGES FOR ROLE c1 IN SCHEMA dp GRANT USAGE ON SEQUENCES TO ro"
                    .to_string()
            ]
        );
    }
}
