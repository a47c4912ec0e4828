//! Table constraints: primary key, unique, check, foreign key and
//! exclusion, with
//! their referential actions and deferrability.

use super::names::QualifiedName;
use super::Line;

#[derive(Clone, Debug, PartialEq)]
pub struct PrimaryKey {
    pub line: Line,
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// A temporal key (PostgreSQL 18): the last column is `WITHOUT OVERLAPS`.
    pub without_overlaps: bool,
    pub deferrable: Deferrable,
}

/// `EXCLUDE USING method (element WITH operator, ...) [WHERE (...)]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Exclusion {
    pub line: Line,
    pub name: Option<String>,
    /// Index access method: gist, spgist, btree, hash, ...
    pub method: String,
    /// `expression WITH operator`, e.g. `r WITH &&`, in order.
    pub elements: Vec<String>,
    pub predicate: Option<String>,
    pub deferrable: Deferrable,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Unique {
    pub line: Line,
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub nulls_not_distinct: bool,
    pub deferrable: Deferrable,
    /// A temporal key (PostgreSQL 18): the last column is `WITHOUT OVERLAPS`.
    pub without_overlaps: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub line: Line,
    pub name: Option<String>,
    pub expression: String,
    /// False for `NOT VALID` (an enforced constraint not yet checked
    /// against the existing rows).
    pub validated: bool,
    /// False for `NOT ENFORCED` (PostgreSQL 18). Such a constraint is never
    /// validated either; that is not reported twice: it reads as validated.
    pub enforced: bool,
    /// `NO INHERIT`: not added to child tables (always false in a domain).
    pub no_inherit: bool,
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
    /// False for `NOT VALID`.
    pub validated: bool,
    /// False for `NOT ENFORCED` (PostgreSQL 18); reads as validated then.
    pub enforced: bool,
    /// A temporal foreign key (PostgreSQL 18): the last column on both
    /// sides is `PERIOD`.
    pub period: bool,
    /// `MATCH FULL` (a row with some but not all key columns NULL is
    /// refused); false for the default `MATCH SIMPLE`.
    pub match_full: bool,
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
