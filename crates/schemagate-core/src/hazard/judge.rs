//! Observations -> findings: each rule, the configured severities, and the
//! `-- schemagate:allow` comments.

use std::collections::BTreeMap;

use super::observe::{blocks_writes, lock_name, lock_strength, StatementObservation};
use super::rule::{SafetyRule, Severity};

/// One finding, as every report shows it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hazard {
    pub migration: String,
    pub file: String,
    pub line: u32,
    pub rule: SafetyRule,
    pub severity: Severity,
    pub statement: String,
    pub relation: String,
    /// The lock involved, as `ACCESS EXCLUSIVE`.
    pub lock: Option<String>,
    /// The relation was rewritten by the statement.
    pub rewrite: bool,
    /// What was observed, in one line (`index orders_total_idx built`).
    pub detail: String,
}

/// Severity per rule: the defaults, then the expected file's `safety:`,
/// then flags.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeverityPolicy {
    pub severities: BTreeMap<SafetyRule, Severity>,
}

impl SeverityPolicy {
    pub fn severity(&self, rule: SafetyRule) -> Severity {
        self.severities
            .get(&rule)
            .copied()
            .unwrap_or_else(|| rule.default_severity())
    }

    /// Sets rules from `rule -> severity` pairs; later ones win.
    pub fn set(&mut self, rule: SafetyRule, severity: Severity) {
        self.severities.insert(rule, severity);
    }
}

/// Judges one statement. Each rule fires at most once per relation; an
/// allow comment accepts the statement's first finding of its rule.
pub fn judge(o: &StatementObservation, policy: &SeverityPolicy) -> Vec<Hazard> {
    let mut found: Vec<(SafetyRule, String, Option<String>, String)> = Vec::new();
    let held = |relation: &str| -> Option<String> {
        o.held
            .iter()
            .filter(|(r, _)| r == relation)
            .max_by_key(|(_, m)| lock_strength(m))
            .map(|(_, m)| m.clone())
    };
    let rewritten = |relation: &str| o.rewritten.iter().any(|r| r == relation);

    for relation in &o.rewritten {
        found.push((
            SafetyRule::TableRewrite,
            relation.clone(),
            held(relation),
            format!("{relation} rewritten (relfilenode changed)"),
        ));
    }
    for (relation, mode) in &o.locks {
        if mode == "AccessExclusiveLock" {
            found.push((
                SafetyRule::AccessExclusiveLock,
                relation.clone(),
                Some(mode.clone()),
                format!("ACCESS EXCLUSIVE taken on {relation}"),
            ));
            if !o.lock_timeout {
                found.push((
                    SafetyRule::MissingLockTimeout,
                    relation.clone(),
                    Some(mode.clone()),
                    format!("ACCESS EXCLUSIVE on {relation} with lock_timeout = 0"),
                ));
            }
        }
    }
    for b in &o.index_builds {
        if b.concurrently || rewritten(&b.relation) {
            continue;
        }
        let rule = if b.for_constraint {
            SafetyRule::AddUniqueWithoutIndex
        } else {
            SafetyRule::BlockingIndexBuild
        };
        found.push((
            rule,
            b.relation.clone(),
            held(&b.relation),
            format!("index {} built on {}", b.index, b.relation),
        ));
    }
    // A scan under a lock that only blocks schema changes (VALIDATE
    // CONSTRAINT in its own migration) is the safe pattern; the same scan
    // in the transaction that added the constraint holds its lock.
    let scans = o
        .scans
        .iter()
        .map(|(r, c)| (r, format!("constraint {c} validated by a scan of {r}")))
        .chain(o.not_null_scans.iter().map(|(r, c)| {
            (
                r,
                format!("{r}.{c} SET NOT NULL scanned {r} (no valid CHECK proves it)"),
            )
        }));
    for (relation, detail) in scans {
        let lock = held(relation);
        if lock.as_deref().is_some_and(blocks_writes) && !rewritten(relation) {
            found.push((SafetyRule::ValidatingScan, relation.clone(), lock, detail));
        }
    }
    for (relation, column) in &o.dropped_columns {
        found.push((
            SafetyRule::DropColumn,
            relation.clone(),
            held(relation),
            format!("column {column} dropped from {relation}"),
        ));
    }
    for relation in &o.dropped_tables {
        found.push((
            SafetyRule::DropTable,
            relation.clone(),
            held(relation),
            format!("{relation} dropped"),
        ));
    }
    for (relation, from, to) in &o.renames {
        found.push((
            SafetyRule::Rename,
            relation.clone(),
            held(relation),
            format!("{from} renamed to {to}"),
        ));
    }
    for (relation, column, from, to) in &o.type_changes {
        found.push((
            SafetyRule::TypeChange,
            relation.clone(),
            held(relation),
            format!("{relation}.{column}: {from} -> {to}"),
        ));
    }

    let mut allowed: Vec<&str> = o.allowed.iter().map(String::as_str).collect();
    let mut hazards = Vec::new();
    for (rule, relation, lock, detail) in found {
        if hazards
            .iter()
            .any(|h: &Hazard| h.rule == rule && h.relation == relation)
        {
            continue;
        }
        if let Some(i) = allowed.iter().position(|a| *a == rule.id()) {
            allowed.remove(i);
            continue;
        }
        let severity = policy.severity(rule);
        if severity == Severity::Off {
            continue;
        }
        hazards.push(Hazard {
            migration: o.migration.clone(),
            file: o.file.clone(),
            line: o.line,
            rule,
            severity,
            statement: o.statement.clone(),
            rewrite: rewritten(&relation),
            lock: lock.as_deref().map(lock_name),
            relation,
            detail,
        });
    }
    hazards
}

/// The rules named by `-- schemagate:allow RULE[, RULE]` lines in `gap`,
/// the text between the previous statement and this one.
pub fn allowed_rules(gap: &str) -> Vec<String> {
    gap.lines()
        .filter_map(|l| l.trim().strip_prefix("--"))
        .filter_map(|l| l.trim().strip_prefix("schemagate:allow"))
        .flat_map(|rest| {
            rest.split([',', ' '])
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazard::observe::IndexBuild;

    fn obs() -> StatementObservation {
        StatementObservation {
            migration: "0002_idx".into(),
            file: "migrations/0002_idx.up.sql".into(),
            line: 3,
            statement: "CREATE INDEX ON t (a)".into(),
            ..Default::default()
        }
    }

    #[test]
    fn index_build_without_concurrently_is_blocking() {
        let mut o = obs();
        o.index_builds.push(IndexBuild {
            relation: "public.t".into(),
            index: "t_a_idx".into(),
            concurrently: false,
            for_constraint: false,
        });
        o.held.push(("public.t".into(), "ShareLock".into()));
        let h = judge(&o, &SeverityPolicy::default());
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].rule, SafetyRule::BlockingIndexBuild);
        assert_eq!(h[0].lock.as_deref(), Some("SHARE"));
    }

    #[test]
    fn allow_comment_accepts_one_finding() {
        let mut o = obs();
        o.rewritten = vec!["public.a".into(), "public.b".into()];
        o.allowed = allowed_rules("-- schemagate:allow table-rewrite\n");
        let h = judge(&o, &SeverityPolicy::default());
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].relation, "public.b");
    }

    #[test]
    fn validate_under_share_update_exclusive_is_safe() {
        let mut o = obs();
        o.scans.push(("public.t".into(), "t_check".into()));
        o.held
            .push(("public.t".into(), "ShareUpdateExclusiveLock".into()));
        assert!(judge(&o, &SeverityPolicy::default()).is_empty());
        o.held
            .push(("public.t".into(), "AccessExclusiveLock".into()));
        assert_eq!(
            judge(&o, &SeverityPolicy::default())[0].rule,
            SafetyRule::ValidatingScan
        );
    }

    #[test]
    fn off_drops_and_lock_names_read_as_documented() {
        let mut o = obs();
        o.locks
            .push(("public.t".into(), "AccessExclusiveLock".into()));
        let mut policy = SeverityPolicy::default();
        policy.set(SafetyRule::AccessExclusiveLock, Severity::Off);
        let h = judge(&o, &policy);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].rule, SafetyRule::MissingLockTimeout);
        assert_eq!(h[0].lock.as_deref(), Some("ACCESS EXCLUSIVE"));
    }
}
