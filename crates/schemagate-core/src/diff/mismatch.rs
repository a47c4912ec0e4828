//! What a diff finds: a [`Mismatch`], with its [`Change`] and [`ObjectType`].

use std::fmt;

use crate::model::{Line, QualifiedName};

/// How an object differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// Declared in the expected schema, absent from the database.
    Missing,
    /// Present in the database, not declared.
    Unexpected,
    /// Present in both, with an attribute that differs.
    Changed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Missing => "missing",
            Change::Unexpected => "unexpected",
            Change::Changed => "changed",
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of object a mismatch is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectType {
    Schema,
    Table,
    Column,
    PrimaryKey,
    Unique,
    Check,
    ForeignKey,
    Exclusion,
    Index,
    Trigger,
    Rule,
    Policy,
    View,
    Sequence,
    Enum,
    Domain,
    Function,
    /// A type's owner (enums and domains are types to GRANT and ALTER OWNER).
    Type,
    /// One role's privileges on one object.
    Grant,
    /// One role's default privileges on a class of objects in a schema.
    DefaultPrivileges,
    CompositeType,
    Extension,
    Collation,
    Statistics,
    ForeignTable,
    /// An object of a kind the model does not compare (`roundtrip` residue):
    /// the object names its kind, e.g. `operator public.===(integer, integer)`.
    NotCompared,
}

impl ObjectType {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectType::Schema => "schema",
            ObjectType::Table => "table",
            ObjectType::Column => "column",
            ObjectType::PrimaryKey => "primary_key",
            ObjectType::Unique => "unique",
            ObjectType::Check => "check",
            ObjectType::ForeignKey => "foreign_key",
            ObjectType::Exclusion => "exclusion",
            ObjectType::Index => "index",
            ObjectType::Trigger => "trigger",
            ObjectType::Rule => "rule",
            ObjectType::Policy => "policy",
            ObjectType::View => "view",
            ObjectType::Sequence => "sequence",
            ObjectType::Enum => "enum",
            ObjectType::Domain => "domain",
            ObjectType::Function => "function",
            ObjectType::Type => "type",
            ObjectType::Grant => "grant",
            ObjectType::DefaultPrivileges => "default_privileges",
            ObjectType::CompositeType => "composite_type",
            ObjectType::Extension => "extension",
            ObjectType::Collation => "collation",
            ObjectType::Statistics => "statistics",
            ObjectType::ForeignTable => "foreign_table",
            ObjectType::NotCompared => "not_compared",
        }
    }
}

impl fmt::Display for ObjectType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One difference between the expected and the actual schema.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mismatch {
    /// Qualified, SQL-quoted where needed: `public.users.email`.
    pub object: String,
    pub object_type: ObjectType,
    pub change: Change,
    /// For `changed`: which attribute (`type`, `nullable`, `default`, `on_delete`, ...).
    pub attribute: Option<String>,
    pub expected: Option<String>,
    pub actual: Option<String>,
    /// Line in the expected file of the object, or of its table for `unexpected`.
    pub line: Line,
    /// The table the object belongs to, if any (for grouping in reports).
    pub table: Option<QualifiedName>,
    /// Unquoted name parts, for `ignore` globs.
    pub path: Vec<String>,
}
