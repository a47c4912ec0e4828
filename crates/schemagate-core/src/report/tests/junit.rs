//! The JUnit format: its snapshot and well-formed XML, with and without
//! migration hazards.

use super::{fixture, fixture_with_hazards, rendered, weird_table, xml};
use crate::report::Format;

#[test]
fn junit_format() {
    insta::assert_snapshot!(rendered(Format::Junit, &fixture()));
}

#[test]
fn junit_is_well_formed_with_a_case_per_object() {
    let outcome = fixture();
    let text = rendered(Format::Junit, &outcome);
    let root = xml::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(root.name, "testsuites");
    let suite = &root.children[0];
    let cases: Vec<&xml::Element> = suite.children.iter().collect();
    let names: Vec<&str> = cases.iter().map(|c| c.attr("name")).collect();
    // Every expected table and schema-level object, passing or not, plus
    // every object with mismatches (columns, keys, the undeclared table).
    for table in &outcome.expected_tables {
        assert!(names.contains(&table.as_str()), "{table} in {names:?}");
    }
    for (_, other) in &outcome.expected_objects {
        assert!(names.contains(&other.as_str()), "{other} in {names:?}");
    }
    let mut objects: Vec<&str> = outcome
        .mismatches
        .iter()
        .map(|m| m.object.as_str())
        .collect();
    objects.dedup();
    for object in &objects {
        assert!(names.contains(object), "{object} in {names:?}");
    }
    // Tables and schema-level objects; of the objects with mismatches, the
    // ones not declared at that level (tmp_import and those in tables).
    let extra = objects
        .iter()
        .filter(|o| {
            !outcome.expected_tables.iter().any(|t| t == *o)
                && !outcome.expected_objects.iter().any(|(_, n)| n == *o)
        })
        .count();
    assert_eq!(
        cases.len(),
        outcome.expected_tables.len() + outcome.expected_objects.len() + extra
    );
    assert_eq!(root.attr("time"), "1.234");
    assert_eq!(suite.attr("time"), "1.234");
    let failures: usize = cases.iter().map(|c| c.children.len()).sum();
    assert_eq!(
        failures,
        outcome.mismatches.len(),
        "one <failure> per mismatch"
    );
    let failing = cases.iter().filter(|c| !c.children.is_empty()).count();
    assert_eq!(suite.attr("tests"), cases.len().to_string());
    assert_eq!(suite.attr("failures"), failing.to_string());
    let files = cases
        .iter()
        .find(|c| c.attr("name") == "public.files")
        .unwrap();
    assert!(files.children.is_empty(), "a matching table passes");
    let weird = cases
        .iter()
        .find(|c| c.attr("name") == format!("{}.note_check", weird_table()))
        .expect("the weird table's check's case, its name unescaped back");
    assert_eq!(weird.children.len(), 1);
    let plan = cases
        .iter()
        .find(|c| c.attr("name") == "public.plan")
        .unwrap();
    assert!(plan.children.is_empty(), "a matching enum passes");
}

#[test]
fn junit_with_hazards_is_well_formed() {
    let text = rendered(Format::Junit, &fixture_with_hazards());
    let root = xml::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let safety = &root.children[1];
    assert_eq!(safety.attr("name"), "schemagate.migration-safety");
    assert_eq!(safety.attr("tests"), "2");
    assert_eq!(safety.attr("failures"), "1");
}
