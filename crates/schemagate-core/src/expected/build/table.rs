//! A table document -> [`Table`]: its columns, constraints, indexes,
//! triggers, rules and policies, and the index, trigger and rule builders
//! views share.

use std::collections::BTreeSet;

use serde_saphyr::Spanned;

use crate::canon::serial_type;
use crate::expected::document::{
    ColumnDoc, ExclusionDoc, ForeignKeyDoc, GeneratedDoc, GrantsDoc, IndexDoc, NotNullDoc,
    OneOrMap, PolicyDoc, ReferencesDoc, RuleDoc, TableDoc, TriggerDoc,
};
use crate::expected::notation::parse_index_key;
use crate::expected::privileges::Collector;
use crate::expected::validate::{self, line_of, Located};
use crate::model::*;

pub(super) fn build_table(
    schema: &str,
    name: &Spanned<String>,
    doc: TableDoc,
    privileges: &mut Collector,
) -> Result<Table, Located> {
    let TableDoc {
        owner,
        grants,
        group,
        comment,
        partition_by,
        partition_of,
        unlogged,
        inherits: parent_docs,
        replica_identity,
        cluster_on,
        of_type,
        access_method,
        columns: column_docs,
        primary_key,
        unique,
        checks: check_docs,
        foreign_keys: fk_docs,
        exclusions: exclusion_docs,
        indexes: index_docs,
        triggers: trigger_docs,
        rules: rule_docs,
        row_level_security,
        force_row_level_security,
        policies: policy_docs,
        options,
    } = doc;
    let securable = Securable::new(SecurableKind::Table, schema, Some(&name.value));
    privileges.object(securable, line_of(name), owner, grants)?;
    let partition_of = partition_of.map(|p| PartitionOf {
        parent: QualifiedName::new(
            p.value.schema.unwrap_or_else(|| schema.to_string()),
            p.value.table,
        ),
        bound: p.value.bound,
    });
    let primary_key = match primary_key {
        None => None,
        Some(span) => {
            let line = line_of(&span);
            let pk = match span.value {
                OneOrMap::One(columns) => PrimaryKey {
                    line,
                    name: None,
                    columns,
                    without_overlaps: false,
                    deferrable: Deferrable::No,
                    include: Vec::new(),
                    options: Default::default(),
                    comment: None,
                },
                OneOrMap::Map(m) => PrimaryKey {
                    line,
                    name: m.name,
                    columns: m.columns,
                    without_overlaps: m.without_overlaps,
                    deferrable: Deferrable::from_flags(m.deferrable, m.initially_deferred),
                    include: m.include,
                    options: m.options.map(|o| o.into_options()).unwrap_or_default(),
                    comment: m.comment,
                },
            };
            validate::primary_key_columns(line, &pk.columns)?;
            Some(pk)
        }
    };
    let mut columns = Vec::new();
    for (cname, cdoc) in column_docs.0 {
        let (column, grants) = build_column(&name.value, cname, cdoc, primary_key.as_ref())?;
        let securable = Securable::column(schema, &name.value, &column.name);
        privileges.object(securable, column.line, None, grants)?;
        columns.push(column);
    }
    if let Some(pk) = &primary_key {
        validate::declared(&name.value, &columns, &pk.columns, pk.line, "primary_key")?;
        validate::declared(&name.value, &columns, &pk.include, pk.line, "primary_key")?;
    }
    let mut uniques = Vec::new();
    for u in unique {
        let line = line_of(&u);
        let unique = match u.value {
            OneOrMap::One(columns) => Unique {
                line,
                name: None,
                columns,
                nulls_not_distinct: false,
                deferrable: Deferrable::No,
                without_overlaps: false,
                include: Vec::new(),
                options: Default::default(),
                comment: None,
            },
            OneOrMap::Map(m) => Unique {
                line,
                name: m.name,
                columns: m.columns,
                nulls_not_distinct: m.nulls_not_distinct,
                deferrable: Deferrable::from_flags(m.deferrable, m.initially_deferred),
                without_overlaps: m.without_overlaps,
                include: m.include,
                options: m.options.map(|o| o.into_options()).unwrap_or_default(),
                comment: m.comment,
            },
        };
        validate::declared(&name.value, &columns, &unique.columns, line, "unique")?;
        validate::declared(&name.value, &columns, &unique.include, line, "unique")?;
        uniques.push(unique);
    }
    let checks = check_docs
        .into_iter()
        .map(|c| {
            let line = line_of(&c);
            let place = validate::at(&c, "");
            let check = match c.value {
                OneOrMap::One(expr) => Check::plain(line, expr.0),
                OneOrMap::Map(m) => Check {
                    line,
                    name: m.name,
                    expression: m.expression.0,
                    // A NOT ENFORCED constraint is never validated: that
                    // is not a second difference.
                    validated: m.validated || !m.enforced,
                    enforced: m.enforced,
                    no_inherit: m.no_inherit,
                    comment: m.comment,
                },
            };
            validate::expression(&check.expression, place)?;
            Ok(check)
        })
        .collect::<Result<Vec<_>, Located>>()?;
    let mut foreign_keys = Vec::new();
    for f in fk_docs {
        foreign_keys.push(build_foreign_key(schema, &name.value, &columns, f)?);
    }
    let exclusions = exclusion_docs.into_iter().map(build_exclusion).collect();
    let inherits = parent_docs
        .into_iter()
        .map(|p| match p {
            OneOrMap::One(table) => QualifiedName::new(schema, table),
            OneOrMap::Map(m) => {
                QualifiedName::new(m.schema.unwrap_or_else(|| schema.to_string()), m.table)
            }
        })
        .collect();
    let replica_identity = validate::replica_identity(replica_identity.as_ref())?;
    let mut indexes = Vec::new();
    for i in index_docs {
        indexes.push(build_index(i)?);
    }
    let mut triggers = Vec::new();
    let mut seen = BTreeSet::new();
    for t in trigger_docs {
        validate::unique_name(&mut seen, &t, &t.value.name, "trigger")?;
        triggers.push(build_trigger(t)?);
    }
    let rules = build_rules(rule_docs)?;
    let mut policies = Vec::new();
    let mut seen = BTreeSet::new();
    for p in policy_docs {
        validate::unique_name(&mut seen, &p, &p.value.name, "policy")?;
        policies.push(build_policy(p)?);
    }
    Ok(Table {
        line: line_of(name),
        group,
        comment,
        partition_by,
        partition_of,
        unlogged,
        inherits,
        replica_identity,
        cluster_on,
        of_type,
        // heap is every table's unless another is named.
        access_method: access_method.filter(|m| m != "heap"),
        columns,
        primary_key,
        uniques,
        checks,
        foreign_keys,
        exclusions,
        indexes,
        triggers,
        rules,
        rls_enabled: row_level_security,
        rls_forced: force_row_level_security,
        policies,
        options: options.map(|o| o.into_options()).unwrap_or_default(),
    })
}

fn build_column(
    table: &str,
    cname: Spanned<String>,
    cdoc: OneOrMap<String, ColumnDoc>,
    pk: Option<&PrimaryKey>,
) -> Result<(Column, Option<GrantsDoc>), Located> {
    let ColumnDoc {
        grants,
        data_type,
        nullable,
        default,
        identity,
        generated,
        not_null,
        collation,
        comment,
        storage,
        compression,
        statistics,
        options,
        sequence,
    } = match cdoc {
        OneOrMap::One(t) => ColumnDoc {
            grants: None,
            data_type: t,
            nullable: None,
            default: None,
            identity: None,
            generated: None,
            not_null: None,
            collation: None,
            comment: None,
            storage: None,
            compression: None,
            statistics: None,
            options: None,
            sequence: None,
        },
        OneOrMap::Map(m) => m,
    };
    let owned_sequence = match sequence.map(|s| *s) {
        None => None,
        Some(doc) => Some(validate::owned_sequence(
            &cname,
            &data_type,
            identity.is_some()
                || serial_type(&data_type).is_some()
                || default
                    .as_ref()
                    .is_some_and(|d| d.0.to_ascii_lowercase().contains("nextval(")),
            doc,
        )?),
    };
    let tuning = ColumnTuning {
        storage: validate::column_word(
            &cname,
            storage.map(|s| *s),
            "storage",
            &["plain", "external", "main", "extended"],
        )?,
        compression: validate::column_word(
            &cname,
            compression.map(|s| *s),
            "compression",
            &["pglz", "lz4"],
        )?,
        // -1 is the default target.
        statistics: statistics.filter(|s| *s >= 0),
        options: options.map(|o| o.into_options()).unwrap_or_default(),
        sequence: owned_sequence,
    }
    .boxed();
    let identity = validate::identity(&cname, identity.as_deref())?;
    let serial = serial_type(&data_type);
    let in_pk = pk.is_some_and(|pk| pk.columns.contains(&cname.value));
    // The server makes these NOT NULL whatever the file says.
    let implied_not_null = in_pk || identity.is_some() || serial.is_some();
    validate::not_nullable(&cname, nullable, implied_not_null)?;
    let (generated, generated_kind) = match generated.map(|g| *g) {
        None => (None, GeneratedKind::Stored),
        Some(OneOrMap::One(expr)) => (Some(expr.0), GeneratedKind::Stored),
        Some(OneOrMap::Map(GeneratedDoc { expression, kind })) => (
            Some(expression.0),
            validate::generated_kind(&cname, kind.as_deref())?,
        ),
    };
    // `not_null:` says the column is NOT NULL.
    let (not_null_name, not_null_validated, not_null_no_inherit, nullable) =
        match not_null.map(|n| *n) {
            None => (None, true, false, nullable),
            Some(NotNullDoc {
                name,
                validated,
                no_inherit,
            }) => {
                validate::not_null_on_nullable(&cname, nullable, implied_not_null)?;
                (name, validated, no_inherit, Some(false))
            }
        };
    let default = match serial {
        Some(_) => {
            validate::serial_without_default(&cname, default.is_some())?;
            Some(format!(
                "nextval('{}')",
                serial_sequence_name(table, &cname.value)
            ))
        }
        None => default.map(|d| d.0),
    };
    let column = Column {
        line: line_of(&cname),
        name: cname.value,
        data_type,
        nullable: nullable.unwrap_or(!implied_not_null),
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
    };
    Ok((column, grants.map(|g| *g)))
}

fn build_foreign_key(
    schema: &str,
    table: &str,
    columns: &[Column],
    f: Spanned<ForeignKeyDoc>,
) -> Result<ForeignKey, Located> {
    let (on_delete_text, on_delete_columns) =
        validate::split_set_columns(&f, f.value.on_delete.as_deref())?;
    let on_delete = validate::fk_action(&f, on_delete_text.as_deref(), "on_delete")?;
    if !on_delete_columns.is_empty() {
        if !matches!(on_delete, FkAction::SetNull | FkAction::SetDefault) {
            return Err(validate::at(
                &f,
                format!(
                    "on_delete: only set null and set default take a list of columns, not {}",
                    on_delete.as_str()
                ),
            ));
        }
        if let Some(c) = on_delete_columns
            .iter()
            .find(|c| !f.value.columns.contains(c))
        {
            return Err(validate::at(
                &f,
                format!("on_delete: `{c}` is not a column of this foreign key"),
            ));
        }
    }
    let on_update = validate::fk_action(&f, f.value.on_update.as_deref(), "on_update")?;
    let match_full = match f
        .value
        .match_type
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("simple") => false,
        Some("full") => true,
        Some(other) => {
            return Err(validate::at(
                &f,
                format!("unknown match `{other}` for a foreign key: expected full or simple"),
            ))
        }
    };
    let line = line_of(&f);
    let ForeignKeyDoc {
        name,
        columns: fk_columns,
        references,
        on_delete: _,
        on_update: _,
        deferrable,
        initially_deferred,
        validated,
        enforced,
        period,
        match_type: _,
        comment,
    } = f.value;
    let ReferencesDoc {
        schema: ref_schema,
        table: ref_table,
        columns: ref_columns,
    } = references;
    validate::fk_arity(line, fk_columns.len(), ref_columns.len())?;
    validate::declared(table, columns, &fk_columns, line, "foreign key")?;
    Ok(ForeignKey {
        line,
        name,
        columns: fk_columns,
        ref_table: QualifiedName::new(ref_schema.unwrap_or_else(|| schema.to_string()), ref_table),
        ref_columns,
        on_delete,
        on_delete_columns,
        on_update,
        deferrable: Deferrable::from_flags(deferrable, initially_deferred),
        validated: validated || !enforced,
        enforced,
        period,
        match_full,
        comment,
    })
}

pub(super) fn build_rules(docs: Vec<Spanned<RuleDoc>>) -> Result<Vec<Rule>, Located> {
    let mut rules = Vec::new();
    let mut seen = BTreeSet::new();
    for r in docs {
        validate::unique_name(&mut seen, &r, &r.value.name, "rule")?;
        let line = line_of(&r);
        let enabled = validate::firing(&r, r.value.enabled.as_ref().map(|e| e.0.as_str()))?;
        let RuleDoc {
            name,
            definition,
            enabled: _,
            comment,
        } = r.value;
        rules.push(Rule {
            line,
            name,
            definition: definition.0,
            enabled,
            comment,
        });
    }
    Ok(rules)
}

fn build_exclusion(x: Spanned<ExclusionDoc>) -> Exclusion {
    let line = line_of(&x);
    let ExclusionDoc {
        name,
        using,
        elements,
        predicate,
        deferrable,
        initially_deferred,
        include,
        options,
        comment,
    } = x.value;
    Exclusion {
        line,
        name,
        method: using.unwrap_or_else(|| "gist".into()).to_ascii_lowercase(),
        elements: elements.into_iter().map(|e| e.0).collect(),
        predicate: predicate.map(|p| p.0),
        deferrable: Deferrable::from_flags(deferrable, initially_deferred),
        include,
        options: options.map(|o| o.into_options()).unwrap_or_default(),
        comment,
    }
}

pub(super) fn build_index(i: Spanned<IndexDoc>) -> Result<Index, Located> {
    let line = line_of(&i);
    validate::index_keys(&i, i.value.columns.len())?;
    let IndexDoc {
        name,
        columns,
        unique,
        using,
        include,
        predicate,
        nulls_not_distinct,
        options,
        comment,
    } = i.value;
    Ok(Index {
        line,
        name,
        unique,
        method: using.unwrap_or_else(|| "btree".into()).to_ascii_lowercase(),
        keys: columns.into_iter().map(|k| parse_index_key(&k.0)).collect(),
        include,
        predicate: predicate.map(|p| p.0),
        nulls_not_distinct,
        options: options.map(|o| o.into_options()).unwrap_or_default(),
        valid: true,
        comment,
    })
}

pub(super) fn build_trigger(t: Spanned<TriggerDoc>) -> Result<Trigger, Located> {
    let timing = validate::trigger_timing(&t, &t.value.timing)?;
    let level = validate::trigger_level(&t, t.value.level.as_deref())?;
    let enabled = validate::firing(&t, t.value.enabled.as_ref().map(|e| e.0.as_str()))?;
    let v = &t.value;
    if !v.constraint && (v.deferrable || v.initially_deferred || v.from.is_some()) {
        return Err(validate::at(
            &t,
            "deferrable, initially_deferred and from are for a constraint trigger: add constraint: true",
        ));
    }
    let line = line_of(&t);
    let TriggerDoc {
        name,
        timing: _,
        events,
        level: _,
        function,
        when,
        enabled: _,
        constraint,
        deferrable,
        initially_deferred,
        from,
        referencing,
        comment,
    } = t.value;
    let (old_table, new_table) = referencing.map(|r| (r.old, r.new)).unwrap_or_default();
    let mut events: Vec<String> = events
        .iter()
        .map(|e| e.trim().to_ascii_lowercase())
        .collect();
    events.sort();
    Ok(Trigger {
        line,
        name,
        timing,
        events,
        level,
        function,
        when: when.map(|w| w.0),
        enabled,
        constraint,
        deferrable: Deferrable::from_flags(deferrable || initially_deferred, initially_deferred),
        from,
        old_table,
        new_table,
        comment,
    })
}

fn build_policy(p: Spanned<PolicyDoc>) -> Result<Policy, Located> {
    let command = validate::policy_command(&p, p.value.command.as_deref())?;
    let line = line_of(&p);
    let PolicyDoc {
        name,
        command: _,
        permissive,
        roles,
        using,
        with_check,
        comment,
    } = p.value;
    let mut roles = roles.unwrap_or_else(|| vec!["public".into()]);
    roles.sort();
    Ok(Policy {
        line,
        name,
        command,
        permissive,
        roles,
        using: using.map(|u| u.0),
        with_check: with_check.map(|u| u.0),
        comment,
    })
}

/// The name PostgreSQL gives the sequence of a serial column.
fn serial_sequence_name(table: &str, column: &str) -> String {
    format!("{table}_{column}_seq")
}
