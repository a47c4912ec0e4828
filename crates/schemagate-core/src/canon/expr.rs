//! SQL expressions: the canonicaliser (a bottom-up visitor that rewrites
//! what the server adds or reorders), and the comparisons built on it.

use std::ops::ControlFlow;

use sqlparser::ast::{
    BinaryOperator, DataType, Expr, Ident, InTarget, ObjectNamePart, TrimWhereField, UnaryOperator,
    Value, VisitMut, VisitorMut,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::equivalences::{boolean_literal, now_as, same_function, value_function};
use super::memo::{memoized, EXPR_CACHE};
use super::text::collapse_whitespace;
use super::types::{canonical_type, is_numeric_type, pretty_type};

/// The canonical form of an expression when it reads back as itself (so a
/// written file compares equal), else the text as given.
pub fn pretty_expr(text: &str) -> String {
    let canonical = canonical_expr(text);
    if canonical_expr(&canonical) == canonical {
        canonical
    } else {
        text.to_string()
    }
}

/// An index key's expression as `snapshot` writes it: [`pretty_expr`], in
/// parentheses unless it is a column or a function call (as `CREATE INDEX`
/// wants it), so that `(id::text)` is never written as if it were `id`.
pub fn pretty_index_key(text: &str) -> String {
    let pretty = pretty_expr(text);
    // Text that does not parse whole is written as it is: wrapped, it would
    // read back as another text (`(lowe''r(email))` is not `lowe''r(email)`
    // to a comparison that cannot parse either).
    match parse_whole(&pretty) {
        Ok(Expr::Identifier(_) | Expr::CompoundIdentifier(_) | Expr::Function(_)) | Err(_) => {
            pretty
        }
        Ok(_) => format!("({pretty})"),
    }
}

/// `text` parsed as one expression, all of it: trailing tokens mean it was
/// not understood.
fn parse_whole(text: &str) -> Result<Expr, sqlparser::parser::ParserError> {
    Parser::new(&PostgreSqlDialect {})
        .try_with_sql(text)
        .and_then(|mut p| {
            let expr = p.parse_expr()?;
            if p.peek_token().token != sqlparser::tokenizer::Token::EOF {
                return Err(sqlparser::parser::ParserError::ParserError(
                    "trailing input".into(),
                ));
            }
            Ok(expr)
        })
}

/// Canonical form of a SQL expression (default, CHECK, index key or
/// predicate, generated column, policy expression).
///
/// Parses the expression and rewrites what the server adds or reorders:
/// casts of literals and columns, redundant parentheses, `= ANY (ARRAY[..])`
/// for `IN (..)`, `BETWEEN`, `LIKE` as `~~`, identifier case and quoting.
/// Grouping is re-added uniformly, so precedence still counts. Text that does
/// not parse is compared with its white space collapsed.
pub fn canonical_expr(text: &str) -> String {
    memoized(&EXPR_CACHE, text, canonical_expr_uncached)
}

/// Whether two expressions mean the same: equal text, or equal canonical forms.
pub fn same_expr(a: &str, b: &str) -> bool {
    a == b || canonical_expr(a) == canonical_expr(b)
}

/// Whether two defaults mean the same, each with its column's type at
/// hand (see [`typed_default`]).
pub fn same_default(a: &str, a_type: &str, b: &str, b_type: &str) -> bool {
    a == b || same_expr(&typed_default(a, a_type), &typed_default(b, b_type))
}

/// A default with its column's (or domain's) type at hand: on a `boolean`
/// a quoted literal that `boolin` reads (`'yes'`, `'on'`, `'1'`, `'off'`)
/// is the boolean it means, which is what the server stores (`true`,
/// `false`). Any other default, or any other type, comes back as it is.
pub fn typed_default<'a>(text: &'a str, data_type: &str) -> std::borrow::Cow<'a, str> {
    use std::borrow::Cow;
    if canonical_type(data_type) != "boolean" {
        return Cow::Borrowed(text);
    }
    let mut expr = match parse_whole(text) {
        Ok(expr) => expr,
        Err(_) => return Cow::Borrowed(text),
    };
    while let Expr::Nested(inner) = expr {
        expr = *inner;
    }
    match &expr {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => match boolean_literal(s) {
                Some(b) => Cow::Owned(b.to_string()),
                None => Cow::Borrowed(text),
            },
            _ => Cow::Borrowed(text),
        },
        _ => Cow::Borrowed(text),
    }
}

/// Expressions with more operators than this are not parsed: the parse
/// tree of `0+0+…+0` is as deep as it is long, and walking, printing or
/// dropping a tree 100,000 levels deep overflows the stack. No real
/// expression comes near it; the expected-file loader refuses longer ones.
pub const MAX_EXPR_OPERATORS: usize = 1_000;

/// How many operators `text` holds, roughly (operator characters and `(`,
/// and the words AND, OR and NOT), when more than [`MAX_EXPR_OPERATORS`].
pub fn too_complex(text: &str) -> Option<usize> {
    let symbols = text
        .bytes()
        .filter(|b| b"+-*/%^<>=|&~!#@(".contains(b))
        .count();
    let words = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| {
            w.eq_ignore_ascii_case("and")
                || w.eq_ignore_ascii_case("or")
                || w.eq_ignore_ascii_case("not")
        })
        .count();
    let n = symbols + words;
    (n > MAX_EXPR_OPERATORS).then_some(n)
}

fn canonical_expr_uncached(text: &str) -> String {
    if too_complex(text).is_some() {
        return collapse_whitespace(text.trim());
    }
    match parse_whole(text) {
        Ok(mut expr) => {
            let _ = expr.visit(&mut Canonicalizer { column_casts: true });
            expr.to_string()
        }
        Err(_) => collapse_whitespace(text.trim()),
    }
}

/// Bottom-up rewriter: children are canonical when a parent is visited.
pub(super) struct Canonicalizer {
    /// Whether a cast of a column is kept (it is meaning). In a view's
    /// query the columns' types are not at hand to tell the casts the
    /// server adds from the others, so there all casts of columns go.
    pub(super) column_casts: bool,
}

impl VisitorMut for Canonicalizer {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        let taken = std::mem::replace(expr, Expr::value(Value::Null));
        *expr = match taken {
            Expr::Cast { expr: inner, .. }
                if !self.column_casts
                    && matches!(
                        inner.as_ref(),
                        Expr::Identifier(_) | Expr::CompoundIdentifier(_)
                    ) =>
            {
                *inner
            }
            other => rewrite(other),
        };
        ControlFlow::Continue(())
    }
}

fn rewrite(expr: Expr) -> Expr {
    match expr {
        Expr::Nested(inner) => *inner,
        // Some of SQL's parameterless functions parse as names.
        Expr::Identifier(ident) if ident.quote_style.is_none() => {
            match value_function(&ident.value.to_ascii_lowercase()) {
                Some(function) => fixed(function),
                None => Expr::Identifier(canonical_ident(ident)),
            }
        }
        Expr::Identifier(ident) => Expr::Identifier(canonical_ident(ident)),
        Expr::CompoundIdentifier(parts) => {
            Expr::CompoundIdentifier(parts.into_iter().map(canonical_ident).collect())
        }
        Expr::Cast {
            expr: inner,
            data_type,
            kind,
            format,
        } => match *inner {
            // A quoted number cast to a numeric type is that number:
            // the server prints `DEFAULT -1` as `'-1'::integer`.
            Expr::Value(v) if is_numeric_type(&data_type) => match &v.value {
                Value::SingleQuotedString(s) if s.trim().parse::<f64>().is_ok() => {
                    Expr::value(Value::Number(s.trim().to_string(), false))
                }
                _ => Expr::Value(v),
            },
            // `'t'::boolean` is `true`.
            Expr::Value(v) if canonical_type(&data_type.to_string()) == "boolean" => {
                match &v.value {
                    Value::SingleQuotedString(s) => match boolean_literal(s) {
                        Some(b) => Expr::value(Value::Boolean(b)),
                        None => Expr::Value(v),
                    },
                    _ => Expr::Value(v),
                }
            }
            // `('now'::text)::date` is how older servers print CURRENT_DATE
            // (and the like): the cast of a text runs at each evaluation.
            Expr::Value(v) if matches!(&v.value, Value::SingleQuotedString(s) if s.trim().eq_ignore_ascii_case("now")) => {
                match now_as(&canonical_type(&data_type.to_string())) {
                    Some(function) => fixed(function),
                    None => Expr::Value(v),
                }
            }
            // An empty array of any type: `ARRAY[]::text[]` is `'{}'::text[]`;
            // both are written `'{}'`, which is valid SQL where the type is
            // known (a default, a comparison with a column).
            Expr::Array(array) if array.elem.is_empty() => {
                Expr::value(Value::SingleQuotedString("{}".into()))
            }
            // A literal's cast: the server adds it to every literal (the
            // literal is of type `unknown`, coerced to its context).
            inner @ (Expr::Value(_) | Expr::Array(_) | Expr::TypedString { .. }) => inner,
            // Any other cast, a column's included, is meaning:
            // `(id::text)` is not `id`. The casts the server adds to columns
            // are dropped beforehand with the column types at hand
            // (`casts::drop_server_casts`).
            inner => Expr::Cast {
                expr: Box::new(group(inner)),
                // One spelling per type: `::varchar` and `::character varying`.
                data_type: DataType::Custom(
                    sqlparser::ast::ObjectName::from(vec![Ident::new(pretty_type(
                        &data_type.to_string(),
                    ))]),
                    vec![],
                ),
                kind,
                format,
            },
        },
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr: inner,
        } => match *inner {
            Expr::Value(v) => match v.value {
                Value::Number(n, long) if !n.starts_with('-') => {
                    Expr::value(Value::Number(format!("-{n}"), long))
                }
                other => Expr::UnaryOp {
                    op: UnaryOperator::Minus,
                    expr: Box::new(Expr::value(other)),
                },
            },
            inner => Expr::UnaryOp {
                op: UnaryOperator::Minus,
                expr: Box::new(group(inner)),
            },
        },
        Expr::UnaryOp { op, expr: inner } => Expr::UnaryOp {
            op,
            expr: Box::new(group(*inner)),
        },
        Expr::AnyOp {
            left,
            compare_op,
            right,
            is_some,
        } => match (&compare_op, *right) {
            (BinaryOperator::Eq, Expr::Array(array)) => in_list(*left, array.elem, false),
            (_, right) => Expr::AnyOp {
                left: Box::new(group(*left)),
                compare_op,
                right: Box::new(right),
                is_some,
            },
        },
        Expr::AllOp {
            left,
            compare_op,
            right,
        } => match (&compare_op, *right) {
            (BinaryOperator::NotEq, Expr::Array(array)) => in_list(*left, array.elem, true),
            (_, right) => Expr::AllOp {
                left: Box::new(group(*left)),
                compare_op,
                right: Box::new(right),
            },
        },
        Expr::In {
            expr: inner,
            target: InTarget::List(list),
            negated,
            global: false,
        } => in_list(*inner, list, negated),
        Expr::Between {
            expr: inner,
            negated,
            low,
            high,
        } => {
            let (lo_op, hi_op, join) = if negated {
                (BinaryOperator::Lt, BinaryOperator::Gt, BinaryOperator::Or)
            } else {
                (
                    BinaryOperator::GtEq,
                    BinaryOperator::LtEq,
                    BinaryOperator::And,
                )
            };
            let lower = binary(*inner.clone(), lo_op, *low);
            let upper = binary(*inner, hi_op, *high);
            binary(lower, join, upper)
        }
        Expr::Like {
            negated,
            any: false,
            expr: inner,
            pattern,
            escape_char: None,
        } => {
            let op = if negated {
                BinaryOperator::PGNotLikeMatch
            } else {
                BinaryOperator::PGLikeMatch
            };
            binary(*inner, op, *pattern)
        }
        Expr::ILike {
            negated,
            any: false,
            expr: inner,
            pattern,
            escape_char: None,
        } => {
            let op = if negated {
                BinaryOperator::PGNotILikeMatch
            } else {
                BinaryOperator::PGILikeMatch
            };
            binary(*inner, op, *pattern)
        }
        Expr::BinaryOp { left, op, right } => binary(*left, op, *right),
        Expr::IsNull(inner) => Expr::IsNull(Box::new(group(*inner))),
        Expr::IsNotNull(inner) => Expr::IsNotNull(Box::new(group(*inner))),
        Expr::IsTrue(inner) => Expr::IsTrue(Box::new(group(*inner))),
        Expr::IsFalse(inner) => Expr::IsFalse(Box::new(group(*inner))),
        Expr::Function(mut f) => {
            for part in f.name.0.iter_mut() {
                if let ObjectNamePart::Identifier(ident) = part {
                    *ident = canonical_ident(ident.clone());
                }
            }
            // The server qualifies nothing in `public` (our search_path) and
            // nothing in pg_catalog.
            if f.name.0.len() == 2 {
                if let ObjectNamePart::Identifier(schema) = &f.name.0[0] {
                    if schema.value == "pg_catalog" || schema.value == "public" {
                        f.name.0.remove(0);
                    }
                }
            }
            match same_function(&f) {
                Some(function) => fixed(function),
                None => Expr::Function(f),
            }
        }
        // PostgreSQL 14 prints SQL-standard function syntax; 13 (and people)
        // write the plain calls: both become the plain call.
        Expr::Extract {
            field, expr: inner, ..
        } => call(
            "date_part",
            &[
                format!("'{}'", field.to_string().to_lowercase()),
                inner.to_string(),
            ],
        ),
        Expr::AtTimeZone {
            timestamp,
            time_zone,
        } => call("timezone", &[time_zone.to_string(), timestamp.to_string()]),
        Expr::Substring {
            expr: inner,
            substring_from,
            substring_for,
            ..
        } => {
            let mut args = vec![inner.to_string()];
            match (substring_from, substring_for) {
                (Some(from), Some(len)) => args.extend([from.to_string(), len.to_string()]),
                (Some(from), None) => args.push(from.to_string()),
                (None, Some(len)) => args.extend(["1".to_string(), len.to_string()]),
                (None, None) => {}
            }
            call("substring", &args)
        }
        Expr::Trim {
            trim_where,
            trim_what,
            expr: inner,
            trim_characters: None,
        } => {
            let name = match trim_where {
                Some(TrimWhereField::Leading) => "ltrim",
                Some(TrimWhereField::Trailing) => "rtrim",
                _ => "btrim",
            };
            let mut args = vec![inner.to_string()];
            args.extend(trim_what.map(|w| w.to_string()));
            call(name, &args)
        }
        Expr::Position { expr: needle, r#in } => {
            call("position", &[r#in.to_string(), needle.to_string()])
        }
        other => other,
    }
}

/// A fixed expression (one of the spellings above), parsed.
fn fixed(text: &str) -> Expr {
    Parser::new(&PostgreSqlDialect {})
        .try_with_sql(text)
        .and_then(|mut p| p.parse_expr())
        .expect("a fixed expression parses")
}

/// The plain call `name(args)` of canonical argument texts, itself in
/// canonical form. The name is quoted so that `substring(...)` parses as a
/// call, not as the SQL-standard form again.
fn call(name: &str, args: &[String]) -> Expr {
    let text = format!("\"{name}\"({})", args.join(", "));
    let dialect = PostgreSqlDialect {};
    let parsed = Parser::new(&dialect)
        .try_with_sql(&text)
        .and_then(|mut p| p.parse_expr());
    match parsed {
        Ok(mut expr) => {
            let _ = expr.visit(&mut Canonicalizer { column_casts: true });
            expr
        }
        // Canonical texts always parse; should one not, it stays a name.
        Err(_) => Expr::Identifier(Ident::new(text)),
    }
}

fn in_list(left: Expr, list: Vec<Expr>, negated: bool) -> Expr {
    if list.len() == 1 {
        let op = if negated {
            BinaryOperator::NotEq
        } else {
            BinaryOperator::Eq
        };
        return binary(left, op, list.into_iter().next().expect("one element"));
    }
    Expr::In {
        expr: Box::new(group(left)),
        target: InTarget::List(list),
        negated,
        global: false,
    }
}

fn binary(left: Expr, op: BinaryOperator, right: Expr) -> Expr {
    Expr::BinaryOp {
        left: Box::new(group(left)),
        op,
        right: Box::new(group(right)),
    }
}

/// Parenthesises an operand unless it is atomic, so that the printed form
/// keeps the tree's grouping whatever parentheses the input had.
fn group(expr: Expr) -> Expr {
    match expr {
        Expr::Identifier(_)
        | Expr::CompoundIdentifier(_)
        | Expr::Value(_)
        | Expr::Function(_)
        | Expr::Array(_)
        | Expr::Cast { .. }
        | Expr::TypedString { .. }
        | Expr::Nested(_) => expr,
        other => Expr::Nested(Box::new(other)),
    }
}

pub(super) fn canonical_ident(ident: Ident) -> Ident {
    let value = if ident.quote_style.is_some() {
        ident.value
    } else {
        ident.value.to_lowercase()
    };
    let quote_style = needs_quotes(&value).then_some('"');
    Ident {
        value,
        quote_style,
        span: ident.span,
    }
}

fn needs_quotes(ident: &str) -> bool {
    !(ident
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && ident
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
}
