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
        let columns: Vec<String> = row.get("columns");
        let options: Vec<i16> = row.get("options");
        let opclasses: Vec<String> = row.get("opclasses");
        let collations: Vec<String> = row.get("collations");
        let definition: Option<String> = row.get("definition");
        let elements = definition.as_deref().map(key_elements).unwrap_or_default();
        let keys = columns
            .iter()
            .take(key_count)
            .enumerate()
            .map(|(k, expr)| {
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
                    expression: expr.clone(),
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
            include: columns.iter().skip(key_count).cloned().collect(),
            predicate: row.get("predicate"),
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
}
