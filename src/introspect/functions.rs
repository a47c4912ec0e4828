//! Functions and procedures, keyed by their canonical signature.

use postgres::Row;

use super::partial::Partial;
use crate::expected::canonical_signature;
use crate::model::{Function, Parallel, Volatility};

pub(super) const SQL: &str = include_str!("functions.sql");

/// The body as the server stores it, for `{function_body}` in [`SQL`]:
/// PostgreSQL 14 added `BEGIN ATOMIC` bodies, kept parsed in `prosqlbody`.
pub(super) fn body_column(server_version: i32) -> &'static str {
    if server_version >= 140000 {
        "CASE WHEN p.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(p.oid) ELSE p.prosrc END"
    } else {
        "p.prosrc"
    }
}

pub(super) fn assemble(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        let signature: String = row.get("signature");
        let config: Vec<String> = row.get("config");
        let function = Function {
            line: None,
            returns: row.get("returns"),
            language: row.get("language"),
            arguments: Some(row.get("arguments")),
            body: row.get("body"),
            volatility: Volatility::from_catalog(row.get("volatility")),
            strict: row.get("strict"),
            security_definer: row.get("security_definer"),
            leakproof: row.get("leakproof"),
            parallel: Parallel::from_catalog(row.get("parallel")),
            cost: row.get("cost"),
            rows: row.get("rows"),
            comment: row.get("comment"),
            // `name=value`, as SET stores it.
            config: config
                .iter()
                .map(|c| match c.split_once('=') {
                    Some((k, v)) => (k.to_string(), v.to_string()),
                    None => (c.clone(), String::new()),
                })
                .collect(),
        };
        partial
            .namespace(row.get("schema"))
            .functions
            .insert(canonical_signature(&signature), function);
    }
}
