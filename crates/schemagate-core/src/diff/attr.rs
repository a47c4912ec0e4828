//! Attribute comparisons: each returns the differing attribute, or `None`.

use crate::canon::{pretty_expr, pretty_type, same_default, same_expr, same_type};

/// A differing attribute: name, expected rendering, actual rendering.
pub(super) type Attr = Option<(&'static str, Option<String>, Option<String>)>;

pub(super) fn attr<T: PartialEq + ToString>(name: &'static str, expected: T, actual: T) -> Attr {
    (expected != actual).then(|| (name, Some(expected.to_string()), Some(actual.to_string())))
}

/// Compares type names in canonical form; reports the expected one as
/// written and the actual one as `snapshot` writes it (so it can be pasted
/// into the file).
pub(super) fn attr_type(name: &'static str, e: &str, a: &str) -> Attr {
    (!same_type(e, a)).then(|| (name, Some(e.to_string()), Some(pretty_type(a))))
}

/// Compares expressions in canonical form; reports the expected one as
/// written and the actual one as `snapshot` writes it.
pub(super) fn attr_expr(name: &'static str, e: &str, a: &str) -> Attr {
    (!same_expr(e, a)).then(|| (name, Some(e.to_string()), Some(pretty_expr(a))))
}

/// An optional expression: absent on both sides is the same, absent on
/// one is a difference, present on both compares in canonical form.
pub(super) fn attr_opt_expr(name: &'static str, e: &Option<String>, a: &Option<String>) -> Attr {
    let same = match (e, a) {
        (Some(e), Some(a)) => same_expr(e, a),
        (None, None) => true,
        _ => false,
    };
    (!same).then(|| (name, e.clone(), a.as_deref().map(pretty_expr)))
}

/// A default, compared with each side's column (or domain) type at hand:
/// on a `boolean`, `'yes'` is `true` (see [`crate::canon::typed_default`]).
/// Shown as [`attr_opt_expr`] shows it.
pub(super) fn attr_default(
    e: &Option<String>,
    e_type: &str,
    a: &Option<String>,
    a_type: &str,
) -> Attr {
    let same = match (e, a) {
        (Some(e), Some(a)) => same_default(e, e_type, a, a_type),
        (None, None) => true,
        _ => false,
    };
    (!same).then(|| ("default", e.clone(), a.as_deref().map(pretty_expr)))
}

/// `reloptions` (storage parameters, view options) compared in canonical
/// spelling; shown as `name=value, ...` (`-` for none).
pub(super) fn attr_options(
    e: &std::collections::BTreeMap<String, String>,
    a: &std::collections::BTreeMap<String, String>,
) -> Attr {
    if e == a {
        return None;
    }
    let (e, a) = (crate::canon::reloptions(e), crate::canon::reloptions(a));
    let show = |o: &std::collections::BTreeMap<String, String>| {
        if o.is_empty() {
            "-".to_string()
        } else {
            crate::canon::display_reloptions(o)
        }
    };
    (e != a).then(|| ("options", Some(show(&e)), Some(show(&a))))
}

pub(super) fn attr_opt_text(name: &'static str, e: &Option<String>, a: &Option<String>) -> Attr {
    (e != a).then(|| (name, e.clone(), a.clone()))
}

/// Expressions in order, each compared in canonical form; reported as
/// [`attr_expr`] reports one.
pub(super) fn attr_expr_list(name: &'static str, e: &[String], a: &[String]) -> Attr {
    let same = e.len() == a.len() && e.iter().zip(a).all(|(e, a)| same_expr(e, a));
    let shown: Vec<String> = a.iter().map(|a| pretty_expr(a)).collect();
    (!same).then(|| (name, Some(e.join(", ")), Some(shown.join(", "))))
}

pub(super) fn attr_list(name: &'static str, e: &[String], a: &[String]) -> Attr {
    (e != a).then(|| (name, Some(e.join(", ")), Some(a.join(", "))))
}

/// A constraint's name counts only when the expected side gives one.
pub(super) fn name_attr(e: &Option<String>, a: &Option<String>) -> Attr {
    match e {
        Some(name) if Some(name) != a.as_ref() => Some(("name", Some(name.clone()), a.clone())),
        _ => None,
    }
}
