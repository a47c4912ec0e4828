//! Migration safety: what applying each new migration was observed to do
//! (locks, rewrites, validating scans, index builds, drops, renames) judged
//! by rules with stable ids. Pure: the observing happens at the edge.

mod judge;
pub mod observe;
mod rule;

pub use judge::{allowed_rules, judge, Hazard, SeverityPolicy};
pub use observe::{IndexBuild, StatementObservation};
pub use rule::{FailOn, SafetyRule, Severity};

/// The verdict on the judged migrations, as reports show it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Safety {
    /// Sorted by migration, line, rule.
    pub hazards: Vec<Hazard>,
    pub fail_on: FailOn,
    /// The ids of the migrations judged, in the order applied.
    pub judged: Vec<String>,
    /// What could not be observed (e.g. locks of a no-transaction migration).
    pub unobserved: Vec<String>,
}

impl Safety {
    /// A hazard at or above `--fail-on` was found.
    pub fn fails(&self) -> bool {
        self.hazards.iter().any(|h| self.fail_on.fails(h.severity))
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.hazards
            .iter()
            .filter(|h| h.severity == severity)
            .count()
    }

    /// One line: `2 hazards in 1 judged migration (1 error, 1 warning)`.
    pub fn summary_line(&self) -> String {
        let n = self.hazards.len();
        let m = self.judged.len();
        format!(
            "{n} hazard{} in {m} judged migration{} ({} error, {} warning)",
            if n == 1 { "" } else { "s" },
            if m == 1 { "" } else { "s" },
            self.count(Severity::Error),
            self.count(Severity::Warning),
        )
    }
}
