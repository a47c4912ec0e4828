//! The JSON Schema (draft 2020-12) of `expected_schema.yaml`, for editors
//! (yaml-language-server) and CI: `schemagate schema` prints it, and
//! `schema/expected_schema.schema.json` is the committed copy.
//!
//! It mirrors what `spec` accepts: closed mappings wherever `spec` denies
//! unknown fields, the compact forms (a column as its bare type, a unique
//! constraint as a column list, a check as its expression, ...), `null`
//! wherever an optional value may be left empty, and the word lists `spec`
//! checks (identity, foreign-key actions, trigger timing and level, policy
//! command) with the same case and separator tolerance. As in `spec`, a
//! plain number or boolean where text is expected is read as its text. What needs more than
//! one value to decide (a primary-key column declared nullable, a foreign key
//! naming an undeclared column, duplicate trigger names) is left to `spec`.

use serde_json::{json, Map, Value};

mod parts;
use parts::*;

/// The schema as a JSON value.
pub fn schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "schemagate expected_schema.yaml",
        "description": "The declared schema that `schemagate check` and `schemagate diff` compare a database with.",
        "type": "object",
        "additionalProperties": false,
        "required": ["schemas"],
        "properties": {
            "version": {
                "description": "Format version; this schemagate reads version 1.",
                "enum": [1, null]
            },
            "ignore": {
                "description": "Globs (`*`, `?`) over qualified names such as `public.tmp_*`; mismatches of matching objects are dropped.",
                "type": "array",
                "items": {"$ref": "#/$defs/text"}
            },
            "safety": safety(),
            "roles": {
                "description": "The roles whose grants are compared (PUBLIC is one); privileges are compared only when declared.",
                "type": ["array", "null"],
                "items": {"$ref": "#/$defs/text"}
            },
            "database": {
                "description": "The connected database (whatever its name): its grants (CONNECT, CREATE, TEMPORARY) to the file's roles, compared when declared.",
                "type": ["object", "null"],
                "additionalProperties": false,
                "properties": {
                    "grants": {"$ref": "#/$defs/grants"}
                }
            },
            "ignore_kinds": {
                "description": "Kinds of object that schemagate lists as not compared and that may be there unchecked; any other such object fails `check` and `diff`.",
                "type": "array",
                "items": {"enum": crate::model::UNCOVERED_KINDS}
            },
            "schemas": {
                "description": "PostgreSQL schemas (namespaces) by name.",
                "type": "object",
                "additionalProperties": {"$ref": "#/$defs/namespace"}
            }
        },
        "$defs": {
            "namespace": namespace(),
            "table": table(),
            "column": column(),
            "text": {
                "description": "Text (a name, a type, an SQL expression); a plain number or boolean is read as its text.",
                "type": ["string", "number", "boolean"]
            },
            "columnList": {
                "type": "array",
                "items": {"$ref": "#/$defs/text"}
            },
            "nonEmptyColumnList": {
                "type": "array",
                "items": {"$ref": "#/$defs/text"},
                "minItems": 1
            },
            "fkAction": fk_action(),
            "foreignKey": foreign_key(),
            "index": index(),
            "trigger": trigger(),
            "policy": policy(),
            "view": view(),
            "sequence": sequence(),
            "domain": domain(),
            "function": function(),
            "owner": text_or_null("The owner role; compared when given (and the server has that role)."),
            "grants": grants(),
            "privilegeList": privilege_list(),
            "rule": closed(&["name", "definition"], json!({
                "name": {"$ref": "#/$defs/text"},
                "definition": {"$ref": "#/$defs/text"},
                "enabled": firing(),
                "comment": text_or_null("COMMENT ON RULE.")
            }))
        }
    })
}

/// The schema as committed: pretty JSON ending in a newline.
pub fn render() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).expect("a JSON value serialises");
    text.push('\n');
    text
}

/// `safety:` — a severity per migration-safety rule.
fn safety() -> Value {
    let rules: Map<String, Value> = crate::hazard::SafetyRule::ALL
        .iter()
        .map(|r| {
            (
                r.id().to_string(),
                // A YAML 1.1 reader takes a bare `off` for false.
                json!({
                    "description": format!("{}. Safe: {}.", r.why(), r.safe()),
                    "enum": ["error", "warning", "off", false]
                }),
            )
        })
        .collect();
    json!({
        "description": "Severity of each migration-safety rule (`check --base`): error, warning or off.",
        "type": ["object", "null"],
        "additionalProperties": false,
        "properties": rules
    })
}

fn namespace() -> Value {
    json!({
        "description": "What one PostgreSQL schema holds.",
        "type": ["object", "null"],
        "additionalProperties": false,
        "properties": {
            "comment": text_or_null("COMMENT ON SCHEMA."),
            "owner": {"$ref": "#/$defs/owner"},
            "grants": {"$ref": "#/$defs/grants"},
            "default_privileges": {
                "description": "ALTER DEFAULT PRIVILEGES IN SCHEMA: per class, the grants to the file's roles, for objects any role creates (merged); under for_role, those FOR ROLE each creator; compared when declared.",
                "type": ["object", "null"],
                "additionalProperties": false,
                "properties": {
                    "tables": {"$ref": "#/$defs/grants"},
                    "sequences": {"$ref": "#/$defs/grants"},
                    "functions": {"$ref": "#/$defs/grants"},
                    "types": {"$ref": "#/$defs/grants"},
                    "schemas": {"$ref": "#/$defs/grants"},
                    "for_role": {
                        "description": "ALTER DEFAULT PRIVILEGES FOR ROLE r IN SCHEMA: creator role -> class -> grants, compared apart from the merged classes above.",
                        "type": ["object", "null"],
                        "additionalProperties": {
                            "type": ["object", "null"],
                            "additionalProperties": false,
                            "properties": {
                                "tables": {"$ref": "#/$defs/grants"},
                                "sequences": {"$ref": "#/$defs/grants"},
                                "functions": {"$ref": "#/$defs/grants"},
                                "types": {"$ref": "#/$defs/grants"},
                                "schemas": {"$ref": "#/$defs/grants"}
                            }
                        }
                    }
                }
            },
            "tables": named("Tables by name.", json!({"$ref": "#/$defs/table"})),
            "views": named("Views by name: the definition, or a mapping.", json!({"$ref": "#/$defs/view"})),
            "sequences": named("Sequences not owned by a column, by name.", json!({"$ref": "#/$defs/sequence"})),
            "enums": named("Enum types by name: their labels in order, or {values, owner, grants}.", json!({
                "anyOf": [
                    {"type": "array", "items": {"$ref": "#/$defs/text"}},
                    closed(&["values"], json!({
                        "values": {"type": "array", "items": {"$ref": "#/$defs/text"}},
                        "owner": {"$ref": "#/$defs/owner"},
                        "grants": {"$ref": "#/$defs/grants"},
                        "comment": text_or_null("COMMENT ON TYPE.")
                    }))
                ]
            })),
            "domains": named("Domains by name: the base type, or a mapping.", json!({"$ref": "#/$defs/domain"})),
            "functions": {
                "description": "Functions by signature, such as `set_updated_at()` or `add(integer, integer)`.",
                "type": "object",
                "patternProperties": {
                    "\\([\\s\\S]*\\)$": {"$ref": "#/$defs/function"}
                },
                "additionalProperties": false
            },
            "composite_types": named("Composite types (CREATE TYPE ... AS (...)) by name: their attributes in order, name to type (`text COLLATE \"C\"` for a collation other than the type's own), or {attributes, owner, grants, comment}.", json!({
                "anyOf": [
                    {"type": "object", "additionalProperties": {"$ref": "#/$defs/text"}},
                    closed(&["attributes"], json!({
                        "attributes": {"type": "object", "additionalProperties": {"$ref": "#/$defs/text"}},
                        "owner": {"$ref": "#/$defs/owner"},
                        "grants": {"$ref": "#/$defs/grants"},
                        "comment": text_or_null("COMMENT ON TYPE.")
                    }))
                ]
            })),
            "extensions": named("Extensions installed into this schema, by name.", json!({
                "type": ["object", "null"],
                "additionalProperties": false,
                "properties": {
                    "version": text_or_null("Compared only when given.")
                }
            })),
            "collations": named("Collations by name.", closed(&["locale"], json!({
                "provider": text_or_null("libc (default), icu or builtin."),
                "locale": {"$ref": "#/$defs/text"},
                "deterministic": boolean(),
                "comment": text_or_null("COMMENT ON COLLATION.")
            }))),
            "statistics": named("Extended statistics (CREATE STATISTICS) by name.", any_of_required(&["columns", "expressions"], closed(&["table"], json!({
                "table": {"$ref": "#/$defs/text", "description": "A table of this schema."},
                "columns": {"type": "array", "items": {"$ref": "#/$defs/text"}},
                "expressions": {
                    "description": "Expressions (PostgreSQL 14+), e.g. lower(email); compared in canonical form.",
                    "type": "array",
                    "items": {"$ref": "#/$defs/text"}
                },
                "kinds": {
                    "description": "Default: all of ndistinct, dependencies, mcv.",
                    "type": ["array", "null"],
                    "items": {"type": "string", "pattern": words(&["ndistinct", "dependencies", "mcv"])}
                },
                "target": {"type": ["integer", "null"], "minimum": -1, "description": "ALTER STATISTICS ... SET STATISTICS; -1 or left out: the default."},
                "comment": text_or_null("COMMENT ON STATISTICS.")
            })))),
            "foreign_tables": named("Foreign tables by name.", closed(&["server"], json!({
                "server": {"$ref": "#/$defs/text"},
                "owner": {"$ref": "#/$defs/owner"},
                "grants": {"$ref": "#/$defs/grants"},
                "columns": {"type": "object", "additionalProperties": {"$ref": "#/$defs/text"}},
                "options": {"type": "object", "additionalProperties": {"$ref": "#/$defs/text"}}
            })))
        }
    })
}

/// A mapping from names to `value`.
fn named(description: &str, value: Value) -> Value {
    json!({
        "description": description,
        "type": "object",
        "additionalProperties": value
    })
}

fn table() -> Value {
    json!({
        "type": ["object", "null"],
        "additionalProperties": false,
        "properties": {
            "owner": {"$ref": "#/$defs/owner"},
            "grants": {"$ref": "#/$defs/grants"},
            "group": text_or_null("Heading the table is listed under in `schemagate report`; never compared."),
            "comment": text_or_null("COMMENT ON TABLE."),
            "partition_by": text_or_null("Partition key of a partitioned table, e.g. `RANGE (created_at)`."),
            "partition_of": {
                "description": "The parent of a partition and the partition bound.",
                "type": ["object", "null"],
                "additionalProperties": false,
                "required": ["table", "bound"],
                "properties": {
                    "schema": text_or_null("Schema of the parent (default: this one)."),
                    "table": {"$ref": "#/$defs/text"},
                    "bound": {"$ref": "#/$defs/text", "description": "e.g. FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"}
                }
            },
            "unlogged": {"type": "boolean", "description": "CREATE UNLOGGED TABLE. Default: false."},
            "inherits": {
                "description": "INHERITS parents, in order: a table of this schema by name, or a mapping.",
                "type": "array",
                "items": {
                    "anyOf": [
                        {"$ref": "#/$defs/text"},
                        closed(&["table"], json!({
                            "schema": text_or_null("Schema of the parent (default: this one)."),
                            "table": {"$ref": "#/$defs/text"}
                        }))
                    ]
                }
            },
            "cluster_on": text_or_null("CLUSTER ON: the index CLUSTER orders the table by."),
            "of_type": text_or_null("CREATE TABLE ... OF type: the composite type a typed table is bound to."),
            "access_method": text_or_null("CREATE TABLE ... USING method: the table access method, as the catalog names it. Default: heap."),
            "replica_identity": {
                "description": "REPLICA IDENTITY: default, full, nothing or `index NAME`. Default: default.",
                "type": ["string", "null"],
                "pattern": "^\\s*(?:[Dd][Ee][Ff][Aa][Uu][Ll][Tt]|[Ff][Uu][Ll][Ll]|[Nn][Oo][Tt][Hh][Ii][Nn][Gg]|(?:[Uu][Ss][Ii][Nn][Gg]\\s+)?[Ii][Nn][Dd][Ee][Xx]\\s+.+)\\s*$"
            },
            "columns": named("Columns by name: the type, or a mapping.", json!({"$ref": "#/$defs/column"})),
            "primary_key": {
                "description": "The primary-key columns, or a mapping with a name.",
                "anyOf": [
                    {"type": "null"},
                    {"$ref": "#/$defs/nonEmptyColumnList"},
                    closed(&["columns"], json!({
                        "name": text_or_null("Constraint name (enforced when given)."),
                        "columns": {"$ref": "#/$defs/nonEmptyColumnList"},
                        "without_overlaps": bool_described("A temporal key (PostgreSQL 18): the last column is WITHOUT OVERLAPS."),
                        "deferrable": boolean(),
                        "initially_deferred": boolean(),
                        "include": {"$ref": "#/$defs/columnList"},
                        "options": options("Storage parameters of the key's index (WITH (...)), e.g. {fillfactor: 70}."),
                        "comment": text_or_null("COMMENT ON CONSTRAINT.")
                    }))
                ]
            },
            "unique": {
                "description": "Unique constraints: each a column list, or a mapping.",
                "type": "array",
                "items": {
                    "anyOf": [
                        {"$ref": "#/$defs/columnList"},
                        closed(&["columns"], json!({
                            "name": text_or_null("Constraint name (enforced when given)."),
                            "columns": {"$ref": "#/$defs/columnList"},
                            "nulls_not_distinct": boolean(),
                            "deferrable": boolean(),
                            "initially_deferred": boolean(),
                            "without_overlaps": bool_described("A temporal key (PostgreSQL 18): the last column is WITHOUT OVERLAPS."),
                            "include": {"$ref": "#/$defs/columnList"},
                            "options": options("Storage parameters of the key's index (WITH (...)), e.g. {fillfactor: 70}."),
                            "comment": text_or_null("COMMENT ON CONSTRAINT.")
                        }))
                    ]
                }
            },
            "checks": checks(json!({
                "name": text_or_null("Constraint name (enforced when given)."),
                "expression": {"$ref": "#/$defs/text"},
                "validated": bool_described("False: NOT VALID."),
                "enforced": bool_described("False: NOT ENFORCED (PostgreSQL 18)."),
                "no_inherit": bool_described("True: NO INHERIT (not added to child tables)."),
                "comment": text_or_null("COMMENT ON CONSTRAINT.")
            })),
            "foreign_keys": {"type": "array", "items": {"$ref": "#/$defs/foreignKey"}},
            "exclusions": {
                "description": "EXCLUDE constraints: `elements` are `expression WITH operator`.",
                "type": "array",
                "items": closed(&["elements"], json!({
                    "name": text_or_null("Constraint name (enforced when given)."),
                    "using": text_or_null("Index method. Default: gist."),
                    "elements": {"type": "array", "items": {"$ref": "#/$defs/text"}, "minItems": 1},
                    "where": text_or_null("Predicate of a partial exclusion constraint."),
                    "deferrable": boolean(),
                    "initially_deferred": boolean(),
                    "include": {"$ref": "#/$defs/columnList"},
                    "options": options("Storage parameters of the constraint's index (WITH (...))."),
                    "comment": text_or_null("COMMENT ON CONSTRAINT.")
                }))
            },
            "indexes": {"type": "array", "items": {"$ref": "#/$defs/index"}},
            "triggers": {"type": "array", "items": {"$ref": "#/$defs/trigger"}},
            "rules": {
                "description": "Rules (CREATE RULE) by name, with the whole definition as pg_get_ruledef prints it.",
                "type": "array",
                "items": {"$ref": "#/$defs/rule"}
            },
            "row_level_security": boolean(),
            "force_row_level_security": boolean(),
            "policies": {"type": "array", "items": {"$ref": "#/$defs/policy"}},
            "options": options("Storage parameters (WITH (...), reloptions), e.g. {fillfactor: 70, autovacuum_enabled: false}.")
        }
    })
}

fn column() -> Value {
    json!({
        "anyOf": [
            {"$ref": "#/$defs/text", "description": "The type alone: nullable, no default."},
            closed(&["type"], json!({
                "type": {"$ref": "#/$defs/text", "description": "Any spelling PostgreSQL accepts: varchar(255), timestamptz, int, serial, ..."},
                "nullable": bool_or_null("Default: true (false for primary-key, identity and serial columns)."),
                "default": text_or_null("DEFAULT expression."),
                "identity": {
                    "description": "GENERATED ALWAYS / BY DEFAULT AS IDENTITY.",
                    "anyOf": [
                        {"type": "null"},
                        {"enum": ["always", "by_default"]},
                        {"type": "string", "pattern": words(&["always", "by[_ ]default"])}
                    ]
                },
                "generated": {
                    "description": "GENERATED ALWAYS AS (...): the expression alone (STORED), or {expression, kind: stored|virtual} (VIRTUAL: PostgreSQL 18).",
                    "anyOf": [
                        {"type": "null"},
                        {"$ref": "#/$defs/text"},
                        closed(&["expression"], json!({
                            "expression": {"$ref": "#/$defs/text"},
                            "kind": {
                                "anyOf": [
                                    {"type": "null"},
                                    {"enum": ["stored", "virtual"]},
                                    {"type": "string", "pattern": words(&["stored", "virtual"])}
                                ]
                            }
                        }))
                    ]
                },
                "not_null": {
                    "description": "The column's NOT NULL constraint (PostgreSQL 18): its name and validity; implies nullable: false.",
                    "anyOf": [
                        {"type": "null"},
                        closed(&[], json!({
                            "name": text_or_null("Name of the NOT NULL constraint (enforced when given)."),
                            "validated": bool_described("False: NOT NULL ... NOT VALID."),
                            "no_inherit": bool_described("True: NOT NULL ... NO INHERIT.")
                        }))
                    ]
                },
                "collation": text_or_null("Collation, when not the type's default."),
                "comment": text_or_null("COMMENT ON COLUMN."),
                "grants": {"$ref": "#/$defs/grants"},
                "storage": {
                    "description": "STORAGE, when not the type's own.",
                    "anyOf": [{"type": "null"}, {"type": "string", "pattern": words(&["plain", "external", "main", "extended"])}]
                },
                "compression": {
                    "description": "COMPRESSION (PostgreSQL 14); the server's default when left out.",
                    "anyOf": [{"type": "null"}, {"type": "string", "pattern": words(&["pglz", "lz4"])}]
                },
                "statistics": {"type": ["integer", "null"], "minimum": -1, "description": "SET STATISTICS; -1 or left out: the default target."},
                "options": options("Attribute options (SET (...)): n_distinct, n_distinct_inherited."),
                "sequence": {
                    "description": "Options of an identity or serial column's own sequence; each left out is the default for the column's type.",
                    "type": ["object", "null"],
                    "additionalProperties": false,
                    "properties": {
                        "start": {"type": ["integer", "null"]},
                        "increment": {"type": ["integer", "null"]},
                        "min_value": {"type": ["integer", "null"]},
                        "max_value": {"type": ["integer", "null"]},
                        "cache": {"type": ["integer", "null"]},
                        "cycle": {"type": "boolean"}
                    }
                }
            }))
        ]
    })
}

fn fk_action() -> Value {
    json!({
        "description": "Referential action (case and `_`/`-`/space separators do not matter).",
        "anyOf": [
            {"type": "null"},
            {"enum": ["no action", "restrict", "cascade", "set null", "set default"]},
            {
                "type": "string",
                "pattern": format!(
                    "^[\\s_-]*(?:{})[\\s_-]*$",
                    ["no[\\s_-]+action", "restrict", "cascade", "set[\\s_-]+null", "set[\\s_-]+default"]
                        .map(case_insensitive)
                        .join("|")
                )
            }
        ]
    })
}

fn foreign_key() -> Value {
    closed(
        &["columns", "references"],
        json!({
            "name": text_or_null("Constraint name (enforced when given)."),
            "columns": {"$ref": "#/$defs/columnList"},
            "references": closed(&["table", "columns"], json!({
                "schema": text_or_null("Schema of the referenced table (default: this one)."),
                "table": {"$ref": "#/$defs/text"},
                "columns": {"$ref": "#/$defs/columnList"}
            })),
            "on_delete": {
                "anyOf": [
                    {"$ref": "#/$defs/fkAction"},
                    {
                        "description": "SET NULL or SET DEFAULT of some of the key's columns (PostgreSQL 15): `set null (a, b)`.",
                        "type": "string",
                        "pattern": format!(
                            "^[\\s_-]*(?:{})[\\s_-]*\\(.+\\)\\s*$",
                            ["set[\\s_-]+null", "set[\\s_-]+default"]
                                .map(case_insensitive)
                                .join("|")
                        )
                    }
                ]
            },
            "on_update": {"$ref": "#/$defs/fkAction"},
            "deferrable": boolean(),
            "initially_deferred": boolean(),
            "validated": bool_described("False: NOT VALID."),
            "enforced": bool_described("False: NOT ENFORCED (PostgreSQL 18)."),
            "period": bool_described("A temporal foreign key (PostgreSQL 18): the last column on both sides is PERIOD."),
            "match": {"description": "MATCH FULL or MATCH SIMPLE (the default).", "enum": ["full", "simple", "FULL", "SIMPLE", null]},
            "comment": text_or_null("COMMENT ON CONSTRAINT.")
        }),
    )
}

fn index() -> Value {
    closed(
        &["columns"],
        json!({
            "name": text_or_null("Index name (enforced when given)."),
            "columns": {
                "description": "Keys: a column or expression, optionally with an operator class, DESC and NULLS FIRST/LAST.",
                "type": "array",
                "items": {"$ref": "#/$defs/text"},
                "minItems": 1
            },
            "unique": boolean(),
            "using": text_or_null("Access method: btree (default), gin, gist, brin, hash, spgist, ..."),
            "include": {"$ref": "#/$defs/columnList"},
            "where": text_or_null("Predicate of a partial index."),
            "nulls_not_distinct": boolean(),
            "options": options("Storage parameters (WITH (...)), e.g. {fillfactor: 70, deduplicate_items: false}."),
            "comment": text_or_null("COMMENT ON INDEX.")
        }),
    )
}

fn trigger() -> Value {
    closed(
        &["name", "timing", "events", "function"],
        json!({
            "name": {"$ref": "#/$defs/text"},
            "timing": {
                "anyOf": [
                    {"enum": ["before", "after", "instead of"]},
                    {"type": "string", "pattern": words(&["before", "after", "instead of"])}
                ]
            },
            "events": {
                "description": "insert, update, delete, truncate, or `update of a, b`.",
                "type": "array",
                "items": {"$ref": "#/$defs/text"}
            },
            "level": {
                "description": "Default: statement.",
                "anyOf": [
                    {"type": "null"},
                    {"enum": ["row", "statement"]},
                    {"type": "string", "pattern": words(&["row", "statement"])}
                ]
            },
            "function": {"$ref": "#/$defs/text", "description": "The function with its arguments, e.g. set_updated_at()."},
            "when": text_or_null("WHEN condition."),
            "enabled": firing(),
            "constraint": bool_described("CREATE CONSTRAINT TRIGGER."),
            "deferrable": bool_described("A constraint trigger's DEFERRABLE."),
            "initially_deferred": bool_described("A constraint trigger's INITIALLY DEFERRED."),
            "from": text_or_null("A constraint trigger's FROM table."),
            "referencing": {
                "description": "Transition tables: REFERENCING OLD TABLE AS old NEW TABLE AS new.",
                "type": ["object", "null"],
                "additionalProperties": false,
                "properties": {
                    "old": text_or_null("OLD TABLE AS name."),
                    "new": text_or_null("NEW TABLE AS name.")
                }
            },
            "comment": text_or_null("COMMENT ON TRIGGER.")
        }),
    )
}

/// When a trigger or rule fires: true (ENABLE, the default), false
/// (DISABLE), replica, always.
fn firing() -> Value {
    json!({
        "description": "true (the default: ENABLE), false (DISABLE), replica (ENABLE REPLICA) or always (ENABLE ALWAYS).",
        "anyOf": [
            {"type": ["boolean", "null"]},
            {"enum": ["replica", "always", "REPLICA", "ALWAYS"]}
        ]
    })
}

fn policy() -> Value {
    closed(
        &["name"],
        json!({
            "name": {"$ref": "#/$defs/text"},
            "command": {
                "description": "Default: all.",
                "anyOf": [
                    {"type": "null"},
                    {"enum": ["all", "select", "insert", "update", "delete"]},
                    {"type": "string", "pattern": words(&["all", "select", "insert", "update", "delete"])}
                ]
            },
            "permissive": boolean(),
            "roles": {
                "description": "Default: public.",
                "type": ["array", "null"],
                "items": {"$ref": "#/$defs/text"}
            },
            "using": text_or_null("USING expression."),
            "with_check": text_or_null("WITH CHECK expression."),
            "comment": text_or_null("COMMENT ON POLICY.")
        }),
    )
}

fn view() -> Value {
    json!({
        "anyOf": [
            {"$ref": "#/$defs/text", "description": "The view's query."},
            closed(&[], json!({
                "owner": {"$ref": "#/$defs/owner"},
                "grants": {"$ref": "#/$defs/grants"},
                "definition": text_or_null("The view's query; not compared when left out."),
                "materialized": boolean(),
                "comment": text_or_null("COMMENT ON VIEW."),
                "indexes": {"description": "Indexes of a materialized view.", "type": "array", "items": {"$ref": "#/$defs/index"}},
                "triggers": {"description": "Triggers on the view, e.g. INSTEAD OF.", "type": "array", "items": {"$ref": "#/$defs/trigger"}},
                "rules": {"description": "Rules on the view (not its own query).", "type": "array", "items": {"$ref": "#/$defs/rule"}},
                "options": options("View options (WITH (...)): security_invoker, security_barrier, check_option (local or cascaded); a materialized view's storage parameters."),
                "columns": {
                    "description": "Columns with a comment or a default (ALTER VIEW ... ALTER COLUMN ... SET DEFAULT), by name; the others are the query's.",
                    "type": ["object", "null"],
                    "additionalProperties": closed(&[], json!({
                        "comment": text_or_null("COMMENT ON COLUMN."),
                        "default": text_or_null("The default INSERT through the view uses.")
                    }))
                }
            }))
        ]
    })
}

fn sequence() -> Value {
    let integer = || json!({"type": ["integer", "null"]});
    json!({
        "type": ["object", "null"],
        "additionalProperties": false,
        "properties": {
            "owner": {"$ref": "#/$defs/owner"},
            "grants": {"$ref": "#/$defs/grants"},
            "type": text_or_null("smallint, integer or bigint (default)."),
            "start": integer(),
            "increment": {"type": ["integer", "null"], "not": {"const": 0}},
            "min_value": integer(),
            "max_value": integer(),
            "cache": integer(),
            "cycle": boolean(),
            "comment": text_or_null("COMMENT ON SEQUENCE.")
        }
    })
}

fn domain() -> Value {
    json!({
        "anyOf": [
            {"$ref": "#/$defs/text", "description": "The base type alone."},
            closed(&["type"], json!({
                "type": {"$ref": "#/$defs/text"},
                "collation": text_or_null("COLLATE, when not the base type's (C, public.ci)."),
                "nullable": bool_or_null("Default: true."),
                "default": text_or_null("DEFAULT expression."),
                "checks": checks(json!({
                    "name": text_or_null("Constraint name (enforced when given)."),
                    "expression": {"$ref": "#/$defs/text"},
                    "validated": bool_described("False: added NOT VALID and not validated since."),
                    "comment": text_or_null("COMMENT ON CONSTRAINT ... ON DOMAIN.")
                })),
                "comment": text_or_null("COMMENT ON DOMAIN."),
                "owner": {"$ref": "#/$defs/owner"},
                "grants": {"$ref": "#/$defs/grants"}
            }))
        ]
    })
}

fn function() -> Value {
    closed(
        &["returns", "language"],
        json!({
            "returns": {"$ref": "#/$defs/text", "description": "Result type, e.g. trigger, integer, SETOF users."},
            "language": {"$ref": "#/$defs/text", "description": "plpgsql, sql, ..."},
            "owner": {"$ref": "#/$defs/owner"},
            "grants": {"$ref": "#/$defs/grants"},
            "arguments": text_or_null("Names, modes and defaults as pg_get_function_arguments shows them, e.g. `a integer, OUT b text, c integer DEFAULT 0`; compared only when given."),
            "body": text_or_null("The body as the server stores it (the text between $$, or the deparsed BEGIN ATOMIC ... END); compared ignoring whitespace and comments outside literals, and only when given."),
            "volatility": {"type": ["string", "null"], "pattern": words(&["volatile", "stable", "immutable"]), "description": "Default: volatile."},
            "strict": {"type": "boolean", "description": "RETURNS NULL ON NULL INPUT. Default: false."},
            "security_definer": {"type": "boolean", "description": "SECURITY DEFINER. Default: false."},
            "leakproof": {"type": "boolean", "description": "LEAKPROOF. Default: false."},
            "parallel": {"type": ["string", "null"], "pattern": words(&["unsafe", "restricted", "safe"]), "description": "Default: unsafe."},
            "set": {
                "description": "SET clauses (proconfig) by parameter, e.g. {search_path: \"public, pg_temp\"}.",
                "type": ["object", "null"],
                "additionalProperties": {"$ref": "#/$defs/text"}
            },
            "cost": {"type": ["number", "null"], "exclusiveMinimum": 0, "description": "COST. Default: 1 in C and internal, 100 in other languages."},
            "rows": {"type": ["number", "null"], "exclusiveMinimum": 0, "description": "ROWS, of a SETOF or TABLE function only. Default: 1000."},
            "comment": text_or_null("COMMENT ON FUNCTION.")
        }),
    )
}

/// `grants:` — role (listed in `roles:`) -> its privileges.
fn grants() -> Value {
    json!({
        "description": "Grants to the file's roles on this object, compared exactly when given (a role left out must hold nothing).",
        "type": ["object", "null"],
        "additionalProperties": {"$ref": "#/$defs/privilegeList"}
    })
}

/// `ALL`, `SELECT, INSERT`, or a list; an item may end in WITH GRANT OPTION.
fn privilege_list() -> Value {
    json!({
        "description": "ALL, or privileges such as SELECT, INSERT; an item may end in WITH GRANT OPTION.",
        "anyOf": [
            {"type": "string"},
            {"type": "array", "items": {"type": "string"}}
        ]
    })
}

#[cfg(test)]
mod tests;

/// CHECK constraints of a table or a domain: each an expression, or a
/// mapping with `expression` and the keys `properties` gives.
fn checks(properties: Value) -> Value {
    json!({
        "description": "CHECK constraints: each an expression, or a mapping.",
        "type": "array",
        "items": {
            "anyOf": [
                {"$ref": "#/$defs/text"},
                closed(&["expression"], properties)
            ]
        }
    })
}
