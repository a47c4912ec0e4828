//! The writer of one namespace: its own keys, then views, functions,
//! types and the other object kinds, each sorted by name.

use std::fmt::Write as _;

use super::table::{write_indexes, write_rules, write_table, write_triggers};
use crate::canon::{canonical_type, pretty_expr, pretty_type};
use crate::expected::privileges::{acl_fields, default_privileges_lines};
use crate::expected::yaml_text::{block_text, flow_list, flow_map, key, options_map, scalar};
use crate::model::*;

pub(super) fn write_namespace(
    out: &mut String,
    schema: &str,
    ns: &Namespace,
    privileges: &Privileges,
) {
    let acl = |kind, name: &str| acl_fields(privileges, &Securable::new(kind, schema, Some(name)));
    if let Some(c) = &ns.comment {
        let _ = writeln!(out, "    comment: {}", scalar(c));
    }
    for (k, v) in acl_fields(
        privileges,
        &Securable::new(SecurableKind::Schema, schema, None),
    ) {
        let _ = writeln!(out, "    {k}: {v}");
    }
    let defaults = default_privileges_lines(privileges, schema);
    if !defaults.is_empty() {
        out.push_str("    default_privileges:\n");
        for line in defaults {
            let _ = writeln!(out, "      {line}");
        }
    }
    let Namespace {
        line: _,
        comment: _,
        tables,
        views,
        sequences,
        enums,
        domains,
        functions,
        composite_types,
        extensions,
        collations,
        statistics,
        foreign_tables,
    } = ns;
    if !extensions.is_empty() {
        out.push_str("    extensions:\n");
        for (name, e) in extensions {
            // The version is compared only on request: a snapshot leaves it
            // out, so that upgrading an extension is not drift.
            let Extension {
                line: _,
                version: _,
            } = e;
            let _ = writeln!(out, "      {}: {{}}", key(name));
        }
    }
    if !collations.is_empty() {
        out.push_str("    collations:\n");
        for (name, c) in collations {
            let Collation {
                line: _,
                provider,
                locale,
                deterministic,
                comment,
            } = c;
            let mut fields = vec![];
            if provider != "libc" {
                fields.push(("provider", scalar(provider)));
            }
            fields.push(("locale", scalar(locale)));
            if !deterministic {
                fields.push(("deterministic", "false".into()));
            }
            if let Some(c) = comment {
                fields.push(("comment", scalar(c)));
            }
            let _ = writeln!(out, "      {}: {}", key(name), flow_map(&fields));
        }
    }
    if !composite_types.is_empty() {
        out.push_str("    composite_types:\n");
        for (name, t) in composite_types {
            let CompositeType {
                line: _,
                attributes,
                comment,
            } = t;
            let mut type_acl = acl(SecurableKind::Type, name);
            if let Some(c) = comment {
                type_acl.push(("comment", scalar(c)));
            }
            if type_acl.is_empty() {
                let _ = writeln!(out, "      {}: {}", key(name), field_map(attributes));
            } else {
                let mut fields = vec![("attributes", field_map(attributes))];
                fields.extend(type_acl);
                let _ = writeln!(out, "      {}: {}", key(name), flow_map(&fields));
            }
        }
    }
    if !enums.is_empty() {
        out.push_str("    enums:\n");
        for (name, e) in enums {
            let EnumType {
                line: _,
                values,
                comment,
            } = e;
            let mut type_acl = acl(SecurableKind::Type, name);
            if let Some(c) = comment {
                type_acl.push(("comment", scalar(c)));
            }
            if type_acl.is_empty() {
                let _ = writeln!(out, "      {}: {}", key(name), flow_list(values));
            } else {
                let mut fields = vec![("values", flow_list(values))];
                fields.extend(type_acl);
                let _ = writeln!(out, "      {}: {}", key(name), flow_map(&fields));
            }
        }
    }
    if !domains.is_empty() {
        out.push_str("    domains:\n");
        for (name, d) in domains {
            let Domain {
                line: _,
                data_type,
                collation,
                nullable,
                default,
                checks,
                comment,
            } = d;
            let mut fields = vec![("type", scalar(&pretty_type(data_type)))];
            if let Some(c) = collation {
                fields.push(("collation", scalar(c)));
            }
            if !nullable {
                fields.push(("nullable", "false".into()));
            }
            if let Some(def) = default {
                fields.push(("default", scalar(&pretty_expr(def))));
            }
            if !checks.is_empty() {
                let checks: Vec<String> = checks.iter().map(domain_check).collect();
                fields.push(("checks", format!("[{}]", checks.join(", "))));
            }
            fields.extend(acl(SecurableKind::Type, name));
            if let Some(c) = comment {
                fields.push(("comment", scalar(c)));
            }
            let _ = writeln!(out, "      {}: {}", key(name), flow_map(&fields));
        }
    }
    if !sequences.is_empty() {
        out.push_str("    sequences:\n");
        for (name, s) in sequences {
            let Sequence {
                line: _,
                data_type,
                start,
                increment,
                min_value,
                max_value,
                cache,
                cycle,
                comment,
            } = s;
            let defaults = Sequence::with_defaults(&canonical_type(data_type), *increment);
            let mut fields = Vec::new();
            if canonical_type(data_type) != "bigint" {
                fields.push(("type", scalar(data_type)));
            }
            if *increment != 1 {
                fields.push(("increment", increment.to_string()));
            }
            if *min_value != defaults.min_value {
                fields.push(("min_value", min_value.to_string()));
            }
            if *max_value != defaults.max_value {
                fields.push(("max_value", max_value.to_string()));
            }
            let default_start = if *increment > 0 {
                *min_value
            } else {
                *max_value
            };
            if *start != default_start {
                fields.push(("start", start.to_string()));
            }
            if *cache != 1 {
                fields.push(("cache", cache.to_string()));
            }
            if *cycle {
                fields.push(("cycle", "true".into()));
            }
            fields.extend(acl(SecurableKind::Sequence, name));
            if let Some(c) = comment {
                fields.push(("comment", scalar(c)));
            }
            if fields.is_empty() {
                let _ = writeln!(out, "      {}: {{}}", key(name));
            } else {
                let _ = writeln!(out, "      {}: {}", key(name), flow_map(&fields));
            }
        }
    }
    if !functions.is_empty() {
        out.push_str("    functions:\n");
        for (sig, f) in functions {
            let Function {
                line: _,
                returns,
                language,
                arguments,
                body,
                volatility,
                strict,
                security_definer,
                leakproof,
                parallel,
                config,
                cost,
                rows,
                comment,
            } = f;
            let mut fields = vec![("returns", scalar(returns)), ("language", scalar(language))];
            if let Some(arguments) = arguments.as_deref().filter(|a| !a.is_empty()) {
                fields.push(("arguments", scalar(arguments)));
            }
            if *volatility != Volatility::Volatile {
                fields.push(("volatility", volatility.as_str().into()));
            }
            if *strict {
                fields.push(("strict", "true".into()));
            }
            if *security_definer {
                fields.push(("security_definer", "true".into()));
            }
            if *leakproof {
                fields.push(("leakproof", "true".into()));
            }
            if *parallel != Parallel::Unsafe {
                fields.push(("parallel", parallel.as_str().into()));
            }
            if *cost != Function::default_cost(language) {
                fields.push(("cost", number_text(*cost)));
            }
            if *rows != Function::default_rows(returns) {
                fields.push(("rows", number_text(*rows)));
            }
            if !config.is_empty() {
                let set: Vec<(&str, String)> = config
                    .iter()
                    .map(|(k, v)| (k.as_str(), scalar(v)))
                    .collect();
                fields.push(("set", flow_map(&set)));
            }
            fields.extend(acl(SecurableKind::Function, sig));
            if let Some(c) = comment {
                fields.push(("comment", scalar(c)));
            }
            match body {
                None => {
                    let _ = writeln!(out, "      {}: {}", key(sig), flow_map(&fields));
                }
                Some(body) => {
                    let _ = writeln!(out, "      {}:", key(sig));
                    for (k, v) in fields {
                        let _ = writeln!(out, "        {k}: {v}");
                    }
                    let _ = writeln!(out, "        body: {}", block_text(body, 10));
                }
            }
        }
    }
    if !views.is_empty() {
        out.push_str("    views:\n");
        for (name, v) in views {
            let View {
                line: _,
                materialized,
                definition,
                comment,
                triggers,
                indexes,
                rules,
                options,
                columns,
            } = v;
            let view_acl = acl(SecurableKind::View, name);
            let bare = triggers.is_empty()
                && indexes.is_empty()
                && rules.is_empty()
                && options.is_empty()
                && columns.is_empty();
            if !materialized
                && comment.is_none()
                && definition.is_none()
                && bare
                && view_acl.is_empty()
            {
                let _ = writeln!(out, "      {}: {{}}", key(name));
                continue;
            }
            let _ = writeln!(out, "      {}:", key(name));
            for (k, v) in view_acl {
                let _ = writeln!(out, "        {k}: {v}");
            }
            if *materialized {
                out.push_str("        materialized: true\n");
            }
            if let Some(c) = comment {
                let _ = writeln!(out, "        comment: {}", scalar(c));
            }
            if !options.is_empty() {
                let _ = writeln!(out, "        options: {}", options_map(options));
            }
            if let Some(d) = definition {
                let _ = writeln!(out, "        definition: {}", scalar(d.trim()));
            }
            if !columns.is_empty() {
                out.push_str("        columns:\n");
                for (cname, c) in columns {
                    let mut fields = Vec::new();
                    if let Some(d) = &c.default {
                        fields.push(("default", scalar(&pretty_expr(d))));
                    }
                    if let Some(com) = &c.comment {
                        fields.push(("comment", scalar(com)));
                    }
                    let _ = writeln!(out, "          {}: {}", key(cname), flow_map(&fields));
                }
            }
            write_indexes(out, "        ", indexes);
            write_triggers(out, "        ", triggers);
            write_rules(out, "        ", rules);
        }
    }
    if !statistics.is_empty() {
        out.push_str("    statistics:\n");
        for (name, st) in statistics {
            let Statistics {
                line: _,
                table,
                kinds,
                columns,
                expressions,
                target,
                comment,
            } = st;
            let mut fields = vec![("table", scalar(table))];
            if !columns.is_empty() {
                fields.push(("columns", flow_list(columns)));
            }
            if !expressions.is_empty() {
                let shown: Vec<String> = expressions.iter().map(|e| pretty_expr(e)).collect();
                fields.push(("expressions", flow_list(&shown)));
            }
            if *kinds != Statistics::all_kinds() {
                fields.push(("kinds", flow_list(kinds)));
            }
            if let Some(t) = target {
                fields.push(("target", t.to_string()));
            }
            if let Some(c) = comment {
                fields.push(("comment", scalar(c)));
            }
            let _ = writeln!(out, "      {}: {}", key(name), flow_map(&fields));
        }
    }
    if !foreign_tables.is_empty() {
        out.push_str("    foreign_tables:\n");
        for (name, ft) in foreign_tables {
            let ForeignTable {
                line: _,
                server,
                columns,
                options,
            } = ft;
            let mut fields = vec![("server", scalar(server)), ("columns", field_map(columns))];
            if !options.is_empty() {
                let options: Vec<(&str, String)> = options
                    .iter()
                    .map(|o| {
                        let (k, v) = o.split_once('=').unwrap_or((o, ""));
                        (k, scalar(v))
                    })
                    .collect();
                fields.push(("options", flow_map(&options)));
            }
            fields.extend(acl(SecurableKind::Table, name));
            let _ = writeln!(out, "      {}: {}", key(name), flow_map(&fields));
        }
    }
    if !tables.is_empty() {
        out.push_str("    tables:\n");
        for (name, t) in tables {
            let _ = writeln!(out, "      {}:", key(name));
            write_table(out, schema, name, t, privileges);
        }
    }
}

/// `{name: type, ...}` in order.
fn field_map(fields: &[Field]) -> String {
    let inner: Vec<String> = fields
        .iter()
        .map(|f| {
            let written = f.written_type(&pretty_type(&f.data_type));
            format!("{}: {}", key(&f.name), scalar(&written))
        })
        .collect();
    format!("{{{}}}", inner.join(", "))
}

/// A domain's check: a mapping with its name (as a table's checks are
/// written: a renamed check is a difference), or the expression alone when
/// it has no name, is valid and has no comment.
fn domain_check(c: &Check) -> String {
    let expression = pretty_expr(&c.expression);
    if c.validated && c.comment.is_none() && c.name.is_none() {
        return scalar(&expression);
    }
    let mut fields = Vec::new();
    if let Some(n) = &c.name {
        fields.push(("name", scalar(n)));
    }
    fields.push(("expression", scalar(&expression)));
    if !c.validated {
        fields.push(("validated", "false".into()));
    }
    if let Some(com) = &c.comment {
        fields.push(("comment", scalar(com)));
    }
    flow_map(&fields)
}
