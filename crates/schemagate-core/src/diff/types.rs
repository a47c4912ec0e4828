//! User-defined types: enums and domains.

use super::attr::{attr, attr_default, attr_list, attr_opt_text, attr_type, Attr};
use super::mismatch::ObjectType;
use super::named::{Attributes, SchemaObject};
use crate::canon::canonical_expr;
use crate::model::{Check, Domain, EnumType, Line};

impl SchemaObject for EnumType {
    const OBJECT_TYPE: ObjectType = ObjectType::Enum;
    fn line(&self) -> Line {
        self.line
    }
}

impl Attributes for EnumType {
    fn attributes(&self, actual: &EnumType) -> Vec<Attr> {
        let EnumType {
            line: _,
            values,
            comment,
        } = self;
        vec![
            attr_list("values", values, &actual.values),
            attr_opt_text("comment", comment, &actual.comment),
        ]
    }
}

impl SchemaObject for Domain {
    const OBJECT_TYPE: ObjectType = ObjectType::Domain;
    fn line(&self) -> Line {
        self.line
    }
}

impl Attributes for Domain {
    fn attributes(&self, actual: &Domain) -> Vec<Attr> {
        let Domain {
            line: _,
            data_type,
            collation,
            nullable,
            default,
            checks,
            comment,
        } = self;
        vec![
            attr_type("type", data_type, &actual.data_type),
            attr_opt_text("collation", collation, &actual.collation),
            attr("nullable", nullable, &actual.nullable),
            attr_default(default, data_type, &actual.default, &actual.data_type),
            // Checks as a set of canonical expressions, shown as written.
            (canonical_checks(checks) != canonical_checks(&actual.checks)).then(|| {
                (
                    "checks",
                    Some(written(checks)),
                    Some(written(&actual.checks)),
                )
            }),
            // With the same expressions: validity, names given, comments.
            (canonical_checks(checks) == canonical_checks(&actual.checks)
                && !same_check_details(checks, &actual.checks))
            .then(|| {
                (
                    "checks",
                    Some(written_in_full(checks)),
                    Some(written_in_full(&actual.checks)),
                )
            }),
            attr_opt_text("comment", comment, &actual.comment),
        ]
    }
}

/// A domain's expected and actual checks paired by canonical expression
/// (a NOT VALID one with a NOT VALID one first); the expected ones left
/// without a partner, then the actual ones.
pub(crate) fn pair_domain_checks(
    expected: &[Check],
    actual: &[Check],
) -> (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) {
    let mut taken = vec![false; actual.len()];
    let mut pairs = Vec::new();
    let mut missing = Vec::new();
    for (i, e) in expected.iter().enumerate() {
        let key = canonical_expr(&e.expression);
        let candidates: Vec<usize> = (0..actual.len())
            .filter(|&j| !taken[j] && canonical_expr(&actual[j].expression) == key)
            .collect();
        let best = candidates
            .iter()
            .copied()
            .find(|&j| actual[j].validated == e.validated)
            .or(candidates.first().copied());
        match best {
            Some(j) => {
                taken[j] = true;
                pairs.push((i, j));
            }
            None => missing.push(i),
        }
    }
    let unexpected = (0..actual.len()).filter(|&j| !taken[j]).collect();
    (pairs, missing, unexpected)
}

/// Whether paired checks agree on validity, comment and (when the file
/// gives one) name.
fn same_check_details(expected: &[Check], actual: &[Check]) -> bool {
    let (pairs, _, _) = pair_domain_checks(expected, actual);
    pairs.into_iter().all(|(i, j)| {
        let (e, a) = (&expected[i], &actual[j]);
        e.validated == a.validated
            && e.comment == a.comment
            && (e.name.is_none() || e.name == a.name)
    })
}

/// `name: expression NOT VALID (comment: '...')`, each part when there.
fn written_in_full(checks: &[Check]) -> String {
    checks
        .iter()
        .map(|c| {
            let mut s = match &c.name {
                Some(n) => format!("{n}: {}", c.expression),
                None => c.expression.clone(),
            };
            if !c.validated {
                s.push_str(" NOT VALID");
            }
            if let Some(com) = &c.comment {
                s.push_str(&format!(" (comment: '{com}')"));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn canonical_checks(checks: &[Check]) -> Vec<String> {
    let mut v: Vec<String> = checks
        .iter()
        .map(|c| canonical_expr(&c.expression))
        .collect();
    v.sort();
    v
}

fn written(checks: &[Check]) -> String {
    checks
        .iter()
        .map(|c| c.expression.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}
