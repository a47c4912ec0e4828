//! How the expected file spells function signatures and index keys, read
//! into the forms the model compares.

use crate::canon::canonical_type;
use crate::model::IndexKey;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
