//! The JSON format: its snapshot, its version, and the mismatch shape it
//! shares with the CLI's round trip.

use super::{fixture, rendered};
use crate::report::Format;

#[test]
fn json_format() {
    insta::assert_snapshot!(rendered(Format::Json, &fixture()));
}

#[test]
fn json_is_valid_and_versioned() {
    let outcome = fixture();
    let value: serde_json::Value = serde_json::from_str(&rendered(Format::Json, &outcome)).unwrap();
    assert_eq!(value["version"], 1);
    assert_eq!(value["status"], "mismatch");
    let items = value["mismatches"].as_array().unwrap();
    assert_eq!(items.len(), outcome.mismatches.len());
    assert!(items.iter().any(|m| m["line"].is_null()));
}

/// `JsonMismatch` replaced two hand-written copies of the mismatch shape
/// (here verbatim as they were: `report/json.rs` with file and line, the
/// CLI's `roundtrip.rs` without); both must come out byte for byte as before.
#[test]
fn json_mismatch_is_byte_identical_to_both_former_shapes() {
    use serde::Serialize;

    use crate::report::JsonMismatch;

    #[derive(Serialize)]
    struct CheckShape<'a> {
        change: &'static str,
        object_type: &'static str,
        object: &'a str,
        attribute: Option<&'a str>,
        expected: Option<&'a str>,
        actual: Option<&'a str>,
        file: &'a str,
        line: Option<u32>,
    }
    #[derive(Serialize)]
    struct RoundtripShape<'a> {
        change: &'static str,
        object_type: &'static str,
        object: &'a str,
        attribute: Option<&'a str>,
        expected: Option<&'a str>,
        actual: Option<&'a str>,
    }
    // Nested in a list in an object, as both documents hold them.
    #[derive(Serialize)]
    struct Doc<T> {
        mismatches: Vec<T>,
    }
    fn json<T: Serialize>(value: &T) -> String {
        serde_json::to_string_pretty(value).unwrap()
    }
    let outcome = fixture();
    let ms = &outcome.mismatches;
    assert!(ms.iter().any(|m| m.line.is_none()) && ms.iter().any(|m| m.attribute.is_some()));

    let check_before = Doc {
        mismatches: ms
            .iter()
            .map(|m| CheckShape {
                change: m.change.as_str(),
                object_type: m.object_type.as_str(),
                object: &m.object,
                attribute: m.attribute.as_deref(),
                expected: m.expected.as_deref(),
                actual: m.actual.as_deref(),
                file: "expected_schema.yaml",
                line: m.line,
            })
            .collect(),
    };
    let check_now = Doc {
        mismatches: ms
            .iter()
            .map(|m| JsonMismatch::in_file(m, "expected_schema.yaml"))
            .collect::<Vec<_>>(),
    };
    assert_eq!(json(&check_now), json(&check_before));

    let roundtrip_before = Doc {
        mismatches: ms
            .iter()
            .map(|m| RoundtripShape {
                change: m.change.as_str(),
                object_type: m.object_type.as_str(),
                object: &m.object,
                attribute: m.attribute.as_deref(),
                expected: m.expected.as_deref(),
                actual: m.actual.as_deref(),
            })
            .collect(),
    };
    let roundtrip_now = Doc {
        mismatches: ms.iter().map(JsonMismatch::new).collect::<Vec<_>>(),
    };
    assert_eq!(json(&roundtrip_now), json(&roundtrip_before));
    // An empty list stays `[]`.
    assert_eq!(
        json(&Doc::<JsonMismatch> {
            mismatches: Vec::new()
        }),
        "{\n  \"mismatches\": []\n}"
    );
}
