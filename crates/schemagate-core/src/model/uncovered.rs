//! Objects of kinds the model does not compare: listed so that a diff never
//! passes over them in silence.

use std::fmt;

use super::names::quote_ident;

/// The kinds of object the catalog reader lists without comparing them,
/// by the name `ignore_kinds:` and `--ignore-kind` take.
pub const UNCOVERED_KINDS: &[&str] = &[
    "aggregate",
    "base_type",
    "cast",
    "conversion",
    "event_trigger",
    "operator",
    "operator_class",
    "operator_family",
    "publication",
    "range_type",
    "text_search_configuration",
    "text_search_dictionary",
    "text_search_parser",
    "text_search_template",
];

/// One object that was found but not compared.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Uncovered {
    /// One of [`UNCOVERED_KINDS`].
    pub object_type: String,
    /// Its schema; `None` for database-wide objects (publications, event
    /// triggers) that touch the selected schemas.
    pub schema: Option<String>,
    /// As SQL shows it, e.g. `===(integer, integer)` or `users.users_archive`.
    pub name: String,
}

impl Uncovered {
    /// The unquoted name parts, for `ignore` globs.
    pub fn path(&self) -> Vec<String> {
        self.schema
            .iter()
            .cloned()
            .chain(std::iter::once(self.name.clone()))
            .collect()
    }
}

impl fmt::Display for Uncovered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.schema {
            Some(schema) => write!(f, "{}.{}", quote_ident(schema), self.name),
            None => f.write_str(&self.name),
        }
    }
}
