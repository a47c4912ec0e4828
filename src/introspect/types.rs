//! User-defined types: enums and domains.

use postgres::Row;

use super::partial::Partial;
use crate::model::{Check, Domain, EnumType};

pub(super) const SQL: &str = include_str!("types.sql");

pub(super) fn assemble(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        let ns = partial.namespace(row.get("schema"));
        let name: String = row.get("name");
        if row.get::<_, String>("kind") == "e" {
            ns.enums.insert(
                name,
                EnumType {
                    line: None,
                    values: row.get("labels"),
                    comment: row.get("comment"),
                },
            );
        } else {
            let checks: Vec<String> = row.get("checks");
            let names: Vec<String> = row.get("check_names");
            let validated: Vec<bool> = row.get("check_validated");
            let comments: Vec<Option<String>> = row.get("check_comments");
            ns.domains.insert(
                name,
                Domain {
                    line: None,
                    data_type: row
                        .get::<_, Option<String>>("base_type")
                        .unwrap_or_default(),
                    collation: row.get("collation"),
                    nullable: !row.get::<_, bool>("typnotnull"),
                    default: row.get("typdefault"),
                    checks: checks
                        .iter()
                        .enumerate()
                        .map(|(k, def)| Check {
                            comment: comments.get(k).cloned().flatten(),
                            line: None,
                            name: names.get(k).cloned(),
                            expression: strip_check(def),
                            validated: validated.get(k).copied().unwrap_or(true),
                            enforced: true,
                            no_inherit: false,
                        })
                        .collect(),
                    comment: row.get("comment"),
                },
            );
        }
    }
}

/// `CHECK ((VALUE > 0))` -> `(VALUE > 0)`; NOT VALID is dropped.
fn strip_check(def: &str) -> String {
    let def = def.trim();
    let def = def.strip_suffix(" NOT VALID").unwrap_or(def);
    def.strip_prefix("CHECK ")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| def.to_string())
}
