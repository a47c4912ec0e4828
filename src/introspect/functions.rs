//! Functions, keyed by their canonical signature.

use postgres::Row;

use super::partial::Partial;
use crate::expected::canonical_signature;
use crate::model::Function;

pub(super) const SQL: &str = include_str!("functions.sql");

pub(super) fn assemble(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        let signature: String = row.get("signature");
        partial.namespace(row.get("schema")).functions.insert(
            canonical_signature(&signature),
            Function {
                line: None,
                returns: row.get("returns"),
                language: row.get("language"),
            },
        );
    }
}
