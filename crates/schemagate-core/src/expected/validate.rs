//! The rules an expected file must follow beyond its shape (which serde
//! checks), each reported at the place in the file that breaks it.

use std::collections::BTreeSet;

use serde_saphyr::Spanned;

use crate::model::{
    Column, Firing, FkAction, Function, GeneratedKind, Identity, Line, Parallel, Volatility,
    UNCOVERED_KINDS,
};

/// An error at a place in the file; `load` adds the path and the snippet.
pub(super) struct Located {
    pub(super) line: u32,
    pub(super) column: u32,
    pub(super) message: String,
}

pub(super) fn at<T>(span: &Spanned<T>, message: impl Into<String>) -> Located {
    Located {
        line: span.referenced.line() as u32,
        column: span.referenced.column() as u32,
        message: message.into(),
    }
}

/// Refuses an expression too long to compare safely (see
/// [`crate::canon::MAX_EXPR_OPERATORS`]), at `place`.
pub(super) fn expression(text: &str, place: Located) -> Result<(), Located> {
    match crate::canon::too_complex(text) {
        Some(n) => Err(Located {
            message: format!(
                "the expression has about {n} operators; expressions are limited to {}",
                crate::canon::MAX_EXPR_OPERATORS
            ),
            ..place
        }),
        None => Ok(()),
    }
}

pub(super) fn line_of<T>(span: &Spanned<T>) -> Line {
    Some(span.referenced.line() as u32)
}

/// At the start of the line `line` (the first line when unknown).
fn at_line(line: Line, message: String) -> Located {
    Located {
        line: line.unwrap_or(1),
        column: 1,
        message,
    }
}

pub(super) fn version(version: Option<&Spanned<u32>>) -> Result<(), Located> {
    match version {
        Some(v) if v.value != 1 => Err(at(
            v,
            format!(
                "unsupported version {}; this schemagate reads version 1",
                v.value
            ),
        )),
        _ => Ok(()),
    }
}

/// The `safety:` section: known rule ids, each once, with a known severity.
pub(super) fn safety(
    entries: super::document::Entries<Spanned<String>>,
) -> Result<std::collections::BTreeMap<crate::hazard::SafetyRule, crate::hazard::Severity>, Located>
{
    let mut out = std::collections::BTreeMap::new();
    for (rule, severity) in entries.0 {
        let r: crate::hazard::SafetyRule = rule.value.parse().map_err(|e| at(&rule, e))?;
        let s = severity.value.parse().map_err(|e| at(&severity, e))?;
        if out.insert(r, s).is_some() {
            return Err(at(&rule, format!("rule `{r}` is set twice")));
        }
    }
    Ok(out)
}

/// The `schemas:` key is required: a file without it is more likely a
/// mistake than a declaration of an empty database.
pub(super) fn schemas_declared<T>(schemas: Option<T>) -> Result<T, Located> {
    schemas.ok_or_else(|| Located {
        line: 1,
        column: 1,
        message: "no `schemas:` key: the file declares nothing (write `schemas: {}` for an empty database)".into(),
    })
}

/// An `ignore_kinds` entry names a kind that can be listed as not compared.
pub(super) fn ignore_kind(kind: &Spanned<String>) -> Result<String, Located> {
    let word = kind
        .value
        .trim()
        .to_ascii_lowercase()
        .replace([' ', '-'], "_");
    if UNCOVERED_KINDS.contains(&word.as_str()) {
        Ok(word)
    } else {
        Err(at(
            kind,
            format!(
                "unknown kind `{}` in ignore_kinds; one of: {}",
                kind.value,
                UNCOVERED_KINDS.join(", ")
            ),
        ))
    }
}

pub(super) fn sequence_increment(name: &Spanned<String>, increment: i64) -> Result<(), Located> {
    if increment == 0 {
        return Err(at(name, "sequence increment must not be zero"));
    }
    Ok(())
}

/// A function entry has a body, and its key is a signature.
pub(super) fn function<T>(key: &Spanned<String>, doc: Option<T>) -> Result<T, Located> {
    let Some(doc) = doc else {
        return Err(at(key, "a function needs `returns` and `language`"));
    };
    if !key.value.contains('(') || !key.value.ends_with(')') {
        return Err(at(
            key,
            format!(
                "function key `{}` must be a signature like `name(integer, text)`",
                key.value
            ),
        ));
    }
    Ok(doc)
}

/// `cost:` and `rows:` of a function, or their defaults: a positive cost;
/// rows only for a set-returning function, as in SQL.
pub(super) fn function_estimates(
    key: &Spanned<String>,
    returns: &str,
    language: &str,
    cost: Option<f64>,
    rows: Option<f64>,
) -> Result<(f64, f64), Located> {
    let cost = cost.unwrap_or_else(|| Function::default_cost(language));
    if !(cost > 0.0 && cost.is_finite()) {
        return Err(at(
            key,
            format!("cost must be a positive number, not {cost}"),
        ));
    }
    if rows.is_some() && !Function::returns_set(returns) {
        return Err(at(
            key,
            "rows is for a function that returns SETOF or TABLE",
        ));
    }
    let rows = rows.unwrap_or_else(|| Function::default_rows(returns));
    if Function::returns_set(returns) && !(rows > 0.0 && rows.is_finite()) {
        return Err(at(
            key,
            format!("rows must be a positive number, not {rows}"),
        ));
    }
    Ok((cost, rows))
}

/// `volatility:` and `parallel:` of a function, when given.
pub(super) fn function_words(
    key: &Spanned<String>,
    volatility: Option<&str>,
    parallel: Option<&str>,
) -> Result<(Volatility, Parallel), Located> {
    let volatility = match volatility {
        None => Volatility::Volatile,
        Some(v) => Volatility::parse(v).ok_or_else(|| {
            at(
                key,
                format!("unknown volatility `{v}`; one of: volatile, stable, immutable"),
            )
        })?,
    };
    let parallel = match parallel {
        None => Parallel::Unsafe,
        Some(p) => Parallel::parse(p).ok_or_else(|| {
            at(
                key,
                format!("unknown parallel `{p}`; one of: unsafe, restricted, safe"),
            )
        })?,
    };
    Ok((volatility, parallel))
}

/// `replica_identity:` as the model keeps it: `default`, `full`,
/// `nothing` or `index NAME` (`using index NAME` is read the same).
pub(super) fn replica_identity(value: Option<&Spanned<String>>) -> Result<String, Located> {
    let Some(span) = value else {
        return Ok("default".into());
    };
    let text = span.value.trim();
    let lower = text.to_ascii_lowercase();
    for prefix in ["using index ", "index "] {
        if lower.starts_with(prefix) {
            return Ok(format!("index {}", text[prefix.len()..].trim()));
        }
    }
    match lower.as_str() {
        "default" | "full" | "nothing" => Ok(lower),
        _ => Err(at(
            span,
            format!(
                "unknown replica_identity `{text}`; one of: default, full, nothing, index NAME"
            ),
        )),
    }
}

/// The kinds of extended statistics, sorted; all three when not given.
pub(super) fn statistics_kinds(
    name: &Spanned<String>,
    kinds: Option<Vec<String>>,
) -> Result<Vec<String>, Located> {
    let Some(kinds) = kinds else {
        return Ok(crate::model::Statistics::all_kinds());
    };
    let mut out = Vec::new();
    for k in kinds {
        let k = k.trim().to_ascii_lowercase();
        if !matches!(k.as_str(), "ndistinct" | "dependencies" | "mcv") {
            return Err(at(
                name,
                format!("unknown statistics kind `{k}`; one of: ndistinct, dependencies, mcv"),
            ));
        }
        out.push(k);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// What extended statistics are on: a column or an expression at least
/// (the server needs two, or one expression; that is its rule to give).
pub(super) fn statistics_targets(
    name: &Spanned<String>,
    columns: &[String],
    expressions: &[String],
) -> Result<(), Located> {
    if columns.is_empty() && expressions.is_empty() {
        return Err(at(
            name,
            format!(
                "statistics `{}` need `columns`, `expressions` or both",
                name.value
            ),
        ));
    }
    if let Some(e) = expressions.iter().find(|e| e.trim().is_empty()) {
        return Err(at(
            name,
            format!("statistics `{}`: an empty expression `{e}`", name.value),
        ));
    }
    Ok(())
}

pub(super) fn primary_key_columns(line: Line, columns: &[String]) -> Result<(), Located> {
    if columns.is_empty() {
        return Err(at_line(
            line,
            "primary_key needs at least one column".into(),
        ));
    }
    Ok(())
}

pub(super) fn identity(
    column: &Spanned<String>,
    text: Option<&str>,
) -> Result<Option<Identity>, Located> {
    match text.map(|s| s.trim().to_ascii_lowercase()) {
        None => Ok(None),
        Some(s) if s == "always" => Ok(Some(Identity::Always)),
        Some(s) if s == "by_default" || s == "by default" => Ok(Some(Identity::ByDefault)),
        Some(other) => Err(at(
            column,
            format!(
                "column `{}`: identity must be `always` or `by_default`, not `{other}`",
                column.value
            ),
        )),
    }
}

/// The server makes primary key, identity and serial columns NOT NULL
/// whatever the file says, so the file may not say otherwise.
pub(super) fn not_nullable(
    column: &Spanned<String>,
    nullable: Option<bool>,
    implied_not_null: bool,
) -> Result<(), Located> {
    if nullable == Some(true) && implied_not_null {
        return Err(at(column, format!("column `{}` cannot be nullable: it is part of the primary key, an identity or a serial", column.value)));
    }
    Ok(())
}

/// `not_null:` on a column declared `nullable: true`.
pub(super) fn not_null_on_nullable(
    column: &Spanned<String>,
    nullable: Option<bool>,
    implied_not_null: bool,
) -> Result<(), Located> {
    if nullable == Some(true) && !implied_not_null {
        return Err(at(
            column,
            format!(
                "column `{}`: `not_null` describes a NOT NULL constraint, but the column is `nullable: true`",
                column.value
            ),
        ));
    }
    Ok(())
}

/// `generated: {kind: ...}`: `stored` (the default) or `virtual`.
pub(super) fn generated_kind(
    column: &Spanned<String>,
    kind: Option<&str>,
) -> Result<GeneratedKind, Located> {
    match kind {
        None => Ok(GeneratedKind::Stored),
        Some(text) => GeneratedKind::parse(text).ok_or_else(|| {
            at(
                column,
                format!(
                    "column `{}`: generated kind `{text}` is not `stored` or `virtual`",
                    column.value
                ),
            )
        }),
    }
}

pub(super) fn serial_without_default(
    column: &Spanned<String>,
    has_default: bool,
) -> Result<(), Located> {
    if has_default {
        return Err(at(
            column,
            format!(
                "column `{}`: a serial column has its own default",
                column.value
            ),
        ));
    }
    Ok(())
}

/// Every column a constraint names is declared (unless the table declares
/// no columns at all).
pub(super) fn declared(
    table: &str,
    columns: &[Column],
    named: &[String],
    line: Line,
    what: &str,
) -> Result<(), Located> {
    for col in named {
        if !columns.iter().any(|c| &c.name == col) && !columns.is_empty() {
            return Err(at_line(
                line,
                format!("{what} names column `{col}`, which table `{table}` does not declare"),
            ));
        }
    }
    Ok(())
}

pub(super) fn fk_action<T>(
    fk: &Spanned<T>,
    text: Option<&str>,
    what: &str,
) -> Result<FkAction, Located> {
    match text {
        None => Ok(FkAction::NoAction),
        Some(t) => FkAction::parse(t).ok_or_else(|| {
            at(fk, format!("{what}: `{t}` is not one of no action, restrict, cascade, set null, set default"))
        }),
    }
}

/// `set null (a, "B")` -> (`set null`, [a, B]): the columns an ON DELETE
/// action sets (PostgreSQL 15). A quoted name is unquoted; an unquoted one is
/// taken as written, as column names are everywhere in the file.
pub(super) fn split_set_columns<T>(
    fk: &Spanned<T>,
    text: Option<&str>,
) -> Result<(Option<String>, Vec<String>), Located> {
    let Some(text) = text else {
        return Ok((None, Vec::new()));
    };
    let Some(open) = text.find('(') else {
        return Ok((Some(text.to_string()), Vec::new()));
    };
    let bad = || {
        at(
            fk,
            format!("on_delete: `{text}` is not an action with a list of columns, like `set null (a, b)`"),
        )
    };
    let inner = text[open + 1..].trim_end();
    let inner = inner.strip_suffix(')').ok_or_else(bad)?;
    let mut columns = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut name = String::new();
        if chars.next_if_eq(&'"').is_some() {
            loop {
                match chars.next() {
                    Some('"') if chars.next_if_eq(&'"').is_some() => name.push('"'),
                    Some('"') => break,
                    Some(c) => name.push(c),
                    None => return Err(bad()),
                }
            }
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
        } else {
            while let Some(c) = chars.next_if(|c| *c != ',') {
                name.push(c);
            }
            name = name.trim_end().to_string();
        }
        if name.is_empty() {
            return Err(bad());
        }
        columns.push(name);
        match chars.next() {
            None => break,
            Some(',') => {}
            Some(_) => return Err(bad()),
        }
    }
    Ok((Some(text[..open].trim().to_string()), columns))
}

pub(super) fn fk_arity(line: Line, columns: usize, references: usize) -> Result<(), Located> {
    if columns != references {
        return Err(at_line(
            line,
            format!("foreign key has {columns} column(s) but references {references}"),
        ));
    }
    Ok(())
}

pub(super) fn index_keys<T>(index: &Spanned<T>, keys: usize) -> Result<(), Located> {
    if keys == 0 {
        return Err(at(
            index,
            "an index needs at least one column or expression",
        ));
    }
    Ok(())
}

/// Trigger and policy names are unique within their table; `what` names the kind.
pub(super) fn unique_name<T>(
    seen: &mut BTreeSet<String>,
    item: &Spanned<T>,
    name: &str,
    what: &str,
) -> Result<(), Located> {
    if !seen.insert(name.to_string()) {
        return Err(at(item, format!("duplicate {what} name `{name}`")));
    }
    Ok(())
}

/// The timing, lower-cased.
pub(super) fn trigger_timing<T>(trigger: &Spanned<T>, timing: &str) -> Result<String, Located> {
    let normal = timing.trim().to_ascii_lowercase();
    if !matches!(normal.as_str(), "before" | "after" | "instead of") {
        return Err(at(
            trigger,
            format!("trigger timing must be before, after or instead of, not `{timing}`"),
        ));
    }
    Ok(normal)
}

/// A column's `sequence:` options over the defaults for its type; only an
/// identity or serial column has a sequence of its own.
pub(super) fn owned_sequence(
    column: &Spanned<String>,
    data_type: &str,
    has_sequence: bool,
    doc: crate::expected::document::OwnedSequenceDoc,
) -> Result<crate::model::OwnedSequence, Located> {
    if !has_sequence {
        return Err(at(
            column,
            "sequence: is for an identity or serial column (one whose default is nextval(...))",
        ));
    }
    let increment = doc.increment.unwrap_or(1);
    if increment == 0 {
        return Err(at(column, "sequence: increment must not be zero"));
    }
    let base = crate::canon::serial_type(data_type)
        .map(str::to_string)
        .unwrap_or_else(|| crate::canon::canonical_type(data_type));
    let mut s = crate::model::Sequence::with_defaults(&base, increment);
    s.min_value = doc.min_value.unwrap_or(s.min_value);
    s.max_value = doc.max_value.unwrap_or(s.max_value);
    s.start = doc.start.unwrap_or(if increment > 0 {
        s.min_value
    } else {
        s.max_value
    });
    s.cache = doc.cache.unwrap_or(1);
    s.cycle = doc.cycle;
    Ok(crate::model::OwnedSequence {
        name: None,
        options: s,
    })
}

/// One of `words` (any case), lower-cased, for a column's `what:`.
pub(super) fn column_word(
    column: &Spanned<String>,
    value: Option<String>,
    what: &str,
    words: &[&str],
) -> Result<Option<String>, Located> {
    let Some(value) = value else {
        return Ok(None);
    };
    let lower = value.trim().to_ascii_lowercase();
    if words.contains(&lower.as_str()) {
        Ok(Some(lower))
    } else {
        Err(at(
            column,
            format!("{what}: `{value}` is not one of {}", words.join(", ")),
        ))
    }
}

/// A trigger's or rule's `enabled:`: true when omitted.
pub(super) fn firing<T>(item: &Spanned<T>, text: Option<&str>) -> Result<Firing, Located> {
    match text {
        None => Ok(Firing::Origin),
        Some(t) => Firing::parse(t).ok_or_else(|| {
            at(
                item,
                format!("enabled: `{t}` is not one of true, false, replica, always"),
            )
        }),
    }
}

/// The level, lower-cased; `statement` when omitted, as in SQL.
pub(super) fn trigger_level<T>(
    trigger: &Spanned<T>,
    level: Option<&str>,
) -> Result<String, Located> {
    let level = level.unwrap_or("statement").trim().to_ascii_lowercase();
    if !matches!(level.as_str(), "row" | "statement") {
        return Err(at(
            trigger,
            format!("trigger level must be row or statement, not `{level}`"),
        ));
    }
    Ok(level)
}

/// The command, lower-cased; `all` when omitted, as in SQL.
pub(super) fn policy_command<T>(
    policy: &Spanned<T>,
    command: Option<&str>,
) -> Result<String, Located> {
    let command = command.unwrap_or("all").trim().to_ascii_lowercase();
    if !matches!(
        command.as_str(),
        "all" | "select" | "insert" | "update" | "delete"
    ) {
        return Err(at(
            policy,
            format!(
                "policy command must be all, select, insert, update or delete, not `{command}`"
            ),
        ));
    }
    Ok(command)
}
