//! Indexes and their keys.

use std::fmt;

use super::Line;

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
    /// Storage parameters (`WITH (fillfactor = 70)`, `deduplicate_items`,
    /// `fastupdate`, ...): the index's `reloptions`.
    pub options: std::collections::BTreeMap<String, String>,
    /// False for an index a failed `CREATE INDEX CONCURRENTLY` left behind
    /// (`indisvalid`): it exists but is not used. Always true in a file.
    pub valid: bool,
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
