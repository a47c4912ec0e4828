//! Tables (with their partitioning and row-level security flags), views and
//! materialized views.

use std::collections::BTreeMap;

use postgres::Row;

use super::partial::Partial;
use crate::model::{PartitionOf, QualifiedName, Table, View, ViewColumn};

pub(super) const SQL: &str = include_str!("relations.sql");

pub(super) fn assemble(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        let oid: u32 = row.get("oid");
        let schema: String = row.get("schema");
        let name: String = row.get("name");
        let kind: String = row.get("kind");
        partial.namespace(schema.clone());
        let comment: Option<String> = row.get("comment");
        let options = reloptions(row.get("reloptions"));
        if kind == "v" || kind == "m" {
            let view = View {
                line: None,
                materialized: kind == "m",
                definition: row
                    .get::<_, Option<String>>("view_definition")
                    .map(|d| d.trim().to_string()),
                comment,
                triggers: Vec::new(),
                indexes: Vec::new(),
                rules: Vec::new(),
                options,
                columns: view_columns(row.get("view_columns")),
            };
            partial.views.insert(oid, (schema, name, view));
            continue;
        }
        let parent_name: Option<String> = row.get("parent_name");
        let partition_of = parent_name.map(|parent| PartitionOf {
            parent: QualifiedName::new(row.get::<_, String>("parent_schema"), parent),
            bound: row
                .get::<_, Option<String>>("partition_bound")
                .unwrap_or_default(),
        });
        let parent_schemas: Vec<String> = row.get("parent_schemas");
        let parent_names: Vec<String> = row.get("parent_names");
        // Every field listed: a new one fails to compile here until it is
        // read from the catalog (or filled in by a later assembler).
        let table = Table {
            line: None,
            group: None,
            comment,
            partition_by: row.get("partition_by"),
            partition_of,
            unlogged: row.get("unlogged"),
            inherits: parent_schemas
                .into_iter()
                .zip(parent_names)
                .map(|(schema, name)| QualifiedName::new(schema, name))
                .collect(),
            replica_identity: match row.get::<_, &str>("replica_identity") {
                "f" => "full".into(),
                "n" => "nothing".into(),
                "i" => match row.get::<_, Option<String>>("replica_index") {
                    Some(index) => format!("index {index}"),
                    None => "default".into(),
                },
                _ => "default".into(),
            },
            cluster_on: row.get("cluster_index"),
            of_type: row.get("of_type"),
            access_method: row.get("access_method"),
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            checks: Vec::new(),
            foreign_keys: Vec::new(),
            exclusions: Vec::new(),
            indexes: Vec::new(),
            triggers: Vec::new(),
            rules: Vec::new(),
            rls_enabled: row.get("relrowsecurity"),
            rls_forced: row.get("relforcerowsecurity"),
            policies: Vec::new(),
            options,
        };
        partial.tables.insert(oid, schema, name, table);
    }
}

/// `reloptions` (`{fillfactor=70,security_barrier=true}`) as name → value;
/// an option listed without `=` is `true`.
pub(super) fn reloptions(list: Vec<String>) -> BTreeMap<String, String> {
    list.into_iter()
        .map(|o| match o.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (o, "true".to_string()),
        })
        .collect()
}

/// A view's columns from `name, comment, default, name, ...` by name.
fn view_columns(rows: Option<Vec<Option<String>>>) -> BTreeMap<String, ViewColumn> {
    rows.unwrap_or_default()
        .chunks(3)
        .filter_map(|c| match c {
            [Some(name), comment, default] => Some((
                name.clone(),
                ViewColumn {
                    comment: comment.clone(),
                    default: default.clone(),
                },
            )),
            _ => None,
        })
        .collect()
}
