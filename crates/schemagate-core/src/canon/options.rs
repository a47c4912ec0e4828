//! Storage parameters and view options (`reloptions`) in one spelling.
//!
//! The catalog keeps an option as it was written: `security_barrier`,
//! `security_barrier = on` and `= true` are stored as `security_barrier=true`,
//! `=on` and `=true`; names are folded to lower case by the parser. A file
//! may say `true` where a migration said `on`: both mean the same.

use std::collections::BTreeMap;

/// Options whose value is a boolean (tables, materialized views, views and
/// indexes; `toast.` ones as well).
const BOOLEAN: &[&str] = &[
    "autovacuum_enabled",
    "deduplicate_items",
    "fastupdate",
    "security_barrier",
    "security_invoker",
    "user_catalog_table",
    "vacuum_truncate",
];

/// `options` with names in lower case and boolean values as `true`/`false`;
/// other values in lower case (`check_option = LOCAL` is `local`), numbers
/// as written.
pub fn reloptions(options: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    options
        .iter()
        .map(|(name, value)| {
            let name = name.trim().to_lowercase();
            let value = reloption_value(&name, value);
            (name, value)
        })
        .collect()
}

/// One option's value in its canonical spelling.
pub fn reloption_value(name: &str, value: &str) -> String {
    let value = value.trim().to_lowercase();
    let bare = name.strip_prefix("toast.").unwrap_or(name);
    // These take `auto` as well.
    let boolean = BOOLEAN.contains(&bare) || bare == "vacuum_index_cleanup" || bare == "buffering";
    if boolean {
        match value.as_str() {
            "on" | "true" | "yes" | "1" | "t" | "y" => return "true".into(),
            "off" | "false" | "no" | "0" | "f" | "n" => return "false".into(),
            _ => {}
        }
    }
    value
}

/// `name=value, ...` in name order, as mismatches show the options.
pub fn display_reloptions(options: &BTreeMap<String, String>) -> String {
    options
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn boolean_spellings_are_one() {
        for on in ["on", "true", "TRUE", "yes", "1"] {
            assert_eq!(
                reloptions(&map(&[("security_invoker", on)])),
                map(&[("security_invoker", "true")]),
                "{on}"
            );
        }
        assert_eq!(
            reloptions(&map(&[("toast.autovacuum_enabled", "off")])),
            map(&[("toast.autovacuum_enabled", "false")])
        );
        // Not a boolean: a fillfactor of 1 stays a number.
        assert_eq!(
            reloptions(&map(&[("fillfactor", "70")])),
            map(&[("fillfactor", "70")])
        );
        assert_eq!(
            reloptions(&map(&[("Check_Option", "LOCAL")])),
            map(&[("check_option", "local")])
        );
        assert_ne!(
            reloptions(&map(&[("check_option", "local")])),
            reloptions(&map(&[("check_option", "cascaded")]))
        );
        assert_eq!(
            display_reloptions(&map(&[("b", "2"), ("a", "1")])),
            "a=1, b=2"
        );
    }
}
