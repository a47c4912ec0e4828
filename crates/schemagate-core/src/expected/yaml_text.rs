//! YAML text for the writer: scalars that read back as the same string,
//! flow maps and lists, block scalars. A leaf: the writer and the
//! privileges collector both build on it.

use std::fmt::Write as _;

/// An entry's fields, in the order they are written.
pub(super) type Fields = Vec<(&'static str, String)>;

/// Multi-line text as a literal block scalar whose lines are indented by
/// `indent` spaces (the indentation indicator keeps a first line that
/// starts with spaces); a double-quoted scalar when a block cannot hold it
/// exactly (carriage returns, other control characters) or it is one line.
pub(super) fn block_text(text: &str, indent: usize) -> String {
    let blockable = text.contains('\n')
        && !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t');
    if !blockable {
        return scalar(text);
    }
    // Keep leading and trailing line breaks out: `|2-` drops the final ones.
    let trimmed = text.trim_matches('\n');
    let mut out = String::from("|2-");
    for line in trimmed.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&" ".repeat(indent));
            out.push_str(line);
        }
    }
    out
}

pub(super) fn flow_map(fields: &[(&str, String)]) -> String {
    let inner: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("{{{}}}", inner.join(", "))
}

/// `reloptions` as a flow mapping, each value in its canonical spelling
/// (`{fillfactor: "70", security_invoker: "true"}`).
pub(super) fn options_map(options: &std::collections::BTreeMap<String, String>) -> String {
    let canonical = crate::canon::reloptions(options);
    let inner: Vec<String> = canonical
        .iter()
        .map(|(k, v)| format!("{}: {}", key(k), scalar(v)))
        .collect();
    format!("{{{}}}", inner.join(", "))
}

pub(super) fn flow_list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| scalar(s)).collect();
    format!("[{}]", inner.join(", "))
}

pub(super) fn key(text: &str) -> String {
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
