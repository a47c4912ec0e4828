//! Functions and procedures, keyed by signature: result, language,
//! arguments (names, modes, defaults), body and options.

use std::collections::BTreeMap;

use super::attr::{attr, attr_opt_text, attr_type, Attr};
use super::mismatch::ObjectType;
use super::named::{Attributes, SchemaObject};
use crate::canon::{canonical_body, collapse_whitespace};
use crate::model::{number_text, Function, Line};

impl SchemaObject for Function {
    const OBJECT_TYPE: ObjectType = ObjectType::Function;
    fn line(&self) -> Line {
        self.line
    }
}

impl Attributes for Function {
    fn attributes(&self, actual: &Function) -> Vec<Attr> {
        let Function {
            line: _,
            returns,
            language,
            arguments,
            body,
            volatility,
            strict,
            security_definer,
            leakproof,
            parallel,
            config,
            cost,
            rows,
            comment,
        } = self;
        vec![
            attr_type("returns", returns, &actual.returns),
            attr(
                "language",
                language.to_lowercase(),
                actual.language.to_lowercase(),
            ),
            // Arguments and body count only when the file gives them.
            given(
                "arguments",
                arguments,
                &actual.arguments,
                canonical_arguments,
            ),
            given("body", body, &actual.body, canonical_body),
            attr(
                "volatility",
                volatility.as_str(),
                actual.volatility.as_str(),
            ),
            attr("strict", strict, &actual.strict),
            attr(
                "security_definer",
                security_definer,
                &actual.security_definer,
            ),
            attr("leakproof", leakproof, &actual.leakproof),
            attr("parallel", parallel.as_str(), actual.parallel.as_str()),
            attr("cost", number_text(*cost), number_text(actual.cost)),
            attr("rows", number_text(*rows), number_text(actual.rows)),
            attr_opt_text("comment", comment, &actual.comment),
            (config != &actual.config).then(|| {
                (
                    "set",
                    Some(settings(config)),
                    Some(settings(&actual.config)),
                )
            }),
        ]
    }
}

/// An attribute compared (in the form `canon` gives) only when expected.
fn given(
    name: &'static str,
    expected: &Option<String>,
    actual: &Option<String>,
    canon: impl Fn(&str) -> String,
) -> Attr {
    let expected = expected.as_ref()?;
    let same = actual.as_ref().is_some_and(|a| canon(a) == canon(expected));
    (!same).then(|| (name, Some(expected.clone()), actual.clone()))
}

/// An argument list with its whitespace collapsed and without the default
/// mode `IN ` (PostgreSQL 13 leaves it out for procedures, 14 and later
/// write it).
pub(crate) fn canonical_arguments(list: &str) -> String {
    let list = collapse_whitespace(list.trim());
    let mut args = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0);
    for (i, c) in list.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                args.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    args.push(&list[start..]);
    args.iter()
        .map(|a| {
            let a = a.trim();
            a.strip_prefix("IN ").unwrap_or(a)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `search_path=public, pg_temp; work_mem=64MB`, or `-` for none.
fn settings(config: &BTreeMap<String, String>) -> String {
    if config.is_empty() {
        return "-".into();
    }
    config
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::canonical_arguments;

    #[test]
    fn the_default_mode_in_is_left_out() {
        assert_eq!(
            canonical_arguments("IN days integer DEFAULT 30"),
            canonical_arguments("days integer DEFAULT 30")
        );
        assert_eq!(
            canonical_arguments("a text DEFAULT 'x, IN y', IN  b integer, OUT c integer"),
            "a text DEFAULT 'x, IN y', b integer, OUT c integer"
        );
        assert_ne!(
            canonical_arguments("INOUT a integer"),
            canonical_arguments("a integer")
        );
    }
}
