//! What hangs off a table besides its constraints: indexes, triggers,
//! rules, policies and the replica identity.

use crate::model::*;
use crate::sqlgen::{idents, qualified, Phase, Script};

/// The rule as the server prints it (`CREATE RULE ... AS ON ... DO ...`),
/// replacing one of the same name.
/// Then its firing, when not the default.
pub(super) fn create_rule(script: &mut Script, q: &str, r: &Rule) {
    let def = r.definition.trim().trim_end_matches(';');
    let sql = match def.strip_prefix("CREATE RULE ") {
        Some(rest) => format!("CREATE OR REPLACE RULE {rest}"),
        None => def.to_string(),
    };
    script.push(Phase::Triggers, sql);
    set_firing(script, q, "RULE", &r.name, r.enabled);
}

/// `ALTER TABLE ... REPLICA IDENTITY DEFAULT | FULL | NOTHING | USING INDEX i`.
pub(super) fn replica_identity(q: &str, value: &str) -> String {
    match value.strip_prefix("index ") {
        Some(index) => format!(
            "ALTER TABLE {q} REPLICA IDENTITY USING INDEX {}",
            quote_ident(index)
        ),
        None => format!("ALTER TABLE {q} REPLICA IDENTITY {}", value.to_uppercase()),
    }
}

/// `ALTER TABLE ... SET ACCESS METHOD m` (PostgreSQL 15; a partitioned
/// table 17): `None` is heap, the default. It rewrites the table.
pub(super) fn set_access_method(q: &str, method: Option<&str>) -> String {
    format!(
        "ALTER TABLE {q} SET ACCESS METHOD {}",
        quote_ident(method.unwrap_or("heap"))
    )
}

pub(super) fn create_index(schema: &str, table: &str, i: &Index) -> String {
    let mut sql = format!("CREATE {}INDEX ", if i.unique { "UNIQUE " } else { "" });
    if let Some(n) = &i.name {
        sql.push_str(&quote_ident(n));
        sql.push(' ');
    }
    let keys: Vec<String> = i.keys.iter().map(|k| k.to_string()).collect();
    sql.push_str(&format!("ON {}", qualified(schema, table)));
    if i.method != "btree" {
        sql.push_str(&format!(" USING {}", i.method));
    }
    sql.push_str(&format!(" ({})", keys.join(", ")));
    if !i.include.is_empty() {
        sql.push_str(&format!(" INCLUDE ({})", idents(&i.include)));
    }
    if i.nulls_not_distinct {
        sql.push_str(" NULLS NOT DISTINCT");
    }
    if !i.options.is_empty() {
        sql.push_str(&format!(
            " WITH ({})",
            super::super::option_list(&i.options)
        ));
    }
    if let Some(p) = &i.predicate {
        sql.push_str(&format!(" WHERE {p}"));
    }
    sql
}

pub(super) fn create_trigger(script: &mut Script, q: &str, t: &Trigger) {
    let events: Vec<String> = t
        .events
        .iter()
        .map(|e| match e.strip_prefix("update of ") {
            // Column names keep their spelling.
            Some(columns) => format!("UPDATE OF {columns}"),
            None => e.to_uppercase(),
        })
        .collect();
    let mut sql = format!(
        "CREATE {}TRIGGER {} {} {} ON {q}",
        if t.constraint { "CONSTRAINT " } else { "" },
        quote_ident(&t.name),
        t.timing.to_uppercase(),
        events.join(" OR "),
    );
    if let Some(from) = &t.from {
        sql.push_str(&format!(" FROM {from}"));
    }
    if t.constraint {
        sql.push(' ');
        sql.push_str(&t.deferrable.as_str().to_uppercase());
    }
    if t.old_table.is_some() || t.new_table.is_some() {
        sql.push_str(" REFERENCING");
        if let Some(o) = &t.old_table {
            sql.push_str(&format!(" OLD TABLE AS {}", quote_ident(o)));
        }
        if let Some(n) = &t.new_table {
            sql.push_str(&format!(" NEW TABLE AS {}", quote_ident(n)));
        }
    }
    sql.push_str(&format!(" FOR EACH {}", t.level.to_uppercase()));
    if let Some(w) = &t.when {
        sql.push_str(&format!(" WHEN ({w})"));
    }
    sql.push_str(&format!(" EXECUTE FUNCTION {}", t.function));
    script.push(Phase::Triggers, sql);
    set_firing(script, q, "TRIGGER", &t.name, t.enabled);
}

pub(super) fn create_policy(q: &str, p: &Policy) -> String {
    let roles: Vec<String> = p
        .roles
        .iter()
        .map(|r| {
            if r == "public" {
                "PUBLIC".to_string()
            } else {
                quote_ident(r)
            }
        })
        .collect();
    let mut sql = format!(
        "CREATE POLICY {} ON {q} AS {} FOR {} TO {}",
        quote_ident(&p.name),
        if p.permissive {
            "PERMISSIVE"
        } else {
            "RESTRICTIVE"
        },
        p.command.to_uppercase(),
        roles.join(", ")
    );
    if let Some(u) = &p.using {
        sql.push_str(&format!(" USING ({u})"));
    }
    if let Some(w) = &p.with_check {
        sql.push_str(&format!(" WITH CHECK ({w})"));
    }
    sql
}

/// `ALTER TABLE q DISABLE|ENABLE REPLICA|ENABLE ALWAYS TRIGGER|RULE name`,
/// when the firing is not the default a new one has.
fn set_firing(script: &mut Script, q: &str, what: &str, name: &str, firing: Firing) {
    if firing != Firing::Origin {
        script.push(
            Phase::Triggers,
            format!(
                "ALTER TABLE {q} {} {what} {}",
                firing.alter_words(),
                quote_ident(name)
            ),
        );
    }
}
