//! The serde types of `expected_schema.yaml`, as written: each key keeps its
//! location, unknown keys are rejected, and compact forms (a bare type, a
//! column list) sit beside the full mappings. `build` turns them into the model.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;

pub(super) use super::forms::{Entries, OneOrMap, SqlText};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileDoc {
    pub(super) version: Option<Spanned<u32>>,
    #[serde(default)]
    pub(super) ignore: Vec<String>,
    /// Rule id -> `error` | `warning` | `off`.
    pub(super) safety: Option<Entries<Spanned<String>>>,
    /// The roles whose grants are compared (opt-in privileges).
    pub(super) roles: Option<Spanned<Vec<String>>>,
    /// The connected database's grants (opt-in privileges).
    pub(super) database: Option<Spanned<DatabaseDoc>>,
    #[serde(default)]
    pub(super) ignore_kinds: Vec<Spanned<String>>,
    pub(super) schemas: Option<Entries<Option<NamespaceDoc>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct NamespaceDoc {
    pub(super) comment: Option<String>,
    pub(super) owner: Option<Spanned<String>>,
    pub(super) grants: Option<GrantsDoc>,
    /// Class (`tables`, ...) -> grants, as `ALTER DEFAULT PRIVILEGES` sets
    /// them, and `for_role:` role -> class -> grants.
    pub(super) default_privileges: Option<Spanned<DefaultPrivilegesDoc>>,
    #[serde(default)]
    pub(super) tables: Entries<Option<TableDoc>>,
    #[serde(default)]
    pub(super) views: Entries<OneOrMap<SqlText, ViewDoc>>,
    #[serde(default)]
    pub(super) sequences: Entries<Option<SequenceDoc>>,
    #[serde(default)]
    /// The labels, or `{values, owner, grants}`.
    pub(super) enums: Entries<OneOrMap<Vec<String>, EnumDoc>>,
    #[serde(default)]
    pub(super) domains: Entries<OneOrMap<String, DomainDoc>>,
    #[serde(default)]
    pub(super) functions: Entries<Option<FunctionDoc>>,
    #[serde(default)]
    pub(super) composite_types: Entries<CompositeDoc>,
    #[serde(default)]
    pub(super) extensions: Entries<Option<ExtensionDoc>>,
    #[serde(default)]
    pub(super) collations: Entries<CollationDoc>,
    #[serde(default)]
    pub(super) statistics: Entries<StatisticsDoc>,
    #[serde(default)]
    pub(super) foreign_tables: Entries<ForeignTableDoc>,
}

/// The top-level `database:`: the connected database's grants.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DatabaseDoc {
    pub(super) grants: Option<GrantsDoc>,
}

/// One class's grants of `default_privileges:` (class -> role -> privileges).
pub(super) type ClassGrants = Vec<(Spanned<String>, Entries<PrivilegeList>)>;

/// A schema's `default_privileges:`: class -> grants for no role in
/// particular (every creator's merged), and under `for_role:` the creator
/// role -> class -> grants (`ALTER DEFAULT PRIVILEGES FOR ROLE`).
#[derive(Default)]
pub(super) struct DefaultPrivilegesDoc {
    pub(super) classes: ClassGrants,
    pub(super) for_role: Vec<(Spanned<String>, ClassGrants)>,
}

impl<'de> Deserialize<'de> for DefaultPrivilegesDoc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis;
        impl<'de> Visitor<'de> for Vis {
            type Value = DefaultPrivilegesDoc;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping of classes (tables, ...) to grants, and `for_role:`")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(DefaultPrivilegesDoc::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = DefaultPrivilegesDoc::default();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    if key.value == "for_role" {
                        let roles: Entries<Entries<Entries<PrivilegeList>>> = map.next_value()?;
                        out.for_role
                            .extend(roles.0.into_iter().map(|(role, c)| (role, c.0)));
                    } else {
                        out.classes.push((key, map.next_value()?));
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(Vis)
    }
}

/// A composite type: its attributes (name -> type) as a plain mapping, as
/// it always was, or `{attributes: {name: type}, owner, grants, comment}`. The full
/// form is the one with an `attributes:` key whose value is a mapping (a
/// type never is), so an attribute may still be called `owner` or `comment`.
pub(super) struct CompositeDoc {
    pub(super) attributes: Entries<String>,
    pub(super) owner: Option<Spanned<String>>,
    pub(super) grants: Option<GrantsDoc>,
    pub(super) comment: Option<String>,
}

impl<'de> Deserialize<'de> for CompositeDoc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        enum Item {
            Type(Spanned<String>, String),
            Owner(Spanned<String>, Spanned<String>),
            Comment(Spanned<String>, Spanned<String>),
            Grants(
                Spanned<String>,
                Spanned<OneOrMap<String, Entries<PrivilegeList>>>,
            ),
        }
        struct Vis;
        impl<'de> Visitor<'de> for Vis {
            type Value = CompositeDoc;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping of attribute names to types, or {attributes, owner, grants, comment}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                let mut attributes = None;
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let item = match key.value.as_str() {
                        "attributes" => match map.next_value()? {
                            OneOrMap::Map(a) => {
                                attributes = Some(a);
                                continue;
                            }
                            OneOrMap::One(t) => Item::Type(key, t),
                        },
                        "owner" => Item::Owner(key, map.next_value()?),
                        "comment" => Item::Comment(key, map.next_value()?),
                        "grants" => Item::Grants(key, map.next_value()?),
                        _ => Item::Type(key, map.next_value()?),
                    };
                    items.push(item);
                }
                let mut out = CompositeDoc {
                    attributes: Entries(Vec::new()),
                    owner: None,
                    grants: None,
                    comment: None,
                };
                for item in items {
                    match (item, attributes.is_some()) {
                        (Item::Owner(_, owner), true) => out.owner = Some(owner),
                        (Item::Comment(_, comment), true) => out.comment = Some(comment.value),
                        (Item::Comment(key, t), false) => out.attributes.0.push((key, t.value)),
                        (Item::Grants(_, g), true) => match g.value {
                            OneOrMap::Map(value) => {
                                out.grants = Some(Spanned::new(value, g.referenced, g.defined))
                            }
                            OneOrMap::One(_) => {
                                return Err(de::Error::custom(
                                    "`grants:` of a composite type is a mapping: role -> privileges",
                                ))
                            }
                        },
                        (Item::Type(key, _), true) => {
                            return Err(de::Error::custom(format!(
                                "unknown field `{}` of a composite type given with                                  `attributes:`; expected `attributes`, `owner`, `grants` or `comment`",
                                key.value
                            )))
                        }
                        (Item::Owner(key, t), false) => out.attributes.0.push((key, t.value)),
                        (Item::Type(key, t), false) => out.attributes.0.push((key, t)),
                        (Item::Grants(key, g), false) => match g.value {
                            OneOrMap::One(t) => out.attributes.0.push((key, t)),
                            OneOrMap::Map(_) => {
                                return Err(de::Error::custom(
                                    "a composite type declares `grants:` with its attributes                                      under `attributes:`",
                                ))
                            }
                        },
                    }
                }
                if let Some(a) = attributes {
                    out.attributes = a;
                }
                Ok(out)
            }
        }
        d.deserialize_map(Vis)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExtensionDoc {
    pub(super) version: Option<SqlText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CollationDoc {
    pub(super) provider: Option<String>,
    pub(super) locale: SqlText,
    #[serde(default = "yes")]
    pub(super) deterministic: bool,
    pub(super) comment: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StatisticsDoc {
    pub(super) table: String,
    #[serde(default)]
    pub(super) columns: Vec<String>,
    /// PostgreSQL 14+: `ON (lower(a)), b`.
    #[serde(default)]
    pub(super) expressions: Vec<SqlText>,
    pub(super) kinds: Option<Vec<String>>,
    /// ALTER STATISTICS ... SET STATISTICS n; -1 or left out: the default.
    pub(super) target: Option<i32>,
    pub(super) comment: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ForeignTableDoc {
    pub(super) owner: Option<Spanned<String>>,
    pub(super) grants: Option<GrantsDoc>,
    pub(super) server: String,
    #[serde(default)]
    pub(super) columns: Entries<String>,
    #[serde(default)]
    pub(super) options: Entries<SqlText>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct TableDoc {
    pub(super) owner: Option<Spanned<String>>,
    pub(super) grants: Option<GrantsDoc>,
    pub(super) group: Option<String>,
    pub(super) comment: Option<String>,
    pub(super) partition_by: Option<String>,
    pub(super) partition_of: Option<Spanned<PartitionOfDoc>>,
    #[serde(default)]
    pub(super) unlogged: bool,
    #[serde(default)]
    pub(super) inherits: Vec<OneOrMap<String, ParentDoc>>,
    pub(super) replica_identity: Option<Spanned<String>>,
    /// CLUSTER ON: the index's name.
    pub(super) cluster_on: Option<String>,
    /// CREATE TABLE ... OF type.
    pub(super) of_type: Option<String>,
    /// CREATE TABLE ... USING method: the table access method.
    pub(super) access_method: Option<String>,
    #[serde(default)]
    pub(super) columns: Entries<OneOrMap<String, ColumnDoc>>,
    pub(super) primary_key: Option<Spanned<OneOrMap<Vec<String>, PrimaryKeyDoc>>>,
    #[serde(default)]
    pub(super) unique: Vec<Spanned<OneOrMap<Vec<String>, UniqueDoc>>>,
    #[serde(default)]
    pub(super) checks: Vec<Spanned<OneOrMap<SqlText, CheckDoc>>>,
    #[serde(default)]
    pub(super) foreign_keys: Vec<Spanned<ForeignKeyDoc>>,
    #[serde(default)]
    pub(super) exclusions: Vec<Spanned<ExclusionDoc>>,
    #[serde(default)]
    pub(super) indexes: Vec<Spanned<IndexDoc>>,
    #[serde(default)]
    pub(super) triggers: Vec<Spanned<TriggerDoc>>,
    #[serde(default)]
    pub(super) rules: Vec<Spanned<RuleDoc>>,
    #[serde(default)]
    pub(super) row_level_security: bool,
    #[serde(default)]
    pub(super) force_row_level_security: bool,
    #[serde(default)]
    pub(super) policies: Vec<Spanned<PolicyDoc>>,
    /// Storage parameters (`reloptions`), name → value.
    pub(super) options: Option<Box<Entries<SqlText>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PartitionOfDoc {
    pub(super) schema: Option<String>,
    pub(super) table: String,
    pub(super) bound: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ColumnDoc {
    // The rare keys are boxed: a 50,000-table file holds some 400,000
    // columns at once, and each unboxed one took 288 bytes.
    pub(super) grants: Option<Box<GrantsDoc>>,
    #[serde(rename = "type")]
    pub(super) data_type: String,
    pub(super) nullable: Option<bool>,
    pub(super) default: Option<SqlText>,
    pub(super) identity: Option<String>,
    /// The expression alone (STORED), or `{expression, kind}`.
    pub(super) generated: Option<Box<OneOrMap<SqlText, GeneratedDoc>>>,
    pub(super) not_null: Option<Box<NotNullDoc>>,
    pub(super) collation: Option<String>,
    pub(super) comment: Option<String>,
    /// STORAGE: plain, external, main, extended. Boxed like the other rare
    /// keys: 8 bytes a column instead of 24.
    #[allow(clippy::box_collection)]
    pub(super) storage: Option<Box<String>>,
    /// COMPRESSION: pglz, lz4.
    #[allow(clippy::box_collection)]
    pub(super) compression: Option<Box<String>>,
    /// SET STATISTICS n.
    pub(super) statistics: Option<i32>,
    /// SET (n_distinct = ...): attribute options.
    pub(super) options: Option<Box<Entries<SqlText>>>,
    /// The options of an identity or serial column's sequence.
    pub(super) sequence: Option<Box<OwnedSequenceDoc>>,
}

/// Options of the sequence behind an identity or serial column; each left
/// out is the default for the column's type.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct OwnedSequenceDoc {
    pub(super) start: Option<i64>,
    pub(super) increment: Option<i64>,
    pub(super) min_value: Option<i64>,
    pub(super) max_value: Option<i64>,
    pub(super) cache: Option<i64>,
    #[serde(default)]
    pub(super) cycle: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct GeneratedDoc {
    pub(super) expression: SqlText,
    pub(super) kind: Option<String>,
}

/// A column's NOT NULL constraint (PostgreSQL 18): its name, and whether
/// it is validated.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NotNullDoc {
    pub(super) name: Option<String>,
    #[serde(default = "yes")]
    pub(super) validated: bool,
    #[serde(default)]
    pub(super) no_inherit: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PrimaryKeyDoc {
    pub(super) name: Option<String>,
    pub(super) columns: Vec<String>,
    #[serde(default)]
    pub(super) without_overlaps: bool,
    #[serde(default)]
    pub(super) deferrable: bool,
    #[serde(default)]
    pub(super) initially_deferred: bool,
    #[serde(default)]
    pub(super) include: Vec<String>,
    pub(super) options: Option<Box<Entries<SqlText>>>,
    pub(super) comment: Option<String>,
}

/// A parent table of `inherits:` given as a mapping (another schema).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ParentDoc {
    pub(super) schema: Option<String>,
    pub(super) table: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExclusionDoc {
    pub(super) name: Option<String>,
    pub(super) using: Option<String>,
    pub(super) elements: Vec<SqlText>,
    #[serde(rename = "where")]
    pub(super) predicate: Option<SqlText>,
    #[serde(default)]
    pub(super) deferrable: bool,
    #[serde(default)]
    pub(super) initially_deferred: bool,
    #[serde(default)]
    pub(super) include: Vec<String>,
    pub(super) options: Option<Box<Entries<SqlText>>>,
    pub(super) comment: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UniqueDoc {
    pub(super) name: Option<String>,
    pub(super) columns: Vec<String>,
    #[serde(default)]
    pub(super) nulls_not_distinct: bool,
    #[serde(default)]
    pub(super) deferrable: bool,
    #[serde(default)]
    pub(super) initially_deferred: bool,
    #[serde(default)]
    pub(super) without_overlaps: bool,
    #[serde(default)]
    pub(super) include: Vec<String>,
    pub(super) options: Option<Box<Entries<SqlText>>>,
    pub(super) comment: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CheckDoc {
    pub(super) name: Option<String>,
    pub(super) expression: SqlText,
    #[serde(default = "yes")]
    pub(super) validated: bool,
    #[serde(default = "yes")]
    pub(super) enforced: bool,
    #[serde(default)]
    pub(super) no_inherit: bool,
    pub(super) comment: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ForeignKeyDoc {
    pub(super) name: Option<String>,
    pub(super) columns: Vec<String>,
    pub(super) references: ReferencesDoc,
    pub(super) on_delete: Option<String>,
    pub(super) on_update: Option<String>,
    #[serde(default)]
    pub(super) deferrable: bool,
    #[serde(default)]
    pub(super) initially_deferred: bool,
    #[serde(default = "yes")]
    pub(super) validated: bool,
    #[serde(default = "yes")]
    pub(super) enforced: bool,
    #[serde(default)]
    pub(super) period: bool,
    /// `full` or `simple` (the default).
    #[serde(rename = "match")]
    pub(super) match_type: Option<String>,
    pub(super) comment: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReferencesDoc {
    pub(super) schema: Option<String>,
    pub(super) table: String,
    pub(super) columns: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct IndexDoc {
    pub(super) name: Option<String>,
    pub(super) columns: Vec<SqlText>,
    #[serde(default)]
    pub(super) unique: bool,
    pub(super) using: Option<String>,
    #[serde(default)]
    pub(super) include: Vec<String>,
    #[serde(rename = "where")]
    pub(super) predicate: Option<SqlText>,
    #[serde(default)]
    pub(super) nulls_not_distinct: bool,
    pub(super) options: Option<Box<Entries<SqlText>>>,
    pub(super) comment: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TriggerDoc {
    pub(super) name: String,
    pub(super) timing: String,
    pub(super) events: Vec<String>,
    pub(super) level: Option<String>,
    pub(super) function: String,
    pub(super) when: Option<SqlText>,
    /// true (the default), false, replica or always.
    pub(super) enabled: Option<SqlText>,
    #[serde(default)]
    pub(super) constraint: bool,
    #[serde(default)]
    pub(super) deferrable: bool,
    #[serde(default)]
    pub(super) initially_deferred: bool,
    pub(super) from: Option<String>,
    pub(super) referencing: Option<ReferencingDoc>,
    pub(super) comment: Option<String>,
}

/// A trigger's transition tables: `REFERENCING OLD TABLE AS o NEW TABLE AS n`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReferencingDoc {
    pub(super) old: Option<String>,
    pub(super) new: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PolicyDoc {
    pub(super) name: String,
    pub(super) command: Option<String>,
    #[serde(default = "yes")]
    pub(super) permissive: bool,
    pub(super) roles: Option<Vec<String>>,
    pub(super) using: Option<SqlText>,
    pub(super) with_check: Option<SqlText>,
    pub(super) comment: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ViewDoc {
    pub(super) owner: Option<Spanned<String>>,
    pub(super) grants: Option<GrantsDoc>,
    pub(super) definition: Option<SqlText>,
    #[serde(default)]
    pub(super) materialized: bool,
    pub(super) comment: Option<String>,
    #[serde(default)]
    pub(super) indexes: Vec<Spanned<IndexDoc>>,
    #[serde(default)]
    pub(super) triggers: Vec<Spanned<TriggerDoc>>,
    #[serde(default)]
    pub(super) rules: Vec<Spanned<RuleDoc>>,
    pub(super) options: Option<Box<Entries<SqlText>>>,
    /// Columns with a comment or a default, by name.
    #[serde(default)]
    pub(super) columns: Entries<ViewColumnDoc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ViewColumnDoc {
    pub(super) comment: Option<String>,
    pub(super) default: Option<SqlText>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct SequenceDoc {
    pub(super) owner: Option<Spanned<String>>,
    pub(super) grants: Option<GrantsDoc>,
    #[serde(rename = "type")]
    pub(super) data_type: Option<String>,
    pub(super) start: Option<i64>,
    pub(super) increment: Option<i64>,
    pub(super) min_value: Option<i64>,
    pub(super) max_value: Option<i64>,
    pub(super) cache: Option<i64>,
    #[serde(default)]
    pub(super) cycle: bool,
    pub(super) comment: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DomainDoc {
    pub(super) owner: Option<Spanned<String>>,
    pub(super) grants: Option<GrantsDoc>,
    #[serde(rename = "type")]
    pub(super) data_type: String,
    pub(super) collation: Option<String>,
    pub(super) nullable: Option<bool>,
    pub(super) default: Option<SqlText>,
    /// Each an expression, or a mapping with `name`, `validated` and
    /// `comment` (a table check's keys).
    #[serde(default)]
    pub(super) checks: Vec<Spanned<OneOrMap<SqlText, DomainCheckDoc>>>,
    pub(super) comment: Option<String>,
}

/// A domain's CHECK in mapping form.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DomainCheckDoc {
    pub(super) name: Option<String>,
    pub(super) expression: SqlText,
    #[serde(default = "yes")]
    pub(super) validated: bool,
    pub(super) comment: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FunctionDoc {
    pub(super) owner: Option<Spanned<String>>,
    pub(super) grants: Option<GrantsDoc>,
    pub(super) returns: String,
    pub(super) language: String,
    pub(super) arguments: Option<String>,
    pub(super) body: Option<String>,
    pub(super) volatility: Option<String>,
    #[serde(default)]
    pub(super) strict: bool,
    #[serde(default)]
    pub(super) security_definer: bool,
    #[serde(default)]
    pub(super) leakproof: bool,
    pub(super) parallel: Option<String>,
    #[serde(default)]
    pub(super) set: Entries<SqlText>,
    /// COST; the language's default when left out.
    pub(super) cost: Option<f64>,
    /// ROWS of a set-returning function; 1000 when left out.
    pub(super) rows: Option<f64>,
    pub(super) comment: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleDoc {
    pub(super) name: String,
    pub(super) definition: SqlText,
    /// true (the default), false, replica or always.
    pub(super) enabled: Option<SqlText>,
    pub(super) comment: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EnumDoc {
    pub(super) values: Vec<String>,
    pub(super) owner: Option<Spanned<String>>,
    pub(super) grants: Option<GrantsDoc>,
    pub(super) comment: Option<String>,
}

/// `grants:` of an object: role -> its privileges.
pub(super) type GrantsDoc = Spanned<Entries<PrivilegeList>>;

/// A role's privileges: `ALL`, `SELECT, INSERT`, or a list whose items may
/// end in `WITH GRANT OPTION`.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum PrivilegeList {
    One(String),
    Many(Vec<String>),
}

impl PrivilegeList {
    /// Each privilege with whether it is held WITH GRANT OPTION.
    pub(super) fn items(&self) -> Vec<(String, bool)> {
        let texts: Vec<&str> = match self {
            PrivilegeList::One(text) => text.split(',').collect(),
            PrivilegeList::Many(items) => items.iter().map(String::as_str).collect(),
        };
        texts
            .into_iter()
            .map(|t| {
                let t = t.trim();
                let upper = t.to_uppercase();
                match upper.strip_suffix("WITH GRANT OPTION") {
                    Some(rest) => (rest.trim().to_string(), true),
                    None => (upper, false),
                }
            })
            .filter(|(p, _)| !p.is_empty())
            .collect()
    }
}
