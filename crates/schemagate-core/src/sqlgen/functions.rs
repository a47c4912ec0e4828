//! Functions and procedures: created, replaced, dropped and created again
//! when their result or arguments change, or altered for their options;
//! and the `COMMENT ON ROUTINE` of one.

use super::{comment_on, literal, qualified, Phase, Script};
use crate::canon::{canonical_body, canonical_type};
use crate::diff::Change;
use crate::model::*;

/// `ROUTINE schema.name(types)` of a function keyed by signature.
pub(super) fn routine_target(schema: &str, signature: &str) -> String {
    let (fname, types) = signature.split_once('(').unwrap_or((signature, ")"));
    format!("ROUTINE {}({types}", qualified(schema, fname))
}

/// A function or procedure missing, unexpected or changed. With the body in
/// the expected file: `CREATE OR REPLACE` (after a `DROP` when the result or
/// the arguments changed, which `CREATE OR REPLACE` cannot do); for options
/// alone, `ALTER FUNCTION`. Without the body, a comment saying so.
pub(super) fn function(
    script: &mut Script,
    schema: &str,
    signature: &str,
    change: Change,
    e: Option<&Function>,
    a: Option<&Function>,
) {
    let (fname, types) = signature.split_once('(').unwrap_or((signature, ")"));
    let target = format!("{}({types}", qualified(schema, fname));
    let routine = |f: &Function| {
        if f.returns == "procedure" {
            "PROCEDURE"
        } else {
            "FUNCTION"
        }
    };
    let e = match (change, e, a) {
        (Change::Unexpected, _, Some(a)) => {
            script.destructive(Phase::DropTypes, format!("DROP {} {target}", routine(a)));
            return;
        }
        (Change::Unexpected, _, None) => {
            script.destructive(Phase::DropTypes, format!("DROP ROUTINE {target}"));
            return;
        }
        (_, Some(e), _) => e,
        (_, None, _) => return,
    };
    let recreate = |script: &mut Script, why: &str| {
        match &e.body {
        Some(body) => {
            let arguments = e
                .arguments
                .clone()
                .or_else(|| a.and_then(|a| a.arguments.clone()))
                .unwrap_or_else(|| types.trim_end_matches(')').to_string());
            script.push(
                Phase::Types,
                create_function(schema, fname, &arguments, e, body),
            );
        }
        None => script.manual(
            Phase::Types,
            format!(
                "function {schema}.{signature}: cannot repair, {why} and the expected file gives no body; create or replace it from your migrations"
            ),
        ),
    }
    };
    let Some(a) = a.filter(|_| change == Change::Changed) else {
        recreate(script, "it is missing");
        return;
    };
    let same_arguments = match (&e.arguments, &a.arguments) {
        (Some(x), Some(y)) => {
            crate::diff::canonical_arguments(x) == crate::diff::canonical_arguments(y)
        }
        (Some(_), None) => false,
        (None, _) => true,
    };
    let same_body = match (&e.body, &a.body) {
        (Some(x), Some(y)) => canonical_body(x) == canonical_body(y),
        (Some(_), None) => false,
        (None, _) => true,
    };
    if canonical_type(&e.returns) != canonical_type(&a.returns)
        || routine(e) != routine(a)
        || !same_arguments
    {
        if e.body.is_some() {
            script.manual(
                Phase::Types,
                format!(
                    "function {schema}.{signature}: its result or arguments differ, so it is dropped and created again; \
                     its comment and any grant the file does not declare go with it, and the DROP fails while a view, trigger or default uses it"
                ),
            );
            script.destructive(Phase::Types, format!("DROP {} {target}", routine(a)));
            if e.comment.is_some() && e.comment == a.comment {
                script.push(
                    Phase::Comments,
                    comment_on(&routine_target(schema, signature), &e.comment),
                );
            }
            script.1.push(crate::model::Securable::new(
                crate::model::SecurableKind::Function,
                schema,
                Some(signature),
            ));
        }
        recreate(script, "its result or arguments differ");
        return;
    }
    if !same_body || e.language.to_lowercase() != a.language.to_lowercase() {
        recreate(script, "its body or language differs");
        return;
    }
    // Options only.
    let mut options = Vec::new();
    if routine(e) == "FUNCTION" {
        if e.volatility != a.volatility {
            options.push(e.volatility.as_str().to_uppercase());
        }
        if e.strict != a.strict {
            options.push(
                if e.strict {
                    "STRICT"
                } else {
                    "CALLED ON NULL INPUT"
                }
                .into(),
            );
        }
        if e.leakproof != a.leakproof {
            options.push(
                if e.leakproof {
                    "LEAKPROOF"
                } else {
                    "NOT LEAKPROOF"
                }
                .into(),
            );
        }
        if e.parallel != a.parallel {
            options.push(format!("PARALLEL {}", e.parallel.as_str().to_uppercase()));
        }
        if number_text(e.cost) != number_text(a.cost) {
            options.push(format!("COST {}", number_text(e.cost)));
        }
        if number_text(e.rows) != number_text(a.rows) && Function::returns_set(&e.returns) {
            options.push(format!("ROWS {}", number_text(e.rows)));
        }
    }
    if e.security_definer != a.security_definer {
        options.push(
            if e.security_definer {
                "SECURITY DEFINER"
            } else {
                "SECURITY INVOKER"
            }
            .into(),
        );
    }
    let alter = format!("ALTER {} {target}", routine(e));
    if !options.is_empty() {
        script.push(Phase::Types, format!("{alter} {}", options.join(" ")));
    }
    if e.config != a.config {
        for name in a.config.keys().filter(|k| !e.config.contains_key(*k)) {
            script.push(Phase::Types, format!("{alter} RESET {}", quote_ident(name)));
        }
        for (name, value) in &e.config {
            if a.config.get(name) != Some(value) {
                script.push(Phase::Types, format!("{alter} {}", set_clause(name, value)));
            }
        }
    }
}

/// `CREATE OR REPLACE FUNCTION|PROCEDURE` with every option the model holds.
fn create_function(schema: &str, name: &str, arguments: &str, f: &Function, body: &str) -> String {
    let procedure = f.returns == "procedure";
    let mut sql = format!(
        "CREATE OR REPLACE {} {}({arguments})",
        if procedure { "PROCEDURE" } else { "FUNCTION" },
        qualified(schema, name)
    );
    if !procedure {
        sql.push_str(&format!(" RETURNS {}", f.returns));
    }
    sql.push_str(&format!(" LANGUAGE {}", f.language));
    if !procedure {
        sql.push_str(&format!(" {}", f.volatility.as_str().to_uppercase()));
        if f.strict {
            sql.push_str(" STRICT");
        }
        if f.leakproof {
            sql.push_str(" LEAKPROOF");
        }
        sql.push_str(&format!(" PARALLEL {}", f.parallel.as_str().to_uppercase()));
        if f.cost != Function::default_cost(&f.language) {
            sql.push_str(&format!(" COST {}", number_text(f.cost)));
        }
        if Function::returns_set(&f.returns) && f.rows != Function::default_rows(&f.returns) {
            sql.push_str(&format!(" ROWS {}", number_text(f.rows)));
        }
    }
    if f.security_definer {
        sql.push_str(" SECURITY DEFINER");
    }
    for (k, v) in &f.config {
        sql.push_str(&format!(" {}", set_clause(k, v)));
    }
    let trimmed = body.trim();
    if trimmed.len() >= 12 && trimmed[..12].eq_ignore_ascii_case("begin atomic") {
        // A SQL-standard body is written as is.
        sql.push_str(&format!("\n{trimmed}"));
    } else {
        let mut tag = "$body$".to_string();
        let mut n = 0;
        while body.contains(&tag) {
            n += 1;
            tag = format!("$body{n}$");
        }
        sql.push_str(&format!(" AS {tag}{body}{tag}"));
    }
    sql
}

/// `SET name = value` of a `proconfig` entry: list elements that are quoted
/// identifiers stay so, others become literals.
fn set_clause(name: &str, value: &str) -> String {
    let items: Vec<String> = value
        .split(", ")
        .map(|v| {
            if v.starts_with('"') {
                v.to_string()
            } else {
                literal(v)
            }
        })
        .collect();
    format!("SET {} = {}", quote_ident(name), items.join(", "))
}
