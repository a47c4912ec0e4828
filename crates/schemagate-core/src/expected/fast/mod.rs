//! A fast reader for the YAML that schemagate's own writer emits, in front
//! of serde-saphyr: a hand-written parser for that subset builds a tree
//! with every node's location, and a serde `Deserializer` over it fills the
//! same `FileDoc` types. Any text it does not fully understand, and any
//! deserialization error, goes to serde-saphyr instead, which stays the
//! reference for what a file means and for every error message.
//!
//! Hand-written rather than another YAML crate: the full parsers in
//! serde-saphyr's lineage run at about 10 MB/s, so a 54 MB snapshot took
//! seconds in the parser alone; this subset reads it several times faster
//! and adds no dependency.

mod de;
mod parse;
mod scalar;
#[cfg(test)]
mod tests;

use serde::Deserialize;

use super::document::FileDoc;

/// `text` (without a BOM) as a `FileDoc`, or `None` to use serde-saphyr.
pub(super) fn file_doc(text: &str) -> Option<FileDoc> {
    let doc = parse::document(text).ok()?;
    FileDoc::deserialize(de::NodeDe::root(&doc)).ok()
}

/// Whether the fast path reads `text` on its own, for tests that must know
/// it was taken.
#[cfg(test)]
pub(crate) fn accepts(text: &str) -> bool {
    file_doc(text).is_some()
}
