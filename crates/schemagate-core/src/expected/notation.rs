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

/// Where ` COLLATE ` starts outside parentheses and quotes, if it does:
/// `name COLLATE "C"` has one, `(name COLLATE "C")` and `lower(x COLLATE "C")`
/// do not (the collation is the expression's there).
pub fn top_level_collate(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0i32;
    let mut quote: Option<u8> = None;
    let mut found = None;
    for (i, &b) in bytes.iter().enumerate() {
        if let Some(q) = quote {
            if b == q {
                quote = None;
            }
            continue;
        }
        match b {
            b'"' | b'\'' => quote = Some(b),
            b'(' => depth += 1,
            b')' => depth -= 1,
            b' ' if depth == 0
                && bytes.len() >= i + 9
                && text[i..i + 9].eq_ignore_ascii_case(" COLLATE ") =>
            {
                found = Some(i);
            }
            _ => {}
        }
    }
    found
}

/// Parses `expr [COLLATE collation] [opclass] [ASC|DESC] [NULLS FIRST|LAST]`.
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
    let mut expression = words.join(" ");
    let mut collation = None;
    if let Some(at) = top_level_collate(&expression) {
        let name = expression[at + " COLLATE ".len()..].trim().to_string();
        if !name.is_empty() {
            collation = Some(name);
            expression.truncate(at);
        }
    }
    IndexKey {
        expression,
        collation,
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
        let k = parse_index_key("name COLLATE \"C\" text_pattern_ops DESC");
        assert_eq!(
            (
                k.expression.as_str(),
                k.collation.as_deref(),
                k.opclass.as_deref(),
                k.descending
            ),
            ("name", Some("\"C\""), Some("text_pattern_ops"), true)
        );
        assert_eq!(k.to_string(), "name COLLATE \"C\" text_pattern_ops DESC");
        let k = parse_index_key("(name COLLATE \"C\")");
        assert_eq!(
            (k.expression.as_str(), k.collation),
            ("(name COLLATE \"C\")", None)
        );
        let k = parse_index_key("lower(name) collate public.\"Case Blind\"");
        assert_eq!(k.collation.as_deref(), Some("public.\"Case Blind\""));
        use crate::model::canonical_collation;
        assert_eq!(canonical_collation("pg_catalog.\"C\""), "C");
        assert_eq!(canonical_collation("\"C\""), "C");
        assert_eq!(canonical_collation("C"), "c");
        assert_eq!(
            canonical_collation("Public.\"Case \"\"Blind\""),
            "public.Case \"Blind"
        );
        let k = parse_index_key("lower(name) NULLS FIRST");
        assert_eq!(
            (k.expression.as_str(), k.nulls_first),
            ("lower(name)", Some(true))
        );
    }
}
