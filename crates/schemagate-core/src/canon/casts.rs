//! The casts the server adds to a column reference, dropped with the
//! column's type at hand: a cast to the column's own type, and
//! `varchar` → `text` (binary-coercible: the server adds it wherever a
//! `varchar` meets a `text` operator or function). The server adds the
//! same `varchar` → `text` on top of an explicit cast to `varchar`
//! (`((x)::character varying(10))::text`), and that goes too. Every other
//! cast of a column changes its meaning (`(id::text)` is not `id`) and is
//! kept.

use std::ops::ControlFlow;

use sqlparser::ast::{CastKind, Expr, Spanned, Visit, Visitor};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::types::canonical_type;
use crate::model::{Schema, Table};

/// `text` without the casts the server adds to the columns of a table,
/// given each column's type (`column_type`); text that does not parse, or
/// has no such cast, comes back as it is.
pub fn drop_server_casts(text: &str, column_type: &dyn Fn(&str) -> Option<String>) -> String {
    // Parsing every expression was most of `diff`'s time on large schemas;
    // most need none (see `may_cut`).
    if !may_cut(text) {
        return text.to_string();
    }
    parsed_drop_server_casts(text, column_type)
}

/// Whether `text` may hold a cast that [`drop_server_casts`] cuts: only
/// `::type` is ever cut, and only after a column reference or a cast to
/// `varchar`, which end in a name, a quoted name or a type modifier's `)`
/// (parentheses and spaces between are skipped). A `::` right after a
/// string literal (`'active'::text`, `nextval('s'::regclass)`), the most
/// common casts in defaults, is never cut.
fn may_cut(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = text[from..].find("::").map(|i| i + from) {
        let before = bytes[..at]
            .iter()
            .rev()
            .find(|b| !(b.is_ascii_whitespace() || **b == b')'));
        if before != Some(&b'\'') {
            return true;
        }
        from = at + 2;
    }
    false
}

/// [`drop_server_casts`] without the shortcut: the text parsed.
fn parsed_drop_server_casts(text: &str, column_type: &dyn Fn(&str) -> Option<String>) -> String {
    let dialect = PostgreSqlDialect {};
    let Ok(expr) = Parser::new(&dialect)
        .try_with_sql(text)
        .and_then(|mut p| p.parse_expr())
    else {
        return text.to_string();
    };
    let mut finder = Finder {
        text,
        column_type,
        cuts: Vec::new(),
    };
    let _ = expr.visit(&mut finder);
    // Cut only `::type`, in the text as written, so the rest keeps its
    // spelling (a mismatch shows what the server or the file said).
    let mut cuts = finder.cuts;
    cuts.sort();
    cuts.dedup();
    let mut out = text.to_string();
    for (start, end) in cuts.into_iter().rev() {
        out.replace_range(start..end, "");
    }
    out
}

/// [`drop_server_casts`] on every expression of every table in `schema`
/// (defaults, generated columns, checks, index keys and predicates,
/// policies, trigger conditions), with that table's column types.
pub fn drop_server_casts_in(schema: &mut Schema) {
    for namespace in schema.schemas.values_mut() {
        for table in namespace.tables.values_mut() {
            drop_in_table(table);
        }
        // A domain's CHECK says VALUE, of the domain's base type.
        for domain in namespace.domains.values_mut() {
            let base = canonical_type(&domain.data_type);
            let lookup = |name: &str| (name == "value").then(|| base.clone());
            for check in &mut domain.checks {
                check.expression = drop_server_casts(&check.expression, &lookup);
            }
        }
    }
}

thread_local! {
    /// Per column signature of a table: expression text -> the text cut.
    static CUT_MEMO: std::cell::RefCell<
        std::collections::HashMap<String, std::collections::HashMap<String, String>>,
    > = Default::default();
}

fn drop_in_table(table: &mut Table) {
    // Most tables hold no expression with a cast that could be cut (a file
    // `snapshot` wrote has them cut already): nothing to set up for those.
    if !table_may_cut(table) {
        return;
    }
    let types: std::collections::BTreeMap<String, String> = table
        .columns
        .iter()
        .map(|c| (c.name.clone(), canonical_type(&c.data_type)))
        .collect();
    let lookup = |name: &str| types.get(name).cloned();
    // Tables of the same columns (a schema per tenant holds thousands) cast
    // the same texts alike: what was cut is kept per column signature.
    let signature: String = types
        .iter()
        .flat_map(|(name, ty)| [name.as_str(), "\u{1}", ty.as_str(), "\u{2}"])
        .collect();
    let mut memo = CUT_MEMO
        .with(|m| m.borrow_mut().remove(&signature))
        .unwrap_or_default();
    let mut fix = |text: &mut String| {
        if !may_cut(text) {
            return;
        }
        if let Some(done) = memo.get(text.as_str()) {
            text.clone_from(done);
            return;
        }
        let done = parsed_drop_server_casts(text, &lookup);
        memo.insert(std::mem::replace(text, done.clone()), done);
    };
    for column in &mut table.columns {
        if let Some(d) = column.default.as_mut() {
            fix(d);
        }
        if let Some(g) = column.generated.as_mut() {
            fix(g);
        }
    }
    for check in &mut table.checks {
        fix(&mut check.expression);
    }
    for index in &mut table.indexes {
        for key in &mut index.keys {
            fix(&mut key.expression);
        }
        if let Some(p) = index.predicate.as_mut() {
            fix(p);
        }
    }
    for policy in &mut table.policies {
        if let Some(u) = policy.using.as_mut() {
            fix(u);
        }
        if let Some(w) = policy.with_check.as_mut() {
            fix(w);
        }
    }
    for trigger in &mut table.triggers {
        if let Some(w) = trigger.when.as_mut() {
            fix(w);
        }
    }
    CUT_MEMO.with(|m| {
        let mut m = m.borrow_mut();
        // Bounded: a catalog of many different tables gains little here.
        if m.len() >= 4096 {
            m.clear();
        }
        m.insert(signature, memo);
    });
}

/// Whether any expression [`drop_in_table`] looks at [`may_cut`].
fn table_may_cut(table: &Table) -> bool {
    let columns = table
        .columns
        .iter()
        .flat_map(|c| [c.default.as_deref(), c.generated.as_deref()]);
    let checks = table.checks.iter().map(|c| Some(c.expression.as_str()));
    let indexes = table.indexes.iter().flat_map(|i| {
        i.keys
            .iter()
            .map(|k| Some(k.expression.as_str()))
            .chain([i.predicate.as_deref()])
    });
    let policies = table
        .policies
        .iter()
        .flat_map(|p| [p.using.as_deref(), p.with_check.as_deref()]);
    let triggers = table.triggers.iter().map(|t| t.when.as_deref());
    columns
        .chain(checks)
        .chain(indexes)
        .chain(policies)
        .chain(triggers)
        .flatten()
        .any(may_cut)
}

/// Whether a canonical type is `character varying`, with a length or not.
fn is_varchar(canonical: &str) -> bool {
    canonical == "character varying" || canonical.starts_with("character varying(")
}

struct Finder<'a> {
    text: &'a str,
    column_type: &'a dyn Fn(&str) -> Option<String>,
    /// Byte ranges of the `::type` to cut.
    cuts: Vec<(usize, usize)>,
}

impl Finder<'_> {
    /// The type of the column `expr` names (`col`, `"Col"`, `NEW.col`, `t.col`).
    fn column_of(&self, expr: &Expr) -> Option<String> {
        let ident = match expr {
            Expr::Nested(inner) => return self.column_of(inner),
            Expr::Identifier(ident) => ident,
            Expr::CompoundIdentifier(parts) if parts.len() == 2 => &parts[1],
            _ => return None,
        };
        let name = if ident.quote_style.is_some() {
            ident.value.clone()
        } else {
            ident.value.to_lowercase()
        };
        (self.column_type)(&name)
    }

    /// Whether `expr` is an explicit `::varchar` cast (of anything), in
    /// parentheses or not.
    fn is_varchar_cast(expr: &Expr) -> bool {
        match expr {
            Expr::Nested(inner) => Self::is_varchar_cast(inner),
            Expr::Cast {
                kind: CastKind::DoubleColon,
                data_type,
                ..
            } => is_varchar(&canonical_type(&data_type.to_string())),
            _ => false,
        }
    }

    /// The byte offset just past `expr` as written, its own `::type`
    /// included (the parser's span of a cast stops at the operand).
    fn end_of(&self, expr: &Expr) -> Option<usize> {
        match expr {
            Expr::Nested(inner) => self.end_of(inner),
            Expr::Cast {
                kind: CastKind::DoubleColon,
                expr: inner,
                data_type,
                ..
            } => {
                let end = self.end_of(inner)?;
                let to = canonical_type(&data_type.to_string());
                self.cast_after(end, &to).map(|(_, end)| end)
            }
            Expr::Cast { .. } => None,
            _ => {
                let end = expr.span().end;
                self.offset(end.line, end.column)
            }
        }
    }

    /// The byte offset of a 1-based line and column (in characters).
    fn offset(&self, line: u64, column: u64) -> Option<usize> {
        let start: usize = self
            .text
            .split_inclusive('\n')
            .take(line.checked_sub(1)? as usize)
            .map(str::len)
            .sum();
        let rest = self.text.get(start..)?;
        let skip = column.checked_sub(1)? as usize;
        Some(start + rest.char_indices().nth(skip).map_or(rest.len(), |(i, _)| i))
    }

    /// The byte range of `::type` after the operand ending at `end`, if
    /// what follows is that cast to `to` (canonical).
    fn cast_after(&self, end: usize, to: &str) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        let mut at = end;
        while at < bytes.len() && (bytes[at] == b')' || bytes[at].is_ascii_whitespace()) {
            at += 1;
        }
        let start = at;
        if !self.text.get(at..)?.starts_with("::") {
            return None;
        }
        at += 2;
        // The longest type name there that means `to`.
        let rest = &self.text[at..];
        let mut best = None;
        for (i, c) in rest
            .char_indices()
            .chain(std::iter::once((rest.len(), ' ')))
        {
            if i > 80 {
                break;
            }
            let boundary = !(c.is_alphanumeric() || c == '_' || c == '"');
            let name = &rest[..i];
            if boundary
                && name.trim_end() == name
                && !name.is_empty()
                && canonical_type(name.trim()) == to
            {
                best = Some(i);
            }
        }
        // The operand's closing parentheses stay; only `::type` goes.
        best.map(|len| (start, at + len))
    }
}

impl Visitor for Finder<'_> {
    type Break = ();

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        if let Expr::Cast {
            expr: inner,
            data_type,
            ..
        } = expr
        {
            let to = canonical_type(&data_type.to_string());
            // `((x)::character varying(10))::text`: the server's `::text`
            // on a varchar-typed cast, cut after the inner cast's type.
            if to == "text" && Self::is_varchar_cast(inner) {
                if let Some(cut) = self.end_of(inner).and_then(|end| self.cast_after(end, &to)) {
                    self.cuts.push(cut);
                }
            }
            if let Some(own) = self.column_of(inner) {
                let server_added = to == own || (to == "text" && is_varchar(&own));
                let span = inner.span();
                if server_added {
                    let (start, end) = (span.start, span.end);
                    if let Some((cut_start, cut_end)) = self
                        .offset(end.line, end.column)
                        .and_then(|end| self.cast_after(end, &to))
                    {
                        self.cuts.push((cut_start, cut_end));
                        // `(col)::text` loses its parentheses with the cast.
                        let open = self.offset(start.line, start.column);
                        let close = self.offset(end.line, end.column);
                        if let (Expr::Nested(_), Some(open), Some(close)) =
                            (inner.as_ref(), open, close)
                        {
                            if open > 0
                                && self.text.as_bytes()[open - 1] == b'('
                                && self.text.as_bytes().get(close) == Some(&b')')
                                && close + 1 == cut_start
                            {
                                self.cuts.push((open - 1, open));
                                self.cuts.push((close, close + 1));
                            }
                        }
                    }
                }
            }
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut never changes the result: on every text, with column
    /// types that make the most casts droppable, it equals the parsed path;
    /// and it is taken for the casts of literals (else this proves nothing).
    #[test]
    fn the_shortcut_gives_what_parsing_gives() {
        let texts = [
            "'active'::text",
            "'active'::character varying",
            "nextval('t_id_seq'::regclass)",
            "'{}'::jsonb",
            "('a')::text",
            "E'it''s' ::text",
            "now()",
            "(status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])",
            "((v)::character varying(10))::text",
            "lower((v)::text)",
            "v::text",
            "(v ) :: text",
            "\"it's\"::text",
            "$$a$$::text",
            "1::integer",
            "'a::b' || v",
            "'x'::text || (v)::text",
            "(new.v)::text = 'a'",
        ];
        let varchar = |_: &str| Some("character varying(10)".to_string());
        let text = |_: &str| Some("text".to_string());
        let int = |_: &str| Some("integer".to_string());
        type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;
        let types: [Lookup; 3] = [&varchar, &text, &int];
        for t in texts {
            for column_type in types {
                assert_eq!(
                    drop_server_casts(t, column_type),
                    parsed_drop_server_casts(t, column_type),
                    "{t}"
                );
            }
        }
        for literal in &texts[..6] {
            assert!(!may_cut(literal), "{literal}");
        }
        for column in ["v::text", "(v ) :: text", "lower((v)::text)", "$$a$$::text"] {
            assert!(may_cut(column), "{column}");
        }
    }
}
