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
    /// COMMENT ON INDEX.
    pub comment: Option<String>,
}

/// One key of an index: a column or an expression, with its options.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexKey {
    pub expression: String,
    /// `COLLATE "C"`: a collation other than the key's own (the column's,
    /// or the expression's), as SQL spells it (`"C"`, `public.ci`).
    pub collation: Option<String>,
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

/// A collation name as SQL reads it: quoted parts keep their case,
/// unquoted ones fold to lower case, `pg_catalog.` goes. `"C"` and
/// `pg_catalog."C"` are the same; `"C"` and `C` are not (`c` does not exist).
pub fn canonical_collation(text: &str) -> String {
    let mut parts = Vec::new();
    let mut part = String::new();
    let mut chars = text.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => loop {
                match chars.next() {
                    Some('"') if chars.next_if_eq(&'"').is_some() => part.push('"'),
                    Some('"') | None => break,
                    Some(c) => part.push(c),
                }
            },
            '.' => parts.push(std::mem::take(&mut part)),
            c => part.extend(c.to_lowercase()),
        }
    }
    parts.push(part);
    if parts.len() == 2 && parts[0] == "pg_catalog" {
        parts.remove(0);
    }
    parts.join(".")
}

impl fmt::Display for IndexKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.expression)?;
        if let Some(collation) = &self.collation {
            write!(f, " COLLATE {collation}")?;
        }
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
