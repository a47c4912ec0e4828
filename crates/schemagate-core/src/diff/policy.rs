//! Row-level security policies of a table, identified by name alone.

use super::attr::{attr, attr_list, attr_opt_expr, attr_opt_text, Attr};
use super::mismatch::ObjectType;
use super::pairing::ItemKind;
use crate::canon::pretty_expr;
use crate::model::{quote_ident, Line, Policy};

pub(super) struct PolicyKind;

impl ItemKind for PolicyKind {
    type Item = Policy;
    /// A policy always has a name, which is its identity.
    type Structure = ();
    type Key = ();
    const OBJECT_TYPE: ObjectType = ObjectType::Policy;

    fn name(p: &Policy) -> Option<&str> {
        Some(&p.name)
    }
    fn line(p: &Policy) -> Line {
        p.line
    }
    fn columns(p: &Policy) -> Vec<String> {
        vec![p.name.clone()]
    }
    fn structure(_: &Policy) -> Option<()> {
        None
    }
    fn key(_: &Policy) -> Option<()> {
        None
    }
    fn render(p: &Policy) -> String {
        let mut s = format!(
            "POLICY {} AS {} FOR {} TO {}",
            quote_ident(&p.name),
            if p.permissive {
                "PERMISSIVE"
            } else {
                "RESTRICTIVE"
            },
            p.command.to_uppercase(),
            p.roles.join(", ")
        );
        if let Some(u) = &p.using {
            s.push_str(&format!(" USING ({})", pretty_expr(u)));
        }
        if let Some(w) = &p.with_check {
            s.push_str(&format!(" WITH CHECK ({})", pretty_expr(w)));
        }
        s
    }
    fn attributes(e: &Policy, a: &Policy) -> Vec<Attr> {
        vec![
            attr(
                "command",
                e.command.to_lowercase(),
                a.command.to_lowercase(),
            ),
            attr("permissive", e.permissive, a.permissive),
            attr_list("roles", &e.roles, &a.roles),
            attr_opt_expr("using", &e.using, &a.using),
            attr_opt_expr("with_check", &e.with_check, &a.with_check),
            attr_opt_text("comment", &e.comment, &a.comment),
        ]
    }
}
