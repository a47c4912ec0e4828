//! Same-meaning spellings: SQL's parameterless functions and their
//! aliases, what `'now'` cast to a type means, and the boolean literals
//! `boolin` reads.

use sqlparser::ast::ObjectNamePart;

/// The spelling of a function that means the same as `f` (SQL's
/// parameterless functions and their aliases), if it has one.
pub(super) fn same_function(f: &sqlparser::ast::Function) -> Option<&'static str> {
    use sqlparser::ast::FunctionArguments;
    let [ObjectNamePart::Identifier(name)] = f.name.0.as_slice() else {
        return None;
    };
    if name.quote_style.is_some() || f.over.is_some() || f.filter.is_some() {
        return None;
    }
    let bare = match &f.args {
        FunctionArguments::None => true,
        FunctionArguments::List(list) => list.args.is_empty() && list.clauses.is_empty(),
        FunctionArguments::Subquery(_) => return None,
    };
    if !bare {
        return None;
    }
    match name.value.to_ascii_lowercase().as_str() {
        "now" | "transaction_timestamp" => Some("now()"),
        other => value_function(other),
    }
}

/// The spelling of SQL's parameterless function `name` (lower case).
pub(super) fn value_function(name: &str) -> Option<&'static str> {
    Some(match name {
        "current_timestamp" => "now()",
        "current_date" => "CURRENT_DATE",
        "localtimestamp" => "LOCALTIMESTAMP",
        "localtime" => "LOCALTIME",
        "current_time" => "CURRENT_TIME",
        // PostgreSQL's CURRENT_ROLE and USER are CURRENT_USER.
        "current_user" | "current_role" | "user" => "CURRENT_USER",
        "session_user" => "SESSION_USER",
        "current_catalog" => "CURRENT_CATALOG",
        "current_schema" => "CURRENT_SCHEMA",
        _ => return None,
    })
}

/// What `'now'` cast to `type_name` (canonical) means at each evaluation.
pub(super) fn now_as(type_name: &str) -> Option<&'static str> {
    Some(match type_name {
        "timestamp with time zone" => "now()",
        "timestamp without time zone" => "LOCALTIMESTAMP",
        "date" => "CURRENT_DATE",
        "time without time zone" => "LOCALTIME",
        "time with time zone" => "CURRENT_TIME",
        _ => return None,
    })
}

/// The boolean a quoted literal stands for, as `boolin` reads it.
pub(super) fn boolean_literal(text: &str) -> Option<bool> {
    let t = text.trim().to_ascii_lowercase();
    if t.is_empty() {
        return None;
    }
    if "true".starts_with(&t) || "yes".starts_with(&t) || t == "on" || t == "1" {
        Some(true)
    } else if "false".starts_with(&t)
        || (t.len() >= 2 && "off".starts_with(&t))
        || "no".starts_with(&t)
        || t == "0"
    {
        Some(false)
    } else {
        None
    }
}
