//! Triggers of a table, identified by name alone.

use super::attr::{attr, attr_expr, attr_list, attr_opt_expr, Attr};
use super::mismatch::ObjectType;
use super::pairing::ItemKind;
use crate::canon::pretty_expr;
use crate::model::{Line, Trigger};

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
            "{} {} ON EACH {} EXECUTE FUNCTION {}",
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
            attr("enabled", e.enabled, a.enabled),
        ]
    }
}
