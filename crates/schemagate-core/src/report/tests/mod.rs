//! Snapshots of every format from one shared fixture that holds every kind
//! of mismatch, plus structural checks that snapshots alone would not make
//! (well-formed XML, one Markdown cell per column, one annotation per line).

mod document;
mod every_format;
mod github;
mod json;
mod junit;
mod markdown;
mod table;
mod xml;

use super::{render, Format, Outcome};
use crate::diff::{Change, Mismatch, ObjectType};
use crate::model::QualifiedName;

/// A name that needs every kind of quoting: SQL quotes, a Markdown and
/// Mermaid pipe, a backtick, a comma and colon (workflow properties), XML
/// specials and non-ASCII letters.
const WEIRD: &str = "Weird \"Quoted\" | `Täble`, ✓: <&>";

fn weird_table() -> QualifiedName {
    QualifiedName::new("public", WEIRD)
}

#[allow(clippy::too_many_arguments)]
fn mismatch(
    object_type: ObjectType,
    change: Change,
    path: &[&str],
    table: Option<QualifiedName>,
    attribute: Option<&str>,
    expected: Option<&str>,
    actual: Option<&str>,
    line: Option<u32>,
) -> Mismatch {
    Mismatch {
        object: path
            .iter()
            .map(|p| crate::model::quote_ident(p))
            .collect::<Vec<_>>()
            .join("."),
        object_type,
        change,
        attribute: attribute.map(str::to_string),
        expected: expected.map(str::to_string),
        actual: actual.map(str::to_string),
        line,
        table,
        path: path.iter().map(|p| p.to_string()).collect(),
    }
}

/// The shared fixture: missing, unexpected and changed objects of several
/// types, values with line breaks, backticks, `%`, and a mismatch without a
/// line (an undeclared table), and an escape sequence (in an enum label)
/// that no format may pass through to a terminal.
#[rustfmt::skip]
pub(crate) fn fixture() -> Outcome {
    use Change::*;
    use ObjectType as O;
    let users = Some(QualifiedName::new("public", "users"));
    let messages = Some(QualifiedName::new("public", "messages"));
    let present = Some("present");
    let mut mismatches = vec![
        mismatch(O::Table, Missing, &["public", "audit_log"], None, None, present, None, Some(40)),
        mismatch(O::Table, Unexpected, &["public", "tmp_import"], None, None, None, present, None),
        mismatch(O::Column, Changed, &["public", "users", "email"], users.clone(), Some("type"), Some("varchar(255)"), Some("text"), Some(12)),
        mismatch(O::Column, Changed, &["public", "users", "status"], users.clone(), Some("nullable"), Some("false"), Some("true"), Some(15)),
        mismatch(O::Column, Changed, &["public", "users", "created_at"], users.clone(), Some("default"), Some("now()"), Some("now()\r\n  -- set by the app"), Some(16)),
        mismatch(O::Column, Missing, &["public", "users", "last_login_at"], users.clone(), None, present, None, Some(18)),
        mismatch(O::Column, Unexpected, &["public", "users", "legacy_flag"], users.clone(), None, None, present, Some(10)),
        mismatch(O::PrimaryKey, Missing, &["public", "messages", "messages_pkey"], messages.clone(), None, Some("PRIMARY KEY (id)"), None, Some(31)),
        mismatch(O::ForeignKey, Changed, &["public", "messages", "messages_conversation_id_fkey"], messages.clone(), Some("on_delete"), Some("cascade"), Some("no action"), Some(33)),
        mismatch(O::Index, Missing, &["public", "messages", "(conversation_id, created_at)"], messages.clone(), None, Some("INDEX USING btree (conversation_id, created_at)"), None, Some(35)),
        mismatch(O::Unique, Unexpected, &["public", "messages", "(external_id)"], messages.clone(), None, None, Some("UNIQUE (external_id)"), Some(30)),
        mismatch(O::Check, Changed, &["public", WEIRD, "note_check"], Some(weird_table()), Some("expression"), Some("note <> '`x`' AND share = '100%'"), Some("note <> '``x``'\nOR note IS NULL"), Some(51)),
        mismatch(O::Trigger, Unexpected, &["public", WEIRD, "audit"], Some(weird_table()), None, None, Some("AFTER INSERT OR UPDATE FOR EACH ROW EXECUTE FUNCTION audit()"), Some(50)),
        mismatch(O::Function, Missing, &["public", "set_updated_at()"], None, None, present, None, Some(7)),
        mismatch(O::Function, Changed, &["public", "touch()"], None, Some("body"), Some("\nBEGIN\n  NEW.at := now();\n  RETURN NEW;\nEND\n"), Some("\nBEGIN\n  NEW.at := clock_timestamp();\n  RETURN NEW;\nEND\n"), Some(8)),
        mismatch(O::Enum, Changed, &["public", "mood"], None, Some("values"), Some("sad, ok, happy"), Some("sad, ok, \u{1b}[31mangry"), Some(5)),
        mismatch(O::View, Changed, &["public", "active_users"], None, Some("definition"), Some("SELECT id FROM users WHERE status = 'active'"), Some("SELECT id, email FROM users"), Some(9)),
    ];
    mismatches.sort();
    Outcome {
        mismatches,
        not_compared: Vec::new(),
        expected_file: "expected_schema.yaml".into(),
        source: "migrations on a local throwaway cluster".into(),
        tables_expected: 5,
        tables_actual: 5,
        expected_tables: ["audit_log", "files", "messages", "users", WEIRD]
            .iter()
            .map(|t| QualifiedName::new("public", *t).to_string())
            .collect(),
        expected_objects: vec![
            (O::Function, "public.\"set_updated_at()\"".into()),
            (O::View, "public.active_users".into()),
            (O::Enum, "public.mood".into()),
            (O::Enum, "public.plan".into()),
        ],
        objects_compared: 42,
        took: Some(std::time::Duration::from_millis(1234)),
        expected_lines: [
            (10, "      users:"),
            (12, "          email: {type: varchar(255), nullable: false}"),
            (30, "      messages:"),
            (40, "      audit_log:"),
        ]
        .into_iter()
        .map(|(n, t)| (n, t.to_string()))
        .collect(),
        safety: None,
    }
}

fn rendered(format: Format, outcome: &Outcome) -> String {
    let mut out = Vec::new();
    render(format, outcome, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(!text.contains('\u{1b}'), "no ANSI escapes in {format:?}");
    // Carriage returns would be invisible in a snapshot.
    text.replace('\r', "␍")
}

/// The fixture's mismatches with migration hazards beside them: one that
/// fails `--fail-on error`, one warning, and a no-transaction note.
fn fixture_with_hazards() -> Outcome {
    use crate::hazard::{FailOn, Hazard, Safety, SafetyRule, Severity};
    let hazard =
        |rule, severity, line, statement: &str, lock: Option<&str>, rewrite, detail: &str| Hazard {
            migration: "0007_orders".into(),
            file: "migrations/0007_orders.up.sql".into(),
            line,
            rule,
            severity,
            statement: statement.into(),
            relation: "public.orders".into(),
            lock: lock.map(str::to_string),
            rewrite,
            detail: detail.into(),
        };
    Outcome {
        safety: Some(Safety {
            hazards: vec![
                hazard(
                    SafetyRule::TableRewrite,
                    Severity::Error,
                    3,
                    "ALTER TABLE orders\n  ALTER COLUMN total TYPE bigint;",
                    Some("ACCESS EXCLUSIVE"),
                    true,
                    "public.orders rewritten (relfilenode changed)",
                ),
                hazard(
                    SafetyRule::MissingLockTimeout,
                    Severity::Warning,
                    3,
                    "ALTER TABLE orders\n  ALTER COLUMN total TYPE bigint;",
                    Some("ACCESS EXCLUSIVE"),
                    true,
                    "ACCESS EXCLUSIVE on public.orders with lock_timeout = 0",
                ),
            ],
            fail_on: FailOn::Error,
            judged: vec!["0007_orders".into(), "0008_idx".into()],
            unobserved: vec!["locks and lock_timeout in 0008_idx (no-transaction)".into()],
        }),
        // One mismatch is enough to show the hazards beside them.
        mismatches: fixture()
            .mismatches
            .into_iter()
            .filter(|m| m.object == "public.audit_log" && m.attribute.is_none())
            .collect(),
        ..fixture()
    }
}
