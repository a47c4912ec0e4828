//! Snapshots of every format from one shared fixture that holds every kind
//! of mismatch, plus structural checks that snapshots alone would not make
//! (well-formed XML, one Markdown cell per column, one annotation per line).

use std::path::Path;

use super::document::{self, Changes, Document};
use super::{mermaid, render, Format, Outcome};
use crate::diff::{diff, Change, Mismatch, ObjectType};
use crate::model::{QualifiedName, Schema};

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

#[test]
fn table_format() {
    insta::assert_snapshot!(rendered(Format::Table, &fixture()));
}

/// Below 120 columns a grid breaks identifiers mid-word (issue 18): each
/// object gets a block, with the expected file's line quoted as load
/// errors quote it, and an undeclared object says so.
#[test]
fn table_format_on_a_narrow_terminal() {
    let mut out = Vec::new();
    super::table::render_for_width(&fixture(), Some(100), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(!text.contains('\u{1b}'));
    assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
    assert!(text.contains("column not declared"), "{text}");
    assert!(
        text.contains("     12 |           email: {type: varchar(255)"),
        "{text}"
    );
    insta::assert_snapshot!(text.replace('\r', "␍"));
}

#[test]
fn table_format_on_a_wide_terminal_is_the_grid() {
    let mut wide = Vec::new();
    super::table::render_for_width(&fixture(), Some(200), &mut wide).unwrap();
    assert!(String::from_utf8(wide).unwrap().starts_with('┌'));
}

#[test]
fn json_format() {
    insta::assert_snapshot!(rendered(Format::Json, &fixture()));
}

#[test]
fn markdown_format() {
    insta::assert_snapshot!(rendered(Format::Markdown, &fixture()));
}

#[test]
fn junit_format() {
    insta::assert_snapshot!(rendered(Format::Junit, &fixture()));
}

#[test]
fn github_format() {
    insta::assert_snapshot!(rendered(Format::Github, &fixture()));
}

/// An object the model cannot compare fails the verdict in every format,
/// even with no mismatch at all: it must never pass in silence.
#[test]
fn not_compared_in_every_format() {
    let outcome = Outcome {
        mismatches: vec![],
        not_compared: vec![crate::model::Uncovered {
            object_type: "operator".into(),
            schema: Some("public".into()),
            name: "===(integer, integer)".into(),
        }],
        ..fixture()
    };
    assert!(!outcome.is_match());
    let all: Vec<String> = [
        Format::Table,
        Format::Json,
        Format::Markdown,
        Format::Junit,
        Format::Github,
    ]
    .iter()
    .map(|f| format!("--- {f:?}\n{}", rendered(*f, &outcome)))
    .collect();
    insta::assert_snapshot!(all.join("\n"));
}

#[test]
fn every_format_of_a_match() {
    let outcome = Outcome {
        mismatches: vec![],
        ..fixture()
    };
    let all: Vec<String> = [
        Format::Table,
        Format::Json,
        Format::Markdown,
        Format::Junit,
        Format::Github,
    ]
    .iter()
    .map(|f| format!("--- {f:?}\n{}", rendered(*f, &outcome)))
    .collect();
    insta::assert_snapshot!(all.join("\n"));
}

#[test]
fn json_is_valid_and_versioned() {
    let outcome = fixture();
    let value: serde_json::Value = serde_json::from_str(&rendered(Format::Json, &outcome)).unwrap();
    assert_eq!(value["version"], 1);
    assert_eq!(value["status"], "mismatch");
    let items = value["mismatches"].as_array().unwrap();
    assert_eq!(items.len(), outcome.mismatches.len());
    assert!(items.iter().any(|m| m["line"].is_null()));
}

#[test]
fn markdown_rows_have_one_cell_per_column() {
    let text = rendered(Format::Markdown, &fixture());
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(rows.len(), 2 + fixture().mismatches.len(), "{text}");
    for row in rows {
        assert_eq!(unescaped_pipes(row), 8, "7 cells: {row}");
    }
}

/// Pipes that separate GFM table cells: those not preceded by a backslash.
fn unescaped_pipes(row: &str) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in row.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => count += 1,
            _ => escaped = false,
        }
    }
    count
}

#[test]
fn markdown_code_spans_survive_backticks_and_spaces() {
    use super::markdown::code;
    assert_eq!(code("a"), "`a`");
    assert_eq!(code("a`b"), "``a`b``");
    assert_eq!(code("`x`"), "`` `x` ``");
    assert_eq!(code("a | b"), "`a \\| b`");
    assert_eq!(code("a\r\nb\nc"), "`a b c`");
    assert_eq!(code(" x"), "`  x `");
    assert_eq!(code(""), "*(empty)*");
}

#[test]
fn junit_is_well_formed_with_a_case_per_object() {
    let outcome = fixture();
    let text = rendered(Format::Junit, &outcome);
    let root = xml::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(root.name, "testsuites");
    let suite = &root.children[0];
    let cases: Vec<&xml::Element> = suite.children.iter().collect();
    let names: Vec<&str> = cases.iter().map(|c| c.attr("name")).collect();
    // Every expected table and schema-level object, passing or not, plus
    // every object with mismatches (columns, keys, the undeclared table).
    for table in &outcome.expected_tables {
        assert!(names.contains(&table.as_str()), "{table} in {names:?}");
    }
    for (_, other) in &outcome.expected_objects {
        assert!(names.contains(&other.as_str()), "{other} in {names:?}");
    }
    let mut objects: Vec<&str> = outcome
        .mismatches
        .iter()
        .map(|m| m.object.as_str())
        .collect();
    objects.dedup();
    for object in &objects {
        assert!(names.contains(object), "{object} in {names:?}");
    }
    // Tables and schema-level objects; of the objects with mismatches, the
    // ones not declared at that level (tmp_import and those in tables).
    let extra = objects
        .iter()
        .filter(|o| {
            !outcome.expected_tables.iter().any(|t| t == *o)
                && !outcome.expected_objects.iter().any(|(_, n)| n == *o)
        })
        .count();
    assert_eq!(
        cases.len(),
        outcome.expected_tables.len() + outcome.expected_objects.len() + extra
    );
    assert_eq!(root.attr("time"), "1.234");
    assert_eq!(suite.attr("time"), "1.234");
    let failures: usize = cases.iter().map(|c| c.children.len()).sum();
    assert_eq!(
        failures,
        outcome.mismatches.len(),
        "one <failure> per mismatch"
    );
    let failing = cases.iter().filter(|c| !c.children.is_empty()).count();
    assert_eq!(suite.attr("tests"), cases.len().to_string());
    assert_eq!(suite.attr("failures"), failing.to_string());
    let files = cases
        .iter()
        .find(|c| c.attr("name") == "public.files")
        .unwrap();
    assert!(files.children.is_empty(), "a matching table passes");
    let weird = cases
        .iter()
        .find(|c| c.attr("name") == format!("{}.note_check", weird_table()))
        .expect("the weird table's check's case, its name unescaped back");
    assert_eq!(weird.children.len(), 1);
    let plan = cases
        .iter()
        .find(|c| c.attr("name") == "public.plan")
        .unwrap();
    assert!(plan.children.is_empty(), "a matching enum passes");
}

#[test]
fn github_annotations_are_one_line_each_with_clean_properties() {
    let outcome = fixture();
    let text = rendered(Format::Github, &outcome);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), outcome.mismatches.len());
    for (line, m) in lines.iter().zip(&outcome.mismatches) {
        let rest = line.strip_prefix("::error ").expect(line);
        let (props, message) = rest.split_once("::").expect(line);
        let props: Vec<(&str, &str)> = props
            .split(',')
            .map(|p| p.split_once('=').expect(p))
            .collect();
        let keys: Vec<&str> = props.iter().map(|(k, _)| *k).collect();
        match m.line {
            Some(l) => {
                assert_eq!(keys, ["file", "line", "title"], "{line}");
                assert_eq!(props[1].1, l.to_string());
            }
            None => assert_eq!(keys, ["file", "title"], "{line}"),
        }
        assert!(props.iter().all(|(_, v)| !v.contains(':')), "{line}");
        assert!(!message.contains('\r') && !message.contains('\n'));
    }
    assert!(text.contains("100%25"), "% is escaped: {text}");
}

#[test]
fn github_migration_error_has_file_line_and_column() {
    let mut out = Vec::new();
    super::github::error(
        &mut out,
        &super::github::AnnotationAt {
            file: "migrations/0007_broken.up.sql",
            line: Some(3),
            column: Some(13),
        },
        "migration failed",
        "ERROR 42P01: relation \"nope\" does not exist\nHINT: 100% sure",
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "::error file=migrations/0007_broken.up.sql,line=3,col=13,title=migration failed::ERROR 42P01: relation \"nope\" does not exist%0AHINT: 100%25 sure\n"
    );
}

// ------------------------------------------------------------ document

/// A small schema with groups, a table without a group, odd names, every
/// kind of key, a partitioned table with a partition, a policy, a view,
/// an enum, a domain, a sequence and a function, as `spec` reads it.
const DOCUMENT_YAML: &str = r#"version: 1
schemas:
  public:
    enums:
      mood: [sad, ok, happy]
    domains:
      email_address: {type: "character varying(255)", checks: ["VALUE LIKE '%@%'"]}
    sequences:
      invoice_no: {type: bigint, start: 1000}
    functions:
      set_updated_at(): {returns: trigger, language: plpgsql}
    views:
      active_users: "SELECT id, email FROM users WHERE email IS NOT NULL"
    tables:
      events:
        group: "Ops | Audit"
        partition_by: RANGE (at)
        columns:
          at: {type: "timestamp with time zone", nullable: false}
          user_id: {type: uuid}
        foreign_keys:
          - {columns: [user_id], references: {table: users, columns: [id]}, deferrable: true, initially_deferred: true}
        row_level_security: true
        policies:
          - {name: own_events, command: all, roles: [app], using: "user_id = current_user_id()", with_check: "(user_id IS NOT NULL)"}
      events_2024:
        partition_of: {table: events, bound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"}
        columns:
          at: {type: timestamptz, nullable: false}
          user_id: {type: uuid}
      users:
        group: Core
        comment: Registered user accounts.
        columns:
          id: {type: uuid, default: gen_random_uuid()}
          email: {type: varchar(255), nullable: false}
          n: {type: bigint, identity: always}
        primary_key: [id]
        unique:
          - [email]
        checks:
          - "email LIKE '%@%'"
      workspaces:
        group: Core
        columns:
          id: {type: uuid}
          owner_id: {type: uuid, nullable: false}
        primary_key: [id]
        foreign_keys:
          - {columns: [owner_id], references: {table: users, columns: [id]}, on_delete: restrict}
      profiles:
        group: Core
        columns:
          user_id: {type: uuid}
        primary_key: [user_id]
        foreign_keys:
          - {columns: [user_id], references: {table: users, columns: [id]}, on_delete: cascade}
      "Audit Log":
        group: "Ops | Audit"
        columns:
          id: {type: bigint}
          "Actor": {type: uuid}
          pk: {type: integer}
          total: {type: "numeric(12,2)", generated: "1 + 1"}
        primary_key: [id]
        foreign_keys:
          - {columns: ["Actor"], references: {table: users, columns: [id]}}
        indexes:
          - {name: audit_recent, columns: [id DESC], where: "total > 0", using: brin}
      one:
        columns:
          note: text
"#;

fn document_schema() -> Schema {
    crate::expected::parse(DOCUMENT_YAML, Path::new("expected_schema.yaml")).unwrap()
}

#[test]
fn mermaid_diagram() {
    let mut out = Vec::new();
    mermaid::render(&document_schema(), &mut out).unwrap();
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}

#[test]
fn mermaid_entity_names_are_bare_only_when_safe() {
    let e = |name: &str| mermaid::entity(&QualifiedName::new("public", name));
    assert_eq!(e("users"), "users");
    assert_eq!(e("user_2fa"), "user_2fa");
    assert_eq!(e("Users"), "\"Users\"");
    assert_eq!(e("audit log"), "\"audit log\"");
    assert_eq!(e("one"), "\"one\"", "a cardinality word");
    assert_eq!(e("say \"hi\" 100%"), "\"say 'hi' 100％\"");
    assert_eq!(
        mermaid::entity(&QualifiedName::new("audit", "log")),
        "\"audit.log\""
    );
}

#[test]
fn document_groups_tables_and_lists_keys() {
    let schema = document_schema();
    let doc = Document {
        actual: &schema,
        expected: Some(&schema),
        source: "the migrations in migrations applied to a local throwaway cluster",
        changes: None,
    };
    let mut out = Vec::new();
    document::render(&doc, &mut out).unwrap();
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}

#[test]
fn document_says_what_a_change_does() {
    let head = document_schema();
    let mut base = head.clone();
    let ns = base.schemas.get_mut("public").unwrap();
    ns.tables.remove("Audit Log");
    ns.tables.get_mut("users").unwrap().columns[1].data_type = "text".into();
    let mut gone = ns.tables["one"].clone();
    gone.columns[0].name = "old_note".into();
    ns.tables.insert("legacy".into(), gone);
    let changes = diff(&base, &head);
    let doc = Document {
        actual: &head,
        expected: None,
        source: "the migrations in migrations applied to a local throwaway cluster",
        changes: Some(Changes {
            base: "origin/main",
            mismatches: &changes,
        }),
    };
    let mut out = Vec::new();
    document::render(&doc, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("### Added\n\n- table `public.\"Audit Log\"`"),
        "{text}"
    );
    assert!(
        text.contains("### Removed\n\n- table `public.legacy`"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

/// A minimal XML 1.0 reader for the well-formedness test: elements,
/// attributes, character data and references; no DTD, comments or CDATA
/// (the JUnit renderer writes none). Rejects what a real parser rejects.
mod xml {
    pub struct Element {
        pub name: String,
        pub attrs: Vec<(String, String)>,
        pub children: Vec<Element>,
    }

    impl Element {
        pub fn attr(&self, name: &str) -> &str {
            self.attrs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .unwrap_or_else(|| panic!("<{}> has no {name}", self.name))
        }
    }

    pub fn parse(text: &str) -> Result<Element, String> {
        let rest = text
            .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
            .ok_or("no XML declaration")?;
        if let Some(c) = text.chars().find(|c| !allowed(*c)) {
            return Err(format!("character U+{:04X} is not allowed", c as u32));
        }
        let mut p = Parser { rest };
        p.skip_space();
        let root = p.element()?;
        p.skip_space();
        if !p.rest.is_empty() {
            return Err(format!("content after the root: {:?}", p.rest));
        }
        Ok(root)
    }

    fn allowed(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
    }

    struct Parser<'a> {
        rest: &'a str,
    }

    impl Parser<'_> {
        fn skip_space(&mut self) {
            self.rest = self.rest.trim_start_matches([' ', '\t', '\n', '\r']);
        }

        fn eat(&mut self, s: &str) -> Result<(), String> {
            self.rest = self
                .rest
                .strip_prefix(s)
                .ok_or_else(|| format!("expected {s:?} at {:?}", head(self.rest)))?;
            Ok(())
        }

        fn name(&mut self) -> Result<String, String> {
            let end = self
                .rest
                .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')))
                .unwrap_or(self.rest.len());
            if end == 0
                || self
                    .rest
                    .starts_with(|c: char| c.is_ascii_digit() || c == '-')
            {
                return Err(format!("bad name at {:?}", head(self.rest)));
            }
            let name = self.rest[..end].to_string();
            self.rest = &self.rest[end..];
            Ok(name)
        }

        fn element(&mut self) -> Result<Element, String> {
            self.eat("<")?;
            let name = self.name()?;
            let mut attrs: Vec<(String, String)> = Vec::new();
            loop {
                let before = self.rest.len();
                self.skip_space();
                if self.rest.starts_with("/>") {
                    self.eat("/>")?;
                    return Ok(Element {
                        name,
                        attrs,
                        children: vec![],
                    });
                }
                if self.rest.starts_with('>') {
                    self.eat(">")?;
                    break;
                }
                if self.rest.len() == before {
                    return Err(format!("no space before an attribute of <{name}>"));
                }
                let attr = self.name()?;
                if attrs.iter().any(|(n, _)| *n == attr) {
                    return Err(format!("duplicate attribute {attr} on <{name}>"));
                }
                self.eat("=")?;
                let quote = if self.rest.starts_with('"') {
                    "\""
                } else {
                    "'"
                };
                self.eat(quote)?;
                let end = self.rest.find(quote).ok_or("unterminated attribute")?;
                let raw = &self.rest[..end];
                self.rest = &self.rest[end + 1..];
                attrs.push((attr, unescape(raw)?));
            }
            let mut children = Vec::new();
            loop {
                let end = self.rest.find('<').ok_or("unterminated element")?;
                unescape(&self.rest[..end])?;
                self.rest = &self.rest[end..];
                if self.rest.starts_with("</") {
                    self.eat("</")?;
                    let closing = self.name()?;
                    if closing != name {
                        return Err(format!("<{name}> closed by </{closing}>"));
                    }
                    self.skip_space();
                    self.eat(">")?;
                    return Ok(Element {
                        name,
                        attrs,
                        children,
                    });
                }
                children.push(self.element()?);
            }
        }
    }

    /// Character data or an attribute value with its references resolved;
    /// a raw `<` or a bad reference is an error.
    fn unescape(raw: &str) -> Result<String, String> {
        if raw.contains('<') {
            return Err(format!("raw < in {raw:?}"));
        }
        let mut out = String::new();
        let mut rest = raw;
        while let Some(amp) = rest.find('&') {
            out.push_str(&rest[..amp]);
            let end = rest[amp..].find(';').ok_or("unterminated reference")? + amp;
            let reference = &rest[amp + 1..end];
            let c = match reference {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                r if r.starts_with("#x") => char_ref(u32::from_str_radix(&r[2..], 16).ok())?,
                r if r.starts_with('#') => char_ref(r[1..].parse().ok())?,
                r => return Err(format!("unknown entity &{r};")),
            };
            out.push(c);
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn char_ref(code: Option<u32>) -> Result<char, String> {
        code.and_then(char::from_u32)
            .filter(|c| allowed(*c))
            .ok_or_else(|| "bad character reference".to_string())
    }

    fn head(s: &str) -> String {
        s.chars().take(30).collect()
    }
}

/// `JsonMismatch` replaced two hand-written copies of the mismatch shape
/// (here verbatim as they were: `report/json.rs` with file and line, the
/// CLI's `roundtrip.rs` without); both must come out byte for byte as before.
#[test]
fn json_mismatch_is_byte_identical_to_both_former_shapes() {
    use serde::Serialize;

    use super::JsonMismatch;

    #[derive(Serialize)]
    struct CheckShape<'a> {
        change: &'static str,
        object_type: &'static str,
        object: &'a str,
        attribute: Option<&'a str>,
        expected: Option<&'a str>,
        actual: Option<&'a str>,
        file: &'a str,
        line: Option<u32>,
    }
    #[derive(Serialize)]
    struct RoundtripShape<'a> {
        change: &'static str,
        object_type: &'static str,
        object: &'a str,
        attribute: Option<&'a str>,
        expected: Option<&'a str>,
        actual: Option<&'a str>,
    }
    // Nested in a list in an object, as both documents hold them.
    #[derive(Serialize)]
    struct Doc<T> {
        mismatches: Vec<T>,
    }
    fn json<T: Serialize>(value: &T) -> String {
        serde_json::to_string_pretty(value).unwrap()
    }
    let outcome = fixture();
    let ms = &outcome.mismatches;
    assert!(ms.iter().any(|m| m.line.is_none()) && ms.iter().any(|m| m.attribute.is_some()));

    let check_before = Doc {
        mismatches: ms
            .iter()
            .map(|m| CheckShape {
                change: m.change.as_str(),
                object_type: m.object_type.as_str(),
                object: &m.object,
                attribute: m.attribute.as_deref(),
                expected: m.expected.as_deref(),
                actual: m.actual.as_deref(),
                file: "expected_schema.yaml",
                line: m.line,
            })
            .collect(),
    };
    let check_now = Doc {
        mismatches: ms
            .iter()
            .map(|m| JsonMismatch::in_file(m, "expected_schema.yaml"))
            .collect::<Vec<_>>(),
    };
    assert_eq!(json(&check_now), json(&check_before));

    let roundtrip_before = Doc {
        mismatches: ms
            .iter()
            .map(|m| RoundtripShape {
                change: m.change.as_str(),
                object_type: m.object_type.as_str(),
                object: &m.object,
                attribute: m.attribute.as_deref(),
                expected: m.expected.as_deref(),
                actual: m.actual.as_deref(),
            })
            .collect(),
    };
    let roundtrip_now = Doc {
        mismatches: ms.iter().map(JsonMismatch::new).collect::<Vec<_>>(),
    };
    assert_eq!(json(&roundtrip_now), json(&roundtrip_before));
    // An empty list stays `[]`.
    assert_eq!(
        json(&Doc::<JsonMismatch> {
            mismatches: Vec::new()
        }),
        "{\n  \"mismatches\": []\n}"
    );
}

/// The fixture's mismatches with migration hazards beside them: one that
/// fails `--fail-on error`, one warning, and a no-transaction note.
fn fixture_with_hazards() -> Outcome {
    use crate::hazard::{FailOn, Hazard, Rule, Safety, Severity};
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
                    Rule::TableRewrite,
                    Severity::Error,
                    3,
                    "ALTER TABLE orders\n  ALTER COLUMN total TYPE bigint;",
                    Some("ACCESS EXCLUSIVE"),
                    true,
                    "public.orders rewritten (relfilenode changed)",
                ),
                hazard(
                    Rule::MissingLockTimeout,
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

#[test]
fn every_format_with_hazards() {
    let outcome = fixture_with_hazards();
    assert!(outcome.hazards_fail());
    let all: Vec<String> = [
        Format::Table,
        Format::Json,
        Format::Markdown,
        Format::Junit,
        Format::Github,
    ]
    .iter()
    .map(|f| format!("--- {f:?}\n{}", rendered(*f, &outcome)))
    .collect();
    insta::assert_snapshot!(all.join("\n"));
}

#[test]
fn junit_with_hazards_is_well_formed() {
    let text = rendered(Format::Junit, &fixture_with_hazards());
    let root = xml::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let safety = &root.children[1];
    assert_eq!(safety.attr("name"), "schemagate.migration-safety");
    assert_eq!(safety.attr("tests"), "2");
    assert_eq!(safety.attr("failures"), "1");
}
