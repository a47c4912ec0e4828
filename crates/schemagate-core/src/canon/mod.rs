//! Canonical forms for types and SQL expressions, so that spelling never
//! produces a mismatch.
//!
//! The server rewrites what a migration says: `varchar(255)` becomes
//! `character varying(255)`, `status IN ('a','b')` becomes
//! `((status)::text = ANY ((ARRAY['a'::character varying, ...])::text[]))`.
//! Both sides of a comparison go through the same functions here, and equal
//! canonical forms mean equal meaning. Everything is pure.

mod body;
mod casts;

pub use body::{body_diff, canonical_body};
pub use casts::{drop_server_casts, drop_server_casts_in};

use std::collections::HashMap;
use std::ops::ControlFlow;

use sqlparser::ast::{
    BinaryOperator, DataType, Expr, Ident, InTarget, ObjectNamePart, TrimWhereField, UnaryOperator,
    Value, VisitMut, VisitorMut,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

/// Canonical spelling of a type name, matching what `format_type` prints
/// (with `search_path = public`): `int4` and `int` become `integer`,
/// `timestamptz` becomes `timestamp with time zone`, `varchar(20)` becomes
/// `character varying(20)`, and so on.
pub fn canonical_type(text: &str) -> String {
    memoized(&TYPE_CACHE, text, canonical_type_uncached)
}

fn canonical_type_uncached(text: &str) -> String {
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
    let parsed = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(&pretty)
        .and_then(|mut p| p.parse_expr());
    match parsed {
        Ok(Expr::Identifier(_) | Expr::CompoundIdentifier(_) | Expr::Function(_)) | Err(_) => {
            pretty
        }
        Ok(_) => format!("({pretty})"),
    }
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
    let parsed = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(text)
        .and_then(|mut p| {
            let expr = p.parse_expr()?;
            if p.peek_token().token != sqlparser::tokenizer::Token::EOF {
                return Err(sqlparser::parser::ParserError::ParserError(
                    "trailing input".into(),
                ));
            }
            Ok(expr)
        });
    let mut expr = match parsed {
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

/// Whether two type names mean the same: equal text, or equal canonical forms.
pub fn same_type(a: &str, b: &str) -> bool {
    a == b || canonical_type(a) == canonical_type(b)
}

type Cache = std::cell::RefCell<HashMap<String, String>>;

thread_local! {
    // Canonical forms are pure functions of the text, and a schema repeats
    // the same defaults, keys and types on table after table: parse each
    // distinct text once per thread. The caches hold only what was asked.
    static EXPR_CACHE: Cache = Cache::default();
    static TYPE_CACHE: Cache = Cache::default();
}

fn memoized(
    cache: &'static std::thread::LocalKey<Cache>,
    text: &str,
    compute: fn(&str) -> String,
) -> String {
    if let Some(hit) = cache.with(|c| c.borrow().get(text).cloned()) {
        return hit;
    }
    let value = compute(text);
    cache.with(|c| {
        c.borrow_mut().insert(text.to_string(), value.clone());
    });
    value
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
    let dialect = PostgreSqlDialect {};
    let parsed = Parser::new(&dialect).try_with_sql(text).and_then(|mut p| {
        let expr = p.parse_expr()?;
        // Trailing tokens mean we did not understand all of it.
        if p.peek_token().token != sqlparser::tokenizer::Token::EOF {
            return Err(sqlparser::parser::ParserError::ParserError(
                "trailing input".into(),
            ));
        }
        Ok(expr)
    });
    match parsed {
        Ok(mut expr) => {
            let _ = expr.visit(&mut Canonicalizer { column_casts: true });
            expr.to_string()
        }
        Err(_) => collapse_whitespace(text.trim()),
    }
}

/// Canonical form of a view's query: expressions as in [`canonical_expr`],
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

/// Bottom-up rewriter: children are canonical when a parent is visited.
struct Canonicalizer {
    /// Whether a cast of a column is kept (it is meaning). In a view's
    /// query the columns' types are not at hand to tell the casts the
    /// server adds from the others, so there all casts of columns go.
    column_casts: bool,
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

/// The spelling of a function that means the same as `f` (SQL's
/// parameterless functions and their aliases), if it has one.
fn same_function(f: &sqlparser::ast::Function) -> Option<&'static str> {
    use sqlparser::ast::FunctionArguments;
    let [ObjectNamePart::Identifier(name)] = f.name.0.as_slice() else {
        return None;
    };
    if name.quote_style.is_some() || f.over.is_some() || f.filter.is_some() {
        return None;
    }
    let bare = match &f.args {
        FunctionArguments::None => true,
        FunctionArguments::List(list) => list.args.is_empty() && list.clauses.is_empty(),
        FunctionArguments::Subquery(_) => return None,
    };
    if !bare {
        return None;
    }
    match name.value.to_ascii_lowercase().as_str() {
        "now" | "transaction_timestamp" => Some("now()"),
        other => value_function(other),
    }
}

/// The spelling of SQL's parameterless function `name` (lower case).
fn value_function(name: &str) -> Option<&'static str> {
    Some(match name {
        "current_timestamp" => "now()",
        "current_date" => "CURRENT_DATE",
        "localtimestamp" => "LOCALTIMESTAMP",
        "localtime" => "LOCALTIME",
        "current_time" => "CURRENT_TIME",
        // PostgreSQL's CURRENT_ROLE and USER are CURRENT_USER.
        "current_user" | "current_role" | "user" => "CURRENT_USER",
        "session_user" => "SESSION_USER",
        "current_catalog" => "CURRENT_CATALOG",
        "current_schema" => "CURRENT_SCHEMA",
        _ => return None,
    })
}

/// What `'now'` cast to `type_name` (canonical) means at each evaluation.
fn now_as(type_name: &str) -> Option<&'static str> {
    Some(match type_name {
        "timestamp with time zone" => "now()",
        "timestamp without time zone" => "LOCALTIMESTAMP",
        "date" => "CURRENT_DATE",
        "time without time zone" => "LOCALTIME",
        "time with time zone" => "CURRENT_TIME",
        _ => return None,
    })
}

/// The boolean a quoted literal stands for, as `boolin` reads it.
fn boolean_literal(text: &str) -> Option<bool> {
    let t = text.trim().to_ascii_lowercase();
    if t.is_empty() {
        return None;
    }
    if "true".starts_with(&t) || "yes".starts_with(&t) || t == "on" || t == "1" {
        Some(true)
    } else if "false".starts_with(&t)
        || (t.len() >= 2 && "off".starts_with(&t))
        || "no".starts_with(&t)
        || t == "0"
    {
        Some(false)
    } else {
        None
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

fn canonical_ident(ident: Ident) -> Ident {
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

fn is_numeric_type(data_type: &DataType) -> bool {
    let spelled = canonical_type(&data_type.to_string());
    matches!(
        spelled.as_str(),
        "integer" | "smallint" | "bigint" | "real" | "double precision"
    ) || spelled.starts_with("numeric")
}

pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut pending_space = false;
    for c in text.chars() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c.is_whitespace() => pending_space = true,
            None => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                if c == '\'' || c == '"' {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    out
}

fn lower_outside_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_quotes = false;
    for c in text.chars() {
        if c == '"' {
            in_quotes = !in_quotes;
        }
        if in_quotes {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Keywords that `quote_ident` quotes (reserved and type/function-name keywords).
pub fn is_reserved_keyword(word: &str) -> bool {
    const RESERVED: &[&str] = &[
        "all",
        "analyse",
        "analyze",
        "and",
        "any",
        "array",
        "as",
        "asc",
        "asymmetric",
        "authorization",
        "binary",
        "both",
        "case",
        "cast",
        "check",
        "collate",
        "collation",
        "column",
        "concurrently",
        "constraint",
        "create",
        "cross",
        "current_catalog",
        "current_date",
        "current_role",
        "current_schema",
        "current_time",
        "current_timestamp",
        "current_user",
        "default",
        "deferrable",
        "desc",
        "distinct",
        "do",
        "else",
        "end",
        "except",
        "false",
        "fetch",
        "for",
        "foreign",
        "freeze",
        "from",
        "full",
        "grant",
        "group",
        "having",
        "ilike",
        "in",
        "initially",
        "inner",
        "intersect",
        "into",
        "is",
        "isnull",
        "join",
        "lateral",
        "leading",
        "left",
        "like",
        "limit",
        "localtime",
        "localtimestamp",
        "natural",
        "not",
        "notnull",
        "null",
        "offset",
        "on",
        "only",
        "or",
        "order",
        "outer",
        "overlaps",
        "placing",
        "primary",
        "references",
        "returning",
        "right",
        "select",
        "session_user",
        "similar",
        "some",
        "symmetric",
        "system_user",
        "table",
        "tablesample",
        "then",
        "to",
        "trailing",
        "true",
        "union",
        "unique",
        "user",
        "using",
        "variadic",
        "verbose",
        "when",
        "where",
        "window",
        "with",
    ];
    RESERVED.binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PostgreSQL 13 prints the plain calls, 14 and later the SQL-standard
    /// syntax (pairs copied from servers 13 and 15, docs/postgresql-versions.md).
    #[test]
    fn sql_standard_function_syntax_equals_the_plain_calls_13_prints() {
        let cases = [
            (
                "(date_part('year'::text, t) > 2000::double precision)",
                "(EXTRACT(year FROM t) > 2000::numeric)",
            ),
            (
                "timezone('utc'::text, now())",
                "(now() AT TIME ZONE 'utc'::text)",
            ),
            (
                "(\"substring\"(s, 1, 2) <> 'zz'::text)",
                "(SUBSTRING(s FROM 1 FOR 2) <> 'zz'::text)",
            ),
            (
                "(btrim(s, ' '::text) <> ''::text)",
                "(TRIM(BOTH ' '::text FROM s) <> ''::text)",
            ),
            (
                "(\"position\"(s, 'x'::text) = 0)",
                "(POSITION(('x'::text) IN (s)) = 0)",
            ),
            (
                "date_part('year'::text, timezone('UTC'::text, d))",
                "EXTRACT(year FROM (d AT TIME ZONE 'UTC'::text))",
            ),
        ];
        for (thirteen, later) in cases {
            assert_eq!(canonical_expr(thirteen), canonical_expr(later), "{later}");
        }
        assert_ne!(
            canonical_expr("EXTRACT(year FROM t)"),
            canonical_expr("EXTRACT(month FROM t)")
        );
        assert_ne!(
            canonical_expr("TRIM(LEADING 'x' FROM s)"),
            canonical_expr("TRIM(BOTH 'x' FROM s)")
        );
    }

    #[test]
    fn type_aliases_match_format_type() {
        let cases = [
            ("varchar(255)", "character varying(255)"),
            ("VARCHAR( 255 )", "character varying(255)"),
            ("timestamptz", "timestamp with time zone"),
            ("timestamptz(3)", "timestamp(3) with time zone"),
            ("timestamp", "timestamp without time zone"),
            ("int", "integer"),
            ("int4", "integer"),
            ("int8", "bigint"),
            ("bool", "boolean"),
            ("char(3)", "character(3)"),
            ("char", "character(1)"),
            ("decimal(12, 6)", "numeric(12,6)"),
            ("float8", "double precision"),
            ("float(10)", "real"),
            ("int[]", "integer[]"),
            ("text[][]", "text[]"),
            ("integer array", "integer[]"),
            ("public.mood", "mood"),
            ("\"Mood\"", "\"Mood\""),
            ("serial", "integer"),
            ("time with time zone", "time with time zone"),
        ];
        for (input, server) in cases {
            assert_eq!(
                canonical_type(input),
                canonical_type(server),
                "{input} vs {server}"
            );
        }
        assert_ne!(
            canonical_type("varchar(255)"),
            canonical_type("varchar(100)")
        );
        assert_ne!(canonical_type("timestamp"), canonical_type("timestamptz"));
        assert_ne!(canonical_type("int"), canonical_type("bigint"));
        assert_ne!(canonical_type("text"), canonical_type("text[]"));
    }

    #[test]
    fn server_rewrites_of_expressions_compare_equal() {
        let cases = [
            (
                "status IN ('active', 'suspended', 'deleted')",
                "((status)::text = ANY ((ARRAY['active'::character varying, 'suspended'::character varying, 'deleted'::character varying])::text[]))",
            ),
            ("'{}'", "'{}'::jsonb"),
            ("'USD'", "'USD'::bpchar"),
            ("-1", "'-1'::integer"),
            ("temperature BETWEEN 0 AND 2", "((temperature >= (0)::numeric) AND (temperature <= (2)::numeric))"),
            ("lower(name)", "lower((name)::text)"),
            ("name LIKE 'a%'", "((name)::text ~~ 'a%'::text)"),
            (
                "completed_at IS NULL OR started_at IS NULL OR completed_at >= started_at",
                "(((completed_at IS NULL) OR (started_at IS NULL)) OR (completed_at >= started_at))",
            ),
            ("kind in ('x')", "(kind = 'x'::text)"),
            ("\"Weird Col\" > 0", "(\"Weird Col\" > 0)"),
            ("Amount > 0", "(amount > 0)"),
            ("nextval('users_id_seq')", "nextval('users_id_seq'::regclass)"),
            ("jsonb_typeof(definition) = 'object'", "(jsonb_typeof(definition) = 'object'::text)"),
            ("color ~ '^#[0-9a-fA-F]{6}$'", "((color)::text ~ '^#[0-9a-fA-F]{6}$'::text)"),
            ("status <> 'x'", "status != 'x'"),
            ("status NOT IN ('a', 'b')", "((status)::text <> ALL ((ARRAY['a'::character varying, 'b'::character varying])::text[]))"),
        ];
        // Every column in these is a varchar: the server adds `::text`.
        let varchar = |_: &str| Some("character varying(50)".to_string());
        for (written, server) in cases {
            assert_eq!(
                canonical_expr(&drop_server_casts(written, &varchar)),
                canonical_expr(&drop_server_casts(server, &varchar)),
                "{written} vs {server}"
            );
        }
    }

    /// The equivalence table of the README: each pair means the same.
    pub(crate) const EQUIVALENT: [(&str, &str); 14] = [
        ("CURRENT_TIMESTAMP", "now()"),
        ("transaction_timestamp()", "now()"),
        ("'{}'::text[]", "ARRAY[]::text[]"),
        ("CURRENT_DATE", "('now'::text)::date"),
        (
            "LOCALTIMESTAMP",
            "('now'::text)::timestamp without time zone",
        ),
        ("CURRENT_USER", "current_user"),
        ("CURRENT_ROLE", "CURRENT_USER"),
        ("true", "'t'::boolean"),
        ("false", "'false'::boolean"),
        ("1.0", "1.0::numeric"),
        ("a <> b", "a != b"),
        ("x::varchar(10)", "(x)::character varying(10)"),
        ("pg_catalog.lower(a)", "lower(a)"),
        ("'a'::text", "'a'"),
    ];

    #[test]
    fn equivalent_spellings_compare_equal_both_ways() {
        for (a, b) in EQUIVALENT {
            assert_eq!(canonical_expr(a), canonical_expr(b), "{a} vs {b}");
            // What snapshot writes reads back as the same.
            let written = pretty_expr(a);
            assert_eq!(
                canonical_expr(&written),
                canonical_expr(b),
                "{a} written as {written}"
            );
        }
        for (a, b) in [
            ("CURRENT_TIMESTAMP", "LOCALTIMESTAMP"),
            ("CURRENT_DATE", "now()"),
            ("CURRENT_USER", "SESSION_USER"),
            ("true", "'f'::boolean"),
            ("'{}'::text[]", "'{a}'::text[]"),
            ("1.0", "1.5"),
            ("a <> b", "a = b"),
        ] {
            assert_ne!(canonical_expr(a), canonical_expr(b), "{a} vs {b}");
        }
    }

    #[test]
    fn explicit_casts_of_columns_are_meaning() {
        assert_ne!(canonical_expr("(id::text)"), canonical_expr("id"));
        assert_eq!(canonical_expr("((id)::text)"), canonical_expr("(id::text)"));
        assert_eq!(pretty_expr("((id)::text)"), "id::text");
        assert_ne!(
            canonical_expr("NEW.a::text = 'x'"),
            canonical_expr("NEW.a = 'x'")
        );
        // Only the casts the server adds go, given the column's type.
        let int = |_: &str| Some("integer".to_string());
        let varchar = |_: &str| Some("character varying(20)".to_string());
        assert_eq!(drop_server_casts("((id)::text)", &int), "((id)::text)");
        assert_eq!(
            canonical_expr(&drop_server_casts("(id)::integer", &int)),
            "id"
        );
        assert_eq!(
            canonical_expr(&drop_server_casts("lower((v)::text)", &varchar)),
            "lower(v)"
        );
        assert_eq!(
            canonical_expr(&drop_server_casts("(new.v)::text = 'a'", &varchar)),
            "new.v = 'a'"
        );
        // A written empty array is valid SQL.
        assert_eq!(pretty_expr("ARRAY[]::text[]"), "'{}'");
        assert_eq!(pretty_index_key("((id)::text)"), "(id::text)");
        assert_eq!(
            drop_server_casts(
                "((v)::text = ANY ((ARRAY['a'::character varying])::text[]))",
                &varchar
            ),
            "(v = ANY ((ARRAY['a'::character varying])::text[]))"
        );
        assert_eq!(drop_server_casts("lower(v::TEXT)", &varchar), "lower(v)");
        assert_eq!(pretty_index_key("lower(email)"), "lower(email)");
        assert_eq!(pretty_index_key("\"Line No\""), "\"Line No\"");
    }

    #[test]
    fn grouping_and_values_still_count() {
        assert_ne!(
            canonical_expr("(a OR b) AND c"),
            canonical_expr("a OR (b AND c)")
        );
        assert_eq!(
            canonical_expr("a OR b AND c"),
            canonical_expr("a OR (b AND c)")
        );
        assert_ne!(canonical_expr("x > 0"), canonical_expr("x >= 0"));
        assert_ne!(canonical_expr("'a'"), canonical_expr("'b'"));
        assert_ne!(canonical_expr("now()::date"), canonical_expr("now()"));
        assert_ne!(
            canonical_expr("\"Amount\" > 0"),
            canonical_expr("amount > 0")
        );
    }

    #[test]
    fn view_queries_compare_without_server_qualifiers() {
        assert_eq!(
            canonical_query(" SELECT customers.id,\n    customers.email\n   FROM customers\n  WHERE customers.status = 'active'::text;"),
            canonical_query("select id, email from customers where status = 'active'")
        );
        assert_ne!(
            canonical_query("SELECT id FROM customers WHERE status = 'active'"),
            canonical_query("SELECT id FROM customers WHERE status = 'blocked'")
        );
        // The server's casts of varchar columns (no types at hand here).
        assert_eq!(
            canonical_query("SELECT id FROM c WHERE ((c.status)::text = 'x'::text)"),
            canonical_query("select id from c where status = 'x'")
        );
        // With a join, qualifiers are meaningful and kept.
        assert_ne!(
            canonical_query("SELECT a.id FROM a JOIN b ON a.id = b.id"),
            canonical_query("SELECT b.id FROM a JOIN b ON a.id = b.id")
        );
    }

    #[test]
    fn pretty_forms_are_short_and_equal() {
        assert_eq!(pretty_type("character varying(255)"), "varchar(255)");
        assert_eq!(pretty_type("timestamp with time zone"), "timestamptz");
        assert_eq!(pretty_type("timestamp(3) with time zone"), "timestamptz(3)");
        assert_eq!(pretty_type("character(3)[]"), "char(3)[]");
        assert_eq!(pretty_type("numeric(12,6)"), "numeric(12,6)");
        assert_eq!(pretty_type("\"Mood\""), "\"Mood\"");
        assert_eq!(
            pretty_expr(&drop_server_casts(
                "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
                &|_| Some("character varying(9)".into())
            )),
            "status IN ('a', 'b')"
        );
        assert_eq!(pretty_expr("'draft'::character varying"), "'draft'");
    }

    #[test]
    fn deep_expressions_never_overflow_the_stack() {
        // Issue 15, item 4: 100,000 terms overflowed the stack. Test
        // threads have small stacks: the limit must be safe on them.
        let at_limit = format!("id > 0{}", "+0".repeat(MAX_EXPR_OPERATORS - 2));
        assert!(too_complex(&at_limit).is_none());
        assert_eq!(canonical_expr(&at_limit), canonical_expr(&at_limit));
        let huge = format!("id > 0{}", "+0".repeat(100_000));
        assert!(too_complex(&huge).is_some());
        assert_eq!(canonical_expr(&huge), huge);
        let deep_or = (0..MAX_EXPR_OPERATORS / 4)
            .map(|i| format!("a = {i}"))
            .collect::<Vec<_>>()
            .join(" OR ");
        assert!(same_expr(&deep_or, &deep_or.replace(" OR ", " or ")));
    }

    #[test]
    fn unparsable_text_falls_back_to_whitespace() {
        assert_eq!(canonical_expr("a  ]]] b"), "a ]]] b");
    }

    #[test]
    fn reserved_keywords_are_sorted_for_binary_search() {
        assert!(is_reserved_keyword("order"));
        assert!(is_reserved_keyword("user"));
        assert!(!is_reserved_keyword("users"));
    }

    /// Issue 12: on a boolean column every spelling `boolin` reads is the
    /// boolean the server stores; on any other column a quoted text stays.
    #[test]
    fn boolean_spellings_of_a_boolean_default_are_the_boolean() {
        for yes in [
            "'yes'", "'on'", "'1'", "'true'", "'y'", "'t'", "' YES '", "('on')",
        ] {
            for ty in ["boolean", "bool"] {
                assert!(same_default(yes, ty, "true", "boolean"), "{yes} {ty}");
                assert!(same_default("true", "boolean", yes, ty), "{yes} {ty}");
                assert!(!same_default(yes, ty, "false", "boolean"), "{yes} {ty}");
            }
        }
        for no in ["'no'", "'off'", "'0'", "'false'", "'n'", "'f'"] {
            assert!(same_default(no, "boolean", "false", "boolean"), "{no}");
            assert!(same_default("false", "boolean", no, "boolean"), "{no}");
            assert!(!same_default(no, "boolean", "true", "boolean"), "{no}");
        }
        // Not a boolean spelling, or not a boolean column: unchanged.
        for text in ["'o'", "'maybe'", "''", "'yes' || ''", "1"] {
            assert_eq!(typed_default(text, "boolean"), text);
        }
        assert_eq!(typed_default("'yes'", "text"), "'yes'");
        assert!(!same_default("'yes'", "text", "'true'", "text"));
        assert!(!same_default("'1'", "integer", "true", "integer"));
        assert!(!same_default("'yes'", "varchar(5)", "true", "boolean"));
    }

    /// Issue 12: the server's `::text` on an explicit cast to varchar (in
    /// a CHECK, `x::varchar(10) <> ''`) goes, as on a varchar column; a
    /// cast to text of anything else stays.
    #[test]
    fn the_servers_text_cast_of_a_varchar_cast_is_dropped() {
        let types = |name: &str| match name {
            "x" => Some("character varying(20)".to_string()),
            "n" => Some("integer".to_string()),
            _ => None,
        };
        let same = |a: &str, b: &str| {
            canonical_expr(&drop_server_casts(a, &types))
                == canonical_expr(&drop_server_casts(b, &types))
        };
        for (file, server) in [
            (
                "x::varchar(10) <> ''",
                "((x)::character varying(10))::text <> ''::text",
            ),
            (
                "n::varchar <> ''",
                "((n)::character varying)::text <> ''::text",
            ),
            (
                "lower(x::varchar(5))",
                "lower(((x)::character varying(5))::text)",
            ),
            (
                "(n + 1)::varchar(3) = 'a'",
                "(((n + 1))::character varying(3))::text = 'a'::text",
            ),
        ] {
            assert!(same(file, server), "{file} vs {server}");
            assert!(same(server, file), "{server} vs {file}");
        }
        assert_eq!(
            drop_server_casts("((x)::character varying(10))::text <> ''::text", &types),
            "((x)::character varying(10)) <> ''::text"
        );
        // The varchar cast itself is meaning, and so is any other `::text`.
        assert!(!same("x::varchar(10) <> ''", "x <> ''"));
        assert!(!same("x::varchar(10) <> ''", "x::varchar(11) <> ''"));
        assert!(!same("n::text <> ''", "n <> ''"));
        assert!(!same("(n::integer)::text <> ''", "n <> ''"));
    }
}
