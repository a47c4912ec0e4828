//! Indexes of a table, compared by their keys in canonical form.

use super::attr::{attr, attr_list, attr_opt_expr, attr_opt_text, attr_options, Attr};
use super::mismatch::ObjectType;
use super::pairing::{idents, ItemKind};
use crate::canon::{canonical_expr, pretty_expr, pretty_index_key};
use crate::model::{canonical_collation, Index, IndexKey, Line};

pub(super) struct IndexKind;

impl IndexKind {
    /// Each key in canonical form, with its options.
    fn canonical_keys(i: &Index) -> Vec<String> {
        i.keys
            .iter()
            .map(|k| {
                let canon = IndexKey {
                    expression: canonical_expr(&k.expression),
                    collation: k.collation.as_deref().map(canonical_collation),
                    opclass: k.opclass.clone(),
                    descending: k.descending,
                    nulls_first: k.nulls_first,
                };
                canon.to_string()
            })
            .collect()
    }

    fn written_keys(i: &Index) -> String {
        i.keys
            .iter()
            .map(|k| {
                // As `snapshot` writes it: `(id::text)`, never `id::text`.
                let mut k = k.clone();
                k.expression = pretty_index_key(&k.expression);
                k.to_string()
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl ItemKind for IndexKind {
    type Item = Index;
    /// Unique, method (lower case), canonical keys, INCLUDE columns,
    /// canonical predicate, NULLS NOT DISTINCT.
    type Structure = (bool, String, Vec<String>, Vec<String>, Option<String>, bool);
    /// The canonical key expressions, ignoring direction and options: the
    /// same index.
    type Key = Vec<String>;
    const OBJECT_TYPE: ObjectType = ObjectType::Index;

    fn name(i: &Index) -> Option<&str> {
        i.name.as_deref()
    }
    fn line(i: &Index) -> Line {
        i.line
    }
    fn columns(i: &Index) -> Vec<String> {
        i.keys.iter().map(|k| k.to_string()).collect()
    }
    fn structure(i: &Index) -> Option<Self::Structure> {
        Some((
            i.unique,
            i.method.to_lowercase(),
            Self::canonical_keys(i),
            i.include.clone(),
            i.predicate.as_deref().map(canonical_expr),
            i.nulls_not_distinct,
        ))
    }
    fn key(i: &Index) -> Option<Self::Key> {
        Some(
            i.keys
                .iter()
                .map(|k| canonical_expr(&k.expression))
                .collect(),
        )
    }
    fn render(i: &Index) -> String {
        let mut s = String::new();
        if i.unique {
            s.push_str("UNIQUE ");
        }
        s.push_str(&format!(
            "INDEX USING {} ({})",
            i.method,
            Self::written_keys(i)
        ));
        if !i.include.is_empty() {
            s.push_str(&format!(" INCLUDE ({})", idents(&i.include)));
        }
        if i.nulls_not_distinct {
            s.push_str(" NULLS NOT DISTINCT");
        }
        if let Some(p) = &i.predicate {
            s.push_str(&format!(" WHERE {}", pretty_expr(p)));
        }
        s
    }
    fn attributes(e: &Index, a: &Index) -> Vec<Attr> {
        vec![
            attr("unique", e.unique, a.unique),
            attr("method", e.method.to_lowercase(), a.method.to_lowercase()),
            (e.keys != a.keys && Self::canonical_keys(e) != Self::canonical_keys(a)).then(|| {
                (
                    "columns",
                    Some(Self::written_keys(e)),
                    Some(Self::written_keys(a)),
                )
            }),
            attr_list("include", &e.include, &a.include),
            attr_opt_expr("predicate", &e.predicate, &a.predicate),
            attr(
                "nulls_not_distinct",
                e.nulls_not_distinct,
                a.nulls_not_distinct,
            ),
            attr_options(&e.options, &a.options),
            // An invalid index (a failed CONCURRENTLY build) is not used.
            attr("valid", e.valid, a.valid),
            attr_opt_text("comment", &e.comment, &a.comment),
        ]
    }
}
