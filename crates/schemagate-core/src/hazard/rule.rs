//! The rules: stable ids, why each matters, the safe pattern, and how
//! severe a finding is unless the expected file or a flag says otherwise.

use std::fmt;
use std::str::FromStr;

/// A migration-safety rule. Its id is part of the contract (JSON, the
/// expected file's `safety:` section, `-- schemagate:allow` comments).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SafetyRule {
    TableRewrite,
    AccessExclusiveLock,
    BlockingIndexBuild,
    ValidatingScan,
    MissingLockTimeout,
    DropColumn,
    DropTable,
    Rename,
    TypeChange,
    AddUniqueWithoutIndex,
}

impl SafetyRule {
    pub const ALL: &'static [SafetyRule] = &[
        SafetyRule::TableRewrite,
        SafetyRule::AccessExclusiveLock,
        SafetyRule::BlockingIndexBuild,
        SafetyRule::ValidatingScan,
        SafetyRule::MissingLockTimeout,
        SafetyRule::DropColumn,
        SafetyRule::DropTable,
        SafetyRule::Rename,
        SafetyRule::TypeChange,
        SafetyRule::AddUniqueWithoutIndex,
    ];

    pub fn id(self) -> &'static str {
        match self {
            SafetyRule::TableRewrite => "table-rewrite",
            SafetyRule::AccessExclusiveLock => "access-exclusive-lock",
            SafetyRule::BlockingIndexBuild => "blocking-index-build",
            SafetyRule::ValidatingScan => "validating-scan",
            SafetyRule::MissingLockTimeout => "missing-lock-timeout",
            SafetyRule::DropColumn => "drop-column",
            SafetyRule::DropTable => "drop-table",
            SafetyRule::Rename => "rename",
            SafetyRule::TypeChange => "type-change",
            SafetyRule::AddUniqueWithoutIndex => "add-unique-without-index",
        }
    }

    /// Why a finding matters, in one line.
    pub fn why(self) -> &'static str {
        match self {
            SafetyRule::TableRewrite => {
                "the table and its indexes are copied while ACCESS EXCLUSIVE blocks every read and write"
            }
            SafetyRule::AccessExclusiveLock => {
                "ACCESS EXCLUSIVE blocks every read and write, and queues behind any running query"
            }
            SafetyRule::BlockingIndexBuild => {
                "CREATE INDEX without CONCURRENTLY blocks writes for the whole build"
            }
            SafetyRule::ValidatingScan => {
                "the whole table is scanned to validate a constraint while writes are blocked"
            }
            SafetyRule::MissingLockTimeout => {
                "waiting for ACCESS EXCLUSIVE without lock_timeout stalls every query queued behind it"
            }
            SafetyRule::DropColumn => "running application code that still reads the column fails",
            SafetyRule::DropTable => "running application code that still uses the table fails",
            SafetyRule::Rename => "running application code that uses the old name fails",
            SafetyRule::TypeChange => {
                "the column's type changes under running code, usually with a rewrite or scan"
            }
            SafetyRule::AddUniqueWithoutIndex => {
                "the unique index is built inside ALTER TABLE, holding ACCESS EXCLUSIVE for the build"
            }
        }
    }

    /// The safe pattern.
    pub fn safe(self) -> &'static str {
        match self {
            SafetyRule::TableRewrite => {
                "add a new column, backfill in batches and swap (expand/contract); use a constant or no default"
            }
            SafetyRule::AccessExclusiveLock => {
                "keep the statement catalog-only and short, with SET lock_timeout before it"
            }
            SafetyRule::BlockingIndexBuild => {
                "CREATE INDEX CONCURRENTLY in a no-transaction migration"
            }
            SafetyRule::ValidatingScan => {
                "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later migration; a valid CHECK (col IS NOT NULL) before SET NOT NULL"
            }
            SafetyRule::MissingLockTimeout => "SET lock_timeout = '2s' (or SET LOCAL) before the statement",
            SafetyRule::DropColumn => "stop using the column in a release first (expand/contract), then drop it",
            SafetyRule::DropTable => "stop using the table in a release first, then drop it",
            SafetyRule::Rename => {
                "add the new name beside the old one (a view or a new column), move the code, then drop the old"
            }
            SafetyRule::TypeChange => "add a column of the new type, backfill, switch the code, drop the old",
            SafetyRule::AddUniqueWithoutIndex => {
                "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX"
            }
        }
    }

    /// The severity unless configured.
    pub fn default_severity(self) -> Severity {
        match self {
            SafetyRule::TableRewrite
            | SafetyRule::BlockingIndexBuild
            | SafetyRule::ValidatingScan
            | SafetyRule::AddUniqueWithoutIndex
            | SafetyRule::DropTable => Severity::Error,
            SafetyRule::AccessExclusiveLock
            | SafetyRule::MissingLockTimeout
            | SafetyRule::DropColumn
            | SafetyRule::Rename
            | SafetyRule::TypeChange => Severity::Warning,
        }
    }
}

impl fmt::Display for SafetyRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for SafetyRule {
    type Err = String;
    fn from_str(s: &str) -> Result<SafetyRule, String> {
        SafetyRule::ALL
            .iter()
            .copied()
            .find(|r| r.id() == s)
            .ok_or_else(|| {
                let ids: Vec<&str> = SafetyRule::ALL.iter().map(|r| r.id()).collect();
                format!("unknown rule `{s}` (rules: {})", ids.join(", "))
            })
    }
}

/// How severe a finding of a rule is; `Off` drops it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Off,
    Warning,
    Error,
}

impl Severity {
    pub const NAMES: &'static [&'static str] = &["error", "warning", "off"];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Severity, String> {
        match s {
            "error" => Ok(Severity::Error),
            "warning" => Ok(Severity::Warning),
            "off" => Ok(Severity::Off),
            _ => Err(format!("unknown severity `{s}` (error, warning, off)")),
        }
    }
}

/// `--fail-on`: the least severity that fails the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    /// Report hazards without failing (the default until a user opts in).
    #[default]
    Never,
}

impl FailOn {
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Never => false,
        }
    }
}

impl FromStr for FailOn {
    type Err = String;
    fn from_str(s: &str) -> Result<FailOn, String> {
        match s {
            "error" => Ok(FailOn::Error),
            "warning" => Ok(FailOn::Warning),
            "never" => Ok(FailOn::Never),
            _ => Err(format!("unknown --fail-on `{s}` (error, warning, never)")),
        }
    }
}
