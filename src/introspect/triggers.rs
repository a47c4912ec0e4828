//! Triggers, decoded from `tgtype` and `pg_get_triggerdef`.

use postgres::Row;

use super::partial::Partial;
use crate::model::{Deferrable, Firing, Trigger};

pub(super) const SQL: &str = include_str!("triggers.sql");

pub(super) fn assemble(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        let Some(triggers) = partial.triggers_of(row.get("table_oid")) else {
            continue;
        };
        let tgtype: i32 = row.get("tgtype");
        let definition: String = row.get("definition");
        let update_columns: Vec<String> = row.get("update_columns");
        let (when, function) = split_trigger_definition(&definition);
        triggers.push(Trigger {
            line: None,
            name: row.get("name"),
            timing: trigger_timing(tgtype).into(),
            events: trigger_events(tgtype, &update_columns),
            level: if tgtype & 1 != 0 { "row" } else { "statement" }.into(),
            function,
            when,
            enabled: Firing::from_catalog(&row.get::<_, String>("enabled")),
            constraint: row.get("constraint"),
            deferrable: Deferrable::from_flags(
                row.get("deferrable"),
                row.get("initially_deferred"),
            ),
            from: row.get("from_table"),
            old_table: row.get("old_table"),
            new_table: row.get("new_table"),
            comment: row.get("comment"),
        });
    }
}

fn trigger_timing(tgtype: i32) -> &'static str {
    if tgtype & 64 != 0 {
        "instead of"
    } else if tgtype & 2 != 0 {
        "before"
    } else {
        "after"
    }
}

fn trigger_events(tgtype: i32, update_columns: &[String]) -> Vec<String> {
    let mut events = Vec::new();
    if tgtype & 4 != 0 {
        events.push("insert".to_string());
    }
    if tgtype & 8 != 0 {
        events.push("delete".to_string());
    }
    if tgtype & 16 != 0 {
        if update_columns.is_empty() {
            events.push("update".to_string());
        } else {
            events.push(format!("update of {}", update_columns.join(", ")));
        }
    }
    if tgtype & 32 != 0 {
        events.push("truncate".to_string());
    }
    events.sort();
    events
}

/// Pulls the WHEN condition and the function call out of `pg_get_triggerdef`.
fn split_trigger_definition(def: &str) -> (Option<String>, String) {
    const EXEC: &str = " EXECUTE FUNCTION ";
    let Some(exec) = def.rfind(EXEC) else {
        return (None, def.to_string());
    };
    let function = def[exec + EXEC.len()..].trim().to_string();
    let head = &def[..exec];
    let when = head.find(" WHEN (").map(|w| {
        let inner = &head[w + " WHEN (".len()..];
        inner.strip_suffix(')').unwrap_or(inner).trim().to_string()
    });
    (when, function)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigger_definition_splits_into_when_and_call() {
        let (when, f) = split_trigger_definition(
            "CREATE TRIGGER t BEFORE UPDATE ON users FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION set_updated_at()",
        );
        assert_eq!(when.as_deref(), Some("(old.* IS DISTINCT FROM new.*)"));
        assert_eq!(f, "set_updated_at()");
    }

    #[test]
    fn trigger_type_bits_decode() {
        // ROW | BEFORE | UPDATE
        assert_eq!(trigger_timing(1 | 2 | 16), "before");
        assert_eq!(
            trigger_events(1 | 2 | 16 | 4, &[]),
            vec!["insert", "update"]
        );
        assert_eq!(trigger_events(16, &["a".into()]), vec!["update of a"]);
    }
}
