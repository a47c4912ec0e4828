//! Tests of the `safety:` section: severities set, unknown rules rejected.

use std::path::Path;

use crate::hazard::{SafetyRule, Severity};

#[test]
fn safety_section_sets_severities_and_rejects_unknown_rules_at_their_line() {
    let schema = crate::expected::parse(
        "version: 1\nsafety:\n  table-rewrite: warning\n  rename: off\nschemas: {}\n",
        Path::new("t.yaml"),
    )
    .unwrap();
    assert_eq!(
        schema.safety.get(&SafetyRule::TableRewrite),
        Some(&Severity::Warning)
    );
    assert_eq!(schema.safety.get(&SafetyRule::Rename), Some(&Severity::Off));
    let error = crate::expected::parse(
        "version: 1\nsafety:\n  rewrite: error\nschemas: {}\n",
        Path::new("t.yaml"),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("unknown rule `rewrite`"), "{error}");
    assert!(error.contains(":3"), "{error}");
}
