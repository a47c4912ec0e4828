//! A table present on both sides: its own attributes, then each of its
//! columns, constraints, indexes, triggers and policies.

use super::attr::{attr, attr_opt_text, attr_options, Attr};
use super::column::diff_columns;
use super::constraint::{diff_primary_key, CheckKind, ExclusionKind, ForeignKeyKind, UniqueKind};
use super::index::IndexKind;
use super::mismatch::{Mismatch, ObjectType};
use super::named::SchemaObject;
use super::pairing::diff_items;
use super::policy::PolicyKind;
use super::scope::{Object, Scope};
use super::trigger::{RuleKind, TriggerKind};
use crate::canon::canonical_type;
use crate::model::{Line, PartitionOf, QualifiedName, Table};

impl SchemaObject for Table {
    const OBJECT_TYPE: ObjectType = ObjectType::Table;
    fn line(&self) -> Line {
        self.line
    }
}

/// `scope` is the table's own. Every field is listed, so that a new one
/// does not compile until it is compared here (or said not to be).
pub(super) fn diff_table(scope: &Scope, out: &mut Vec<Mismatch>, expected: &Table, actual: &Table) {
    let Table {
        line,
        // Report grouping only, never compared.
        group: _,
        comment,
        partition_by,
        partition_of,
        unlogged,
        inherits,
        replica_identity,
        cluster_on,
        of_type,
        access_method,
        columns,
        primary_key,
        uniques,
        checks,
        foreign_keys,
        exclusions,
        indexes,
        triggers,
        rules,
        rls_enabled,
        rls_forced,
        policies,
        options,
    } = expected;
    let Table {
        line: _,
        group: _,
        comment: actual_comment,
        partition_by: actual_partition_by,
        partition_of: actual_partition_of,
        unlogged: actual_unlogged,
        inherits: actual_inherits,
        replica_identity: actual_replica_identity,
        cluster_on: actual_cluster_on,
        of_type: actual_of_type,
        access_method: actual_access_method,
        columns: actual_columns,
        primary_key: actual_primary_key,
        uniques: actual_uniques,
        checks: actual_checks,
        foreign_keys: actual_foreign_keys,
        exclusions: actual_exclusions,
        indexes: actual_indexes,
        triggers: actual_triggers,
        rules: actual_rules,
        rls_enabled: actual_rls_enabled,
        rls_forced: actual_rls_forced,
        policies: actual_policies,
        options: actual_options,
    } = actual;

    let attrs: [Attr; 12] = [
        attr_opt_text("comment", comment, actual_comment),
        attr_opt_text("partition_by", partition_by, actual_partition_by),
        attr_opt_text(
            "partition_of",
            &partition_of.as_ref().map(render_partition_of),
            &actual_partition_of.as_ref().map(render_partition_of),
        ),
        attr("unlogged", unlogged, actual_unlogged),
        (inherits != actual_inherits).then(|| {
            (
                "inherits",
                Some(render_parents(inherits)),
                Some(render_parents(actual_inherits)),
            )
        }),
        attr(
            "replica_identity",
            replica_identity,
            actual_replica_identity,
        ),
        attr("row_level_security", rls_enabled, actual_rls_enabled),
        attr("force_row_level_security", rls_forced, actual_rls_forced),
        attr_options(options, actual_options),
        attr_opt_text("cluster_on", cluster_on, actual_cluster_on),
        (of_type.as_deref().map(canonical_type) != actual_of_type.as_deref().map(canonical_type))
            .then(|| ("of_type", of_type.clone(), actual_of_type.clone())),
        attr_opt_text("access_method", access_method, actual_access_method),
    ];
    let table = Object::at(ObjectType::Table, scope.table_path(), *line);
    scope.changed(out, table, attrs);

    diff_columns(scope, out, columns, actual_columns);
    diff_primary_key(scope, out, primary_key, actual_primary_key);
    diff_items::<UniqueKind>(scope, out, uniques, actual_uniques);
    diff_items::<CheckKind>(scope, out, checks, actual_checks);
    diff_items::<ForeignKeyKind>(scope, out, foreign_keys, actual_foreign_keys);
    diff_items::<ExclusionKind>(scope, out, exclusions, actual_exclusions);
    diff_items::<IndexKind>(scope, out, indexes, actual_indexes);
    diff_items::<TriggerKind>(scope, out, triggers, actual_triggers);
    diff_items::<RuleKind>(scope, out, rules, actual_rules);
    diff_items::<PolicyKind>(scope, out, policies, actual_policies);
}

fn render_partition_of(p: &PartitionOf) -> String {
    format!("{} {}", p.parent, p.bound)
}

fn render_parents(parents: &[QualifiedName]) -> String {
    if parents.is_empty() {
        return "-".into();
    }
    parents
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
