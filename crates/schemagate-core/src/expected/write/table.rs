//! The writer of one table, and the field lists of its columns,
//! constraints, indexes, triggers and policies (also used by `--update`).

use std::fmt::Write as _;

use crate::canon::{pretty_expr, pretty_index_key, pretty_type, serial_type};
use crate::expected::privileges::acl_fields;
use crate::expected::yaml_text::{flow_list, flow_map, key, options_map, scalar, Fields};
use crate::model::*;

pub(super) fn write_table(
    out: &mut String,
    schema: &str,
    table_name: &str,
    t: &Table,
    privileges: &Privileges,
) {
    let Table {
        line: _,
        group,
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
    } = t;
    let ind = "        ";
    if let Some(g) = group {
        let _ = writeln!(out, "{ind}group: {}", scalar(g));
    }
    if let Some(c) = comment {
        let _ = writeln!(out, "{ind}comment: {}", scalar(c));
    }
    let securable = Securable::new(SecurableKind::Table, schema, Some(table_name));
    for (k, v) in acl_fields(privileges, &securable) {
        let _ = writeln!(out, "{ind}{k}: {v}");
    }
    if let Some(p) = partition_by {
        let _ = writeln!(out, "{ind}partition_by: {}", scalar(p));
    }
    if let Some(p) = partition_of {
        let _ = writeln!(
            out,
            "{ind}partition_of: {}",
            flow_map(&partition_of_fields(schema, p))
        );
    }
    if *unlogged {
        let _ = writeln!(out, "{ind}unlogged: true");
    }
    if !inherits.is_empty() {
        let parents: Vec<String> = inherits
            .iter()
            .map(|p| {
                if p.schema == schema {
                    scalar(&p.name)
                } else {
                    flow_map(&[("schema", scalar(&p.schema)), ("table", scalar(&p.name))])
                }
            })
            .collect();
        let _ = writeln!(out, "{ind}inherits: [{}]", parents.join(", "));
    }
    if let Some(i) = cluster_on {
        let _ = writeln!(out, "{ind}cluster_on: {}", scalar(i));
    }
    if let Some(t) = of_type {
        let _ = writeln!(out, "{ind}of_type: {}", scalar(t));
    }
    if let Some(m) = access_method {
        let _ = writeln!(out, "{ind}access_method: {}", scalar(m));
    }
    if replica_identity != "default" {
        let _ = writeln!(out, "{ind}replica_identity: {}", scalar(replica_identity));
    }
    if !options.is_empty() {
        let _ = writeln!(out, "{ind}options: {}", options_map(options));
    }
    if columns.is_empty() {
        let _ = writeln!(out, "{ind}columns: {{}}");
    } else {
        let _ = writeln!(out, "{ind}columns:");
    }
    for c in columns {
        let mut fields = column_fields(table_name, c, implied_not_null(t, c));
        let securable = Securable::column(schema, table_name, &c.name);
        fields.extend(acl_fields(privileges, &securable));
        let _ = writeln!(out, "{ind}  {}: {}", key(&c.name), flow_map(&fields));
    }
    if let Some(pk) = primary_key {
        let _ = writeln!(
            out,
            "{ind}primary_key: {}",
            primary_key_value(table_name, pk)
        );
    }
    let mut list = |name: &str, items: Vec<Fields>| {
        if !items.is_empty() {
            let _ = writeln!(out, "{ind}{name}:");
            for fields in items {
                let _ = writeln!(out, "{ind}  - {}", flow_map(&fields));
            }
        }
    };
    list("unique", uniques.iter().map(unique_fields).collect());
    list("checks", checks.iter().map(check_fields).collect());
    list(
        "foreign_keys",
        foreign_keys.iter().map(|f| fk_fields(schema, f)).collect(),
    );
    list(
        "exclusions",
        exclusions.iter().map(exclusion_fields).collect(),
    );
    list("indexes", indexes.iter().map(index_fields).collect());
    list("triggers", triggers.iter().map(trigger_fields).collect());
    list("rules", rules.iter().map(rule_fields).collect());
    if *rls_enabled {
        let _ = writeln!(out, "{ind}row_level_security: true");
    }
    if *rls_forced {
        let _ = writeln!(out, "{ind}force_row_level_security: true");
    }
    let mut list = |name: &str, items: Vec<Fields>| {
        if !items.is_empty() {
            let _ = writeln!(out, "{ind}{name}:");
            for fields in items {
                let _ = writeln!(out, "{ind}  - {}", flow_map(&fields));
            }
        }
    };
    list("policies", policies.iter().map(policy_fields).collect());
}

pub(in crate::expected) fn partition_of_fields(schema: &str, p: &PartitionOf) -> Fields {
    let PartitionOf { parent, bound } = p;
    let mut fields = vec![];
    if parent.schema != schema {
        fields.push(("schema", scalar(&parent.schema)));
    }
    fields.push(("table", scalar(&parent.name)));
    fields.push(("bound", scalar(bound)));
    fields
}

/// Primary key, identity and serial columns are NOT NULL by themselves.
pub(in crate::expected) fn implied_not_null(t: &Table, c: &Column) -> bool {
    t.primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.contains(&c.name))
        || c.identity.is_some()
}

pub(in crate::expected) fn column_fields(
    table_name: &str,
    c: &Column,
    implied_not_null: bool,
) -> Fields {
    let Column {
        line: _,
        name,
        data_type,
        nullable,
        not_null_name,
        not_null_validated,
        not_null_no_inherit,
        default,
        identity,
        generated,
        generated_kind,
        collation,
        comment,
        tuning,
    } = c;
    // `serial` stays as written: it carries its sequence default.
    let written_type = match serial_type(data_type) {
        Some(_) => data_type.clone(),
        None => pretty_type(data_type),
    };
    let mut fields = vec![("type", scalar(&written_type))];
    if !nullable && !implied_not_null {
        fields.push(("nullable", "false".into()));
    }
    if let Some(d) = default {
        // A `serial` column's sequence default comes with the type.
        if serial_type(data_type).is_none() {
            fields.push(("default", scalar(&pretty_expr(d))));
        }
    }
    if let Some(i) = *identity {
        fields.push(("identity", i.as_str().into()));
    }
    if let Some(g) = generated {
        let expression = scalar(&pretty_expr(g));
        match generated_kind {
            // The old form, which every version reads the same way.
            GeneratedKind::Stored => fields.push(("generated", expression)),
            GeneratedKind::Virtual => fields.push((
                "generated",
                flow_map(&[("expression", expression), ("kind", "virtual".into())]),
            )),
        }
    }
    // PostgreSQL 18 names every NOT NULL: only a name other than the
    // server's own choice is the user's (and an expected file written on 18
    // then holds on older servers too).
    let default_nn_name = format!("{table_name}_{name}_not_null");
    let nn_name = not_null_name
        .as_deref()
        .filter(|n| !*nullable && *n != default_nn_name);
    if nn_name.is_some() || !not_null_validated || *not_null_no_inherit {
        let mut nn = vec![];
        if let Some(n) = nn_name {
            nn.push(("name", scalar(n)));
        }
        if !not_null_validated {
            nn.push(("validated", "false".into()));
        }
        if *not_null_no_inherit {
            nn.push(("no_inherit", "true".into()));
        }
        fields.push(("not_null", flow_map(&nn)));
    }
    if let Some(coll) = collation {
        fields.push(("collation", scalar(coll)));
    }
    if let Some(com) = comment {
        fields.push(("comment", scalar(com)));
    }
    if let Some(t) = tuning {
        if let Some(s) = &t.storage {
            fields.push(("storage", scalar(s)));
        }
        if let Some(c) = &t.compression {
            fields.push(("compression", scalar(c)));
        }
        if let Some(s) = t.statistics {
            fields.push(("statistics", s.to_string()));
        }
        if !t.options.is_empty() {
            fields.push(("options", options_map(&t.options)));
        }
        if let Some(s) = &t.sequence {
            let options: Vec<(&str, String)> = s.options.non_default_options(&c.sequence_type());
            if !options.is_empty() {
                fields.push(("sequence", flow_map(&options)));
            }
        }
    }
    fields
}

pub(in crate::expected) fn primary_key_value(table_name: &str, pk: &PrimaryKey) -> String {
    let PrimaryKey {
        line: _,
        name,
        columns,
        without_overlaps,
        deferrable,
        include,
        options,
        comment,
    } = pk;
    let own_name = name.is_some() && name.as_deref() != Some(&format!("{table_name}_pkey"));
    if own_name
        || *without_overlaps
        || *deferrable != Deferrable::No
        || comment.is_some()
        || !include.is_empty()
        || !options.is_empty()
    {
        let mut fields = vec![];
        if own_name {
            fields.push(("name", scalar(name.as_deref().unwrap_or_default())));
        }
        fields.push(("columns", flow_list(columns)));
        if *without_overlaps {
            fields.push(("without_overlaps", "true".into()));
        }
        push_deferrable(&mut fields, *deferrable);
        push_key_index(&mut fields, include, options);
        if let Some(c) = comment {
            fields.push(("comment", scalar(c)));
        }
        flow_map(&fields)
    } else {
        flow_list(columns)
    }
}

pub(in crate::expected) fn unique_fields(u: &Unique) -> Fields {
    let Unique {
        line: _,
        name,
        columns,
        nulls_not_distinct,
        deferrable,
        without_overlaps,
        include,
        options,
        comment,
    } = u;
    let mut fields = vec![("columns", flow_list(columns))];
    if let Some(n) = name {
        fields.insert(0, ("name", scalar(n)));
    }
    if *nulls_not_distinct {
        fields.push(("nulls_not_distinct", "true".into()));
    }
    push_deferrable(&mut fields, *deferrable);
    if *without_overlaps {
        fields.push(("without_overlaps", "true".into()));
    }
    push_key_index(&mut fields, include, options);
    if let Some(c) = comment {
        fields.push(("comment", scalar(c)));
    }
    fields
}

/// `include:` and `options:` of a key's index, when it has them.
fn push_key_index(
    fields: &mut Fields,
    include: &[String],
    options: &std::collections::BTreeMap<String, String>,
) {
    if !include.is_empty() {
        fields.push(("include", flow_list(include)));
    }
    if !options.is_empty() {
        fields.push(("options", options_map(options)));
    }
}

pub(in crate::expected) fn check_fields(c: &Check) -> Fields {
    let Check {
        line: _,
        name,
        expression,
        validated,
        enforced,
        no_inherit,
        comment,
    } = c;
    let mut fields = vec![("expression", scalar(&pretty_expr(expression)))];
    if let Some(n) = name {
        fields.insert(0, ("name", scalar(n)));
    }
    if *no_inherit {
        fields.push(("no_inherit", "true".into()));
    }
    if !enforced {
        fields.push(("enforced", "false".into()));
    } else if !validated {
        fields.push(("validated", "false".into()));
    }
    if let Some(c) = comment {
        fields.push(("comment", scalar(c)));
    }
    fields
}

pub(in crate::expected) fn fk_fields(schema: &str, f: &ForeignKey) -> Fields {
    let ForeignKey {
        line: _,
        name,
        columns,
        ref_table,
        ref_columns,
        on_delete,
        on_delete_columns: _,
        on_update,
        deferrable,
        validated,
        enforced,
        period,
        match_full,
        comment,
    } = f;
    let mut refs = vec![];
    if ref_table.schema != schema {
        refs.push(("schema", scalar(&ref_table.schema)));
    }
    refs.push(("table", scalar(&ref_table.name)));
    refs.push(("columns", flow_list(ref_columns)));
    let mut fields = vec![];
    if let Some(n) = name {
        fields.push(("name", scalar(n)));
    }
    fields.push(("columns", flow_list(columns)));
    fields.push(("references", flow_map(&refs)));
    if *match_full {
        fields.push(("match", "full".into()));
    }
    if *on_delete != FkAction::NoAction {
        fields.push(("on_delete", scalar(&f.on_delete_text())));
    }
    if *on_update != FkAction::NoAction {
        fields.push(("on_update", scalar(on_update.as_str())));
    }
    push_deferrable(&mut fields, *deferrable);
    if *period {
        fields.push(("period", "true".into()));
    }
    if !enforced {
        fields.push(("enforced", "false".into()));
    } else if !validated {
        fields.push(("validated", "false".into()));
    }
    if let Some(c) = comment {
        fields.push(("comment", scalar(c)));
    }
    fields
}

pub(super) fn exclusion_fields(x: &Exclusion) -> Fields {
    let Exclusion {
        line: _,
        name,
        method,
        elements,
        predicate,
        deferrable,
        include,
        options,
        comment,
    } = x;
    let mut fields = vec![];
    if let Some(n) = name {
        fields.push(("name", scalar(n)));
    }
    fields.push(("using", scalar(method)));
    fields.push(("elements", flow_list(elements)));
    if let Some(p) = predicate {
        fields.push(("where", scalar(&pretty_expr(p))));
    }
    push_deferrable(&mut fields, *deferrable);
    push_key_index(&mut fields, include, options);
    if let Some(c) = comment {
        fields.push(("comment", scalar(c)));
    }
    fields
}

pub(super) fn rule_fields(r: &Rule) -> Fields {
    let Rule {
        line: _,
        name,
        definition,
        enabled,
        comment,
    } = r;
    let mut fields = vec![("name", scalar(name)), ("definition", scalar(definition))];
    if *enabled != Firing::Origin {
        fields.push(("enabled", enabled.as_str().into()));
    }
    if let Some(c) = comment {
        fields.push(("comment", scalar(c)));
    }
    fields
}

/// A list of entries under `name:` (the indexes, triggers and rules of a view).
fn write_list(out: &mut String, ind: &str, name: &str, items: Vec<Fields>) {
    if !items.is_empty() {
        let _ = writeln!(out, "{ind}{name}:");
        for fields in items {
            let _ = writeln!(out, "{ind}  - {}", flow_map(&fields));
        }
    }
}

pub(super) fn write_rules(out: &mut String, ind: &str, rules: &[Rule]) {
    write_list(out, ind, "rules", rules.iter().map(rule_fields).collect());
}

pub(super) fn write_indexes(out: &mut String, ind: &str, indexes: &[Index]) {
    write_list(
        out,
        ind,
        "indexes",
        indexes.iter().map(index_fields).collect(),
    );
}

pub(super) fn write_triggers(out: &mut String, ind: &str, triggers: &[Trigger]) {
    write_list(
        out,
        ind,
        "triggers",
        triggers.iter().map(trigger_fields).collect(),
    );
}

pub(in crate::expected) fn index_fields(i: &Index) -> Fields {
    let Index {
        line: _,
        name,
        unique,
        method,
        keys,
        include,
        predicate,
        nulls_not_distinct,
        options,
        // Not declarable: an invalid index is always a mismatch.
        valid: _,
        comment,
    } = i;
    let keys: Vec<String> = keys
        .iter()
        .map(|k| {
            let mut k = k.clone();
            k.expression = pretty_index_key(&k.expression);
            k.to_string()
        })
        .collect();
    let mut fields = vec![];
    if let Some(n) = name {
        fields.push(("name", scalar(n)));
    }
    fields.push(("columns", flow_list(&keys)));
    if *unique {
        fields.push(("unique", "true".into()));
    }
    if method != "btree" {
        fields.push(("using", scalar(method)));
    }
    if !include.is_empty() {
        fields.push(("include", flow_list(include)));
    }
    if *nulls_not_distinct {
        fields.push(("nulls_not_distinct", "true".into()));
    }
    if let Some(p) = predicate {
        fields.push(("where", scalar(&pretty_expr(p))));
    }
    if !options.is_empty() {
        fields.push(("options", options_map(options)));
    }
    if let Some(c) = comment {
        fields.push(("comment", scalar(c)));
    }
    fields
}

pub(in crate::expected) fn trigger_fields(tr: &Trigger) -> Fields {
    let Trigger {
        line: _,
        name,
        timing,
        events,
        level,
        function,
        when,
        enabled,
        constraint,
        deferrable,
        from,
        old_table,
        new_table,
        comment,
    } = tr;
    let mut fields = vec![
        ("name", scalar(name)),
        ("timing", scalar(timing)),
        ("events", flow_list(events)),
        ("level", scalar(level)),
        ("function", scalar(function)),
    ];
    if let Some(w) = when {
        fields.push(("when", scalar(&pretty_expr(w))));
    }
    if *enabled != Firing::Origin {
        fields.push(("enabled", enabled.as_str().into()));
    }
    if *constraint {
        fields.push(("constraint", "true".into()));
        push_deferrable(&mut fields, *deferrable);
        if let Some(f) = from {
            fields.push(("from", scalar(f)));
        }
    }
    if old_table.is_some() || new_table.is_some() {
        let mut refs = vec![];
        if let Some(o) = old_table {
            refs.push(("old", scalar(o)));
        }
        if let Some(n) = new_table {
            refs.push(("new", scalar(n)));
        }
        fields.push(("referencing", flow_map(&refs)));
    }
    if let Some(c) = comment {
        fields.push(("comment", scalar(c)));
    }
    fields
}

pub(in crate::expected) fn policy_fields(p: &Policy) -> Fields {
    let Policy {
        line: _,
        name,
        command,
        permissive,
        roles,
        using,
        with_check,
        comment,
    } = p;
    let mut fields = vec![("name", scalar(name))];
    if command != "all" {
        fields.push(("command", scalar(command)));
    }
    if !permissive {
        fields.push(("permissive", "false".into()));
    }
    if *roles != ["public"] {
        fields.push(("roles", flow_list(roles)));
    }
    if let Some(u) = using {
        fields.push(("using", scalar(&pretty_expr(u))));
    }
    if let Some(w) = with_check {
        fields.push(("with_check", scalar(&pretty_expr(w))));
    }
    if let Some(c) = comment {
        fields.push(("comment", scalar(c)));
    }
    fields
}

fn push_deferrable(fields: &mut Vec<(&'static str, String)>, d: Deferrable) {
    match d {
        Deferrable::No => {}
        Deferrable::InitiallyImmediate => fields.push(("deferrable", "true".into())),
        Deferrable::InitiallyDeferred => {
            fields.push(("deferrable", "true".into()));
            fields.push(("initially_deferred", "true".into()));
        }
    }
}
