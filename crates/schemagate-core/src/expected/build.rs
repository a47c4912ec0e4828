//! The parsed document -> [`Schema`]: defaults filled in, names and types
//! in canonical form, each object keeping its line. Every document and model
//! struct that holds a whole file, namespace or table is destructured and
//! built field by field (no `..`), so a new field fails to compile here.

use std::collections::{BTreeMap, BTreeSet};

use serde_saphyr::Spanned;

use super::document::{
    CollationDoc, ColumnDoc, DomainDoc, Entries, EnumDoc, ExclusionDoc, ExtensionDoc, FileDoc,
    ForeignKeyDoc, ForeignTableDoc, FunctionDoc, GeneratedDoc, GrantsDoc, IndexDoc, NamespaceDoc,
    NotNullDoc, OneOrMap, PolicyDoc, ReferencesDoc, RuleDoc, SequenceDoc, StatisticsDoc, TableDoc,
    TriggerDoc, ViewDoc,
};
use super::notation::{canonical_signature, parse_index_key};
use super::privileges::Collector;
use super::validate::{self, line_of, Located};
use crate::canon::{canonical_type, serial_type};
use crate::model::*;

pub(super) fn build(doc: FileDoc) -> Result<Schema, Located> {
    let FileDoc {
        version,
        ignore,
        safety,
        roles,
        ignore_kinds: kind_docs,
        schemas,
    } = doc;
    validate::version(version.as_ref())?;
    let safety = validate::safety(safety.unwrap_or_default())?;
    let mut ignore_kinds = Vec::new();
    for kind in &kind_docs {
        ignore_kinds.push(validate::ignore_kind(kind)?);
    }
    let mut namespaces = BTreeMap::new();
    let mut privileges = Collector::default();
    for (name, ns_doc) in validate::schemas_declared(schemas)?.0 {
        let ns = build_namespace(&name, ns_doc.unwrap_or_default(), &mut privileges)?;
        namespaces.insert(name.value, ns);
    }
    Ok(Schema {
        schemas: namespaces,
        ignore,
        safety,
        privileges: privileges.finish(roles)?,
        ignore_kinds,
        // What the file declares is compared: only a database has these.
        not_compared: Vec::new(),
    })
}

fn build_namespace(
    name: &Spanned<String>,
    doc: NamespaceDoc,
    privileges: &mut Collector,
) -> Result<Namespace, Located> {
    let schema = name.value.as_str();
    let NamespaceDoc {
        owner,
        grants,
        default_privileges,
        tables: table_docs,
        views: view_docs,
        sequences: sequence_docs,
        enums: enum_docs,
        domains: domain_docs,
        functions: function_docs,
        composite_types: composite_docs,
        extensions: extension_docs,
        collations: collation_docs,
        statistics: statistics_docs,
        foreign_tables: foreign_table_docs,
    } = doc;
    let securable = Securable::new(SecurableKind::Schema, schema, None);
    privileges.object(securable, line_of(name), owner, grants)?;
    if let Some(defaults) = default_privileges {
        privileges.defaults(schema, defaults)?;
    }
    let mut tables = BTreeMap::new();
    for (tname, tdoc) in table_docs.0 {
        let table = build_table(&name.value, &tname, tdoc.unwrap_or_default(), privileges)?;
        tables.insert(tname.value, table);
    }
    let mut views = BTreeMap::new();
    for (vname, vdoc) in view_docs.0 {
        let view = match vdoc {
            OneOrMap::One(def) => View {
                line: line_of(&vname),
                materialized: false,
                definition: Some(def.0),
                comment: None,
                triggers: Vec::new(),
                indexes: Vec::new(),
                rules: Vec::new(),
            },
            OneOrMap::Map(ViewDoc {
                owner,
                grants,
                definition,
                materialized,
                comment,
                indexes: index_docs,
                triggers: trigger_docs,
                rules: rule_docs,
            }) => {
                let securable = Securable::new(SecurableKind::View, schema, Some(&vname.value));
                privileges.object(securable, line_of(&vname), owner, grants)?;
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
                View {
                    line: line_of(&vname),
                    materialized,
                    definition: definition.map(|d| d.0),
                    comment,
                    triggers,
                    indexes,
                    rules: build_rules(rule_docs)?,
                }
            }
        };
        views.insert(vname.value, view);
    }
    let mut sequences = BTreeMap::new();
    for (sname, sdoc) in sequence_docs.0 {
        let SequenceDoc {
            owner,
            grants,
            data_type,
            start,
            increment,
            min_value,
            max_value,
            cache,
            cycle,
        } = sdoc.unwrap_or_default();
        let securable = Securable::new(SecurableKind::Sequence, schema, Some(&sname.value));
        privileges.object(securable, line_of(&sname), owner, grants)?;
        let data_type = canonical_type(data_type.as_deref().unwrap_or("bigint"));
        let increment = increment.unwrap_or(1);
        validate::sequence_increment(&sname, increment)?;
        let mut seq = Sequence::with_defaults(&data_type, increment);
        seq.line = line_of(&sname);
        seq.min_value = min_value.unwrap_or(seq.min_value);
        seq.max_value = max_value.unwrap_or(seq.max_value);
        seq.start = start.unwrap_or(if increment > 0 {
            seq.min_value
        } else {
            seq.max_value
        });
        seq.cache = cache.unwrap_or(1);
        seq.cycle = cycle;
        sequences.insert(sname.value, seq);
    }
    let mut enums = BTreeMap::new();
    for (ename, edoc) in enum_docs.0 {
        let values = match edoc {
            OneOrMap::One(values) => values,
            OneOrMap::Map(EnumDoc {
                values,
                owner,
                grants,
            }) => {
                let securable = Securable::new(SecurableKind::Type, schema, Some(&ename.value));
                privileges.object(securable, line_of(&ename), owner, grants)?;
                values
            }
        };
        enums.insert(
            ename.value.clone(),
            EnumType {
                line: line_of(&ename),
                values,
            },
        );
    }
    let mut domains = BTreeMap::new();
    for (dname, ddoc) in domain_docs.0 {
        let domain = match ddoc {
            OneOrMap::One(t) => Domain {
                line: line_of(&dname),
                data_type: t,
                nullable: true,
                default: None,
                checks: vec![],
            },
            OneOrMap::Map(DomainDoc {
                owner,
                grants,
                data_type,
                nullable,
                default,
                checks,
            }) => {
                let securable = Securable::new(SecurableKind::Type, schema, Some(&dname.value));
                privileges.object(securable, line_of(&dname), owner, grants)?;
                Domain {
                    line: line_of(&dname),
                    data_type,
                    nullable: nullable.unwrap_or(true),
                    default: default.map(|x| x.0),
                    checks: checks
                        .into_iter()
                        .map(|c| Check {
                            line: line_of(&dname),
                            name: None,
                            expression: c.0,
                            validated: true,
                            enforced: true,
                        })
                        .collect(),
                }
            }
        };
        domains.insert(dname.value, domain);
    }
    let mut functions = BTreeMap::new();
    for (fname, fdoc) in function_docs.0 {
        let FunctionDoc {
            owner,
            grants,
            returns,
            language,
            arguments,
            body,
            volatility,
            strict,
            security_definer,
            leakproof,
            parallel,
            set,
        } = validate::function(&fname, fdoc)?;
        let (volatility, parallel) =
            validate::function_words(&fname, volatility.as_deref(), parallel.as_deref())?;
        let signature = canonical_signature(&fname.value);
        let securable = Securable::new(SecurableKind::Function, schema, Some(&signature));
        privileges.object(securable, line_of(&fname), owner, grants)?;
        functions.insert(
            signature,
            Function {
                line: line_of(&fname),
                returns,
                language,
                arguments,
                body,
                volatility,
                strict,
                security_definer,
                leakproof,
                parallel,
                config: set
                    .0
                    .into_iter()
                    .map(|(name, value)| (name.value.to_ascii_lowercase(), value.0))
                    .collect(),
            },
        );
    }
    let fields = |entries: Entries<String>| -> Vec<Field> {
        entries
            .0
            .into_iter()
            .map(|(name, data_type)| Field {
                name: name.value,
                data_type,
            })
            .collect()
    };
    let mut composite_types = BTreeMap::new();
    for (tname, attributes) in composite_docs.0 {
        let composite = CompositeType {
            line: line_of(&tname),
            attributes: fields(attributes),
        };
        composite_types.insert(tname.value, composite);
    }
    let mut extensions = BTreeMap::new();
    for (ename, edoc) in extension_docs.0 {
        let extension = Extension {
            line: line_of(&ename),
            version: edoc.and_then(|ExtensionDoc { version }| version.map(|v| v.0)),
        };
        extensions.insert(ename.value, extension);
    }
    let mut collations = BTreeMap::new();
    for (cname, cdoc) in collation_docs.0 {
        let CollationDoc {
            provider,
            locale,
            deterministic,
        } = cdoc;
        let collation = Collation {
            line: line_of(&cname),
            provider: provider
                .unwrap_or_else(|| "libc".into())
                .to_ascii_lowercase(),
            locale: locale.0,
            deterministic,
        };
        collations.insert(cname.value, collation);
    }
    let mut statistics = BTreeMap::new();
    for (sname, sdoc) in statistics_docs.0 {
        let StatisticsDoc {
            table,
            columns,
            kinds,
        } = sdoc;
        let kinds = validate::statistics_kinds(&sname, kinds)?;
        let stats = Statistics {
            line: line_of(&sname),
            table,
            kinds,
            columns,
        };
        statistics.insert(sname.value, stats);
    }
    let mut foreign_tables = BTreeMap::new();
    for (fname, fdoc) in foreign_table_docs.0 {
        let ForeignTableDoc {
            owner,
            grants,
            server,
            columns,
            options,
        } = fdoc;
        // GRANT ... ON TABLE names a foreign table as a table.
        let securable = Securable::new(SecurableKind::Table, schema, Some(&fname.value));
        privileges.object(securable, line_of(&fname), owner, grants)?;
        let mut options: Vec<String> = options
            .0
            .into_iter()
            .map(|(k, v)| format!("{}={}", k.value, v.0))
            .collect();
        options.sort();
        let foreign = ForeignTable {
            line: line_of(&fname),
            server,
            columns: fields(columns),
            options,
        };
        foreign_tables.insert(fname.value, foreign);
    }
    Ok(Namespace {
        line: line_of(name),
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
    })
}

fn build_table(
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
            let (name, columns, without_overlaps, deferrable) = match span.value {
                OneOrMap::One(cols) => (None, cols, false, Deferrable::No),
                OneOrMap::Map(m) => (
                    m.name,
                    m.columns,
                    m.without_overlaps,
                    Deferrable::from_flags(m.deferrable, m.initially_deferred),
                ),
            };
            validate::primary_key_columns(line, &columns)?;
            Some(PrimaryKey {
                line,
                name,
                columns,
                without_overlaps,
                deferrable,
            })
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
            },
            OneOrMap::Map(m) => Unique {
                line,
                name: m.name,
                columns: m.columns,
                nulls_not_distinct: m.nulls_not_distinct,
                deferrable: Deferrable::from_flags(m.deferrable, m.initially_deferred),
                without_overlaps: m.without_overlaps,
            },
        };
        validate::declared(&name.value, &columns, &unique.columns, line, "unique")?;
        uniques.push(unique);
    }
    let checks = check_docs
        .into_iter()
        .map(|c| {
            let line = line_of(&c);
            let place = validate::at(&c, "");
            let check = match c.value {
                OneOrMap::One(expr) => Check {
                    line,
                    name: None,
                    expression: expr.0,
                    validated: true,
                    enforced: true,
                },
                OneOrMap::Map(m) => Check {
                    line,
                    name: m.name,
                    expression: m.expression.0,
                    // A NOT ENFORCED constraint is never validated: that
                    // is not a second difference.
                    validated: m.validated || !m.enforced,
                    enforced: m.enforced,
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
        },
        OneOrMap::Map(m) => m,
    };
    let identity = validate::identity(&cname, identity.as_deref())?;
    let serial = serial_type(&data_type);
    let in_pk = pk.is_some_and(|pk| pk.columns.contains(&cname.value));
    // The server makes these NOT NULL whatever the file says.
    let implied_not_null = in_pk || identity.is_some() || serial.is_some();
    validate::not_nullable(&cname, nullable, implied_not_null)?;
    let (generated, generated_kind) = match generated {
        None => (None, GeneratedKind::Stored),
        Some(OneOrMap::One(expr)) => (Some(expr.0), GeneratedKind::Stored),
        Some(OneOrMap::Map(GeneratedDoc { expression, kind })) => (
            Some(expression.0),
            validate::generated_kind(&cname, kind.as_deref())?,
        ),
    };
    // `not_null:` says the column is NOT NULL.
    let (not_null_name, not_null_validated, not_null_no_inherit, nullable) = match not_null {
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
    };
    Ok((column, grants))
}

fn build_foreign_key(
    schema: &str,
    table: &str,
    columns: &[Column],
    f: Spanned<ForeignKeyDoc>,
) -> Result<ForeignKey, Located> {
    let on_delete = validate::fk_action(&f, f.value.on_delete.as_deref(), "on_delete")?;
    let on_update = validate::fk_action(&f, f.value.on_update.as_deref(), "on_update")?;
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
        on_update,
        deferrable: Deferrable::from_flags(deferrable, initially_deferred),
        validated: validated || !enforced,
        enforced,
        period,
    })
}

fn build_rules(docs: Vec<Spanned<RuleDoc>>) -> Result<Vec<Rule>, Located> {
    let mut rules = Vec::new();
    let mut seen = BTreeSet::new();
    for r in docs {
        validate::unique_name(&mut seen, &r, &r.value.name, "rule")?;
        let line = line_of(&r);
        let RuleDoc { name, definition } = r.value;
        rules.push(Rule {
            line,
            name,
            definition: definition.0,
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
    } = x.value;
    Exclusion {
        line,
        name,
        method: using.unwrap_or_else(|| "gist".into()).to_ascii_lowercase(),
        elements: elements.into_iter().map(|e| e.0).collect(),
        predicate: predicate.map(|p| p.0),
        deferrable: Deferrable::from_flags(deferrable, initially_deferred),
    }
}

fn build_index(i: Spanned<IndexDoc>) -> Result<Index, Located> {
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
    })
}

fn build_trigger(t: Spanned<TriggerDoc>) -> Result<Trigger, Located> {
    let timing = validate::trigger_timing(&t, &t.value.timing)?;
    let level = validate::trigger_level(&t, t.value.level.as_deref())?;
    let line = line_of(&t);
    let TriggerDoc {
        name,
        timing: _,
        events,
        level: _,
        function,
        when,
        enabled,
    } = t.value;
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
    })
}

/// The name PostgreSQL gives the sequence of a serial column.
fn serial_sequence_name(table: &str, column: &str) -> String {
    format!("{table}_{column}_seq")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::expected::{parse, SpecError};
    use crate::model::Schema;

    fn parse_str(text: &str) -> Result<Schema, SpecError> {
        parse(text, Path::new("expected_schema.yaml"))
    }

    #[test]
    fn lines_point_at_objects() {
        let schema = parse_str(
            "version: 1\nschemas:\n  public:\n    tables:\n      users:\n        columns:\n          id: {type: uuid}\n          email: text\n        primary_key: [id]\n        checks:\n          - \"length(email) > 3\"\n",
        )
        .unwrap();
        let t = &schema.schemas["public"].tables["users"];
        assert_eq!(t.line, Some(5));
        assert_eq!(t.columns[0].line, Some(7));
        assert_eq!(t.columns[1].line, Some(8));
        assert!(!t.columns[0].nullable, "primary key columns are NOT NULL");
        assert!(t.columns[1].nullable);
        assert_eq!(t.checks[0].line, Some(11));
    }

    /// A body written by `snapshot` reads back as the same text (less the
    /// line breaks around it), whatever its first line's indentation.
    #[test]
    fn function_bodies_round_trip() {
        use crate::expected::to_yaml;
        use crate::model::{Function, Namespace, Volatility};
        for body in [
            " SELECT a + b ",
            "\n  BEGIN\n    RETURN 'x  y';\n\n  END\n",
            "\nBEGIN\n\tRETURN NEW; -- \"quoted\": yes #\n   \nEND",
            "BEGIN ATOMIC\n SELECT 1;\nEND",
        ] {
            let mut f = Function::new("integer".into(), "sql".into());
            f.body = Some(body.into());
            f.volatility = Volatility::Stable;
            f.config
                .insert("search_path".into(), "public, pg_temp".into());
            let mut ns = Namespace::default();
            ns.functions.insert("f()".into(), f);
            let mut schema = Schema::default();
            schema.schemas.insert("public".into(), ns);
            let yaml = to_yaml(&schema);
            let back = parse_str(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
            let g = &back.schemas["public"].functions["f()"];
            let expect = if body.contains('\n') {
                body.trim_matches('\n')
            } else {
                body
            };
            assert_eq!(g.body.as_deref(), Some(expect), "{yaml}");
            assert_eq!(g.volatility, Volatility::Stable);
            assert_eq!(g.config["search_path"], "public, pg_temp");
        }
    }

    /// PostgreSQL 18's features load, old files keep their meaning, and the
    /// writer gives back what it read.
    #[test]
    fn pg18_features_load_and_write_back() {
        use crate::expected::to_yaml;
        use crate::model::GeneratedKind;
        let text = "version: 1
schemas:
  public:
    tables:
      t:
        columns:
          r: {type: int4range}
          d: {type: daterange}
          w: {type: integer}
          v: {type: integer, generated: {expression: \"w * 2\", kind: virtual}}
          s: {type: integer, generated: \"w * 3\"}
          a: {type: text, not_null: {}}
          b: {type: text, nullable: false, not_null: {name: b_must}}
          c: {type: text, nullable: false, not_null: {validated: false, no_inherit: true}}
        primary_key: {columns: [r, d], without_overlaps: true}
        unique:
          - {columns: [w, d], without_overlaps: true}
        checks:
          - {expression: \"w > 0\", enforced: false}
        foreign_keys:
          - {columns: [r, d], references: {table: t, columns: [r, d]}, period: true}
";
        let schema = parse_str(text).unwrap();
        let t = &schema.schemas["public"].tables["t"];
        let col = |n: &str| t.column(n).unwrap();
        assert_eq!(col("v").generated_kind, GeneratedKind::Virtual);
        assert_eq!(col("s").generated_kind, GeneratedKind::Stored);
        assert!(!col("a").nullable, "not_null: {{}} is NOT NULL");
        assert_eq!(col("b").not_null_name.as_deref(), Some("b_must"));
        assert!(!col("c").not_null_validated);
        assert!(col("c").not_null_no_inherit);
        assert!(t.primary_key.as_ref().unwrap().without_overlaps);
        assert!(t.uniques[0].without_overlaps);
        assert!(!t.checks[0].enforced && t.checks[0].validated);
        assert!(t.foreign_keys[0].period && t.foreign_keys[0].enforced);
        let again = parse_str(&to_yaml(&schema)).unwrap();
        assert_eq!(
            crate::diff::diff(&schema, &again).len(),
            0,
            "{}",
            to_yaml(&schema)
        );
        assert!(parse_str(&text.replace("kind: virtual", "kind: sometimes"))
            .unwrap_err()
            .to_string()
            .contains("not `stored` or `virtual`"));
    }
}

#[cfg(test)]
mod safety_tests {
    use std::path::Path;

    use crate::hazard::{SafetyRule, Severity};

    #[test]
    fn safety_section_sets_severities_and_rejects_unknown_rules_at_their_line() {
        let schema = crate::expected::parse(
            "version: 1\nsafety:\n  table-rewrite: warning\n  rename: off\nschemas: {}\n",
            Path::new("t.yaml"),
        )
        .unwrap();
        assert_eq!(
            schema.safety.get(&SafetyRule::TableRewrite),
            Some(&Severity::Warning)
        );
        assert_eq!(schema.safety.get(&SafetyRule::Rename), Some(&Severity::Off));
        let error = crate::expected::parse(
            "version: 1\nsafety:\n  rewrite: error\nschemas: {}\n",
            Path::new("t.yaml"),
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("unknown rule `rewrite`"), "{error}");
        assert!(error.contains(":3"), "{error}");
    }
}
