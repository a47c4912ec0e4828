//! `--update`: edits `expected_schema.yaml` in place so that it declares the
//! actual schema, touching only the entries of objects that differ.
//!
//! A text splice over the file's lines, not a round trip through a YAML
//! tree: comments, groups, key order, blank lines, quoting, flow or block
//! style and the modeline stay byte for byte outside the edited entries.
//! (The lossless editor crates, e.g. `yaml-edit`, were considered: they are
//! young, pull in a syntax-tree library, and we would still have to find
//! entries and choose styles ourselves.) Entries are found by their key path
//! (`schemas` / schema / kind / name, then a table's keys, then the n-th item
//! of a list), the same way the loader reads them; an entry in a form the
//! splice cannot address (a table written on one flow line) is rewritten
//! whole in the writer's style. New entries take the style of their
//! siblings: a flow mapping, a block mapping, or the short form (`col: text`,
//! `- [a, b]`, `- "a > 0"`). Which items of a list change comes from the
//! diff's own pairing, so the edit matches the report item for item.

use crate::diff::Mismatch;
use crate::model::{Privileges, Schema, Table};
use doc::{strip_comment, Doc, Edits};
use namespace::update_once;

mod doc;
mod namespace;
mod privileges;
mod table;
#[cfg(test)]
mod tests;

/// The file after `--update`, and the mismatches it resolved.
#[derive(Debug)]
pub struct Updated {
    pub text: String,
    pub resolved: Vec<Mismatch>,
}

/// Rewrites `text` (the expected file, which parses to `expected`) so that
/// it declares `actual` wherever the two differ.
///
/// One edit can make another necessary (a dropped primary key leaves its
/// columns NOT NULL only if they say so): the result is read back and
/// edited again while that still changes something, a few times at most.
pub fn update(text: &str, expected: &Schema, actual: &Schema) -> Updated {
    let mut updated = update_once(text, expected, actual);
    for _ in 0..3 {
        let Ok(back) = super::parse(&updated.text, std::path::Path::new("expected_schema.yaml"))
        else {
            break;
        };
        let again = update_once(&updated.text, &back, actual);
        if again.resolved.is_empty() || again.text == updated.text {
            break;
        }
        updated.text = again.text;
    }
    updated
}

struct Ctx<'d> {
    doc: &'d Doc<'d>,
    names_constraints: bool,
    /// The expected file's `ignore` globs.
    ignore: &'d [String],
    /// The owners and grants the file is to declare.
    privileges: &'d Privileges,
}

/// What happens to the children of one container entry.
#[derive(Default)]
struct ContainerPlan {
    delete: Vec<usize>,
    replace: Vec<(usize, Vec<String>)>,
    /// After that child (its line), or after the last one.
    insert: Vec<(Option<usize>, Vec<String>)>,
}

/// The kinds of a namespace in the order the writer puts them.
const NAMESPACE_KEYS: [&str; 11] = [
    "extensions",
    "collations",
    "composite_types",
    "enums",
    "domains",
    "sequences",
    "functions",
    "views",
    "statistics",
    "foreign_tables",
    "tables",
];

/// The keys of a table in the order the writer puts them.
const TABLE_KEYS: [&str; 22] = [
    "group",
    "comment",
    "owner",
    "grants",
    "partition_by",
    "partition_of",
    "unlogged",
    "inherits",
    "replica_identity",
    "options",
    "columns",
    "primary_key",
    "unique",
    "checks",
    "foreign_keys",
    "exclusions",
    "indexes",
    "triggers",
    "rules",
    "row_level_security",
    "force_row_level_security",
    "policies",
];

/// A table as the file declares it and as the database holds it.
struct TablePair<'t> {
    schema: &'t str,
    name: &'t str,
    expected: &'t Table,
    actual: &'t Table,
}

impl Ctx<'_> {
    /// Applies `plan` to the container entry at line `c`; `None` when its
    /// children cannot be addressed line by line.
    fn apply(&self, edits: &mut Edits, c: usize, plan: ContainerPlan) -> Option<()> {
        let doc = self.doc;
        let children = doc.children(Some(c));
        if children.is_empty() && !plan.insert.is_empty() {
            return None;
        }
        if plan.delete.len() == children.len() && plan.insert.is_empty() && plan.replace.is_empty()
        {
            edits.delete(c, doc.end(c));
            return Some(());
        }
        for d in plan.delete {
            edits.delete(d, doc.end(d));
        }
        for (r, mut lines) in plan.replace {
            // A one-line entry keeps its trailing comment.
            let original = doc.lines[r].trim_end();
            let comment = &original[strip_comment(original).len()..];
            if lines.len() == 1 && doc.end(r) == r + 1 && !comment.is_empty() {
                lines[0].push_str(comment);
            }
            edits.replace(r, doc.end(r), lines);
        }
        let spaced = children.len() >= 2 && {
            let last = children[children.len() - 1];
            let prev_end = doc.end(children[children.len() - 2]);
            (prev_end..last).any(|i| doc.lines[i].trim().is_empty())
        };
        for (after, mut lines) in plan.insert {
            let after = after.unwrap_or(*children.last()?);
            if spaced {
                lines.insert(0, String::new());
            }
            edits.insert(doc.end(after), lines);
        }
        Some(())
    }
}
