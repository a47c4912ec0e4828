//! What a namespace holds besides tables: views, sequences, enums, domains,
//! functions, composite types, extensions, collations, extended statistics
//! and foreign tables.

use std::collections::BTreeMap;

use super::constraints::Check;
use super::index::Index;
use super::triggers::{Rule, Trigger};
use super::Line;

#[derive(Clone, Debug, PartialEq)]
pub struct View {
    pub line: Line,
    pub materialized: bool,
    pub definition: Option<String>,
    pub comment: Option<String>,
    /// `INSTEAD OF` (and other) triggers on the view.
    pub triggers: Vec<Trigger>,
    /// Indexes of a materialized view.
    pub indexes: Vec<Index>,
    /// Rules besides the view's own query (`CREATE RULE ... TO view`).
    pub rules: Vec<Rule>,
    /// `WITH (...)` options: `security_invoker`, `security_barrier`,
    /// `check_option` (`WITH CHECK OPTION`); a materialized view's storage
    /// parameters. The catalog's `reloptions`, as for tables.
    pub options: BTreeMap<String, String>,
    /// The columns that have a comment or a default (`ALTER VIEW ... ALTER
    /// COLUMN ... SET DEFAULT`, used by INSERT through the view), by name.
    pub columns: BTreeMap<String, ViewColumn>,
}

/// A view column's comment and default; the rest of it is the query's.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewColumn {
    pub comment: Option<String>,
    pub default: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sequence {
    pub line: Line,
    pub data_type: String,
    pub start: i64,
    pub increment: i64,
    pub min_value: i64,
    pub max_value: i64,
    pub cache: i64,
    pub cycle: bool,
    pub comment: Option<String>,
}

impl Sequence {
    /// A sequence as `CREATE SEQUENCE` with no options makes it for `data_type`.
    pub fn with_defaults(data_type: &str, increment: i64) -> Sequence {
        let type_max = match data_type {
            "smallint" => i16::MAX as i64,
            "integer" => i32::MAX as i64,
            _ => i64::MAX,
        };
        let type_min = match data_type {
            "smallint" => i16::MIN as i64,
            "integer" => i32::MIN as i64,
            _ => i64::MIN,
        };
        let (min_value, max_value) = if increment > 0 {
            (1, type_max)
        } else {
            (type_min, -1)
        };
        Sequence {
            line: None,
            data_type: data_type.to_string(),
            start: if increment > 0 { min_value } else { max_value },
            increment,
            min_value,
            max_value,
            cache: 1,
            cycle: false,
            comment: None,
        }
    }
}

impl Sequence {
    /// The options that differ from `CREATE SEQUENCE ... AS data_type` with
    /// this increment, as (name, value) in the file's spelling: `type` is
    /// not among them (it shows in the bounds).
    pub fn non_default_options(&self, data_type: &str) -> Vec<(&'static str, String)> {
        let d = Sequence::with_defaults(data_type, self.increment);
        let mut out = Vec::new();
        if self.increment != 1 {
            out.push(("increment", self.increment.to_string()));
        }
        if self.min_value != d.min_value {
            out.push(("min_value", self.min_value.to_string()));
        }
        if self.max_value != d.max_value {
            out.push(("max_value", self.max_value.to_string()));
        }
        let default_start = if self.increment > 0 {
            self.min_value
        } else {
            self.max_value
        };
        if self.start != default_start {
            out.push(("start", self.start.to_string()));
        }
        if self.cache != 1 {
            out.push(("cache", self.cache.to_string()));
        }
        if self.cycle {
            out.push(("cycle", "true".to_string()));
        }
        out
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumType {
    pub line: Line,
    pub values: Vec<String>,
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Domain {
    pub line: Line,
    pub data_type: String,
    /// `COLLATE c` when not the base type's, spelled as a column's is.
    pub collation: Option<String>,
    pub nullable: bool,
    pub default: Option<String>,
    pub checks: Vec<Check>,
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    pub line: Line,
    /// `format_type` of the result, e.g. `trigger`, `integer`, `SETOF users`;
    /// `procedure` for a procedure.
    pub returns: String,
    pub language: String,
    /// Names, modes and defaults as `pg_get_function_arguments` shows them,
    /// e.g. `a integer, OUT b text, c integer DEFAULT 0`. Compared only when
    /// the expected file gives it.
    pub arguments: Option<String>,
    /// The body as the server stores it (`prosrc`, or the deparsed
    /// `BEGIN ATOMIC ... END`). Compared only when the expected file gives it.
    pub body: Option<String>,
    pub volatility: Volatility,
    pub strict: bool,
    pub security_definer: bool,
    pub leakproof: bool,
    pub parallel: Parallel,
    /// `SET name = value` clauses (`proconfig`), by name.
    pub config: BTreeMap<String, String>,
    /// `COST n`: the planner's estimate of its cost (`procost`).
    pub cost: f64,
    /// `ROWS n`: the planner's estimate of a set-returning function's rows
    /// (`prorows`); 0 for another.
    pub rows: f64,
    pub comment: Option<String>,
}

impl Function {
    /// A function as `CREATE FUNCTION` with no options makes it.
    pub fn new(returns: String, language: String) -> Function {
        Function {
            line: None,
            arguments: None,
            body: None,
            volatility: Volatility::Volatile,
            strict: false,
            security_definer: false,
            leakproof: false,
            parallel: Parallel::Unsafe,
            config: BTreeMap::new(),
            cost: Function::default_cost(&language),
            rows: Function::default_rows(&returns),
            comment: None,
            returns,
            language,
        }
    }

    /// The COST a function gets when none is given: 1 in C and internal,
    /// 100 in any other language.
    pub fn default_cost(language: &str) -> f64 {
        match language.to_ascii_lowercase().as_str() {
            "c" | "internal" => 1.0,
            _ => 100.0,
        }
    }

    /// The ROWS a function gets when none is given: 1000 for a set, none
    /// (0) otherwise.
    pub fn default_rows(returns: &str) -> f64 {
        if Function::returns_set(returns) {
            1000.0
        } else {
            0.0
        }
    }

    /// `SETOF t` or `TABLE (...)`.
    pub fn returns_set(returns: &str) -> bool {
        let r = returns.trim_start().to_ascii_lowercase();
        ["setof", "table"].iter().any(|w| {
            r.strip_prefix(w)
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_whitespace() || c == '('))
        })
    }
}

/// `100`, `0.5` as the catalog keeps them (COST and ROWS are `real`): a
/// declared `0.1` and the server's `0.1` read back as a double are equal.
pub fn number_text(x: f64) -> String {
    format!("{}", x as f32)
}

/// `VOLATILE` (the default), `STABLE` or `IMMUTABLE`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Volatility {
    #[default]
    Volatile,
    Stable,
    Immutable,
}

impl Volatility {
    pub fn as_str(self) -> &'static str {
        match self {
            Volatility::Volatile => "volatile",
            Volatility::Stable => "stable",
            Volatility::Immutable => "immutable",
        }
    }

    pub fn parse(text: &str) -> Option<Volatility> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "volatile" => Volatility::Volatile,
            "stable" => Volatility::Stable,
            "immutable" => Volatility::Immutable,
            _ => return None,
        })
    }

    /// From `pg_proc.provolatile`.
    pub fn from_catalog(code: &str) -> Volatility {
        match code {
            "s" => Volatility::Stable,
            "i" => Volatility::Immutable,
            _ => Volatility::Volatile,
        }
    }
}

/// `PARALLEL UNSAFE` (the default), `RESTRICTED` or `SAFE`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Parallel {
    #[default]
    Unsafe,
    Restricted,
    Safe,
}

impl Parallel {
    pub fn as_str(self) -> &'static str {
        match self {
            Parallel::Unsafe => "unsafe",
            Parallel::Restricted => "restricted",
            Parallel::Safe => "safe",
        }
    }

    pub fn parse(text: &str) -> Option<Parallel> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "unsafe" => Parallel::Unsafe,
            "restricted" => Parallel::Restricted,
            "safe" => Parallel::Safe,
            _ => return None,
        })
    }

    /// From `pg_proc.proparallel`.
    pub fn from_catalog(code: &str) -> Parallel {
        match code {
            "r" => Parallel::Restricted,
            "s" => Parallel::Safe,
            _ => Parallel::Unsafe,
        }
    }
}

/// One attribute of a composite type, or one column of a foreign table.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: String,
    /// As `format_type` prints it, or as written in YAML.
    pub data_type: String,
    /// `COLLATE "C"`: a collation other than the type's own, as SQL spells
    /// it (the file writes it after the type: `text COLLATE "C"`).
    pub collation: Option<String>,
}

impl Field {
    /// `text COLLATE "C"` -> (`text`, `"C"`): a type as the file writes it,
    /// split at a `COLLATE` outside double quotes.
    pub fn split_collate(text: &str) -> (String, Option<String>) {
        let lower = text.to_ascii_lowercase();
        let mut quoted = false;
        for (i, c) in text.char_indices() {
            if c == '"' {
                quoted = !quoted;
            } else if !quoted && c.is_whitespace() && lower[i..].trim_start().starts_with("collate")
            {
                let rest = lower[i..].trim_start();
                let after = &text[text.len() - rest.len() + "collate".len()..];
                if after.starts_with(char::is_whitespace) {
                    return (text[..i].trim().to_string(), Some(after.trim().to_string()));
                }
            }
        }
        (text.trim().to_string(), None)
    }

    /// The type as the file writes it: `text` or `text COLLATE "C"`.
    pub fn written_type(&self, data_type: &str) -> String {
        match &self.collation {
            Some(c) => format!("{data_type} COLLATE {c}"),
            None => data_type.to_string(),
        }
    }
}

/// `CREATE TYPE name AS (a integer, b text)`.
#[derive(Clone, Debug, PartialEq)]
pub struct CompositeType {
    pub line: Line,
    /// In order.
    pub attributes: Vec<Field>,
    /// COMMENT ON TYPE.
    pub comment: Option<String>,
}

/// An extension installed into this schema (`CREATE EXTENSION ... SCHEMA`).
#[derive(Clone, Debug, PartialEq)]
pub struct Extension {
    pub line: Line,
    /// Compared only when the expected file gives it.
    pub version: Option<String>,
}

/// `CREATE COLLATION`.
#[derive(Clone, Debug, PartialEq)]
pub struct Collation {
    pub line: Line,
    /// `libc`, `icu` or `builtin`.
    pub provider: String,
    /// The locale (`LC_COLLATE` for libc).
    pub locale: String,
    pub deterministic: bool,
    /// COMMENT ON COLLATION.
    pub comment: Option<String>,
}

/// Extended statistics (`CREATE STATISTICS name (kinds) ON columns,
/// (expressions) FROM table`).
#[derive(Clone, Debug, PartialEq)]
pub struct Statistics {
    pub line: Line,
    /// The table, in this schema.
    pub table: String,
    /// Sorted: `dependencies`, `mcv`, `ndistinct`.
    pub kinds: Vec<String>,
    /// In order (the server keeps them in column order).
    pub columns: Vec<String>,
    /// Expressions (PostgreSQL 14+), in order, as written or as the server
    /// deparses them; compared in canonical form. The server keeps them
    /// apart from the columns, so their order relative to the columns is
    /// not part of the object.
    pub expressions: Vec<String>,
    /// `ALTER STATISTICS ... SET STATISTICS n`; none for the default.
    pub target: Option<i32>,
    /// COMMENT ON STATISTICS.
    pub comment: Option<String>,
}

impl Statistics {
    /// What `CREATE STATISTICS` without a kind list builds.
    pub fn all_kinds() -> Vec<String> {
        vec!["dependencies".into(), "mcv".into(), "ndistinct".into()]
    }
}

/// `CREATE FOREIGN TABLE name (...) SERVER server OPTIONS (...)`.
#[derive(Clone, Debug, PartialEq)]
pub struct ForeignTable {
    pub line: Line,
    pub server: String,
    pub columns: Vec<Field>,
    /// `name=value`, sorted.
    pub options: Vec<String>,
}
