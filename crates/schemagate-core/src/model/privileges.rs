//! Privileges and owners, compared only when the expected file declares
//! them (opt-in): the roles the file speaks for, and per object its owner
//! and its grants to those roles.
//!
//! They live beside the namespaces rather than in each object so that an
//! object kind carries no privilege field: one map keyed by [`Securable`]
//! holds the schemas', tables', columns', sequences', functions', views'
//! and types' (composite types' too) grants, each schema's default
//! privileges (`ALTER DEFAULT PRIVILEGES`, per creator role as read from a
//! server, merged or per `for_role:` in a file) and the connected
//! database's grants.

use std::collections::{BTreeMap, BTreeSet};

use super::names::quote_ident;
use super::Line;

/// The privileges part of a schema: empty when the file declares none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Privileges {
    /// The roles the file speaks for (`roles:`); `PUBLIC` is one. Grants
    /// to other roles are never compared. Read from a server: every role
    /// it has (`snapshot` then keeps those granted something).
    pub roles: BTreeSet<String>,
    /// The line of `roles:`.
    pub line: Line,
    pub objects: BTreeMap<Securable, Acl>,
    /// The name of the database read (from a server only): database grants
    /// are the connected database's, whatever its name, and `--sql` names it.
    pub database: Option<String>,
}

impl Privileges {
    /// Whether anything is to be compared (and so read from the catalog).
    pub fn declared(&self) -> bool {
        !self.roles.is_empty() || self.objects.values().any(|a| a.owner.is_some())
    }

    /// The roles of `self` (expected) that the server read into `actual`
    /// does not have: their grants cannot be compared there (a throwaway
    /// server built without `--bootstrap` has no application role).
    /// Empty when `actual` was read without privileges.
    pub fn absent_roles(&self, actual: &Privileges) -> Vec<String> {
        if actual.roles.is_empty() {
            return Vec::new();
        }
        let owners = self.objects.values().filter_map(|a| a.owner.as_ref());
        let creators = self.objects.keys().filter_map(|s| s.creator.as_ref());
        let absent: BTreeSet<&String> = self
            .roles
            .iter()
            .chain(owners)
            .chain(creators)
            .filter(|r| *r != "PUBLIC" && !actual.roles.contains(*r))
            .collect();
        absent.into_iter().cloned().collect()
    }

    /// The default privileges `securable` (a schema's, for a class, for no
    /// role in particular) stands for in `self` (read from a server): those
    /// of every creator role merged, but of the roles `declared` names for
    /// the same schema and class (`for_role:`), which are compared apart.
    pub fn merged_defaults(&self, securable: &Securable, declared: &Privileges) -> Acl {
        let mut grants: BTreeMap<String, Grant> = BTreeMap::new();
        let same = |s: &Securable| {
            s.kind == SecurableKind::DefaultPrivileges
                && s.schema == securable.schema
                && s.name == securable.name
        };
        let named: BTreeSet<&String> = declared
            .objects
            .keys()
            .filter(|s| same(s))
            .filter_map(|s| s.creator.as_ref())
            .collect();
        for (s, acl) in &self.objects {
            if !same(s) || s.creator.as_ref().is_some_and(|c| named.contains(c)) {
                continue;
            }
            for (role, g) in acl.grants.iter().flatten() {
                let merged = grants.entry(role.clone()).or_default();
                merged.privileges.extend(g.privileges.iter().cloned());
                merged.grantable.extend(g.grantable.iter().cloned());
            }
        }
        let all = securable.all();
        for g in grants.values_mut() {
            g.privileges = canonical_privileges(g.privileges.iter().map(String::as_str), all);
            g.grantable = canonical_privileges(g.grantable.iter().map(String::as_str), all);
        }
        Acl {
            line: None,
            owner: None,
            grants: Some(grants),
        }
    }
}

/// What privileges can be granted on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SecurableKind {
    Schema,
    Table,
    Column,
    Sequence,
    Function,
    View,
    Type,
    /// A schema's default privileges on objects of the class `name` names
    /// (`tables`, `sequences`, `functions`, `types`, `schemas`).
    DefaultPrivileges,
    /// The connected database (`GRANT CONNECT ON DATABASE`), whatever its
    /// name: a throwaway server's database is not named as the real one.
    Database,
}

impl SecurableKind {
    /// Every privilege of the kind, in PostgreSQL's order, and so what
    /// `ALL` stands for. `MAINTAIN` (PostgreSQL 17+) is left out: `ALL`
    /// means the same on every version.
    pub fn all(self, class: Option<&str>) -> &'static [&'static str] {
        match self {
            SecurableKind::Schema => &["USAGE", "CREATE"],
            SecurableKind::Table | SecurableKind::View => &[
                "SELECT",
                "INSERT",
                "UPDATE",
                "DELETE",
                "TRUNCATE",
                "REFERENCES",
                "TRIGGER",
            ],
            SecurableKind::Column => &["SELECT", "INSERT", "UPDATE", "REFERENCES"],
            SecurableKind::Sequence => &["USAGE", "SELECT", "UPDATE"],
            SecurableKind::Function => &["EXECUTE"],
            SecurableKind::Type => &["USAGE"],
            SecurableKind::Database => &["CREATE", "TEMPORARY", "CONNECT"],
            SecurableKind::DefaultPrivileges => match class {
                Some("tables") => SecurableKind::Table.all(None),
                Some("sequences") => SecurableKind::Sequence.all(None),
                Some("functions") => SecurableKind::Function.all(None),
                Some("types") => SecurableKind::Type.all(None),
                _ => SecurableKind::Schema.all(None),
            },
        }
    }

    /// The SQL keyword of `GRANT ... ON <keyword> name`.
    pub fn keyword(self) -> &'static str {
        match self {
            SecurableKind::Schema => "SCHEMA",
            SecurableKind::Table | SecurableKind::View | SecurableKind::Column => "TABLE",
            SecurableKind::Sequence => "SEQUENCE",
            SecurableKind::Function => "FUNCTION",
            SecurableKind::Type => "TYPE",
            SecurableKind::Database => "DATABASE",
            SecurableKind::DefaultPrivileges => "",
        }
    }
}

/// The classes `default_privileges:` accepts, as `ALTER DEFAULT
/// PRIVILEGES ... ON <CLASS>` names them (lower case).
pub const DEFAULT_PRIVILEGE_CLASSES: [&str; 5] =
    ["tables", "sequences", "functions", "types", "schemas"];

/// One object privileges are granted on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Securable {
    pub schema: String,
    pub kind: SecurableKind,
    /// The object's name (a function's signature); `None` for a schema; the
    /// class for default privileges.
    pub name: Option<String>,
    /// For a column: its name (`name` is the table).
    pub column: Option<String>,
    /// For default privileges: the role whose new objects they apply to
    /// (`ALTER DEFAULT PRIVILEGES FOR ROLE`). Always known when read from a
    /// server; `None` in a file means every such role, merged.
    pub creator: Option<String>,
}

impl Securable {
    pub fn new(kind: SecurableKind, schema: &str, name: Option<&str>) -> Securable {
        Securable {
            schema: schema.to_string(),
            kind,
            name: name.map(str::to_string),
            column: None,
            creator: None,
        }
    }

    /// The connected database.
    pub fn database() -> Securable {
        Securable::new(SecurableKind::Database, "", None)
    }

    /// Default privileges of `schema` on `class` for the objects `creator`
    /// creates (all creators merged for `None`).
    pub fn defaults(schema: &str, class: &str, creator: Option<&str>) -> Securable {
        Securable {
            creator: creator.map(str::to_string),
            ..Securable::new(SecurableKind::DefaultPrivileges, schema, Some(class))
        }
    }

    pub fn column(schema: &str, table: &str, column: &str) -> Securable {
        Securable {
            schema: schema.to_string(),
            kind: SecurableKind::Column,
            name: Some(table.to_string()),
            column: Some(column.to_string()),
            creator: None,
        }
    }

    /// Quoted where needed: `public.users`, `public.users.email`,
    /// `public.f(integer)`, `public` (default privileges: `public TABLES`,
    /// or `public TABLES FOR ROLE app_owner`), `DATABASE`.
    pub fn display(&self) -> String {
        if self.kind == SecurableKind::Database {
            return "DATABASE".to_string();
        }
        let mut out = quote_ident(&self.schema);
        match (self.kind, &self.name) {
            (SecurableKind::DefaultPrivileges, Some(class)) => {
                out.push(' ');
                out.push_str(&class.to_uppercase());
            }
            (SecurableKind::Function, Some(signature)) => {
                out.push('.');
                out.push_str(signature);
            }
            (_, Some(name)) => {
                out.push('.');
                out.push_str(&quote_ident(name));
            }
            (_, None) => {}
        }
        if let Some(column) = &self.column {
            out.push('.');
            out.push_str(&quote_ident(column));
        }
        if let Some(creator) = &self.creator {
            out.push_str(" FOR ROLE ");
            out.push_str(&quote_ident(creator));
        }
        out
    }

    /// Unquoted name parts, for `ignore` globs.
    pub fn path(&self) -> Vec<String> {
        if self.kind == SecurableKind::Database {
            return vec!["DATABASE".to_string()];
        }
        let mut out = vec![self.schema.clone()];
        out.extend(self.name.clone());
        out.extend(self.column.clone());
        out
    }

    /// Every privilege of the object's kind: what `ALL` stands for.
    pub fn all(&self) -> &'static [&'static str] {
        self.kind.all(self.name.as_deref())
    }
}

/// An object's owner and grants.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Acl {
    pub line: Line,
    /// Compared when the expected side gives it.
    pub owner: Option<String>,
    /// By grantee (`PUBLIC` for everyone); `None` when the expected file
    /// declares no `grants:` here (then they are not compared).
    pub grants: Option<BTreeMap<String, Grant>>,
}

/// What one role holds on one object.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Grant {
    pub line: Line,
    /// Canonical ([`canonical_privileges`]): `{"ALL"}` when it is all.
    pub privileges: BTreeSet<String>,
    /// Those held WITH GRANT OPTION, canonical the same way.
    pub grantable: BTreeSet<String>,
}

/// A set of privilege names in canonical form: upper case, and `{"ALL"}`
/// when it holds every privilege of `all` (extra ones, such as MAINTAIN on
/// PostgreSQL 17+, included).
pub fn canonical_privileges<'a>(
    names: impl IntoIterator<Item = &'a str>,
    all: &[&str],
) -> BTreeSet<String> {
    let set: BTreeSet<String> = names
        .into_iter()
        .map(|n| n.trim().to_uppercase())
        .map(|n| match n.as_str() {
            "ALL PRIVILEGES" => "ALL".to_string(),
            "TEMP" => "TEMPORARY".to_string(),
            _ => n,
        })
        .filter(|n| !n.is_empty())
        .collect();
    if set.contains("ALL") || (!all.is_empty() && all.iter().all(|p| set.contains(*p))) {
        return BTreeSet::from(["ALL".to_string()]);
    }
    set
}

/// A privilege set as text, in PostgreSQL's order (`SELECT, INSERT`).
pub fn render_privileges(set: &BTreeSet<String>, all: &[&str]) -> String {
    if set.is_empty() {
        return "none".to_string();
    }
    let mut names: Vec<&str> = all.iter().copied().filter(|p| set.contains(*p)).collect();
    names.extend(set.iter().map(String::as_str).filter(|p| !all.contains(p)));
    names.join(", ")
}

/// A role name as the file writes it: `PUBLIC` in capitals whatever the
/// case, other roles as given.
pub fn canonical_role(role: &str) -> String {
    if role.eq_ignore_ascii_case("public") {
        "PUBLIC".to_string()
    } else {
        role.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_set_is_all_and_maintain_does_not_matter() {
        let all = SecurableKind::Table.all(None);
        let mut names = all.to_vec();
        names.push("MAINTAIN");
        assert_eq!(
            canonical_privileges(names, all),
            BTreeSet::from(["ALL".into()])
        );
        let some = canonical_privileges(["insert", "select"], all);
        assert_eq!(render_privileges(&some, all), "SELECT, INSERT");
    }
}
