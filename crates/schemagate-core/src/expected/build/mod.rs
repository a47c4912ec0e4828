//! The parsed document -> [`Schema`]: defaults filled in, names and types
//! in canonical form, each object keeping its line. Every document and model
//! struct that holds a whole file, namespace or table is destructured and
//! built field by field (no `..`), so a new field fails to compile here.

use std::collections::{BTreeMap, BTreeSet};

use serde_saphyr::Spanned;

use super::document::{
    CollationDoc, CompositeDoc, DatabaseDoc, DomainCheckDoc, DomainDoc, Entries, EnumDoc,
    ExtensionDoc, FileDoc, ForeignTableDoc, FunctionDoc, NamespaceDoc, OneOrMap, SequenceDoc,
    SqlText, StatisticsDoc, ViewDoc,
};
use super::notation::canonical_signature;
use super::privileges::Collector;
use super::validate::{self, line_of, Located};
use crate::canon::canonical_type;
use crate::model::*;
use table::{build_index, build_rules, build_table, build_trigger};

#[cfg(test)]
mod safety_tests;
mod table;
#[cfg(test)]
mod tests;

pub(super) fn build(doc: FileDoc) -> Result<Schema, Located> {
    let FileDoc {
        version,
        ignore,
        safety,
        roles,
        database,
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
    if let Some(database) = database {
        let line = line_of(&database);
        let DatabaseDoc { grants } = database.value;
        let line = grants.as_ref().map_or(line, line_of);
        privileges.object(Securable::database(), line, None, grants)?;
    }
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
        comment,
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
                options: BTreeMap::new(),
                columns: BTreeMap::new(),
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
                options,
                columns: column_docs,
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
                    options: options.map(|o| o.into_options()).unwrap_or_default(),
                    columns: column_docs
                        .0
                        .into_iter()
                        .map(|(name, c)| {
                            (
                                name.value,
                                ViewColumn {
                                    comment: c.comment,
                                    default: c.default.map(|d| d.0),
                                },
                            )
                        })
                        .collect(),
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
            comment,
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
        seq.comment = comment;
        sequences.insert(sname.value, seq);
    }
    let mut enums = BTreeMap::new();
    for (ename, edoc) in enum_docs.0 {
        let (values, comment) = match edoc {
            OneOrMap::One(values) => (values, None),
            OneOrMap::Map(EnumDoc {
                values,
                owner,
                grants,
                comment,
            }) => {
                let securable = Securable::new(SecurableKind::Type, schema, Some(&ename.value));
                privileges.object(securable, line_of(&ename), owner, grants)?;
                (values, comment)
            }
        };
        enums.insert(
            ename.value.clone(),
            EnumType {
                line: line_of(&ename),
                values,
                comment,
            },
        );
    }
    let mut domains = BTreeMap::new();
    for (dname, ddoc) in domain_docs.0 {
        let domain = match ddoc {
            OneOrMap::One(t) => Domain {
                line: line_of(&dname),
                data_type: t,
                collation: None,
                nullable: true,
                default: None,
                checks: vec![],
                comment: None,
            },
            OneOrMap::Map(DomainDoc {
                owner,
                grants,
                data_type,
                collation,
                nullable,
                default,
                checks,
                comment,
            }) => {
                let securable = Securable::new(SecurableKind::Type, schema, Some(&dname.value));
                privileges.object(securable, line_of(&dname), owner, grants)?;
                Domain {
                    line: line_of(&dname),
                    data_type,
                    collation,
                    nullable: nullable.unwrap_or(true),
                    default: default.map(|x| x.0),
                    checks: checks.into_iter().map(domain_check).collect(),
                    comment,
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
            cost,
            rows,
            comment,
        } = validate::function(&fname, fdoc)?;
        let (cost, rows) = validate::function_estimates(&fname, &returns, &language, cost, rows)?;
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
                cost,
                rows,
                comment,
            },
        );
    }
    let fields = |entries: Entries<String>| -> Vec<Field> {
        entries
            .0
            .into_iter()
            .map(|(name, written)| {
                let (data_type, collation) = Field::split_collate(&written);
                Field {
                    name: name.value,
                    data_type,
                    collation,
                }
            })
            .collect()
    };
    let mut composite_types = BTreeMap::new();
    for (tname, tdoc) in composite_docs.0 {
        let CompositeDoc {
            attributes,
            owner,
            grants,
            comment,
        } = tdoc;
        let securable = Securable::new(SecurableKind::Type, schema, Some(&tname.value));
        privileges.object(securable, line_of(&tname), owner, grants)?;
        let composite = CompositeType {
            line: line_of(&tname),
            attributes: fields(attributes),
            comment,
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
            comment,
        } = cdoc;
        let collation = Collation {
            line: line_of(&cname),
            provider: provider
                .unwrap_or_else(|| "libc".into())
                .to_ascii_lowercase(),
            locale: locale.0,
            deterministic,
            comment,
        };
        collations.insert(cname.value, collation);
    }
    let mut statistics = BTreeMap::new();
    for (sname, sdoc) in statistics_docs.0 {
        let StatisticsDoc {
            table,
            columns,
            expressions,
            kinds,
            target,
            comment,
        } = sdoc;
        let kinds = validate::statistics_kinds(&sname, kinds)?;
        let expressions: Vec<String> = expressions.into_iter().map(|e| e.0).collect();
        validate::statistics_targets(&sname, &columns, &expressions)?;
        let stats = Statistics {
            line: line_of(&sname),
            table,
            kinds,
            columns,
            expressions,
            target: target.filter(|t| *t >= 0),
            comment,
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
        // What initdb gives `public` is as good as none.
        comment: comment.filter(|c| !(schema == "public" && c == "standard public schema")),
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

/// A domain's CHECK: an expression, or a mapping (`name`, `validated`,
/// `comment`).
fn domain_check(c: Spanned<OneOrMap<SqlText, DomainCheckDoc>>) -> Check {
    let line = line_of(&c);
    match c.value {
        OneOrMap::One(expression) => Check::plain(line, expression.0),
        OneOrMap::Map(m) => Check {
            name: m.name,
            validated: m.validated,
            comment: m.comment,
            ..Check::plain(line, m.expression.0)
        },
    }
}
