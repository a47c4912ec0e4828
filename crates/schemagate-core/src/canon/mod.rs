//! Canonical forms for types and SQL expressions, so that spelling never
//! produces a mismatch.
//!
//! The server rewrites what a migration says: `varchar(255)` becomes
//! `character varying(255)`, `status IN ('a','b')` becomes
//! `((status)::text = ANY ((ARRAY['a'::character varying, ...])::text[]))`.
//! Both sides of a comparison go through the same functions here, and equal
//! canonical forms mean equal meaning. Everything is pure.

mod body;
mod casts;
mod equivalences;
mod expr;
mod keywords;
mod memo;
mod options;
mod query;
mod text;
mod types;

pub use body::{body_diff, canonical_body};
pub use casts::{drop_server_casts, drop_server_casts_in};
pub use expr::{
    canonical_expr, pretty_expr, pretty_index_key, same_default, same_expr, too_complex,
    typed_default, MAX_EXPR_OPERATORS,
};
pub use keywords::is_reserved_keyword;
pub use options::{display_reloptions, reloption_value, reloptions};
pub use query::canonical_query;
pub use text::collapse_whitespace;
pub use types::{canonical_type, pretty_type, same_type, serial_type};

/// Computes, on this thread, the canonical forms that comparing `schema`
/// will ask for (check expressions, index keys and predicates, column
/// types), so that a later comparison on the same thread finds them in its
/// memo. `diff` calls it on the expected file while the catalog is read on
/// another thread: the parsing then happens meanwhile, not after the read;
/// when the file holds the server's own texts (as `snapshot` writes them),
/// the database's side finds them too. It changes nothing in `schema`.
pub fn warm(schema: &crate::model::Schema) {
    for namespace in schema.schemas.values() {
        for table in namespace.tables.values() {
            for column in &table.columns {
                canonical_type(&column.data_type);
            }
            for check in &table.checks {
                canonical_expr(&check.expression);
            }
            for index in &table.indexes {
                for key in &index.keys {
                    canonical_expr(&key.expression);
                }
                if let Some(predicate) = &index.predicate {
                    canonical_expr(predicate);
                }
            }
        }
        for domain in namespace.domains.values() {
            for check in &domain.checks {
                canonical_expr(&check.expression);
            }
        }
    }
}

#[cfg(test)]
mod tests;
