//! The words the schema is built of: closed mappings, booleans, nullable
//! text, option maps and case-blind word patterns.

use serde_json::{json, Map, Value};

/// A mapping with exactly these `properties`, of which `required` must be given.
/// `schema`, which must also hold a non-empty list under one of `keys`.
pub(super) fn any_of_required(keys: &[&str], mut schema: Value) -> Value {
    let alternatives: Vec<Value> = keys
        .iter()
        .map(|k| json!({"required": [k], "properties": {*k: {"minItems": 1}}}))
        .collect();
    schema["anyOf"] = Value::Array(alternatives);
    schema
}

pub(super) fn closed(required: &[&str], properties: Value) -> Value {
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    schema.insert("additionalProperties".into(), json!(false));
    if !required.is_empty() {
        schema.insert("required".into(), json!(required));
    }
    schema.insert("properties".into(), properties);
    Value::Object(schema)
}

pub(super) fn boolean() -> Value {
    json!({"type": "boolean"})
}

pub(super) fn bool_described(description: &str) -> Value {
    json!({"type": "boolean", "description": description})
}

pub(super) fn bool_or_null(description: &str) -> Value {
    json!({"type": ["boolean", "null"], "description": description})
}

/// A `reloptions` mapping: option name → value.
pub(super) fn options(description: &str) -> Value {
    json!({
        "description": description,
        "type": ["object", "null"],
        "additionalProperties": {"$ref": "#/$defs/text"}
    })
}

pub(super) fn text_or_null(description: &str) -> Value {
    json!({"type": ["string", "number", "boolean", "null"], "description": description})
}

/// A pattern for one of `alternatives` (themselves patterns over lower-case
/// letters, spaces and classes), in any letter case, with surrounding white
/// space, as `spec` reads such words (`trim`, then ASCII lower case).
pub(super) fn words(alternatives: &[&str]) -> String {
    let alts: Vec<String> = alternatives.iter().map(|a| case_insensitive(a)).collect();
    format!("^\\s*(?:{})\\s*$", alts.join("|"))
}

/// `ab` -> `[Aa][Bb]`: JSON Schema patterns (ECMA-262) have no inline
/// flags. Escapes (`\s`) and character classes (`[_ ]`) are kept as they are.
pub(super) fn case_insensitive(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                out.extend(chars.next());
            }
            '[' => {
                in_class = true;
                out.push(c);
            }
            ']' => {
                in_class = false;
                out.push(c);
            }
            c if c.is_ascii_lowercase() && !in_class => {
                out.push_str(&format!("[{}{c}]", c.to_ascii_uppercase()));
            }
            c => out.push(c),
        }
    }
    out
}
