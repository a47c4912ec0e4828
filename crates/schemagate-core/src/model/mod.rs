//! The schema model: what a PostgreSQL schema contains, as pure data.
//!
//! Both the YAML loader (`spec`) and the catalog reader (`introspect`) produce
//! this type, and `diff` compares two of them. Collections are ordered maps or
//! sorted vectors so that every rendering is deterministic.

use std::collections::BTreeMap;
use std::fmt;

/// A line in `expected_schema.yaml`; `None` for objects read from a database.
pub type Line = Option<u32>;

/// A whole database schema: the selected namespaces and what they hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Schema {
    pub schemas: BTreeMap<String, Namespace>,
    /// Globs over qualified object names whose mismatches are dropped.
    pub ignore: Vec<String>,
}

/// One PostgreSQL schema (namespace).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Namespace {
    pub line: Line,
    pub tables: BTreeMap<String, Table>,
    pub views: BTreeMap<String, View>,
    pub sequences: BTreeMap<String, Sequence>,
    pub enums: BTreeMap<String, EnumType>,
    pub domains: BTreeMap<String, Domain>,
    /// Keyed by signature, e.g. `set_updated_at()` or `add(integer, integer)`.
    pub functions: BTreeMap<String, Function>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub line: Line,
    /// Free-form grouping for reports (from YAML only; never compared).
    pub group: Option<String>,
    pub comment: Option<String>,
    /// `pg_get_partkeydef` of a partitioned table, e.g. `RANGE (created_at)`.
    pub partition_by: Option<String>,
    pub partition_of: Option<PartitionOf>,
    pub columns: Vec<Column>,
    pub primary_key: Option<PrimaryKey>,
    pub uniques: Vec<Unique>,
    pub checks: Vec<Check>,
    pub foreign_keys: Vec<ForeignKey>,
    pub indexes: Vec<Index>,
    pub triggers: Vec<Trigger>,
    pub rls_enabled: bool,
    pub rls_forced: bool,
    pub policies: Vec<Policy>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PartitionOf {
    pub parent: QualifiedName,
    /// `pg_get_expr(relpartbound)`, e.g. `FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`.
    pub bound: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub line: Line,
    pub name: String,
    /// The type as the server formats it (`format_type`), or as written in YAML.
    pub data_type: String,
    pub nullable: bool,
    pub default: Option<String>,
    pub identity: Option<Identity>,
    /// Expression of a `GENERATED ALWAYS AS (...) STORED` column.
    pub generated: Option<String>,
    /// Collation when it differs from the type's default.
    pub collation: Option<String>,
    pub comment: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identity {
    Always,
    ByDefault,
}

impl Identity {
    pub fn as_str(self) -> &'static str {
        match self {
            Identity::Always => "always",
            Identity::ByDefault => "by_default",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PrimaryKey {
    pub line: Line,
    pub name: Option<String>,
    pub columns: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Unique {
    pub line: Line,
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub nulls_not_distinct: bool,
    pub deferrable: Deferrable,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub line: Line,
    pub name: Option<String>,
    pub expression: String,
    pub validated: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ForeignKey {
    pub line: Line,
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub ref_table: QualifiedName,
    pub ref_columns: Vec<String>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
    pub deferrable: Deferrable,
    pub validated: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FkAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    pub fn as_str(self) -> &'static str {
        match self {
            FkAction::NoAction => "no action",
            FkAction::Restrict => "restrict",
            FkAction::Cascade => "cascade",
            FkAction::SetNull => "set null",
            FkAction::SetDefault => "set default",
        }
    }

    /// Parses `cascade`, `SET NULL`, `set_null`, ... (case and separator insensitive).
    pub fn parse(text: &str) -> Option<FkAction> {
        let norm: String = text
            .trim()
            .to_ascii_lowercase()
            .split(|c: char| c == '_' || c == '-' || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        Some(match norm.as_str() {
            "no action" => FkAction::NoAction,
            "restrict" => FkAction::Restrict,
            "cascade" => FkAction::Cascade,
            "set null" => FkAction::SetNull,
            "set default" => FkAction::SetDefault,
            _ => return None,
        })
    }

    /// From `pg_constraint.confdeltype` / `confupdtype`.
    pub fn from_catalog(code: i8) -> FkAction {
        match code as u8 {
            b'r' => FkAction::Restrict,
            b'c' => FkAction::Cascade,
            b'n' => FkAction::SetNull,
            b'd' => FkAction::SetDefault,
            _ => FkAction::NoAction,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Deferrable {
    #[default]
    No,
    InitiallyImmediate,
    InitiallyDeferred,
}

impl Deferrable {
    pub fn as_str(self) -> &'static str {
        match self {
            Deferrable::No => "not deferrable",
            Deferrable::InitiallyImmediate => "deferrable initially immediate",
            Deferrable::InitiallyDeferred => "deferrable initially deferred",
        }
    }

    pub fn from_flags(deferrable: bool, deferred: bool) -> Deferrable {
        match (deferrable, deferred) {
            (false, _) => Deferrable::No,
            (true, false) => Deferrable::InitiallyImmediate,
            (true, true) => Deferrable::InitiallyDeferred,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Index {
    pub line: Line,
    pub name: Option<String>,
    pub unique: bool,
    /// Access method: btree, gin, gist, brin, hash, spgist, ...
    pub method: String,
    pub keys: Vec<IndexKey>,
    pub include: Vec<String>,
    /// Partial-index predicate (`WHERE ...`).
    pub predicate: Option<String>,
    pub nulls_not_distinct: bool,
}

/// One key of an index: a column or an expression, with its options.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexKey {
    pub expression: String,
    /// A non-default operator class, e.g. `jsonb_path_ops`.
    pub opclass: Option<String>,
    pub descending: bool,
    /// `Some(true)` NULLS FIRST, `Some(false)` NULLS LAST, `None` the default for the direction.
    pub nulls_first: Option<bool>,
}

impl IndexKey {
    /// Whether the NULLS ordering differs from the default for the direction.
    pub fn explicit_nulls(&self) -> Option<bool> {
        match self.nulls_first {
            Some(first) if first != self.descending => Some(first),
            _ => None,
        }
    }
}

impl fmt::Display for IndexKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.expression)?;
        if let Some(opclass) = &self.opclass {
            write!(f, " {opclass}")?;
        }
        if self.descending {
            f.write_str(" DESC")?;
        }
        match self.explicit_nulls() {
            Some(true) => f.write_str(" NULLS FIRST"),
            Some(false) => f.write_str(" NULLS LAST"),
            None => Ok(()),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Trigger {
    pub line: Line,
    pub name: String,
    /// `before`, `after` or `instead of`.
    pub timing: String,
    /// Sorted: `delete`, `insert`, `truncate`, `update`, or `update of a, b`.
    pub events: Vec<String>,
    /// `row` or `statement`.
    pub level: String,
    /// The trigger function with its arguments, e.g. `set_updated_at()`.
    pub function: String,
    pub when: Option<String>,
    pub enabled: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    pub line: Line,
    pub name: String,
    /// `all`, `select`, `insert`, `update` or `delete`.
    pub command: String,
    pub permissive: bool,
    /// Sorted role names; `public` for everyone.
    pub roles: Vec<String>,
    pub using: Option<String>,
    pub with_check: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct View {
    pub line: Line,
    pub materialized: bool,
    pub definition: Option<String>,
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sequence {
    pub line: Line,
    pub data_type: String,
    pub start: i64,
    pub increment: i64,
    pub min_value: i64,
    pub max_value: i64,
    pub cache: i64,
    pub cycle: bool,
}

impl Sequence {
    /// A sequence as `CREATE SEQUENCE` with no options makes it for `data_type`.
    pub fn with_defaults(data_type: &str, increment: i64) -> Sequence {
        let type_max = match data_type {
            "smallint" => i16::MAX as i64,
            "integer" => i32::MAX as i64,
            _ => i64::MAX,
        };
        let type_min = match data_type {
            "smallint" => i16::MIN as i64,
            "integer" => i32::MIN as i64,
            _ => i64::MIN,
        };
        let (min_value, max_value) = if increment > 0 {
            (1, type_max)
        } else {
            (type_min, -1)
        };
        Sequence {
            line: None,
            data_type: data_type.to_string(),
            start: if increment > 0 { min_value } else { max_value },
            increment,
            min_value,
            max_value,
            cache: 1,
            cycle: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumType {
    pub line: Line,
    pub values: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Domain {
    pub line: Line,
    pub data_type: String,
    pub nullable: bool,
    pub default: Option<String>,
    pub checks: Vec<Check>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    pub line: Line,
    /// `format_type` of the result, e.g. `trigger`, `integer`, `SETOF users`.
    pub returns: String,
    pub language: String,
}

/// A schema-qualified object name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QualifiedName {
    pub schema: String,
    pub name: String,
}

impl QualifiedName {
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        QualifiedName {
            schema: schema.into(),
            name: name.into(),
        }
    }
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}",
            quote_ident(&self.schema),
            quote_ident(&self.name)
        )
    }
}

/// Quotes an identifier the way PostgreSQL's `quote_ident` does when needed:
/// lower-case ASCII letters, digits and `_` (not leading digit) stay bare.
pub fn quote_ident(ident: &str) -> String {
    let bare = !ident.is_empty()
        && ident
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && ident
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$')
        && !crate::canon::is_reserved_keyword(ident);
    if bare {
        ident.to_string()
    } else {
        format!("\"{}\"", ident.replace('"', "\"\""))
    }
}
