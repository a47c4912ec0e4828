//! Functions and procedures, keyed by signature: result, language,
//! arguments (names, modes, defaults), body and options.

use std::collections::BTreeMap;

use super::attr::{attr, attr_type, Attr};
use super::mismatch::ObjectType;
use super::named::{Attributes, SchemaObject};
use crate::canon::{canonical_body, collapse_whitespace};
use crate::model::{Function, Line};

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
        } = self;
        vec![
            attr_type("returns", returns, &actual.returns),
            attr(
                "language",
                language.to_lowercase(),
                actual.language.to_lowercase(),
            ),
            // Arguments and body count only when the file gives them.
            given("arguments", arguments, &actual.arguments, |a| {
                collapse_whitespace(a.trim())
            }),
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
