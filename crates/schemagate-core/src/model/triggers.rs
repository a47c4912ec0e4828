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
    /// ALTER TABLE ... ENABLE / DISABLE / ENABLE REPLICA / ENABLE ALWAYS.
    pub enabled: Firing,
    /// `CREATE CONSTRAINT TRIGGER`: fired at the end of the statement or,
    /// when deferred, of the transaction.
    pub constraint: bool,
    /// A constraint trigger's deferrability (always `No` for another).
    pub deferrable: super::Deferrable,
    /// A constraint trigger's `FROM table`, as SQL names it.
    pub from: Option<String>,
    /// `REFERENCING OLD TABLE AS o`: the transition table's name.
    pub old_table: Option<String>,
    /// `REFERENCING NEW TABLE AS n`.
    pub new_table: Option<String>,
    pub comment: Option<String>,
}

/// When a trigger or rule fires (`session_replication_role`): `origin` is
/// the default (ENABLE), then DISABLE, ENABLE REPLICA, ENABLE ALWAYS.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Firing {
    #[default]
    Origin,
    Disabled,
    Replica,
    Always,
}

impl Firing {
    /// As the file spells it: `true`, `false`, `replica`, `always`.
    pub fn as_str(self) -> &'static str {
        match self {
            Firing::Origin => "true",
            Firing::Disabled => "false",
            Firing::Replica => "replica",
            Firing::Always => "always",
        }
    }

    /// `true`/`on`/`yes`/`origin`, `false`/`off`/`no`/`disabled`, `replica`,
    /// `always` (any case).
    pub fn parse(text: &str) -> Option<Firing> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "true" | "on" | "yes" | "origin" | "enabled" => Firing::Origin,
            "false" | "off" | "no" | "disabled" => Firing::Disabled,
            "replica" => Firing::Replica,
            "always" => Firing::Always,
            _ => return None,
        })
    }

    /// From `pg_trigger.tgenabled` / `pg_rewrite.ev_enabled`.
    pub fn from_catalog(code: &str) -> Firing {
        match code {
            "D" => Firing::Disabled,
            "R" => Firing::Replica,
            "A" => Firing::Always,
            _ => Firing::Origin,
        }
    }

    /// The words of `ALTER TABLE t <words> TRIGGER|RULE name`.
    pub fn alter_words(self) -> &'static str {
        match self {
            Firing::Origin => "ENABLE",
            Firing::Disabled => "DISABLE",
            Firing::Replica => "ENABLE REPLICA",
            Firing::Always => "ENABLE ALWAYS",
        }
    }
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
    pub comment: Option<String>,
}

/// `CREATE RULE name AS ON event TO table DO ...`.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub line: Line,
    pub name: String,
    /// The whole rule as `pg_get_ruledef` prints it; compared ignoring
    /// whitespace and comments outside literals.
    pub definition: String,
    /// ALTER TABLE ... ENABLE / DISABLE / ENABLE REPLICA / ENABLE ALWAYS RULE.
    pub enabled: Firing,
    pub comment: Option<String>,
}
