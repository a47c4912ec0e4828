//! The schema document and its Mermaid diagram, from a small schema with
//! groups, odd names and every kind of key.

use std::path::Path;

use crate::diff::diff;
use crate::model::{QualifiedName, Schema};
use crate::report::document::{self, Changes, Document};
use crate::report::mermaid;

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

/// Issue 13's kinds and table attributes, as `spec` reads them.
const ISSUE_13_YAML: &str = r#"version: 1
schemas:
  public:
    composite_types:
      money_pair: {amount: integer, currency: char(3)}
    extensions:
      citext: {version: "1.6"}
    collations:
      cov_coll: {locale: C}
      und_ci: {provider: icu, locale: und-u-ks-level2, deterministic: false}
    statistics:
      measurements_city_zip: {table: measurements, columns: [city, zip], kinds: [dependencies, ndistinct]}
      measurements_lower_city: {table: measurements, columns: [zip], expressions: ["lower((city)::text)"]}
    foreign_tables:
      remote_things: {server: cov_server, columns: {id: int4, name: text}, options: {table_name: things}}
    tables:
      measurements:
        columns:
          city: text
          zip: text
      scratch:
        unlogged: true
        columns:
          id: integer
      base_items:
        columns:
          id: integer
      special_items:
        inherits: [base_items]
        replica_identity: full
        columns:
          extra: text
      audited:
        replica_identity: index audited_id_key
        columns:
          id: {type: integer, nullable: false}
        indexes:
          - {name: audited_id_key, columns: [id], unique: true}
"#;

/// Regression (issue 13): the report left out composite types, extensions,
/// collations, extended statistics and foreign tables, and a table's
/// UNLOGGED, INHERITS and REPLICA IDENTITY.
#[test]
fn document_shows_issue_13_kinds_and_table_attributes() {
    let schema = crate::expected::parse(ISSUE_13_YAML, Path::new("expected_schema.yaml")).unwrap();
    let doc = Document {
        actual: &schema,
        expected: None,
        source: "a live database",
        changes: None,
    };
    let mut out = Vec::new();
    document::render(&doc, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    for needle in [
        "| composite types | 1 |\n| extensions | 1 |\n| collations | 2 |\n| extended statistics | 2 |\n| foreign tables | 1 |\n",
        "#### `scratch`\n\n| column | type | null | default |\n|---|---|---|---|\n| `id` | `integer` | yes |  |\n\n- **Unlogged**\n",
        "- **Inherits:** `base_items`\n- **Replica identity:** full\n",
        "- **Replica identity:** index `audited_id_key`\n",
        "## Types\n\n- composite type `money_pair`: `amount` `integer`, `currency` `char(3)`\n",
        "## Extensions\n\n- `citext`, version `1.6`\n",
        "## Collations\n\n- `cov_coll`: libc, locale `C`\n- `und_ci`: icu, locale `und-u-ks-level2`, nondeterministic\n",
        "## Extended statistics\n\n- `measurements_city_zip` on `measurements`: `city`, `zip`; kinds dependencies, ndistinct\n- `measurements_lower_city` on `measurements`: `zip`, `lower(city::text)`; kinds dependencies, mcv, ndistinct\n",
        "## Foreign tables\n\n- `remote_things` on server `cov_server`: `id` `integer`, `name` `text`; options `table_name=things`\n",
    ] {
        assert!(text.contains(needle), "{needle:?} not in\n{text}");
    }
    insta::assert_snapshot!(text);
}
