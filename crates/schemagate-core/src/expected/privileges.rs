//! The opt-in privileges of an expected file: `roles:` at the top, and
//! `owner:`, `grants:` and `default_privileges:` on the objects, collected
//! into [`Privileges`] as `build` walks the file.

use std::collections::BTreeMap;

use serde_saphyr::Spanned;

use super::document::{ClassGrants, DefaultPrivilegesDoc, Entries, GrantsDoc, PrivilegeList};
use super::validate::{at, line_of, Located};
use super::yaml_text::{flow_list, scalar, Fields};
use crate::model::{
    canonical_privileges, canonical_role, render_privileges, Acl, Grant, Privileges, Securable,
    SecurableKind, DEFAULT_PRIVILEGE_CLASSES,
};

/// Gathers each object's owner and grants; [`Collector::finish`] checks
/// them against `roles:`.
#[derive(Default)]
pub(super) struct Collector {
    objects: BTreeMap<Securable, Acl>,
    /// Where each grant's role is named, to point at one not in `roles:`.
    named: Vec<(String, Located)>,
}

impl Collector {
    /// Records what an object at `line` declares (nothing if neither is given).
    pub(super) fn object(
        &mut self,
        securable: Securable,
        line: crate::model::Line,
        owner: Option<Spanned<String>>,
        grants: Option<GrantsDoc>,
    ) -> Result<(), Located> {
        if owner.is_none() && grants.is_none() {
            return Ok(());
        }
        let grants = match grants {
            Some(g) => Some(self.grants(&securable, g.value)?),
            None => None,
        };
        self.objects.insert(
            securable,
            Acl {
                line,
                owner: owner.map(|o| o.value),
                grants,
            },
        );
        Ok(())
    }

    /// `default_privileges:` of schema `schema`: class -> grants, for no
    /// role in particular and, under `for_role:`, for each creator role.
    pub(super) fn defaults(
        &mut self,
        schema: &str,
        doc: Spanned<DefaultPrivilegesDoc>,
    ) -> Result<(), Located> {
        let DefaultPrivilegesDoc { classes, for_role } = doc.value;
        self.default_classes(schema, None, classes)?;
        for (creator, classes) in for_role {
            if creator.value.eq_ignore_ascii_case("public") {
                return Err(at(
                    &creator,
                    "PUBLIC creates no objects: `for_role:` names the role whose new \
                     objects the default privileges apply to",
                ));
            }
            self.default_classes(schema, Some(&creator.value), classes)?;
        }
        Ok(())
    }

    fn default_classes(
        &mut self,
        schema: &str,
        creator: Option<&str>,
        classes: ClassGrants,
    ) -> Result<(), Located> {
        for (class, grants) in classes {
            let name = class.value.to_lowercase();
            if !DEFAULT_PRIVILEGE_CLASSES.contains(&name.as_str()) {
                return Err(at(
                    &class,
                    format!(
                        "unknown class {:?} of default privileges; expected one of {}{}",
                        class.value,
                        DEFAULT_PRIVILEGE_CLASSES.join(", "),
                        if creator.is_none() {
                            ", or for_role"
                        } else {
                            ""
                        }
                    ),
                ));
            }
            let securable = Securable::defaults(schema, &name, creator);
            let grants = self.grants(&securable, grants)?;
            self.objects.insert(
                securable,
                Acl {
                    line: line_of(&class),
                    owner: None,
                    grants: Some(grants),
                },
            );
        }
        Ok(())
    }

    fn grants(
        &mut self,
        securable: &Securable,
        doc: Entries<PrivilegeList>,
    ) -> Result<BTreeMap<String, Grant>, Located> {
        let all = securable.all();
        let mut out = BTreeMap::new();
        for (role, list) in doc.0 {
            let items = list.items();
            for (name, _) in &items {
                let known = name == "ALL"
                    || name == "ALL PRIVILEGES"
                    || all.contains(&name.as_str())
                    || (name == "MAINTAIN" && all.contains(&"TRIGGER"))
                    || (name == "TEMP" && all.contains(&"TEMPORARY"));
                if !known {
                    return Err(at(
                        &role,
                        format!(
                            "{name:?} is not a privilege on a {}; expected ALL or some of {}",
                            kind_name(securable),
                            all.join(", ")
                        ),
                    ));
                }
            }
            let privileges = canonical_privileges(items.iter().map(|(p, _)| p.as_str()), all);
            let grantable = canonical_privileges(
                items.iter().filter(|(_, g)| *g).map(|(p, _)| p.as_str()),
                all,
            );
            let name = canonical_role(&role.value);
            self.named.push((name.clone(), at(&role, "")));
            out.insert(
                name,
                Grant {
                    line: line_of(&role),
                    privileges,
                    grantable,
                },
            );
        }
        Ok(out)
    }

    /// The privileges, once every grant names a role of `roles:`.
    pub(super) fn finish(self, roles: Option<Spanned<Vec<String>>>) -> Result<Privileges, Located> {
        let line = roles.as_ref().and_then(line_of_some);
        let roles: std::collections::BTreeSet<String> = roles
            .map(|r| r.value.iter().map(|r| canonical_role(r)).collect())
            .unwrap_or_default();
        for (role, place) in self.named {
            if !roles.contains(&role) {
                return Err(Located {
                    message: format!(
                        "grants to {role} are declared, but the top-level `roles:` does not \
                         list it; add it there (only the grants to those roles are compared)"
                    ),
                    ..place
                });
            }
        }
        Ok(Privileges {
            roles,
            line,
            objects: self.objects,
            database: None,
        })
    }
}

fn line_of_some<T>(span: &Spanned<T>) -> crate::model::Line {
    line_of(span)
}

fn kind_name(securable: &Securable) -> String {
    match securable.kind {
        SecurableKind::DefaultPrivileges => {
            format!(
                "{} (default privileges)",
                securable.name.as_deref().unwrap_or("")
            )
        }
        kind => format!("{kind:?}").to_lowercase(),
    }
}

/// `owner` and `grants` of `securable` as the snapshot writes them: the
/// owner when known, and the grants to the file's roles (`{}` for none,
/// which declares that there are none; a column's only when it has some).
pub(super) fn acl_fields(privileges: &Privileges, securable: &Securable) -> Fields {
    let mut fields = Fields::new();
    let Some(acl) = privileges.objects.get(securable) else {
        return fields;
    };
    if let Some(owner) = &acl.owner {
        fields.push(("owner", scalar(owner)));
    }
    if let Some(grants) = &acl.grants {
        let value = grants_value(privileges, securable, grants);
        if !(value == "{}" && securable.kind == SecurableKind::Column) {
            fields.push(("grants", value));
        }
    }
    fields
}

/// The grants to the file's roles as a flow mapping: role -> privileges.
pub(super) fn grants_value(
    privileges: &Privileges,
    securable: &Securable,
    grants: &BTreeMap<String, Grant>,
) -> String {
    let all = securable.all();
    let entries: Vec<String> = grants
        .iter()
        .filter(|(role, g)| privileges.roles.contains(*role) && !g.privileges.is_empty())
        .map(|(role, g)| {
            let items = grant_items(g, all);
            let value = match items.as_slice() {
                [one] if one == "ALL" => one.clone(),
                _ => flow_list(&items),
            };
            format!("{}: {value}", scalar(role))
        })
        .collect();
    format!("{{{}}}", entries.join(", "))
}

/// A grant as the file lists it: `ALL`, or each privilege, those held WITH
/// GRANT OPTION saying so.
fn grant_items(g: &Grant, all: &[&str]) -> Vec<String> {
    let every = g.privileges.contains("ALL");
    if every && g.grantable.contains("ALL") {
        return vec!["ALL WITH GRANT OPTION".to_string()];
    }
    if every && g.grantable.is_empty() {
        return vec!["ALL".to_string()];
    }
    let held: Vec<String> = if every {
        all.iter().map(|p| p.to_string()).collect()
    } else {
        render_privileges(&g.privileges, all)
            .split(", ")
            .map(str::to_string)
            .collect()
    };
    held.into_iter()
        .map(|p| {
            if g.grantable.contains(&p) || g.grantable.contains("ALL") {
                format!("{p} WITH GRANT OPTION")
            } else {
                p
            }
        })
        .collect()
}

/// `default_privileges:` of schema `schema`, one line per class: first
/// those for no role in particular, then `for_role:` and each creator's.
pub(super) fn default_privileges_lines(privileges: &Privileges, schema: &str) -> Vec<String> {
    let class_lines = |creator: Option<&str>, indent: &str| -> Vec<String> {
        let mut out = Vec::new();
        for class in DEFAULT_PRIVILEGE_CLASSES {
            let securable = Securable::defaults(schema, class, creator);
            let Some(grants) = privileges
                .objects
                .get(&securable)
                .and_then(|a| a.grants.as_ref())
            else {
                continue;
            };
            let value = grants_value(privileges, &securable, grants);
            if value != "{}" {
                out.push(format!("{indent}{class}: {value}"));
            }
        }
        out
    };
    let mut out = class_lines(None, "");
    let creators: std::collections::BTreeSet<&String> = privileges
        .objects
        .keys()
        .filter(|s| s.kind == SecurableKind::DefaultPrivileges && s.schema == schema)
        .filter_map(|s| s.creator.as_ref())
        .collect();
    let mut for_role = Vec::new();
    for creator in creators {
        let lines = class_lines(Some(creator), "    ");
        if !lines.is_empty() {
            for_role.push(format!("  {}:", super::yaml_text::key(creator)));
            for_role.extend(lines);
        }
    }
    if !for_role.is_empty() {
        out.push("for_role:".to_string());
        out.extend(for_role);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::model::{Securable, SecurableKind};

    fn parse(text: &str) -> Result<crate::model::Schema, String> {
        crate::expected::parse(text, Path::new("expected_schema.yaml")).map_err(|e| e.to_string())
    }

    /// The README's example of privileges loads, as documented.
    #[test]
    fn readme_example_loads() {
        let readme =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
                .unwrap();
        let section = &readme[readme.find("### Privileges and owners").unwrap()..];
        let start = section.find("```yaml\n").unwrap() + 8;
        let text = &section[start..start + section[start..].find("```").unwrap()];
        let schema = parse(text).unwrap();
        let p = &schema.privileges;
        assert_eq!(p.roles.len(), 3);
        let column = Securable::column("public", "audit_log", "secret");
        assert!(p.objects[&column]
            .grants
            .as_ref()
            .unwrap()
            .contains_key("reporting"));
        let defaults = Securable::new(SecurableKind::DefaultPrivileges, "public", Some("tables"));
        assert!(p.objects.contains_key(&defaults));
        for documented in [
            Securable::defaults("public", "tables", Some("app_owner")),
            Securable::database(),
            Securable::new(SecurableKind::Type, "public", Some("address")),
        ] {
            assert!(p.objects.contains_key(&documented), "{documented:?}");
        }
    }

    /// A grant to a role `roles:` does not list is an error at its line; so
    /// is a privilege the object's kind does not have.
    #[test]
    fn grants_name_listed_roles_and_known_privileges() {
        let base =
            "version: 1\nroles: [app]\nschemas:\n  public:\n    sequences:\n      s: {grants: ";
        let err = parse(&format!("{base}{{bob: ALL}}}}\n")).unwrap_err();
        assert!(err.contains(":6:") && err.contains("roles:"), "{err}");
        let err = parse(&format!("{base}{{app: [EXECUTE]}}}}\n")).unwrap_err();
        assert!(err.contains(":6:") && err.contains("EXECUTE"), "{err}");
        assert!(parse(&format!("{base}{{app: \"usage, select\"}}}}\n")).is_ok());
    }

    /// A composite type is the plain attribute map it always was (an
    /// attribute may be called `owner` or `grants`), or `{attributes, owner,
    /// grants}`; beside `attributes:` nothing else is accepted.
    #[test]
    fn composite_types_take_grants_beside_attributes() {
        let doc = |entry: &str| {
            format!("version: 1\nroles: [app]\nschemas:\n  public:\n    composite_types:\n      pair: {entry}\n")
        };
        let plain = parse(&doc("{a: integer, owner: text, grants: integer}")).unwrap();
        let attributes = &plain.schemas["public"].composite_types["pair"].attributes;
        let names: Vec<&str> = attributes.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a", "owner", "grants"]);
        assert!(plain.privileges.objects.is_empty());

        let full = parse(&doc(
            "{attributes: {a: integer}, owner: app, grants: {app: ALL}}",
        ))
        .unwrap();
        assert_eq!(
            full.schemas["public"].composite_types["pair"]
                .attributes
                .len(),
            1
        );
        let acl =
            &full.privileges.objects[&Securable::new(SecurableKind::Type, "public", Some("pair"))];
        assert_eq!(acl.owner.as_deref(), Some("app"));
        assert_eq!(acl.line, Some(6));
        assert!(acl.grants.as_ref().unwrap().contains_key("app"));

        let err = parse(&doc("{attributes: {a: integer}, b: text}")).unwrap_err();
        assert!(err.contains("unknown field `b`"), "{err}");
        let err = parse(&doc("{a: integer, grants: {app: ALL}}")).unwrap_err();
        assert!(err.contains("attributes:"), "{err}");
    }

    /// Written by the snapshot writer, each form reads back the same.
    #[test]
    fn composite_grants_and_for_role_round_trip_through_the_writer() {
        let text = "version: 1\nroles: [app]\ndatabase: {grants: {app: [CONNECT]}}\nschemas:\n  public:\n    default_privileges:\n      tables: {app: ALL}\n      for_role:\n        maker: {sequences: {app: [USAGE]}}\n    composite_types:\n      pair: {attributes: {a: integer}, owner: app, grants: {app: ALL}}\n";
        let first = parse(text).unwrap();
        let written = crate::expected::to_yaml(&first);
        assert!(
            written.contains("database: {grants: {app: [CONNECT]}}"),
            "{written}"
        );
        assert!(
            written
                .contains("      for_role:\n        maker:\n          sequences: {app: [USAGE]}\n"),
            "{written}"
        );
        let second = parse(&written).unwrap();
        let strip = |s: &crate::model::Schema| {
            let mut p = s.privileges.clone();
            p.line = None;
            for acl in p.objects.values_mut() {
                acl.line = None;
                for g in acl.grants.iter_mut().flat_map(|g| g.values_mut()) {
                    g.line = None;
                }
            }
            p
        };
        assert_eq!(strip(&first), strip(&second));
        assert_eq!(crate::diff::diff(&first, &second), vec![]);
    }
}
