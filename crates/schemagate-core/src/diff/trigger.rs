//! Triggers and rules of a table, identified by name alone.

use super::attr::{attr, attr_expr, attr_list, attr_opt_expr, attr_opt_text, Attr};
use super::mismatch::ObjectType;
use super::pairing::ItemKind;
use crate::canon::{canonical_body, pretty_expr};
use crate::model::{Line, Rule, Trigger};

pub(super) struct TriggerKind;

impl ItemKind for TriggerKind {
    type Item = Trigger;
    /// A trigger always has a name, which is its identity.
    type Structure = ();
    type Key = ();
    const OBJECT_TYPE: ObjectType = ObjectType::Trigger;

    fn name(t: &Trigger) -> Option<&str> {
        Some(&t.name)
    }
    fn line(t: &Trigger) -> Line {
        t.line
    }
    fn columns(t: &Trigger) -> Vec<String> {
        vec![t.name.clone()]
    }
    fn structure(_: &Trigger) -> Option<()> {
        None
    }
    fn key(_: &Trigger) -> Option<()> {
        None
    }
    fn render(t: &Trigger) -> String {
        let mut s = format!(
            "{}{} {} ON EACH {} EXECUTE FUNCTION {}",
            if t.constraint { "CONSTRAINT " } else { "" },
            t.timing.to_uppercase(),
            t.events.join(" OR ").to_uppercase(),
            t.level.to_uppercase(),
            t.function
        );
        if let Some(w) = &t.when {
            s.push_str(&format!(" WHEN ({})", pretty_expr(w)));
        }
        s
    }
    fn attributes(e: &Trigger, a: &Trigger) -> Vec<Attr> {
        vec![
            attr("timing", e.timing.to_lowercase(), a.timing.to_lowercase()),
            attr_list("events", &e.events, &a.events),
            attr("level", e.level.to_lowercase(), a.level.to_lowercase()),
            attr_expr("function", &e.function, &a.function),
            attr_opt_expr("when", &e.when, &a.when),
            attr("enabled", e.enabled.as_str(), a.enabled.as_str()),
            attr("constraint", e.constraint, a.constraint),
            attr("deferrable", e.deferrable.as_str(), a.deferrable.as_str()),
            attr_opt_text("from", &e.from, &a.from),
            (e.old_table != a.old_table || e.new_table != a.new_table)
                .then(|| ("referencing", Some(referencing(e)), Some(referencing(a)))),
            attr_opt_text("comment", &e.comment, &a.comment),
        ]
    }
}

/// `old=o, new=n` (`-` for none).
fn referencing(t: &Trigger) -> String {
    let mut parts = Vec::new();
    if let Some(o) = &t.old_table {
        parts.push(format!("old={o}"));
    }
    if let Some(n) = &t.new_table {
        parts.push(format!("new={n}"));
    }
    if parts.is_empty() {
        "-".to_string()
    } else {
        parts.join(", ")
    }
}

pub(super) struct RuleKind;

impl ItemKind for RuleKind {
    type Item = Rule;
    /// A rule always has a name, which is its identity.
    type Structure = ();
    type Key = ();
    const OBJECT_TYPE: ObjectType = ObjectType::Rule;

    fn name(r: &Rule) -> Option<&str> {
        Some(&r.name)
    }
    fn line(r: &Rule) -> Line {
        r.line
    }
    fn columns(r: &Rule) -> Vec<String> {
        vec![r.name.clone()]
    }
    fn structure(_: &Rule) -> Option<()> {
        None
    }
    fn key(_: &Rule) -> Option<()> {
        None
    }
    fn render(r: &Rule) -> String {
        r.definition.clone()
    }
    fn attributes(e: &Rule, a: &Rule) -> Vec<Attr> {
        let same = canonical_body(e.definition.trim_end_matches(';'))
            == canonical_body(a.definition.trim_end_matches(';'));
        vec![
            (!same).then(|| {
                (
                    "definition",
                    Some(e.definition.clone()),
                    Some(a.definition.clone()),
                )
            }),
            attr("enabled", e.enabled.as_str(), a.enabled.as_str()),
            attr_opt_text("comment", &e.comment, &a.comment),
        ]
    }
}
