//! The JSON Schema against the loader: the bundled files validate, the
//! schema and `spec` accept and reject the same documents, and every field
//! `spec` knows is a property of the schema.
//!
//! The validator below covers exactly the keywords the schema uses, and
//! fails on any other, so that a new keyword cannot slip past these tests.

use std::path::Path;

use regex::Regex;
use serde_json::Value;

use super::schema;
use crate::expected as spec;

/// Checks `value` against `schema` (a sub-schema of `root`); collects errors.
struct Validator<'a> {
    root: &'a Value,
}

impl Validator<'_> {
    fn errors(&self, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.check(self.root, value, "", &mut errors);
        errors
    }

    fn check(&self, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
        let schema = schema.as_object().expect("a schema is an object");
        for (keyword, arg) in schema {
            match keyword.as_str() {
                "$schema" | "title" | "description" | "$defs" => {}
                "$ref" => {
                    let name = arg
                        .as_str()
                        .and_then(|r| r.strip_prefix("#/$defs/"))
                        .expect("local $ref");
                    let target = &self.root["$defs"][name];
                    assert!(!target.is_null(), "dangling $ref {name}");
                    self.check(target, value, at, errors);
                }
                "type" => {
                    let types: Vec<&str> = match arg {
                        Value::String(t) => vec![t.as_str()],
                        Value::Array(ts) => ts.iter().map(|t| t.as_str().unwrap()).collect(),
                        _ => panic!("bad type keyword"),
                    };
                    if !types.iter().any(|t| has_type(value, t)) {
                        errors.push(format!("{at}: {value} is not of type {types:?}"));
                    }
                }
                "enum" => {
                    if !arg.as_array().unwrap().contains(value) {
                        errors.push(format!("{at}: {value} is not one of {arg}"));
                    }
                }
                "const" => {
                    if arg != value {
                        errors.push(format!("{at}: {value} is not {arg}"));
                    }
                }
                "not" => {
                    let mut inner = Vec::new();
                    self.check(arg, value, at, &mut inner);
                    if inner.is_empty() {
                        errors.push(format!("{at}: {value} must not match {arg}"));
                    }
                }
                "anyOf" | "oneOf" => {
                    let branches = arg.as_array().unwrap();
                    let mut all = Vec::new();
                    let passing = branches
                        .iter()
                        .filter(|b| {
                            let mut inner = Vec::new();
                            self.check(b, value, at, &mut inner);
                            all.extend(inner.iter().cloned());
                            inner.is_empty()
                        })
                        .count();
                    let ok = if keyword == "anyOf" {
                        passing > 0
                    } else {
                        passing == 1
                    };
                    if !ok {
                        errors.push(format!(
                            "{at}: {passing} of {keyword} match ({})",
                            all.join("; ")
                        ));
                    }
                }
                "pattern" => {
                    if let Value::String(s) = value {
                        if !regex(arg.as_str().unwrap()).is_match(s) {
                            errors.push(format!("{at}: {s:?} does not match {arg}"));
                        }
                    }
                }
                "minItems" => {
                    if let Value::Array(items) = value {
                        if (items.len() as u64) < arg.as_u64().unwrap() {
                            errors.push(format!("{at}: fewer than {arg} items"));
                        }
                    }
                }
                "items" => {
                    if let Value::Array(items) = value {
                        for (i, item) in items.iter().enumerate() {
                            self.check(arg, item, &format!("{at}/{i}"), errors);
                        }
                    }
                }
                "required" => {
                    if let Value::Object(map) = value {
                        for name in arg.as_array().unwrap() {
                            if !map.contains_key(name.as_str().unwrap()) {
                                errors.push(format!("{at}: missing required {name}"));
                            }
                        }
                    }
                }
                "properties" | "patternProperties" | "additionalProperties" => {
                    // Handled together below: additionalProperties depends on both.
                }
                other => panic!("the test validator does not know keyword {other:?}"),
            }
        }
        if let Value::Object(map) = value {
            for (name, item) in map {
                let here = format!("{at}/{name}");
                let mut matched = false;
                if let Some(sub) = schema.get("properties").and_then(|p| p.get(name)) {
                    matched = true;
                    self.check(sub, item, &here, errors);
                }
                if let Some(patterns) = schema.get("patternProperties") {
                    for (pattern, sub) in patterns.as_object().unwrap() {
                        if regex(pattern).is_match(name) {
                            matched = true;
                            self.check(sub, item, &here, errors);
                        }
                    }
                }
                match schema.get("additionalProperties") {
                    Some(_) if matched => {}
                    Some(Value::Bool(false)) => {
                        errors.push(format!("{here}: property not allowed"));
                    }
                    Some(Value::Bool(true)) | None => {}
                    Some(sub) => self.check(sub, item, &here, errors),
                }
            }
        }
    }
}

fn has_type(value: &Value, ty: &str) -> bool {
    match ty {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        other => panic!("unknown type {other}"),
    }
}

/// ECMA-262 patterns as the regex crate reads them (the schema uses only
/// the common subset: classes, `\s`, groups, anchors).
fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("pattern {pattern:?}: {e}"))
}

/// YAML text as the JSON value an editor's validator sees.
fn yaml_value(text: &str) -> Value {
    serde_saphyr::from_str::<Value>(text).unwrap_or_else(|e| panic!("not YAML: {e}\n{text}"))
}

fn validate(text: &str) -> Vec<String> {
    let schema = schema();
    Validator { root: &schema }.errors(&yaml_value(text))
}

fn repo_file(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

#[test]
fn bundled_expected_files_are_valid() {
    for path in [
        "expected_schema.yaml",
        "tests/cases/alembic/expected_schema.yaml",
    ] {
        let text = repo_file(path);
        spec::parse(&text, Path::new(path)).expect("the loader reads it");
        let errors = validate(&text);
        assert!(errors.is_empty(), "{path}:\n{}", errors.join("\n"));
    }
}

#[test]
fn readme_example_is_valid() {
    let readme = repo_file("README.md");
    let start = readme
        .find("```yaml\nversion: 1")
        .expect("README has a YAML example")
        + 8;
    let end = start + readme[start..].find("```").unwrap();
    let errors = validate(&readme[start..end]);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn bundled_file_starts_with_the_schema_modeline() {
    let text = repo_file("expected_schema.yaml");
    assert_eq!(
        text.lines().next(),
        Some("# yaml-language-server: $schema=schema/expected_schema.schema.json")
    );
}

/// A document with one table whose body is `body` (indented by the caller's
/// two spaces per level, starting at column 0).
fn table_doc(body: &str) -> String {
    let mut doc = "version: 1\nschemas:\n  public:\n    tables:\n      t:\n".to_string();
    for line in body.lines() {
        doc.push_str("        ");
        doc.push_str(line);
        doc.push('\n');
    }
    doc
}

fn namespace_doc(body: &str) -> String {
    let mut doc = "version: 1\nschemas:\n  public:\n".to_string();
    for line in body.lines() {
        doc.push_str("    ");
        doc.push_str(line);
        doc.push('\n');
    }
    doc
}

/// Documents on both sides of every rule: the schema and the loader must
/// agree on each.
fn corpus() -> Vec<(&'static str, String)> {
    let t = |name, body: &str| (name, table_doc(body));
    let n = |name, body: &str| (name, namespace_doc(body));
    vec![
        ("empty mapping", "{}\n".to_string()),
        ("version 1", "version: 1\nschemas: {}\n".to_string()),
        ("version null", "version: ~\nschemas: {}\n".to_string()),
        ("version 2", "version: 2\nschemas: {}\n".to_string()),
        ("version quoted", "version: \"1\"\nschemas: {}\n".to_string()),
        ("version quoted +01", "version: \"+01\"\nschemas: {}\n".to_string()),
        ("version quoted hex", "version: \"0x1\"\nschemas: {}\n".to_string()),
        ("version quoted 1.0", "version: \"1.0\"\nschemas: {}\n".to_string()),
        ("version 1.0", "version: 1.0\nschemas: {}\n".to_string()),
        ("version hex", "version: 0x1\nschemas: {}\n".to_string()),
        ("version as text", "version: one\nschemas: {}\n".to_string()),
        ("unknown top-level key", "version: 1\nschema: {}\n".to_string()),
        ("ignore globs", "version: 1\nignore: [public.tmp_*]\n".to_string()),
        ("ignore not a list", "version: 1\nignore: public.tmp_*\n".to_string()),
        ("ignore null", "version: 1\nignore: ~\n".to_string()),
        ("safety severities", "version: 1\nsafety:\n  table-rewrite: error\n  rename: off\nschemas: {}\n".to_string()),
        ("safety null", "version: 1\nsafety:\nschemas: {}\n".to_string()),
        ("safety unknown rule", "version: 1\nsafety:\n  rewrite: error\nschemas: {}\n".to_string()),
        ("safety unknown severity", "version: 1\nsafety:\n  rename: fatal\nschemas: {}\n".to_string()),
        ("safety a list", "version: 1\nsafety: [rename]\nschemas: {}\n".to_string()),
        ("ignore_kinds known", "version: 1\nignore_kinds: [operator, cast]\nschemas: {}\n".to_string()),
        ("ignore_kinds unknown", "version: 1\nignore_kinds: [operators]\nschemas: {}\n".to_string()),
        ("ignore_kinds a covered kind", "version: 1\nignore_kinds: [table]\nschemas: {}\n".to_string()),
        ("function internals", namespace_doc("functions:\n  f(integer):\n    returns: integer\n    language: sql\n    arguments: a integer DEFAULT 1\n    volatility: Immutable\n    strict: true\n    security_definer: true\n    leakproof: false\n    parallel: safe\n    set: {search_path: \"public, pg_temp\", work_mem: 64}\n    body: |2-\n        SELECT a\n      + 1")),
        ("function volatility unknown", namespace_doc("functions:\n  f(): {returns: integer, language: sql, volatility: sometimes}")),
        ("function strict text", namespace_doc("functions:\n  f(): {returns: integer, language: sql, strict: yes please}")),
        ("extensions", namespace_doc("extensions:\n  citext:\n  pg_trgm: {version: 1.6}")),
        ("extension unknown key", namespace_doc("extensions:\n  citext: {schema: x}")),
        ("composite type", namespace_doc("composite_types:\n  pair: {a: integer, b: text}")),
        ("composite type with grants", "version: 1\nroles: [app]\nschemas:\n  public:\n    composite_types:\n      pair: {attributes: {a: integer}, owner: app, grants: {app: ALL}}\n".to_string()),
        ("composite type attributes named owner and grants", namespace_doc("composite_types:\n  pair: {owner: text, grants: integer, attributes: text}")),
        ("composite type unknown key beside attributes", namespace_doc("composite_types:\n  pair: {attributes: {a: integer}, b: text}")),
        ("composite type without attributes", namespace_doc("composite_types:\n  pair: {grants: {app: ALL}}")),
        ("default privileges for role", "version: 1\nroles: [app]\nschemas:\n  public:\n    default_privileges:\n      tables: {app: ALL}\n      for_role:\n        owner1: {tables: {app: [SELECT]}, sequences: {app: ALL}}\n".to_string()),
        ("default privileges for role unknown class", "version: 1\nroles: [app]\nschemas:\n  public:\n    default_privileges:\n      for_role:\n        owner1: {tabels: {app: ALL}}\n".to_string()),
        ("database grants", "version: 1\nroles: [app, PUBLIC]\ndatabase: {grants: {app: [CONNECT, TEMP], PUBLIC: ALL}}\nschemas: {}\n".to_string()),
        ("database unknown key", "version: 1\ndatabase: {owner: app}\nschemas: {}\n".to_string()),
        ("database null", "version: 1\ndatabase:\nschemas: {}\n".to_string()),
        ("collation", namespace_doc("collations:\n  c1: {provider: icu, locale: de-DE, deterministic: false}")),
        ("collation without locale", namespace_doc("collations:\n  c1: {provider: icu}")),
        ("statistics", namespace_doc("statistics:\n  s: {table: t, columns: [a, b], kinds: [mcv]}")),
        ("statistics on expressions", namespace_doc("statistics:\n  s: {table: t, expressions: [lower(a), \"a + b\"]}")),
        ("statistics on columns and expressions", namespace_doc("statistics:\n  s: {table: t, columns: [], expressions: [lower(a)], kinds: []}")),
        ("statistics on nothing", namespace_doc("statistics:\n  s: {table: t}")),
        ("statistics on empty lists", namespace_doc("statistics:\n  s: {table: t, columns: [], expressions: []}")),
        ("statistics kind unknown", namespace_doc("statistics:\n  s: {table: t, columns: [a], kinds: [histogram]}")),
        ("foreign table", namespace_doc("foreign_tables:\n  f: {server: s, columns: {a: integer}, options: {table_name: x}}")),
        ("view with index and trigger", namespace_doc("views:\n  v:\n    materialized: true\n    indexes: [{columns: [a]}]\n    triggers: [{name: t, timing: instead of, events: [insert], function: f()}]")),
        ("schemas null", "version: 1\nschemas:\n".to_string()),
        ("schemas a list", "version: 1\nschemas: [public]\n".to_string()),
        ("namespace null", "version: 1\nschemas:\n  public:\n".to_string()),
        ("namespace unknown key", namespace_doc("table: {}")),
        ("table null", namespace_doc("tables:\n  t:")),
        ("tables null", namespace_doc("tables:")),
        t("columns null", "columns:"),
        t("column type null", "columns:\n  a: {type: ~}"),
        t("group a fraction", "group: 1.5"),
        ("table list", namespace_doc("tables:\n  t: []")),
        t("table unknown key", "colums: {}"),
        t("group and comment", "group: Core\ncomment: Users."),
        t("unlogged, inherits, replica identity", "unlogged: true\ninherits: [p, {schema: s, table: q}]\nreplica_identity: USING INDEX t_key"),
        t("replica identity unknown", "replica_identity: sometimes"),
        t("exclusion", "columns: {r: int4range}\nexclusions:\n  - {name: x, using: gist, elements: [\"r WITH &&\"], where: r IS NOT NULL, deferrable: true}"),
        t("exclusion without elements", "exclusions:\n  - {using: gist}"),
        t("deferrable primary key", "columns: {a: integer}\nprimary_key: {columns: [a], deferrable: true, initially_deferred: true}"),
        t("rule", "rules:\n  - {name: r, definition: CREATE RULE r AS ON DELETE TO t DO INSTEAD NOTHING}"),
        t("rule without definition", "rules:\n  - {name: r}"),
        t("group null", "group: ~"),
        t("group a list", "group: [a]"),
        t("group a number", "group: 7"),
        t("group a boolean", "group: true"),
        t("column bare type", "columns:\n  a: text"),
        t("column bare number", "columns:\n  a: 5"),
        t("column null", "columns:\n  a:"),
        t("column list", "columns:\n  a: [text]"),
        t("column map", "columns:\n  a: {type: text, nullable: false, default: \"'x'\", comment: c, collation: C}"),
        t("column map without type", "columns:\n  a: {nullable: false}"),
        t("column type a number", "columns:\n  a: {type: 5}"),
        t("column unknown key", "columns:\n  a: {type: text, null: false}"),
        t("column nullable null", "columns:\n  a: {type: text, nullable: ~}"),
        t("column nullable text", "columns:\n  a: {type: text, nullable: nope}"),
        t("column default number", "columns:\n  a: {type: integer, default: 0}"),
        t("column default boolean", "columns:\n  a: {type: boolean, default: false}"),
        t("column default list", "columns:\n  a: {type: integer, default: [0]}"),
        t("identity always", "columns:\n  a: {type: bigint, identity: always}"),
        t("identity BY DEFAULT", "columns:\n  a: {type: bigint, identity: \" BY DEFAULT \"}"),
        t("identity by_default", "columns:\n  a: {type: bigint, identity: by_default}"),
        t("identity sometimes", "columns:\n  a: {type: bigint, identity: sometimes}"),
        t("identity by--default", "columns:\n  a: {type: bigint, identity: by-default}"),
        t("generated", "columns:\n  a: {type: integer, generated: \"b + 1\"}"),
        t("primary key list", "columns:\n  id: integer\nprimary_key: [id]"),
        t("primary key empty list", "primary_key: []"),
        t("primary key map", "columns:\n  id: integer\nprimary_key: {name: t_pk, columns: [id]}"),
        t("primary key map empty", "primary_key: {columns: []}"),
        t("primary key map no columns", "primary_key: {name: t_pk}"),
        t("primary key a string", "primary_key: id"),
        t("primary key null", "primary_key: ~"),
        t("unique lists", "unique:\n  - [a]\n  - {name: u, columns: [a, b], nulls_not_distinct: true, deferrable: true, initially_deferred: true}"),
        t("unique map empty columns", "unique:\n  - {columns: []}"),
        t("unique a string", "unique:\n  - a"),
        t("unique unknown key", "unique:\n  - {columns: [a], where: x}"),
        t("unique null", "unique: ~"),
        t("checks", "checks:\n  - \"a > 0\"\n  - 1\n  - {name: c, expression: \"b > 0\", validated: false}"),
        t("check list", "checks:\n  - [a]"),
        t("check map without expression", "checks:\n  - {name: c}"),
        t("check validated null", "checks:\n  - {expression: x, validated: ~}"),
        t("foreign key", "foreign_keys:\n  - {name: f, columns: [a], references: {schema: s, table: u, columns: [id]}, on_delete: cascade, on_update: SET_NULL, deferrable: true, initially_deferred: false, validated: true}"),
        t("foreign key action spellings", "foreign_keys:\n  - {columns: [a], references: {table: u, columns: [id]}, on_delete: \" No-Action \", on_update: set   default}"),
        t("foreign key action unknown", "foreign_keys:\n  - {columns: [a], references: {table: u, columns: [id]}, on_delete: explode}"),
        t("foreign key action half", "foreign_keys:\n  - {columns: [a], references: {table: u, columns: [id]}, on_delete: set}"),
        t("foreign key action null", "foreign_keys:\n  - {columns: [a], references: {table: u, columns: [id]}, on_delete: ~}"),
        t("foreign key without references", "foreign_keys:\n  - {columns: [a]}"),
        t("references without table", "foreign_keys:\n  - {columns: [a], references: {columns: [id]}}"),
        t("references unknown key", "foreign_keys:\n  - {columns: [a], references: {table: u, columns: [id], match: full}}"),
        t("index", "indexes:\n  - {name: i, columns: [a DESC, lower(b), 1], unique: true, using: gin, include: [c], where: \"a > 0\", nulls_not_distinct: true}"),
        t("index no columns", "indexes:\n  - {columns: []}"),
        t("index without columns", "indexes:\n  - {name: i}"),
        t("index a list", "indexes:\n  - [a]"),
        t("trigger", "triggers:\n  - {name: tr, timing: BEFORE, events: [update, insert], level: Row, function: f(), when: \"x\", enabled: false}"),
        t("trigger instead of", "triggers:\n  - {name: tr, timing: instead of, events: [insert], function: f()}"),
        t("trigger timing unknown", "triggers:\n  - {name: tr, timing: during, events: [insert], function: f()}"),
        t("trigger level unknown", "triggers:\n  - {name: tr, timing: after, events: [insert], level: table, function: f()}"),
        t("trigger name null", "triggers:\n  - {name: ~, timing: after, events: [insert], function: f()}"),
        t("trigger without events", "triggers:\n  - {name: tr, timing: after, function: f()}"),
        t("row level security", "row_level_security: true\nforce_row_level_security: false"),
        t("row level security null", "row_level_security: ~"),
        t("row level security text", "row_level_security: yes please"),
        t("policy", "policies:\n  - {name: p, command: SELECT, permissive: false, roles: [app], using: \"true\", with_check: \"false\"}"),
        t("policy command unknown", "policies:\n  - {name: p, command: merge}"),
        t("policy roles null", "policies:\n  - {name: p, roles: ~}"),
        t("policy without name", "policies:\n  - {command: all}"),
        t("partition of", "partition_of: {schema: s, table: p, bound: \"DEFAULT\"}"),
        t("partition of without bound", "partition_of: {table: p}"),
        t("partition by", "partition_by: RANGE (a)"),
        n("view text", "views:\n  v: SELECT 1"),
        n("view map", "views:\n  v: {definition: SELECT 1, materialized: true, comment: c}"),
        n("view empty map", "views:\n  v: {}"),
        n("view null", "views:\n  v:"),
        n("view list", "views:\n  v: [SELECT 1]"),
        n("view unknown key", "views:\n  v: {query: SELECT 1}"),
        n("sequence null", "sequences:\n  s:"),
        n("sequence map", "sequences:\n  s: {type: integer, start: 5, increment: -1, min_value: -10, max_value: 10, cache: 2, cycle: true}"),
        n("sequence increment zero", "sequences:\n  s: {increment: 0}"),
        n("sequence start text", "sequences:\n  s: {start: five}"),
        n("sequence start quoted", "sequences:\n  s: {start: \"5\"}"),
        n("sequence cycle quoted", "sequences:\n  s: {cycle: \"true\"}"),
        n("sequence cycle yes", "sequences:\n  s: {cycle: yes}"),
        n("sequence start fraction", "sequences:\n  s: {start: 1.5}"),
        n("enum", "enums:\n  mood: [sad, ok, happy]"),
        n("enum with a number", "enums:\n  level: [low, 2]"),
        n("enum a string", "enums:\n  mood: sad"),
        n("enum label null", "enums:\n  mood: [sad, ~]"),
        n("enum null", "enums:\n  mood:"),
        n("domain text", "domains:\n  d: text"),
        n("domain map", "domains:\n  d: {type: integer, nullable: false, default: 0, checks: [\"VALUE > 0\", 1]}"),
        n("domain check map", "domains:\n  d: {type: integer, checks: [{name: pos, expression: \"VALUE > 0\", validated: false, comment: Positive.}]}"),
        n("domain check map enforced", "domains:\n  d: {type: integer, checks: [{expression: \"VALUE > 0\", enforced: true}]}"),
        n("domain check map without expression", "domains:\n  d: {type: integer, checks: [{name: pos}]}"),
        n("domain without type", "domains:\n  d: {nullable: false}"),
        n("domain null", "domains:\n  d:"),
        n("function", "functions:\n  f(): {returns: trigger, language: plpgsql}"),
        n("function without parentheses", "functions:\n  f: {returns: trigger, language: plpgsql}"),
        n("function null", "functions:\n  f():"),
        n("function without language", "functions:\n  f(): {returns: trigger}"),
        n("functions null", "functions:"),
        // Rules over more than one value (see LOADER_ONLY).
        t("primary key column declared nullable", "columns:\n  id: {type: integer, nullable: true}\nprimary_key: [id]"),
        t("serial column with a default", "columns:\n  id: {type: serial, default: 1}"),
        t("foreign key column count differs", "columns:\n  a: integer\nforeign_keys:\n  - {columns: [a], references: {table: u, columns: [x, y]}}"),
        t("unique names an undeclared column", "columns:\n  a: integer\nunique:\n  - [b]"),
        t("duplicate trigger names", "triggers:\n  - {name: tr, timing: after, events: [insert], function: f()}\n  - {name: tr, timing: after, events: [update], function: f()}"),
    ]
}

/// Rules that need more than one value, which the schema leaves to `spec`:
/// documents the schema accepts and the loader rejects.
const LOADER_ONLY: &[&str] = &[
    "primary key column declared nullable",
    "serial column with a default",
    "foreign key column count differs",
    "unique names an undeclared column",
    "duplicate trigger names",
];

/// serde-saphyr reads a quoted scalar as the number or boolean a field
/// expects (`cycle: "true"`); the schema keeps YAML's own types, so an
/// editor flags the quotes. Deliberate: documents the loader accepts and
/// the schema rejects.
const SCHEMA_STRICTER: &[&str] = &[
    "version quoted",
    "version quoted hex",
    "sequence start quoted",
    "sequence cycle quoted",
];

#[test]
fn schema_and_loader_agree_on_every_corpus_document() {
    let mut disagreements = Vec::new();
    for (name, doc) in corpus() {
        let loader = spec::parse(&doc, Path::new("t.yaml"));
        // A document that is not even YAML is rejected by both.
        let Ok(value) = serde_saphyr::from_str::<Value>(&doc) else {
            assert!(loader.is_err(), "{name}");
            continue;
        };
        let schema = schema();
        let errors = Validator { root: &schema }.errors(&value);
        let expected = if LOADER_ONLY.contains(&name) {
            (false, true)
        } else if SCHEMA_STRICTER.contains(&name) {
            (true, false)
        } else {
            (loader.is_ok(), loader.is_ok())
        };
        if (loader.is_ok(), errors.is_empty()) != expected {
            disagreements.push(format!(
                "{name}: loader {}, schema {}\n{doc}",
                match &loader {
                    Ok(_) => "accepts".to_string(),
                    Err(e) => format!("rejects ({e})"),
                },
                if errors.is_empty() {
                    "accepts".to_string()
                } else {
                    format!("rejects ({})", errors.join("; "))
                }
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n\n"));
}

/// Every field the loader knows is a property of the schema and the other
/// way round, at every level: the loader's "unknown field" error lists the
/// fields it expects.
#[test]
fn schema_properties_are_the_loader_fields() {
    let schema = schema();
    let defs = &schema["$defs"];
    let table = &defs["table"]["properties"];
    let t = |body: &str| table_doc(body);
    let places: Vec<(&str, String, &Value)> = vec![
        ("root", "version: 1\nzzz: 1\n".into(), &schema),
        ("namespace", namespace_doc("zzz: 1"), &defs["namespace"]),
        ("table", t("zzz: 1"), &defs["table"]),
        (
            "column",
            t("columns:\n  a: {type: text, zzz: 1}"),
            &defs["column"]["anyOf"][1],
        ),
        (
            "partition_of",
            t("partition_of: {table: p, bound: b, zzz: 1}"),
            &table["partition_of"],
        ),
        (
            "primary_key",
            t("primary_key: {columns: [a], zzz: 1}"),
            &table["primary_key"]["anyOf"][2],
        ),
        (
            "unique",
            t("unique:\n  - {columns: [a], zzz: 1}"),
            &table["unique"]["items"]["anyOf"][1],
        ),
        (
            "check",
            t("checks:\n  - {expression: x, zzz: 1}"),
            &table["checks"]["items"]["anyOf"][1],
        ),
        (
            "foreign key",
            t("foreign_keys:\n  - {columns: [a], references: {table: u, columns: [id]}, zzz: 1}"),
            &defs["foreignKey"],
        ),
        (
            "references",
            t("foreign_keys:\n  - {columns: [a], references: {table: u, columns: [id], zzz: 1}}"),
            &defs["foreignKey"]["properties"]["references"],
        ),
        (
            "index",
            t("indexes:\n  - {columns: [a], zzz: 1}"),
            &defs["index"],
        ),
        (
            "trigger",
            t("triggers:\n  - {name: tr, timing: after, events: [insert], function: f(), zzz: 1}"),
            &defs["trigger"],
        ),
        (
            "policy",
            t("policies:\n  - {name: p, zzz: 1}"),
            &defs["policy"],
        ),
        (
            "view",
            namespace_doc("views:\n  v: {zzz: 1}"),
            &defs["view"]["anyOf"][1],
        ),
        (
            "sequence",
            namespace_doc("sequences:\n  s: {zzz: 1}"),
            &defs["sequence"],
        ),
        (
            "domain",
            namespace_doc("domains:\n  d: {type: text, zzz: 1}"),
            &defs["domain"]["anyOf"][1],
        ),
        (
            "function",
            namespace_doc("functions:\n  f(): {returns: trigger, language: sql, zzz: 1}"),
            &defs["function"],
        ),
    ];
    for (place, doc, sub) in places {
        let message = spec::parse(&doc, Path::new("t.yaml"))
            .err()
            .unwrap_or_else(|| panic!("{place}: the loader accepts an unknown field"))
            .to_string();
        let expected_part = message
            .split_once("expected")
            .unwrap_or_else(|| panic!("{place}: {message}"))
            .1
            .lines()
            .next()
            .unwrap();
        // `expected one of a, b, c`, `expected a or b` or `expected a`,
        // with or without backticks.
        let list = expected_part.trim();
        let list = list.strip_prefix("one of ").unwrap_or(list);
        let mut loader: Vec<String> = list
            .split(", ")
            .flat_map(|part| part.split(" or "))
            .map(|name| name.trim().trim_matches('`').to_string())
            .collect();
        loader.sort();
        let mut properties: Vec<String> = sub["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{place}: no properties in {sub}"))
            .keys()
            .cloned()
            .collect();
        properties.sort();
        assert_eq!(properties, loader, "{place}: {message}");
        assert_eq!(sub["additionalProperties"], Value::Bool(false), "{place}");
    }
}
