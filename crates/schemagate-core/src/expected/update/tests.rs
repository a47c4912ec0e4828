use std::path::Path;

use super::update;
use crate::diff::diff;
use crate::expected::parse;
use crate::model::Schema;

fn load(text: &str) -> Schema {
    parse(text, Path::new("expected_schema.yaml")).unwrap()
}

/// Updates `file` to declare `actual` and checks that the result loads and
/// now matches.
fn updated(file: &str, actual: &str) -> String {
    let actual = load(actual);
    let out = update(file, &load(file), &actual);
    let back = load(&out.text);
    assert_eq!(diff(&back, &actual), vec![], "{}", out.text);
    out.text
}

const FILE: &str = "\
# yaml-language-server: $schema=schema/expected_schema.schema.json
# The shop.
version: 1
schemas:
  public:
    tables:
      # ==== Core ====
      users:
        group: Core
        columns:
          id: {type: uuid}    # the key
          email: {type: text, nullable: false}
        primary_key: [id]
        checks:
          - \"email <> ''\"
          - \"length(email) < 300\"

      # ==== Orders ====
      orders:
        group: Orders
        columns:
          id: bigint
          user_id:
            type: uuid
            nullable: false
        primary_key: [id]
        indexes:
          - {name: orders_user_id_idx, columns: [user_id]}
";

#[test]
fn unchanged_file_is_left_byte_for_byte() {
    assert_eq!(updated(FILE, FILE), FILE);
}

#[test]
fn only_the_entries_that_differ_change() {
    // A column added after `id`, a check dropped, an index added, a table added.
    let actual = FILE
        .replace(
            "          id: {type: uuid}    # the key\n",
            "          id: {type: uuid}\n          name: {type: text}\n",
        )
        .replace("          - \"length(email) < 300\"\n", "")
        .replace(
            "          - {name: orders_user_id_idx, columns: [user_id]}\n",
            "          - {name: orders_user_id_idx, columns: [user_id]}\n          - {name: orders_id_desc_idx, columns: [id DESC]}\n",
        )
        + "      tags:\n        columns:\n          id: {type: integer}\n          label: text\n        primary_key: [id]\n";
    let want = FILE
        .replace(
            "          id: {type: uuid}    # the key\n",
            "          id: {type: uuid}    # the key\n          name: {type: text}\n",
        )
        .replace("          - \"length(email) < 300\"\n", "")
        .replace(
            "          - {name: orders_user_id_idx, columns: [user_id]}\n",
            "          - {name: orders_user_id_idx, columns: [user_id]}\n          - {name: orders_id_desc_idx, columns: [id DESC]}\n",
        )
        + "\n      tags:\n        columns:\n          id: {type: integer}\n          label: {type: text}\n        primary_key: [id]\n";
    assert_eq!(updated(FILE, &actual), want);
}

#[test]
fn changed_entries_keep_their_style() {
    let actual = FILE
        .replace("          id: bigint\n", "          id: integer\n")
        .replace(
            "          user_id:\n            type: uuid\n            nullable: false\n",
            "          user_id: {type: uuid}\n",
        );
    let want = FILE
        .replace("          id: bigint\n", "          id: integer\n")
        .replace(
            "          user_id:\n            type: uuid\n            nullable: false\n",
            "          user_id:\n            type: uuid\n",
        );
    assert_eq!(updated(FILE, &actual), want);
}

#[test]
fn a_list_emptied_loses_its_key_and_a_new_list_takes_the_writer_place() {
    let actual = FILE.replace(
        "        checks:\n          - \"email <> ''\"\n          - \"length(email) < 300\"\n",
        "        unique:\n          - [email]\n",
    );
    let want = FILE.replace(
        "        checks:\n          - \"email <> ''\"\n          - \"length(email) < 300\"\n",
        "        unique:\n          - {columns: [email]}\n",
    );
    assert_eq!(updated(FILE, &actual), want);
}

#[test]
fn removed_table_and_new_enum() {
    let actual = FILE
        .replace(
            "    tables:\n",
            "    enums:\n      mood: [sad, ok]\n    tables:\n",
        )
        .split("\n      # ==== Orders ====")
        .next()
        .unwrap()
        .to_string();
    // The enum goes where the writer puts enums, before the tables; the
    // removed table's group comment stays (it may head other tables).
    let want = FILE
        .replace(
            "      orders:\n        group: Orders\n        columns:\n          id: bigint\n          user_id:\n            type: uuid\n            nullable: false\n        primary_key: [id]\n        indexes:\n          - {name: orders_user_id_idx, columns: [user_id]}\n",
            "",
        )
        .replace("    tables:\n", "    enums:\n      mood: [sad, ok]\n    tables:\n");
    assert_eq!(updated(FILE, &actual), want);
}

#[test]
fn a_table_on_one_flow_line_is_rewritten_whole() {
    let file = "version: 1\nschemas:\n  public:\n    tables:\n      t: {columns: {a: int}}\n";
    let actual =
        "version: 1\nschemas:\n  public:\n    tables:\n      t: {columns: {a: int, b: text}}\n";
    let out = updated(file, actual);
    assert_eq!(
        out,
        "version: 1\nschemas:\n  public:\n    tables:\n      t:\n        columns:\n          a: {type: integer}\n          b: {type: text}\n"
    );
}

/// Every diff case, updated: the file then matches its actual schema.
#[test]
fn every_diff_case_matches_after_update() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/diff_cases");
    let mut cases = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let case = entry.unwrap().path();
        let (Ok(file), Ok(actual)) = (
            std::fs::read_to_string(case.join("expected.yaml")),
            std::fs::read_to_string(case.join("actual.yaml")),
        ) else {
            continue;
        };
        let actual = load(&actual);
        let out = update(&file, &load(&file), &actual);
        let back = parse(&out.text, Path::new("expected_schema.yaml"))
            .unwrap_or_else(|e| panic!("{}: {e}\n{}", case.display(), out.text));
        assert_eq!(
            diff(&back, &actual),
            vec![],
            "{}\n{}",
            case.display(),
            out.text
        );
        cases += 1;
    }
    assert!(cases > 20);
}

/// Regression: a dropped primary key left its column declared without
/// `nullable: false`, which the key had implied.
#[test]
fn a_dropped_primary_key_keeps_its_columns_not_null() {
    let actual = FILE.replace(
        "        primary_key: [id]\n        checks:",
        "        checks:",
    );
    let actual = actual.replace(
        "          id: {type: uuid}    # the key\n",
        "          id: {type: uuid, nullable: false}\n",
    );
    let out = updated(FILE, &actual);
    assert!(
        out.contains("          id: {type: uuid, nullable: false}    # the key\n"),
        "{out}"
    );
}

/// Objects the file's `ignore` globs match are neither added nor removed.
#[test]
fn ignored_objects_are_left_alone() {
    let file = FILE.replace(
        "version: 1\n",
        "version: 1\nignore:\n  - public.orders.tmp_*\n  - public.scratch\n",
    );
    let actual = file
        .replace(
            "          - {name: orders_user_id_idx, columns: [user_id]}\n",
            "          - {name: orders_user_id_idx, columns: [user_id]}\n          - {name: tmp_idx, columns: [id]}\n          - {name: real_idx, columns: [id]}\n",
        )
        + "      scratch:\n        columns:\n          a: text\n";
    let out = update(&file, &load(&file), &load(&actual));
    assert!(out.text.contains("real_idx"), "{}", out.text);
    assert!(!out.text.contains("tmp_idx"), "{}", out.text);
    assert!(!out.text.contains("scratch:"), "{}", out.text);
}

/// Issue 13: `--update` sets a declared owner and grants to the server's,
/// in place, and leaves undeclared ones undeclared.
#[test]
fn owners_and_grants_are_updated_in_place() {
    let file = "version: 1\nroles: [app]\nschemas:\n  public:\n    grants: {app: USAGE}\n    tables:\n      # the users\n      t:\n        owner: admin\n        grants: {app: [SELECT]}\n        columns:\n          a: {type: integer}\n      u:\n        columns:\n          a: {type: integer}\n";
    let actual = "version: 1\nroles: [app, admin, bob]\nschemas:\n  public:\n    grants: {app: [USAGE, CREATE]}\n    tables:\n      t:\n        owner: bob\n        grants: {app: [SELECT, INSERT]}\n        columns:\n          a: {type: integer, grants: {app: [UPDATE]}}\n      u:\n        owner: bob\n        grants: {app: ALL}\n        columns:\n          a: {type: integer}\n";
    let out = updated(file, actual);
    assert_eq!(
        out,
        "version: 1\nroles: [app]\nschemas:\n  public:\n    grants: {app: ALL}\n    tables:\n      # the users\n      t:\n        owner: bob\n        grants: {app: [SELECT, INSERT]}\n        columns:\n          a: {type: integer, grants: {app: [UPDATE]}}\n      u:\n        columns:\n          a: {type: integer}\n"
    );
}
