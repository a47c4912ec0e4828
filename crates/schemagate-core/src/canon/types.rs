//! Type names: canonical spelling of aliases (`int4`, `varchar(20)`,
//! `timestamptz`), the short spelling for YAML, and serial pseudo-types.

use sqlparser::ast::DataType;

use super::memo::{memoized, TYPE_CACHE};
use super::text::{collapse_whitespace, lower_outside_quotes};

/// Canonical spelling of a type name, matching what `format_type` prints
/// (with `search_path = public`): `int4` and `int` become `integer`,
/// `timestamptz` becomes `timestamp with time zone`, `varchar(20)` becomes
/// `character varying(20)`, and so on.
pub fn canonical_type(text: &str) -> String {
    memoized(&TYPE_CACHE, text, canonical_type_uncached)
}

fn canonical_type_uncached(text: &str) -> String {
    match result_form(text) {
        Some(ResultForm::SetOf(t)) => return format!("setof {}", canonical_type(t)),
        Some(ResultForm::Table(columns)) => {
            let columns: Vec<String> = columns
                .iter()
                .map(|(name, t)| format!("{} {}", name, canonical_type(t)))
                .collect();
            return format!("table({})", columns.join(", "));
        }
        None => {}
    }
    let mut s = lower_outside_quotes(&collapse_whitespace(text.trim()));
    let mut dims = 0;
    loop {
        let trimmed = s.trim_end();
        if let Some(rest) = trimmed.strip_suffix(']') {
            if let Some(open) = rest.rfind('[') {
                s = rest[..open].trim_end().to_string();
                dims += 1;
                continue;
            }
        }
        if let Some(rest) = trimmed.strip_suffix(" array") {
            s = rest.to_string();
            dims += 1;
            continue;
        }
        break;
    }
    // A type modifier may sit in the middle (`timestamp(3) with time zone`).
    let mut modifier = None;
    if let (Some(open), Some(close)) = (s.find('('), s.rfind(')')) {
        if open < close && !s.starts_with('"') {
            let inner: String = s[open + 1..close]
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            modifier = Some(inner);
            s = format!("{} {}", s[..open].trim_end(), s[close + 1..].trim_start());
            s = collapse_whitespace(s.trim());
        }
    }
    let s = s.strip_prefix("public.").unwrap_or(&s).to_string();
    let s = s.strip_prefix("pg_catalog.").unwrap_or(&s).to_string();
    let (base, modifier) = match s.as_str() {
        "int" | "int4" | "integer" | "serial" | "serial4" => ("integer", modifier),
        "int2" | "smallint" | "smallserial" | "serial2" => ("smallint", modifier),
        "int8" | "bigint" | "bigserial" | "serial8" => ("bigint", modifier),
        "float4" | "real" => ("real", None),
        "float8" | "double precision" => ("double precision", None),
        "float" => match modifier.as_deref().and_then(|m| m.parse::<u32>().ok()) {
            Some(p) if p <= 24 => ("real", None),
            _ => ("double precision", None),
        },
        "bool" | "boolean" => ("boolean", modifier),
        "varchar" | "character varying" | "char varying" => ("character varying", modifier),
        "char" | "character" | "bpchar" => (
            "character",
            if s == "bpchar" {
                modifier
            } else {
                modifier.or(Some("1".into()))
            },
        ),
        "decimal" | "numeric" | "dec" => ("numeric", modifier),
        "timestamp" | "timestamp without time zone" => ("timestamp", modifier),
        "timestamptz" | "timestamp with time zone" => ("timestamptz", modifier),
        "time" | "time without time zone" => ("time", modifier),
        "timetz" | "time with time zone" => ("timetz", modifier),
        "varbit" | "bit varying" => ("bit varying", modifier),
        "bit" => ("bit", modifier.or(Some("1".into()))),
        other => return finish_type(other, modifier, dims),
    };
    // Time types carry the modifier before the time-zone words.
    let spelled = match base {
        "timestamp" => zone_type("timestamp", modifier, "without"),
        "timestamptz" => zone_type("timestamp", modifier, "with"),
        "time" => zone_type("time", modifier, "without"),
        "timetz" => zone_type("time", modifier, "with"),
        _ => return finish_type(base, modifier, dims),
    };
    finish_type(&spelled, None, dims)
}

fn zone_type(base: &str, modifier: Option<String>, with: &str) -> String {
    match modifier {
        Some(m) => format!("{base}({m}) {with} time zone"),
        None => format!("{base} {with} time zone"),
    }
}

fn finish_type(base: &str, modifier: Option<String>, dims: usize) -> String {
    let mut out = base.to_string();
    if let Some(m) = modifier {
        out.push('(');
        out.push_str(&m);
        out.push(')');
    }
    for _ in 0..dims.min(1) {
        out.push_str("[]");
    }
    out
}

/// The short spelling people write for a type (`varchar(255)`,
/// `timestamptz`), used when writing YAML; always equal in canonical form.
pub fn pretty_type(text: &str) -> String {
    match result_form(text) {
        Some(ResultForm::SetOf(t)) => return format!("SETOF {}", pretty_type(t)),
        Some(ResultForm::Table(columns)) => {
            let columns: Vec<String> = columns
                .iter()
                .map(|(name, t)| format!("{} {}", crate::model::quote_ident(name), pretty_type(t)))
                .collect();
            return format!("TABLE({})", columns.join(", "));
        }
        None => {}
    }
    let canonical = canonical_type(text);
    let (base, array) = match canonical.strip_suffix("[]") {
        Some(b) => (b, "[]"),
        None => (canonical.as_str(), ""),
    };
    let short = if let Some(m) = base.strip_prefix("character varying") {
        format!("varchar{m}")
    } else if let Some(m) = base.strip_prefix("character(") {
        format!("char({m}")
    } else if base == "timestamp with time zone" {
        "timestamptz".to_string()
    } else if let Some(rest) = base.strip_prefix("timestamp(") {
        match rest.strip_suffix(") with time zone") {
            Some(p) => format!("timestamptz({p})"),
            None => base.to_string(),
        }
    } else {
        base.to_string()
    };
    let pretty = format!("{short}{array}");
    if canonical_type(&pretty) == canonical {
        pretty
    } else {
        text.to_string()
    }
}

/// A function's result that is not one type: `SETOF t`, or `TABLE(a t, ...)`
/// with each column's name (unquoted, as SQL reads it) and type.
enum ResultForm<'a> {
    SetOf(&'a str),
    Table(Vec<(String, &'a str)>),
}

fn result_form(text: &str) -> Option<ResultForm<'_>> {
    let t = text.trim();
    let word = |w: &str| {
        t.len() > w.len()
            && t[..w.len()].eq_ignore_ascii_case(w)
            && t[w.len()..].starts_with(|c: char| c.is_whitespace() || c == '(')
    };
    if word("setof") {
        return Some(ResultForm::SetOf(t[5..].trim()));
    }
    if !word("table") {
        return None;
    }
    let inner = t[5..].trim_start().strip_prefix('(')?.strip_suffix(')')?;
    let mut columns = Vec::new();
    for column in split_columns(inner) {
        let column = column.trim();
        let (name, rest) = if let Some(quoted) = column.strip_prefix('"') {
            // "My ""Col"" name" type
            let mut name = String::new();
            let mut chars = quoted.char_indices().peekable();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                if c == '"' {
                    if chars.peek().map(|(_, c)| *c) == Some('"') {
                        chars.next();
                        name.push('"');
                    } else {
                        end = Some(i + 1);
                        break;
                    }
                } else {
                    name.push(c);
                }
            }
            (name, &quoted[end?..])
        } else {
            let at = column.find(char::is_whitespace)?;
            (column[..at].to_lowercase(), &column[at..])
        };
        let rest = rest.trim();
        if rest.is_empty() {
            return None;
        }
        columns.push((name, rest));
    }
    Some(ResultForm::Table(columns))
}

/// Splits on commas outside parentheses and double quotes.
fn split_columns(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0);
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Whether `text` names a serial pseudo-type (which implies a sequence default).
pub fn serial_type(text: &str) -> Option<&'static str> {
    match text.trim().to_ascii_lowercase().as_str() {
        "serial" | "serial4" => Some("integer"),
        "bigserial" | "serial8" => Some("bigint"),
        "smallserial" | "serial2" => Some("smallint"),
        _ => None,
    }
}

/// Whether two type names mean the same: equal text, or equal canonical forms.
pub fn same_type(a: &str, b: &str) -> bool {
    a == b || canonical_type(a) == canonical_type(b)
}

pub(super) fn is_numeric_type(data_type: &DataType) -> bool {
    let spelled = canonical_type(&data_type.to_string());
    matches!(
        spelled.as_str(),
        "integer" | "smallint" | "bigint" | "real" | "double precision"
    ) || spelled.starts_with("numeric")
}
