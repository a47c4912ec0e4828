//! A Mermaid `erDiagram` of a schema's tables and foreign keys, which GitHub
//! renders in Markdown: every table is an entity with its key columns (a
//! partition is not: it is its parent's), every foreign key a relationship
//! from the referenced table to the referencing one, labelled with the
//! referencing columns. A relationship is identifying (`--`) when the
//! referencing columns are part of the child's primary key, else
//! non-identifying (`..`).
//!
//! Names follow Mermaid's ER lexer: a bare entity name is
//! `[A-Za-z_][A-Za-z0-9_-]*` (and the lexer is case-insensitive, so words
//! such as `one` or `to` are cardinalities); anything else is quoted, and a
//! quoted name may not hold `"`, `%`, `\` or line breaks, which are replaced
//! by look-alikes.

use std::collections::BTreeSet;
use std::io;

use crate::model::{QualifiedName, Schema, Table};

/// Writes the diagram (without Markdown fences).
pub fn render(schema: &Schema, out: &mut dyn io::Write) -> io::Result<()> {
    writeln!(out, "erDiagram")?;
    let mut relationships = BTreeSet::new();
    for (schema_name, ns) in &schema.schemas {
        for (table_name, table) in &ns.tables {
            if table.partition_of.is_some() {
                continue;
            }
            let name = QualifiedName::new(schema_name, table_name);
            let child = entity(&name);
            let keys = key_columns(table);
            if keys.is_empty() {
                writeln!(out, "    {child}")?;
            } else {
                writeln!(out, "    {child} {{")?;
                for line in keys {
                    writeln!(out, "        {line}")?;
                }
                writeln!(out, "    }}")?;
            }
            for fk in &table.foreign_keys {
                let optional = fk
                    .columns
                    .iter()
                    .any(|c| table.column(c).is_none_or(|c| c.nullable));
                let one_to_one = is_unique(table, &fk.columns);
                let identifying = table
                    .primary_key
                    .as_ref()
                    .is_some_and(|pk| fk.columns.iter().all(|c| pk.columns.contains(c)));
                relationships.insert((
                    entity(&fk.ref_table),
                    if optional { "|o" } else { "||" },
                    if identifying { "--" } else { ".." },
                    if one_to_one { "o|" } else { "o{" },
                    child.clone(),
                    label(&fk.columns.join(", ")),
                ));
            }
        }
    }
    for (parent, parent_card, line, child_card, child, label) in relationships {
        writeln!(
            out,
            "    {parent} {parent_card}{line}{child_card} {child} : \"{label}\""
        )?;
    }
    Ok(())
}

/// The entity name of a table: bare when Mermaid reads it back unchanged,
/// else quoted. Tables outside `public` carry their schema.
pub fn entity(table: &QualifiedName) -> String {
    let name = if table.schema == "public" {
        table.name.clone()
    } else {
        format!("{}.{}", table.schema, table.name)
    };
    if is_bare(&name) {
        name
    } else {
        format!("\"{}\"", quoted_text(&name))
    }
}

/// Lower-case ASCII identifiers that are not words of the ER grammar.
fn is_bare(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "accdescr",
        "acctitle",
        "class",
        "classdef",
        "direction",
        "erdiagram",
        "many",
        "one",
        "only",
        "optionally",
        "style",
        "title",
        "to",
        "u",
        "zero",
    ];
    name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !WORDS.contains(&name)
}

/// Text for a quoted entity name or label: Mermaid cannot escape `"` there,
/// and rejects `%`, `\` and control characters in entity names.
fn quoted_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '"' => '\'',
            '%' => '％',
            '\\' => '⧵',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

fn label(text: &str) -> String {
    quoted_text(text)
}

/// `type name PK, FK "comment"` lines for the primary-key and foreign-key
/// columns, in table order.
fn key_columns(table: &Table) -> Vec<String> {
    let pk: Vec<&String> = table
        .primary_key
        .iter()
        .flat_map(|p| p.columns.iter())
        .collect();
    let fk: BTreeSet<&String> = table
        .foreign_keys
        .iter()
        .flat_map(|f| f.columns.iter())
        .collect();
    table
        .columns
        .iter()
        .filter_map(|c| {
            let keys: Vec<&str> = [("PK", pk.contains(&&c.name)), ("FK", fk.contains(&c.name))]
                .into_iter()
                .filter_map(|(k, on)| on.then_some(k))
                .collect();
            if keys.is_empty() {
                return None;
            }
            let (name, comment) = attribute_name(&c.name);
            let mut line = format!(
                "{} {name} {}",
                attribute_word(&c.data_type),
                keys.join(", ")
            );
            if let Some(comment) = comment {
                line.push_str(&format!(" \"{}\"", quoted_text(&comment)));
            }
            Some(line)
        })
        .collect()
}

/// A column name as an attribute word; a name Mermaid cannot show as is
/// becomes a safe word, and the real name goes into the comment.
fn attribute_name(name: &str) -> (String, Option<String>) {
    let word = attribute_word(name);
    let is_key_word = ["pk", "fk", "uk"].contains(&name.to_ascii_lowercase().as_str());
    if word == name && !is_key_word {
        (word, None)
    } else {
        (format!("{word}_"), Some(name.to_string()))
    }
}

/// An attribute word (`[A-Za-z_][A-Za-z0-9_-]*`): other characters become `_`,
/// so `character varying(255)` reads `character_varying_255`.
fn attribute_word(text: &str) -> String {
    let mut word = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else if !word.ends_with('_') {
            word.push('_');
        }
    }
    let word = word.trim_end_matches('_').to_string();
    if word.is_empty() || !word.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        format!("_{word}")
    } else {
        word
    }
}

/// Whether `columns` are exactly the primary key or a unique constraint.
fn is_unique(table: &Table, columns: &[String]) -> bool {
    let wanted: BTreeSet<&String> = columns.iter().collect();
    let same = |cols: &[String]| cols.iter().collect::<BTreeSet<_>>() == wanted;
    table.primary_key.as_ref().is_some_and(|p| same(&p.columns))
        || table.uniques.iter().any(|u| same(&u.columns))
        || table.indexes.iter().any(|i| {
            i.unique
                && i.predicate.is_none()
                && i.keys.len() == columns.len()
                && i.keys.iter().all(|k| columns.contains(&k.expression))
        })
}
