//! Indexes: key expressions with their operator classes and ordering,
//! included columns, predicates.

use postgres::Row;

use super::partial::Partial;
use crate::expected::top_level_collate;
use crate::model::{Index, IndexKey};

pub(super) const SQL: &str = include_str!("indexes.sql");

pub(super) fn assemble(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        let Some(indexes) = partial.indexes_of(row.get("table_oid")) else {
            continue;
        };
        let key_count = row.get::<_, i32>("key_count") as usize;
        // An expression key is NULL here: it is in the definition.
        let columns: Vec<Option<String>> = row.get("columns");
        let options: Vec<i16> = row.get("options");
        let opclasses: Vec<String> = row.get("opclasses");
        let collations: Vec<String> = row.get("collations");
        let definition: Option<String> = row.get("definition");
        let elements = definition.as_deref().map(key_elements).unwrap_or_default();
        let keys = columns
            .iter()
            .take(key_count)
            .enumerate()
            .map(|(k, column)| {
                let expr = match column {
                    Some(name) => name.clone(),
                    None => elements
                        .get(k)
                        .map(|e| leading_expression(e).to_string())
                        .unwrap_or_default(),
                };
                let option = options.get(k).copied().unwrap_or(0);
                // indoption bits: 1 = DESC, 2 = NULLS FIRST.
                let descending = option & 1 != 0;
                let nulls_first = option & 2 != 0;
                let collation = match collations.get(k).map(String::as_str) {
                    None | Some("") => None,
                    // An expression's: only when its definition says COLLATE.
                    Some(name) if name.starts_with('?') => elements
                        .get(k)
                        .and_then(|e| top_level_collate(e))
                        .map(|_| name[1..].to_string()),
                    Some(name) => Some(name.to_string()),
                };
                IndexKey {
                    expression: expr,
                    collation,
                    opclass: opclasses.get(k).filter(|o| !o.is_empty()).cloned(),
                    descending,
                    nulls_first: (nulls_first != descending).then_some(nulls_first),
                }
            })
            .collect();
        indexes.push(Index {
            line: None,
            name: row.get("name"),
            unique: row.get("indisunique"),
            method: row.get("method"),
            keys,
            // INCLUDE takes columns only, never expressions.
            include: columns.iter().skip(key_count).flatten().cloned().collect(),
            predicate: definition.as_deref().and_then(predicate),
            nulls_not_distinct: row.get("nulls_not_distinct"),
            options: super::relations::reloptions(row.get("reloptions")),
            valid: row.get("indisvalid"),
            comment: row.get("comment"),
        });
    }
}

/// The key list of `pg_get_indexdef`'s `CREATE INDEX ... USING m (a, b) ...`:
/// one text per key and INCLUDE-less element, split at the commas between
/// them (not those inside parentheses or quotes).
fn key_elements(definition: &str) -> Vec<String> {
    let mut elements = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut current = String::new();
    for c in definition.chars() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            if depth > 0 {
                current.push(c);
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '(' => {
                depth += 1;
                if depth == 1 {
                    continue;
                }
            }
            ')' => {
                depth -= 1;
                if depth == 0 {
                    elements.push(std::mem::take(&mut current).trim().to_string());
                    return elements;
                }
            }
            ',' if depth == 1 => {
                elements.push(std::mem::take(&mut current).trim().to_string());
                continue;
            }
            _ => {}
        }
        if depth > 0 {
            current.push(c);
        }
    }
    elements
}

/// The characters of `text` outside quoted names and literals, each with
/// its byte offset and the parenthesis depth after it.
fn unquoted(text: &str) -> impl Iterator<Item = (usize, char, i32)> + '_ {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    text.char_indices().filter_map(move |(i, c)| {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            return None;
        }
        match c {
            '"' | '\'' => {
                quote = Some(c);
                return None;
            }
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        Some((i, c, depth))
    })
}

/// An expression key as `pg_get_indexdef` prints it, without what follows
/// it in the key list (COLLATE, operator class, DESC, NULLS): a function
/// call or a parenthesized expression, so it ends where its first
/// parenthesis closes.
fn leading_expression(element: &str) -> &str {
    unquoted(element)
        .find(|&(_, c, depth)| c == ')' && depth == 0)
        .map_or(element.trim(), |(i, _, _)| &element[..=i])
}

/// A partial index's predicate: what follows the top-level `WHERE` after
/// the key list of `pg_get_indexdef`'s definition (the same deparse as
/// `pg_get_expr(indpred, indrelid, true)`).
fn predicate(definition: &str) -> Option<String> {
    let mut keys_seen = false;
    for (i, c, depth) in unquoted(definition) {
        match c {
            ')' if depth == 0 => keys_seen = true,
            ' ' if keys_seen && depth == 0 => {
                if let Some(rest) = definition[i..].strip_prefix(" WHERE ") {
                    return Some(rest.to_string());
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_elements_split_the_key_list_only() {
        assert_eq!(
            key_elements(
                "CREATE INDEX \"a (b, c)\" ON public.t USING btree (lower(x, 'a,b)') COLLATE \"C\", (y || z) DESC) INCLUDE (w) WHERE (x > 1)"
            ),
            ["lower(x, 'a,b)') COLLATE \"C\"", "(y || z) DESC"]
        );
        let e = key_elements("CREATE INDEX i ON t USING btree (lower(x) COLLATE public.\"Case Blind\" text_pattern_ops)");
        assert!(top_level_collate(&e[0]).is_some());
        let e = key_elements("CREATE INDEX i ON t USING btree (lower((x COLLATE \"C\")))");
        assert!(top_level_collate(&e[0]).is_none());
    }

    #[test]
    fn expressions_and_predicate_come_from_the_definition() {
        let def = "CREATE UNIQUE INDEX \"w WHERE (x)\" ON public.\"t (WHERE)\" USING btree (lower(x, 'a) WHERE (') COLLATE \"C\" text_pattern_ops DESC NULLS LAST, ((y || z)) , \"f(x)\"(a) varchar_ops) INCLUDE (\"WHERE q\") WITH (fillfactor='70') WHERE ((x > 'a WHERE b'::text) AND (y IS NOT NULL))";
        let e = key_elements(def);
        assert_eq!(leading_expression(&e[0]), "lower(x, 'a) WHERE (')");
        assert_eq!(leading_expression(&e[1]), "((y || z))");
        assert_eq!(leading_expression(&e[2]), "\"f(x)\"(a)");
        assert_eq!(
            predicate(def).as_deref(),
            Some("((x > 'a WHERE b'::text) AND (y IS NOT NULL))")
        );
        assert_eq!(
            predicate("CREATE INDEX i ON public.t USING btree (lower(x))"),
            None
        );
        assert_eq!(
            predicate("CREATE INDEX i ON public.t USING btree (a) WHERE active").as_deref(),
            Some("active")
        );
    }
}
