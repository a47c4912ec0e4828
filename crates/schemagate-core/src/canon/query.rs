//! View queries: canonical expressions, and column references without the
//! table qualifier the server adds when the query reads a single table.

use std::ops::ControlFlow;

use sqlparser::ast::{Expr, ObjectNamePart, VisitMut, VisitorMut};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::expr::{canonical_ident, Canonicalizer};
use super::text::collapse_whitespace;

/// Canonical form of a view's query: expressions as in [`canonical_expr`](super::expr::canonical_expr),
/// and, when the query reads a single table, column references without the
/// table qualifier the server adds (`customers.id` -> `id`). Text that does
/// not parse as one query is compared with its white space collapsed.
pub fn canonical_query(text: &str) -> String {
    let dialect = PostgreSqlDialect {};
    let trimmed = text.trim().trim_end_matches(';');
    let Ok(mut statements) = Parser::parse_sql(&dialect, trimmed) else {
        return collapse_whitespace(trimmed);
    };
    if statements.len() != 1 {
        return collapse_whitespace(trimmed);
    }
    let mut statement = statements.remove(0);
    let _ = statement.visit(&mut Canonicalizer {
        column_casts: false,
    });
    if let sqlparser::ast::Statement::Query(query) = &statement {
        if let Some(qualifiers) = single_table_qualifiers(query) {
            let _ = statement.visit(&mut StripQualifiers(qualifiers));
        }
    }
    statement.to_string()
}

/// The names a lone table in FROM can be referred to by (name and alias).
fn single_table_qualifiers(query: &sqlparser::ast::Query) -> Option<Vec<String>> {
    use sqlparser::ast::{SetExpr, TableFactor};
    let SetExpr::Select(select) = query.body.as_ref() else {
        return None;
    };
    let [from] = select.from.as_slice() else {
        return None;
    };
    if !from.joins.is_empty() {
        return None;
    }
    let TableFactor::Table { name, alias, .. } = &from.relation else {
        return None;
    };
    let mut names = Vec::new();
    if let Some(ObjectNamePart::Identifier(last)) = name.0.last() {
        names.push(canonical_ident(last.clone()).value);
    }
    if let Some(alias) = alias {
        names.push(canonical_ident(alias.name.clone()).value);
    }
    Some(names)
}

struct StripQualifiers(Vec<String>);

impl VisitorMut for StripQualifiers {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Expr::CompoundIdentifier(parts) = expr {
            if parts.len() == 2 && self.0.contains(&parts[0].value) {
                *expr = Expr::Identifier(parts[1].clone());
            }
        }
        ControlFlow::Continue(())
    }
}
