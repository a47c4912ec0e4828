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
    /// `INCLUDE (c, d)`: non-key columns the key's index carries.
    pub include: Vec<String>,
    /// Storage parameters of the key's index (`WITH (fillfactor = 70)`):
    /// its `reloptions`.
    pub options: std::collections::BTreeMap<String, String>,
    /// COMMENT ON CONSTRAINT.
    pub comment: Option<String>,
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
    /// `INCLUDE (c, d)`: non-key columns the key's index carries.
    pub include: Vec<String>,
    /// Storage parameters of the key's index (`WITH (fillfactor = 70)`):
    /// its `reloptions`.
    pub options: std::collections::BTreeMap<String, String>,
    /// COMMENT ON CONSTRAINT.
    pub comment: Option<String>,
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
    /// `INCLUDE (c, d)`: non-key columns the key's index carries.
    pub include: Vec<String>,
    /// Storage parameters of the key's index (`WITH (fillfactor = 70)`):
    /// its `reloptions`.
    pub options: std::collections::BTreeMap<String, String>,
    /// COMMENT ON CONSTRAINT.
    pub comment: Option<String>,
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
    /// COMMENT ON CONSTRAINT.
    pub comment: Option<String>,
}

impl Check {
    /// A check given as its expression alone: unnamed, valid, enforced,
    /// inherited, without a comment.
    pub fn plain(line: Line, expression: String) -> Check {
        Check {
            line,
            name: None,
            expression,
            validated: true,
            enforced: true,
            no_inherit: false,
            comment: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ForeignKey {
    pub line: Line,
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub ref_table: QualifiedName,
    pub ref_columns: Vec<String>,
    pub on_delete: FkAction,
    /// `ON DELETE SET NULL (a, b)` / `SET DEFAULT (a)` (PostgreSQL 15): the
    /// referencing columns the action sets; empty for all of them.
    pub on_delete_columns: Vec<String>,
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
    /// COMMENT ON CONSTRAINT.
    pub comment: Option<String>,
}

impl ForeignKey {
    /// The columns `ON DELETE SET NULL/SET DEFAULT` sets, in key order, or
    /// none when it sets all of them (the same action either way).
    pub fn canonical_on_delete_columns(&self) -> Vec<String> {
        if !matches!(self.on_delete, FkAction::SetNull | FkAction::SetDefault) {
            return Vec::new();
        }
        let listed: Vec<&String> = self
            .columns
            .iter()
            .filter(|c| self.on_delete_columns.contains(c))
            .collect();
        let unknown = self
            .on_delete_columns
            .iter()
            .any(|c| !self.columns.contains(c));
        if listed.len() == self.columns.len() && !unknown {
            return Vec::new();
        }
        if unknown {
            // Not a column of the key: keep it as given, to be reported.
            return self.on_delete_columns.clone();
        }
        listed.into_iter().cloned().collect()
    }

    /// `set null`, `set null (a, b)`, `cascade`, ...: the ON DELETE action
    /// as the file spells it, with the columns it sets when not all.
    pub fn on_delete_text(&self) -> String {
        let columns = self.canonical_on_delete_columns();
        if columns.is_empty() {
            self.on_delete.as_str().to_string()
        } else {
            let quoted: Vec<String> = columns.iter().map(|c| super::quote_ident(c)).collect();
            format!("{} ({})", self.on_delete.as_str(), quoted.join(", "))
        }
    }
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
