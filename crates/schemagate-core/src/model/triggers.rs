//! What runs on a table's rows: triggers, rules and row-level-security
//! policies.

use super::Line;

#[derive(Clone, Debug, PartialEq)]
pub struct Trigger {
    pub line: Line,
    pub name: String,
    /// `before`, `after` or `instead of`.
    pub timing: String,
    /// Sorted: `delete`, `insert`, `truncate`, `update`, or `update of a, b`.
    pub events: Vec<String>,
    /// `row` or `statement`.
    pub level: String,
    /// The trigger function with its arguments, e.g. `set_updated_at()`.
    pub function: String,
    pub when: Option<String>,
    pub enabled: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    pub line: Line,
    pub name: String,
    /// `all`, `select`, `insert`, `update` or `delete`.
    pub command: String,
    pub permissive: bool,
    /// Sorted role names; `public` for everyone.
    pub roles: Vec<String>,
    pub using: Option<String>,
    pub with_check: Option<String>,
}

/// `CREATE RULE name AS ON event TO table DO ...`.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub line: Line,
    pub name: String,
    /// The whole rule as `pg_get_ruledef` prints it; compared ignoring
    /// whitespace and comments outside literals.
    pub definition: String,
}
