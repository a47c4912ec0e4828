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
pub use query::canonical_query;
pub use text::collapse_whitespace;
pub use types::{canonical_type, pretty_type, same_type, serial_type};

#[cfg(test)]
mod tests;
