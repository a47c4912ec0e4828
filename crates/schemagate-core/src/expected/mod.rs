//! `expected_schema.yaml` <-> [`Schema`].
//!
//! Loading keeps the line of every object so that mismatches and errors can
//! point into the file; unknown keys are rejected; every error names the
//! file, line and column and shows the offending line. Writing (`to_yaml`)
//! produces the same format, compact and sorted, for `snapshot`.

pub mod json_schema;

use std::fmt::Write as _;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::canon::{canonical_type, pretty_expr, pretty_type, serial_type};
use crate::model::*;

/// Why `expected_schema.yaml` could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("cannot read {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}\n{snippet}")]
    Invalid {
        path: PathBuf,
        line: u32,
        column: u32,
        message: String,
        snippet: String,
    },
}

impl SpecError {
    pub fn line(&self) -> Option<u32> {
        match self {
            SpecError::Invalid { line, .. } => Some(*line),
            SpecError::Read { .. } => None,
        }
    }
}

/// Larger files are refused rather than parsed: no schema file is this big.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads and parses `path`.
pub fn load(path: &Path) -> Result<Schema, SpecError> {
    let read_error = |source| SpecError::Read {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read_error)?;
    if meta.is_dir() {
        return Err(read_error(std::io::Error::other(
            "it is a directory, not a file",
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(SpecError::Invalid {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message: format!(
                "the file is {} bytes; expected schema files are limited to {MAX_FILE_BYTES}",
                meta.len()
            ),
            snippet: String::new(),
        });
    }
    let bytes = std::fs::read(path).map_err(read_error)?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
            let line = valid.matches('\n').count() as u32 + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            return Err(SpecError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: format!("the file is not valid UTF-8 (byte {offset})"),
                snippet: snippet_of(&valid, line, column),
            });
        }
    };
    parse(&text, path)
}

/// Parses YAML `text`; `path` names the file in errors.
pub fn parse(text: &str, path: &Path) -> Result<Schema, SpecError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let invalid = |line: u32, column: u32, message: String| SpecError::Invalid {
        path: path.to_path_buf(),
        line,
        column,
        snippet: snippet_of(text, line, column),
        message,
    };
    if text.trim().is_empty() {
        return Err(invalid(
            1,
            1,
            "the file is empty; expected `version: 1` and `schemas:`".into(),
        ));
    }
    let doc: FileDoc =
        serde_saphyr::from_str_with_options(text, yaml_options(text)).map_err(|e| {
            let (line, column) = e
                .location()
                .map(|l| (l.line() as u32, l.column() as u32))
                .unwrap_or((1, 1));
            invalid(line, column, clean_message(&e.to_string()))
        })?;
    build(doc).map_err(
        |Located {
             line,
             column,
             message,
         }| invalid(line, column, message),
    )
}

/// The schema names an expected file declares, guessed from its text
/// without parsing the YAML: the keys under a top-level block `schemas:`
/// (none if there is no such key). Only a guess, so that `diff` can start
/// reading the catalog while the file is parsed; the caller checks it
/// against the parsed file. `None` when the layout is not plain block style.
pub fn declared_schemas_hint(text: &str) -> Option<Vec<String>> {
    let uncommented = |line: &str| -> String {
        let line = match line.find(" #") {
            Some(i) => &line[..i],
            None if line.trim_start().starts_with('#') => "",
            None => line,
        };
        line.trim_end().to_string()
    };
    let mut lines = text.lines().map(uncommented);
    loop {
        let Some(line) = lines.next() else {
            return Some(Vec::new());
        };
        if line == "schemas:" {
            break;
        }
        if line.starts_with("schemas") {
            return None;
        }
    }
    let mut names = Vec::new();
    let mut key_indent = None;
    for line in lines {
        let content = line.trim_start();
        if content.is_empty() {
            continue;
        }
        let indent = line.len() - content.len();
        if indent == 0 {
            break;
        }
        let k = *key_indent.get_or_insert(indent);
        if indent > k {
            continue;
        }
        if indent < k {
            return None;
        }
        let (name, rest) = content.split_once(':')?;
        if !rest.is_empty() && !rest.starts_with(' ') {
            return None;
        }
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        {
            return None;
        }
        names.push(name.to_string());
    }
    names.sort();
    names.dedup();
    Some(names)
}

/// serde-saphyr's defaults, with the node and event budgets grown with the
/// file: the default 250,000 nodes stop at about 4,000 tables, and a file
/// spends at least one byte per node and two per pair of events, so a budget
/// proportional to its length still bounds the work (alias limits stay).
fn yaml_options(text: &str) -> serde_saphyr::Options {
    let defaults = serde_saphyr::Budget::default();
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_nodes: defaults.max_nodes.max(text.len()),
            max_events: defaults.max_events.max(2 * text.len()),
        },
    }
}

/// serde-saphyr's message may carry its own location and snippet; keep the first line.
fn clean_message(text: &str) -> String {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(text)
        .trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // We print the location ourselves, in file:line:column form.
    if let Some(rest) = first.strip_prefix("line ") {
        if let Some((_, message)) = rest.split_once(": ") {
            return message.to_string();
        }
    }
    first.to_string()
}

fn snippet_of(text: &str, line: u32, column: u32) -> String {
    let Some(src) = text.lines().nth(line.saturating_sub(1) as usize) else {
        return String::new();
    };
    let src: String = src.chars().take(200).collect();
    let gutter = format!("{line:>5} | ");
    let caret_pad = " ".repeat(gutter.len() + column.saturating_sub(1) as usize);
    format!("{gutter}{src}\n{caret_pad}^")
}

struct Located {
    line: u32,
    column: u32,
    message: String,
}

fn at<T>(span: &Spanned<T>, message: impl Into<String>) -> Located {
    Located {
        line: span.referenced.line() as u32,
        column: span.referenced.column() as u32,
        message: message.into(),
    }
}

fn line_of<T>(span: &Spanned<T>) -> Line {
    Some(span.referenced.line() as u32)
}

// ---------------------------------------------------------------- documents

/// A mapping kept in file order with the location of each key.
struct Entries<V>(Vec<(Spanned<String>, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Vis<V> {
            type Value = Entries<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Entries(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    out.push((key, map.next_value()?));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(Vis(PhantomData))
    }
}

impl<V> Default for Entries<V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

/// A scalar written as SQL text: strings, numbers and booleans are all accepted.
#[derive(Clone, Debug)]
struct SqlText(String);

impl<'de> Deserialize<'de> for SqlText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis;
        impl Visitor<'_> for Vis {
            type Value = SqlText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a SQL expression (string, number or boolean)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SqlText, E> {
                Ok(SqlText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<SqlText, E> {
                Ok(SqlText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<SqlText, E> {
                Ok(SqlText(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<SqlText, E> {
                Ok(SqlText(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<SqlText, E> {
                Ok(SqlText(v.to_string()))
            }
        }
        d.deserialize_any(Vis)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    version: Option<Spanned<u32>>,
    #[serde(default)]
    ignore: Vec<String>,
    schemas: Option<Entries<Option<NamespaceDoc>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct NamespaceDoc {
    #[serde(default)]
    tables: Entries<Option<TableDoc>>,
    #[serde(default)]
    views: Entries<OneOrMap<SqlText, ViewDoc>>,
    #[serde(default)]
    sequences: Entries<Option<SequenceDoc>>,
    #[serde(default)]
    enums: Entries<Vec<String>>,
    #[serde(default)]
    domains: Entries<OneOrMap<String, DomainDoc>>,
    #[serde(default)]
    functions: Entries<Option<FunctionDoc>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct TableDoc {
    group: Option<String>,
    comment: Option<String>,
    partition_by: Option<String>,
    partition_of: Option<Spanned<PartitionOfDoc>>,
    #[serde(default)]
    columns: Entries<OneOrMap<String, ColumnDoc>>,
    primary_key: Option<Spanned<OneOrMap<Vec<String>, PrimaryKeyDoc>>>,
    #[serde(default)]
    unique: Vec<Spanned<OneOrMap<Vec<String>, UniqueDoc>>>,
    #[serde(default)]
    checks: Vec<Spanned<OneOrMap<SqlText, CheckDoc>>>,
    #[serde(default)]
    foreign_keys: Vec<Spanned<ForeignKeyDoc>>,
    #[serde(default)]
    indexes: Vec<Spanned<IndexDoc>>,
    #[serde(default)]
    triggers: Vec<Spanned<TriggerDoc>>,
    #[serde(default)]
    row_level_security: bool,
    #[serde(default)]
    force_row_level_security: bool,
    #[serde(default)]
    policies: Vec<Spanned<PolicyDoc>>,
}

/// Either a compact scalar/list form `A` or the full mapping form `M`.
enum OneOrMap<A, M> {
    One(A),
    Map(M),
}

impl<'de, A: Deserialize<'de>, M: Deserialize<'de>> Deserialize<'de> for OneOrMap<A, M> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<A, M>(PhantomData<(A, M)>);
        impl<'de, A: Deserialize<'de>, M: Deserialize<'de>> Visitor<'de> for Vis<A, M> {
            type Value = OneOrMap<A, M>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a value or a mapping")
            }
            fn visit_map<V: MapAccess<'de>>(self, map: V) -> Result<Self::Value, V::Error> {
                M::deserialize(de::value::MapAccessDeserializer::new(map)).map(OneOrMap::Map)
            }
            fn visit_seq<V: SeqAccess<'de>>(self, seq: V) -> Result<Self::Value, V::Error> {
                A::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(OneOrMap::One)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                A::deserialize(de::value::StrDeserializer::<E>::new(v)).map(OneOrMap::One)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                self.visit_str(&v.to_string())
            }
        }
        d.deserialize_any(Vis(PhantomData))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartitionOfDoc {
    schema: Option<String>,
    table: String,
    bound: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnDoc {
    #[serde(rename = "type")]
    data_type: String,
    nullable: Option<bool>,
    default: Option<SqlText>,
    identity: Option<String>,
    generated: Option<SqlText>,
    collation: Option<String>,
    comment: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrimaryKeyDoc {
    name: Option<String>,
    columns: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UniqueDoc {
    name: Option<String>,
    columns: Vec<String>,
    #[serde(default)]
    nulls_not_distinct: bool,
    #[serde(default)]
    deferrable: bool,
    #[serde(default)]
    initially_deferred: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckDoc {
    name: Option<String>,
    expression: SqlText,
    #[serde(default = "yes")]
    validated: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ForeignKeyDoc {
    name: Option<String>,
    columns: Vec<String>,
    references: ReferencesDoc,
    on_delete: Option<String>,
    on_update: Option<String>,
    #[serde(default)]
    deferrable: bool,
    #[serde(default)]
    initially_deferred: bool,
    #[serde(default = "yes")]
    validated: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferencesDoc {
    schema: Option<String>,
    table: String,
    columns: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexDoc {
    name: Option<String>,
    columns: Vec<SqlText>,
    #[serde(default)]
    unique: bool,
    using: Option<String>,
    #[serde(default)]
    include: Vec<String>,
    #[serde(rename = "where")]
    predicate: Option<SqlText>,
    #[serde(default)]
    nulls_not_distinct: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TriggerDoc {
    name: String,
    timing: String,
    events: Vec<String>,
    level: Option<String>,
    function: String,
    when: Option<SqlText>,
    #[serde(default = "yes")]
    enabled: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyDoc {
    name: String,
    command: Option<String>,
    #[serde(default = "yes")]
    permissive: bool,
    roles: Option<Vec<String>>,
    using: Option<SqlText>,
    with_check: Option<SqlText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ViewDoc {
    definition: Option<SqlText>,
    #[serde(default)]
    materialized: bool,
    comment: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct SequenceDoc {
    #[serde(rename = "type")]
    data_type: Option<String>,
    start: Option<i64>,
    increment: Option<i64>,
    min_value: Option<i64>,
    max_value: Option<i64>,
    cache: Option<i64>,
    #[serde(default)]
    cycle: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DomainDoc {
    #[serde(rename = "type")]
    data_type: String,
    nullable: Option<bool>,
    default: Option<SqlText>,
    #[serde(default)]
    checks: Vec<SqlText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FunctionDoc {
    returns: String,
    language: String,
}

// ---------------------------------------------------------------- building

fn build(doc: FileDoc) -> Result<Schema, Located> {
    if let Some(v) = &doc.version {
        if v.value != 1 {
            return Err(at(
                v,
                format!(
                    "unsupported version {}; this schemagate reads version 1",
                    v.value
                ),
            ));
        }
    }
    let mut schema = Schema {
        ignore: doc.ignore,
        ..Schema::default()
    };
    let Some(schemas) = doc.schemas else {
        return Err(Located {
            line: 1,
            column: 1,
            message: "no `schemas:` key: the file declares nothing (write `schemas: {}` for an empty database)".into(),
        });
    };
    for (name, ns_doc) in schemas.0 {
        let ns = build_namespace(&name, ns_doc.unwrap_or_default())?;
        schema.schemas.insert(name.value, ns);
    }
    Ok(schema)
}

fn build_namespace(name: &Spanned<String>, doc: NamespaceDoc) -> Result<Namespace, Located> {
    let mut ns = Namespace {
        line: line_of(name),
        ..Namespace::default()
    };
    for (tname, tdoc) in doc.tables.0 {
        let table = build_table(&name.value, &tname, tdoc.unwrap_or_default())?;
        ns.tables.insert(tname.value, table);
    }
    for (vname, vdoc) in doc.views.0 {
        let view = match vdoc {
            OneOrMap::One(def) => View {
                line: line_of(&vname),
                materialized: false,
                definition: Some(def.0),
                comment: None,
            },
            OneOrMap::Map(v) => View {
                line: line_of(&vname),
                materialized: v.materialized,
                definition: v.definition.map(|d| d.0),
                comment: v.comment,
            },
        };
        ns.views.insert(vname.value, view);
    }
    for (sname, sdoc) in doc.sequences.0 {
        let s = sdoc.unwrap_or_default();
        let data_type = canonical_type(s.data_type.as_deref().unwrap_or("bigint"));
        let increment = s.increment.unwrap_or(1);
        if increment == 0 {
            return Err(at(&sname, "sequence increment must not be zero"));
        }
        let mut seq = Sequence::with_defaults(&data_type, increment);
        seq.line = line_of(&sname);
        seq.min_value = s.min_value.unwrap_or(seq.min_value);
        seq.max_value = s.max_value.unwrap_or(seq.max_value);
        seq.start = s.start.unwrap_or(if increment > 0 {
            seq.min_value
        } else {
            seq.max_value
        });
        seq.cache = s.cache.unwrap_or(1);
        seq.cycle = s.cycle;
        ns.sequences.insert(sname.value, seq);
    }
    for (ename, values) in doc.enums.0 {
        ns.enums.insert(
            ename.value.clone(),
            EnumType {
                line: line_of(&ename),
                values,
            },
        );
    }
    for (dname, ddoc) in doc.domains.0 {
        let domain = match ddoc {
            OneOrMap::One(t) => Domain {
                line: line_of(&dname),
                data_type: t,
                nullable: true,
                default: None,
                checks: vec![],
            },
            OneOrMap::Map(d) => Domain {
                line: line_of(&dname),
                data_type: d.data_type,
                nullable: d.nullable.unwrap_or(true),
                default: d.default.map(|x| x.0),
                checks: d
                    .checks
                    .into_iter()
                    .map(|c| Check {
                        line: line_of(&dname),
                        name: None,
                        expression: c.0,
                        validated: true,
                    })
                    .collect(),
            },
        };
        ns.domains.insert(dname.value, domain);
    }
    for (fname, fdoc) in doc.functions.0 {
        let Some(f) = fdoc else {
            return Err(at(&fname, "a function needs `returns` and `language`"));
        };
        if !fname.value.contains('(') || !fname.value.ends_with(')') {
            return Err(at(
                &fname,
                format!(
                    "function key `{}` must be a signature like `name(integer, text)`",
                    fname.value
                ),
            ));
        }
        ns.functions.insert(
            canonical_signature(&fname.value),
            Function {
                line: line_of(&fname),
                returns: f.returns,
                language: f.language,
            },
        );
    }
    Ok(ns)
}

/// `Add( int, TEXT )` -> `add(integer, text)`: canonical argument types.
pub fn canonical_signature(sig: &str) -> String {
    let Some(open) = sig.find('(') else {
        return sig.to_string();
    };
    let name = sig[..open].trim();
    let args = sig[open + 1..].trim_end().trim_end_matches(')');
    let args: Vec<String> = split_top_level(args)
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .map(canonical_type)
        .collect();
    format!("{name}({})", args.join(", "))
}

/// Splits on commas that are not inside parentheses (`numeric(12,2), text`).
fn split_top_level(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    parts
}

fn build_table(schema: &str, name: &Spanned<String>, doc: TableDoc) -> Result<Table, Located> {
    let mut table = Table {
        line: line_of(name),
        group: doc.group,
        comment: doc.comment,
        partition_by: doc.partition_by,
        rls_enabled: doc.row_level_security,
        rls_forced: doc.force_row_level_security,
        ..Table::default()
    };
    if let Some(p) = doc.partition_of {
        table.partition_of = Some(PartitionOf {
            parent: QualifiedName::new(
                p.value.schema.clone().unwrap_or_else(|| schema.to_string()),
                p.value.table.clone(),
            ),
            bound: p.value.bound.clone(),
        });
    }
    let pk = match doc.primary_key {
        None => None,
        Some(span) => {
            let line = line_of(&span);
            let (name, columns) = match span.value {
                OneOrMap::One(cols) => (None, cols),
                OneOrMap::Map(m) => (m.name, m.columns),
            };
            if columns.is_empty() {
                return Err(Located {
                    line: line.unwrap_or(1),
                    column: 1,
                    message: "primary_key needs at least one column".into(),
                });
            }
            Some(PrimaryKey {
                line,
                name,
                columns,
            })
        }
    };
    for (cname, cdoc) in doc.columns.0 {
        let c = match cdoc {
            OneOrMap::One(t) => ColumnDoc {
                data_type: t,
                nullable: None,
                default: None,
                identity: None,
                generated: None,
                collation: None,
                comment: None,
            },
            OneOrMap::Map(m) => m,
        };
        let identity = match c.identity.as_deref().map(|s| s.trim().to_ascii_lowercase()) {
            None => None,
            Some(s) if s == "always" => Some(Identity::Always),
            Some(s) if s == "by_default" || s == "by default" => Some(Identity::ByDefault),
            Some(other) => {
                return Err(at(
                    &cname,
                    format!(
                        "column `{}`: identity must be `always` or `by_default`, not `{other}`",
                        cname.value
                    ),
                ))
            }
        };
        let serial = serial_type(&c.data_type);
        let in_pk = pk
            .as_ref()
            .is_some_and(|pk| pk.columns.contains(&cname.value));
        // The server makes these NOT NULL whatever the file says.
        let implied_not_null = in_pk || identity.is_some() || serial.is_some();
        if c.nullable == Some(true) && implied_not_null {
            return Err(at(&cname, format!("column `{}` cannot be nullable: it is part of the primary key, an identity or a serial", cname.value)));
        }
        let default = match serial {
            Some(_) if c.default.is_some() => {
                return Err(at(
                    &cname,
                    format!(
                        "column `{}`: a serial column has its own default",
                        cname.value
                    ),
                ))
            }
            Some(_) => Some(format!(
                "nextval('{}')",
                serial_sequence_name(&name.value, &cname.value)
            )),
            None => c.default.map(|d| d.0),
        };
        table.columns.push(Column {
            line: line_of(&cname),
            name: cname.value.clone(),
            data_type: c.data_type,
            nullable: c.nullable.unwrap_or(!implied_not_null),
            default,
            identity,
            generated: c.generated.map(|g| g.0),
            collation: c.collation,
            comment: c.comment,
        });
    }
    let declared =
        |table: &Table, cols: &[String], span_line: Line, what: &str| -> Result<(), Located> {
            for col in cols {
                if table.column(col).is_none() && !table.columns.is_empty() {
                    return Err(Located {
                        line: span_line.unwrap_or(1),
                        column: 1,
                        message: format!(
                            "{what} names column `{col}`, which table `{}` does not declare",
                            name.value
                        ),
                    });
                }
            }
            Ok(())
        };
    if let Some(pk) = &pk {
        declared(&table, &pk.columns, pk.line, "primary_key")?;
    }
    table.primary_key = pk;
    for u in doc.unique {
        let line = line_of(&u);
        let unique = match u.value {
            OneOrMap::One(columns) => Unique {
                line,
                name: None,
                columns,
                nulls_not_distinct: false,
                deferrable: Deferrable::No,
            },
            OneOrMap::Map(m) => Unique {
                line,
                name: m.name,
                columns: m.columns,
                nulls_not_distinct: m.nulls_not_distinct,
                deferrable: Deferrable::from_flags(m.deferrable, m.initially_deferred),
            },
        };
        declared(&table, &unique.columns, line, "unique")?;
        table.uniques.push(unique);
    }
    for c in doc.checks {
        let line = line_of(&c);
        table.checks.push(match c.value {
            OneOrMap::One(expr) => Check {
                line,
                name: None,
                expression: expr.0,
                validated: true,
            },
            OneOrMap::Map(m) => Check {
                line,
                name: m.name,
                expression: m.expression.0,
                validated: m.validated,
            },
        });
    }
    for f in doc.foreign_keys {
        let action = |text: &Option<String>, what: &str| -> Result<FkAction, Located> {
            match text {
                None => Ok(FkAction::NoAction),
                Some(t) => FkAction::parse(t).ok_or_else(|| {
                    at(&f, format!("{what}: `{t}` is not one of no action, restrict, cascade, set null, set default"))
                }),
            }
        };
        let on_delete = action(&f.value.on_delete, "on_delete")?;
        let on_update = action(&f.value.on_update, "on_update")?;
        let line = line_of(&f);
        let fk = f.value;
        if fk.columns.len() != fk.references.columns.len() {
            return Err(Located {
                line: line.unwrap_or(1),
                column: 1,
                message: format!(
                    "foreign key has {} column(s) but references {}",
                    fk.columns.len(),
                    fk.references.columns.len()
                ),
            });
        }
        declared(&table, &fk.columns, line, "foreign key")?;
        table.foreign_keys.push(ForeignKey {
            line,
            name: fk.name,
            columns: fk.columns,
            ref_table: QualifiedName::new(
                fk.references.schema.unwrap_or_else(|| schema.to_string()),
                fk.references.table,
            ),
            ref_columns: fk.references.columns,
            on_delete,
            on_update,
            deferrable: Deferrable::from_flags(fk.deferrable, fk.initially_deferred),
            validated: fk.validated,
        });
    }
    for i in doc.indexes {
        let line = line_of(&i);
        if i.value.columns.is_empty() {
            return Err(at(&i, "an index needs at least one column or expression"));
        }
        let idx = i.value;
        table.indexes.push(Index {
            line,
            name: idx.name,
            unique: idx.unique,
            method: idx
                .using
                .unwrap_or_else(|| "btree".into())
                .to_ascii_lowercase(),
            keys: idx
                .columns
                .into_iter()
                .map(|k| parse_index_key(&k.0))
                .collect(),
            include: idx.include,
            predicate: idx.predicate.map(|p| p.0),
            nulls_not_distinct: idx.nulls_not_distinct,
        });
    }
    let mut seen = std::collections::BTreeSet::new();
    for t in doc.triggers {
        if !seen.insert(t.value.name.clone()) {
            return Err(at(&t, format!("duplicate trigger name `{}`", t.value.name)));
        }
        let timing = t.value.timing.trim().to_ascii_lowercase();
        if !matches!(timing.as_str(), "before" | "after" | "instead of") {
            return Err(at(
                &t,
                format!(
                    "trigger timing must be before, after or instead of, not `{}`",
                    t.value.timing
                ),
            ));
        }
        let level = t
            .value
            .level
            .as_deref()
            .unwrap_or("statement")
            .trim()
            .to_ascii_lowercase();
        if !matches!(level.as_str(), "row" | "statement") {
            return Err(at(
                &t,
                format!("trigger level must be row or statement, not `{level}`"),
            ));
        }
        let mut events: Vec<String> = t
            .value
            .events
            .iter()
            .map(|e| e.trim().to_ascii_lowercase())
            .collect();
        events.sort();
        table.triggers.push(Trigger {
            line: line_of(&t),
            name: t.value.name.clone(),
            timing,
            events,
            level,
            function: t.value.function.clone(),
            when: t.value.when.as_ref().map(|w| w.0.clone()),
            enabled: t.value.enabled,
        });
    }
    let mut seen = std::collections::BTreeSet::new();
    for p in doc.policies {
        if !seen.insert(p.value.name.clone()) {
            return Err(at(&p, format!("duplicate policy name `{}`", p.value.name)));
        }
        let command = p
            .value
            .command
            .as_deref()
            .unwrap_or("all")
            .trim()
            .to_ascii_lowercase();
        if !matches!(
            command.as_str(),
            "all" | "select" | "insert" | "update" | "delete"
        ) {
            return Err(at(
                &p,
                format!(
                    "policy command must be all, select, insert, update or delete, not `{command}`"
                ),
            ));
        }
        let mut roles = p
            .value
            .roles
            .clone()
            .unwrap_or_else(|| vec!["public".into()]);
        roles.sort();
        table.policies.push(Policy {
            line: line_of(&p),
            name: p.value.name.clone(),
            command,
            permissive: p.value.permissive,
            roles,
            using: p.value.using.as_ref().map(|u| u.0.clone()),
            with_check: p.value.with_check.as_ref().map(|u| u.0.clone()),
        });
    }
    Ok(table)
}

/// The name PostgreSQL gives the sequence of a serial column.
fn serial_sequence_name(table: &str, column: &str) -> String {
    format!("{table}_{column}_seq")
}

/// Parses `expr [opclass] [ASC|DESC] [NULLS FIRST|LAST]`.
/// An operator class is recognised by its `_ops` suffix, as all built-in ones have.
pub fn parse_index_key(text: &str) -> IndexKey {
    let mut words: Vec<&str> = text.split_whitespace().collect();
    let mut nulls_first = None;
    let mut descending = false;
    let upper = |w: &str| w.to_ascii_uppercase();
    if words.len() >= 3 && upper(words[words.len() - 2]) == "NULLS" {
        match upper(words[words.len() - 1]).as_str() {
            "FIRST" => nulls_first = Some(true),
            "LAST" => nulls_first = Some(false),
            _ => {}
        }
        if nulls_first.is_some() {
            words.truncate(words.len() - 2);
        }
    }
    if words.len() >= 2 {
        match upper(words[words.len() - 1]).as_str() {
            "DESC" => {
                descending = true;
                words.pop();
            }
            "ASC" => {
                words.pop();
            }
            _ => {}
        }
    }
    let mut opclass = None;
    if words.len() >= 2 {
        let last = words[words.len() - 1];
        if last.to_ascii_lowercase().ends_with("_ops") && !last.contains('(') && !last.contains(')')
        {
            opclass = Some(last.to_string());
            words.pop();
        }
    }
    IndexKey {
        expression: words.join(" "),
        opclass,
        descending,
        nulls_first,
    }
}

// ---------------------------------------------------------------- writing

/// Renders `schema` as `expected_schema.yaml`.
pub fn to_yaml(schema: &Schema) -> String {
    let mut out = String::new();
    out.push_str("# Generated by `schemagate snapshot`. Review, then commit.\nversion: 1\n");
    if !schema.ignore.is_empty() {
        out.push_str("ignore:\n");
        for g in &schema.ignore {
            let _ = writeln!(out, "  - {}", scalar(g));
        }
    }
    out.push_str("schemas:\n");
    for (name, ns) in &schema.schemas {
        let _ = writeln!(out, "  {}:", key(name));
        write_namespace(&mut out, name, ns);
    }
    out
}

fn write_namespace(out: &mut String, schema: &str, ns: &Namespace) {
    if !ns.enums.is_empty() {
        out.push_str("    enums:\n");
        for (name, e) in &ns.enums {
            let _ = writeln!(out, "      {}: {}", key(name), flow_list(&e.values));
        }
    }
    if !ns.domains.is_empty() {
        out.push_str("    domains:\n");
        for (name, d) in &ns.domains {
            let mut fields = vec![("type", scalar(&pretty_type(&d.data_type)))];
            if !d.nullable {
                fields.push(("nullable", "false".into()));
            }
            if let Some(def) = &d.default {
                fields.push(("default", scalar(&pretty_expr(def))));
            }
            if !d.checks.is_empty() {
                let checks: Vec<String> = d
                    .checks
                    .iter()
                    .map(|c| pretty_expr(&c.expression))
                    .collect();
                fields.push(("checks", flow_list(&checks)));
            }
            let _ = writeln!(out, "      {}: {}", key(name), flow_map(&fields));
        }
    }
    if !ns.sequences.is_empty() {
        out.push_str("    sequences:\n");
        for (name, s) in &ns.sequences {
            let defaults = Sequence::with_defaults(&canonical_type(&s.data_type), s.increment);
            let mut fields = Vec::new();
            if canonical_type(&s.data_type) != "bigint" {
                fields.push(("type", scalar(&s.data_type)));
            }
            if s.increment != 1 {
                fields.push(("increment", s.increment.to_string()));
            }
            if s.min_value != defaults.min_value {
                fields.push(("min_value", s.min_value.to_string()));
            }
            if s.max_value != defaults.max_value {
                fields.push(("max_value", s.max_value.to_string()));
            }
            let default_start = if s.increment > 0 {
                s.min_value
            } else {
                s.max_value
            };
            if s.start != default_start {
                fields.push(("start", s.start.to_string()));
            }
            if s.cache != 1 {
                fields.push(("cache", s.cache.to_string()));
            }
            if s.cycle {
                fields.push(("cycle", "true".into()));
            }
            if fields.is_empty() {
                let _ = writeln!(out, "      {}: {{}}", key(name));
            } else {
                let _ = writeln!(out, "      {}: {}", key(name), flow_map(&fields));
            }
        }
    }
    if !ns.functions.is_empty() {
        out.push_str("    functions:\n");
        for (sig, f) in &ns.functions {
            let fields = vec![
                ("returns", scalar(&f.returns)),
                ("language", scalar(&f.language)),
            ];
            let _ = writeln!(out, "      {}: {}", key(sig), flow_map(&fields));
        }
    }
    if !ns.views.is_empty() {
        out.push_str("    views:\n");
        for (name, v) in &ns.views {
            if !v.materialized && v.comment.is_none() && v.definition.is_none() {
                let _ = writeln!(out, "      {}: {{}}", key(name));
                continue;
            }
            let _ = writeln!(out, "      {}:", key(name));
            if v.materialized {
                out.push_str("        materialized: true\n");
            }
            if let Some(c) = &v.comment {
                let _ = writeln!(out, "        comment: {}", scalar(c));
            }
            if let Some(d) = &v.definition {
                let _ = writeln!(out, "        definition: {}", scalar(d.trim()));
            }
        }
    }
    if !ns.tables.is_empty() {
        out.push_str("    tables:\n");
        for (name, t) in &ns.tables {
            let _ = writeln!(out, "      {}:", key(name));
            write_table(out, schema, name, t);
        }
    }
}

fn write_table(out: &mut String, schema: &str, table_name: &str, t: &Table) {
    let ind = "        ";
    if let Some(g) = &t.group {
        let _ = writeln!(out, "{ind}group: {}", scalar(g));
    }
    if let Some(c) = &t.comment {
        let _ = writeln!(out, "{ind}comment: {}", scalar(c));
    }
    if let Some(p) = &t.partition_by {
        let _ = writeln!(out, "{ind}partition_by: {}", scalar(p));
    }
    if let Some(p) = &t.partition_of {
        let mut fields = vec![];
        if p.parent.schema != schema {
            fields.push(("schema", scalar(&p.parent.schema)));
        }
        fields.push(("table", scalar(&p.parent.name)));
        fields.push(("bound", scalar(&p.bound)));
        let _ = writeln!(out, "{ind}partition_of: {}", flow_map(&fields));
    }
    let pk_cols: Vec<&String> = t
        .primary_key
        .iter()
        .flat_map(|p| p.columns.iter())
        .collect();
    if t.columns.is_empty() {
        let _ = writeln!(out, "{ind}columns: {{}}");
    } else {
        let _ = writeln!(out, "{ind}columns:");
    }
    for c in &t.columns {
        // `serial` stays as written: it carries its sequence default.
        let data_type = match serial_type(&c.data_type) {
            Some(_) => c.data_type.clone(),
            None => pretty_type(&c.data_type),
        };
        let mut fields = vec![("type", scalar(&data_type))];
        let implied_not_null = pk_cols.contains(&&c.name) || c.identity.is_some();
        if !c.nullable && !implied_not_null {
            fields.push(("nullable", "false".into()));
        }
        if let Some(d) = &c.default {
            // A `serial` column's sequence default comes with the type.
            if serial_type(&c.data_type).is_none() {
                fields.push(("default", scalar(&pretty_expr(d))));
            }
        }
        if let Some(i) = c.identity {
            fields.push(("identity", i.as_str().into()));
        }
        if let Some(g) = &c.generated {
            fields.push(("generated", scalar(&pretty_expr(g))));
        }
        if let Some(coll) = &c.collation {
            fields.push(("collation", scalar(coll)));
        }
        if let Some(com) = &c.comment {
            fields.push(("comment", scalar(com)));
        }
        let _ = writeln!(out, "{ind}  {}: {}", key(&c.name), flow_map(&fields));
    }
    if let Some(pk) = &t.primary_key {
        if pk.name.is_some() && pk.name.as_deref() != Some(&format!("{table_name}_pkey")) {
            let fields = vec![
                ("name", scalar(pk.name.as_deref().unwrap_or_default())),
                ("columns", flow_list(&pk.columns)),
            ];
            let _ = writeln!(out, "{ind}primary_key: {}", flow_map(&fields));
        } else {
            let _ = writeln!(out, "{ind}primary_key: {}", flow_list(&pk.columns));
        }
    }
    if !t.uniques.is_empty() {
        let _ = writeln!(out, "{ind}unique:");
        for u in &t.uniques {
            let mut fields = vec![("columns", flow_list(&u.columns))];
            if let Some(n) = &u.name {
                fields.insert(0, ("name", scalar(n)));
            }
            if u.nulls_not_distinct {
                fields.push(("nulls_not_distinct", "true".into()));
            }
            push_deferrable(&mut fields, u.deferrable);
            let _ = writeln!(out, "{ind}  - {}", flow_map(&fields));
        }
    }
    if !t.checks.is_empty() {
        let _ = writeln!(out, "{ind}checks:");
        for c in &t.checks {
            let mut fields = vec![("expression", scalar(&pretty_expr(&c.expression)))];
            if let Some(n) = &c.name {
                fields.insert(0, ("name", scalar(n)));
            }
            if !c.validated {
                fields.push(("validated", "false".into()));
            }
            let _ = writeln!(out, "{ind}  - {}", flow_map(&fields));
        }
    }
    if !t.foreign_keys.is_empty() {
        let _ = writeln!(out, "{ind}foreign_keys:");
        for f in &t.foreign_keys {
            let mut refs = vec![];
            if f.ref_table.schema != schema {
                refs.push(("schema", scalar(&f.ref_table.schema)));
            }
            refs.push(("table", scalar(&f.ref_table.name)));
            refs.push(("columns", flow_list(&f.ref_columns)));
            let mut fields = vec![];
            if let Some(n) = &f.name {
                fields.push(("name", scalar(n)));
            }
            fields.push(("columns", flow_list(&f.columns)));
            fields.push(("references", flow_map(&refs)));
            if f.on_delete != FkAction::NoAction {
                fields.push(("on_delete", scalar(f.on_delete.as_str())));
            }
            if f.on_update != FkAction::NoAction {
                fields.push(("on_update", scalar(f.on_update.as_str())));
            }
            push_deferrable(&mut fields, f.deferrable);
            if !f.validated {
                fields.push(("validated", "false".into()));
            }
            let _ = writeln!(out, "{ind}  - {}", flow_map(&fields));
        }
    }
    if !t.indexes.is_empty() {
        let _ = writeln!(out, "{ind}indexes:");
        for i in &t.indexes {
            let keys: Vec<String> = i
                .keys
                .iter()
                .map(|k| {
                    let mut k = k.clone();
                    k.expression = pretty_expr(&k.expression);
                    k.to_string()
                })
                .collect();
            let mut fields = vec![];
            if let Some(n) = &i.name {
                fields.push(("name", scalar(n)));
            }
            fields.push(("columns", flow_list(&keys)));
            if i.unique {
                fields.push(("unique", "true".into()));
            }
            if i.method != "btree" {
                fields.push(("using", scalar(&i.method)));
            }
            if !i.include.is_empty() {
                fields.push(("include", flow_list(&i.include)));
            }
            if i.nulls_not_distinct {
                fields.push(("nulls_not_distinct", "true".into()));
            }
            if let Some(p) = &i.predicate {
                fields.push(("where", scalar(&pretty_expr(p))));
            }
            let _ = writeln!(out, "{ind}  - {}", flow_map(&fields));
        }
    }
    if !t.triggers.is_empty() {
        let _ = writeln!(out, "{ind}triggers:");
        for tr in &t.triggers {
            let mut fields = vec![
                ("name", scalar(&tr.name)),
                ("timing", scalar(&tr.timing)),
                ("events", flow_list(&tr.events)),
                ("level", scalar(&tr.level)),
                ("function", scalar(&tr.function)),
            ];
            if let Some(w) = &tr.when {
                fields.push(("when", scalar(&pretty_expr(w))));
            }
            if !tr.enabled {
                fields.push(("enabled", "false".into()));
            }
            let _ = writeln!(out, "{ind}  - {}", flow_map(&fields));
        }
    }
    if t.rls_enabled {
        let _ = writeln!(out, "{ind}row_level_security: true");
    }
    if t.rls_forced {
        let _ = writeln!(out, "{ind}force_row_level_security: true");
    }
    if !t.policies.is_empty() {
        let _ = writeln!(out, "{ind}policies:");
        for p in &t.policies {
            let mut fields = vec![("name", scalar(&p.name))];
            if p.command != "all" {
                fields.push(("command", scalar(&p.command)));
            }
            if !p.permissive {
                fields.push(("permissive", "false".into()));
            }
            if p.roles != ["public"] {
                fields.push(("roles", flow_list(&p.roles)));
            }
            if let Some(u) = &p.using {
                fields.push(("using", scalar(&pretty_expr(u))));
            }
            if let Some(w) = &p.with_check {
                fields.push(("with_check", scalar(&pretty_expr(w))));
            }
            let _ = writeln!(out, "{ind}  - {}", flow_map(&fields));
        }
    }
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

fn flow_map(fields: &[(&str, String)]) -> String {
    let inner: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("{{{}}}", inner.join(", "))
}

fn flow_list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| scalar(s)).collect();
    format!("[{}]", inner.join(", "))
}

fn key(text: &str) -> String {
    scalar(text)
}

/// A YAML scalar usable in block and flow context: plain when that reads
/// back as the same string, double-quoted otherwise.
pub fn scalar(text: &str) -> String {
    if is_plain_safe(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if !(first.is_alphabetic() || first == '_') {
        return false;
    }
    if text.ends_with(' ') || text.contains(": ") || text.contains(" #") {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n" | "~"
    ) {
        return false;
    }
    text.chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | ' ' | '(' | ')' | '.' | '-' | '$'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Schema, SpecError> {
        parse(text, Path::new("expected_schema.yaml"))
    }

    #[test]
    fn schema_names_are_guessed_from_block_layout() {
        let text = "version: 1\nignore:\n  - public.tmp_*\nschemas:  # all of them\n  public:\n    tables:\n      users: {}\n\n  # audit lives apart\n  audit:\n    tables: {}\n";
        assert_eq!(
            declared_schemas_hint(text),
            Some(vec!["audit".to_string(), "public".to_string()])
        );
        assert_eq!(declared_schemas_hint("version: 1\n"), Some(vec![]));
        assert_eq!(declared_schemas_hint("schemas: {public: {}}\n"), None);
        assert_eq!(declared_schemas_hint("schemas:\n  \"my app\":\n"), None);
    }

    #[test]
    fn large_files_are_within_the_yaml_budget() {
        // More nodes than serde-saphyr's default budget of 250,000.
        let mut text = String::from("version: 1\nschemas:\n  public:\n    tables:\n");
        for t in 0..5_200 {
            text.push_str(&format!("      t{t}:\n        columns:\n"));
            for c in 0..12 {
                text.push_str(&format!("          c{c}: {{type: integer}}\n"));
            }
        }
        let schema = parse_str(&text).expect("a large file loads");
        assert_eq!(schema.schemas["public"].tables.len(), 5_200);
    }

    #[test]
    fn index_keys_parse_options() {
        let k = parse_index_key("last_message_at DESC");
        assert_eq!(
            (k.expression.as_str(), k.descending, k.nulls_first),
            ("last_message_at", true, None)
        );
        let k = parse_index_key("definition jsonb_path_ops");
        assert_eq!(k.opclass.as_deref(), Some("jsonb_path_ops"));
        let k = parse_index_key("lower(name) NULLS FIRST");
        assert_eq!(
            (k.expression.as_str(), k.nulls_first),
            ("lower(name)", Some(true))
        );
    }

    #[test]
    fn scalars_round_trip_through_yaml() {
        for s in [
            "plain",
            "numeric(12,6)",
            "'{}'",
            "a: b",
            "true",
            "with \"quotes\"",
            "x\ny",
            "Ünïcode",
            "-1",
            "",
        ] {
            let doc = format!("k: {}\n", scalar(s));
            let back: std::collections::BTreeMap<String, String> =
                serde_saphyr::from_str(&doc).unwrap();
            assert_eq!(back["k"], s, "{doc}");
            let flow = format!("k: {{v: {}}}\n", scalar(s));
            let back: std::collections::BTreeMap<
                String,
                std::collections::BTreeMap<String, String>,
            > = serde_saphyr::from_str(&flow).unwrap();
            assert_eq!(back["k"]["v"], s, "{flow}");
        }
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

    /// Regression (found by the fuzzer): a `serial` column written back by
    /// `to_yaml` lost its implied sequence default on the second load.
    #[test]
    fn serial_columns_survive_a_round_trip() {
        let text = "version: 1\nschemas:\n  public:\n    tables:\n      t:\n        columns:\n          id: {type: serial}\n";
        let first = parse_str(text).unwrap();
        let second = parse_str(&to_yaml(&first)).unwrap();
        assert_eq!(crate::diff::diff(&first, &second), vec![]);
        assert_eq!(
            second.schemas["public"].tables["t"].columns[0]
                .default
                .as_deref(),
            Some("nextval('t_id_seq')")
        );
    }

    #[test]
    fn unknown_key_names_line_and_column() {
        let err = parse_str(
            "version: 1\nschemas:\n  public:\n    tables:\n      users:\n        colums: {}\n",
        )
        .unwrap_err();
        let text = err.to_string();
        assert_eq!(err.line(), Some(6), "{text}");
        assert!(text.starts_with("expected_schema.yaml:6:"), "{text}");
        assert!(text.contains("colums"), "{text}");
    }
}
