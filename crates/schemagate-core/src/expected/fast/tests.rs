//! The fast reader against serde-saphyr: the same values and locations for
//! every node, the same `Schema` and errors for every file, and the texts
//! it must leave to serde-saphyr.

use std::path::{Path, PathBuf};

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::{accepts, parse};
use crate::expected::load::parse_slow;
use crate::expected::{parse as parse_auto, to_yaml};

/// Any YAML value with the location serde-saphyr's `Spanned` gives each node.
#[derive(Debug, PartialEq)]
struct Located {
    line: u64,
    column: u64,
    tree: Tree,
}

#[derive(Debug, PartialEq)]
enum Tree {
    Null,
    Bool(bool),
    Int(i128),
    Float(String),
    Str(String),
    Seq(Vec<Located>),
    Map(Vec<(Located, Located)>),
}

impl<'de> Deserialize<'de> for Located {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<Tree>::deserialize(d)?;
        assert_eq!(s.referenced, s.defined);
        Ok(Located {
            line: s.referenced.line(),
            column: s.referenced.column(),
            tree: s.value,
        })
    }
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis;
        impl<'de> Visitor<'de> for Vis {
            type Value = Tree;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Tree, E> {
                Ok(Tree::Null)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Tree, E> {
                Ok(Tree::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Tree, E> {
                Ok(Tree::Int(v.into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Tree, E> {
                Ok(Tree::Int(v.into()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Tree, E> {
                Ok(Tree::Float(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Tree, E> {
                Ok(Tree::Str(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element()? {
                    out.push(item);
                }
                Ok(Tree::Seq(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key()? {
                    out.push((key, map.next_value()?));
                }
                Ok(Tree::Map(out))
            }
        }
        d.deserialize_any(Vis)
    }
}

/// The fast reader's tree of `text`, if it reads it on its own.
fn fast_tree(text: &str) -> Option<Located> {
    let doc = parse::document(text).ok()?;
    Located::deserialize(super::de::NodeDe::root(&doc)).ok()
}

fn slow_tree(text: &str) -> Located {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("serde-saphyr: {e}\n{text}"))
}

/// Asserts the fast reader reads `text` and agrees with serde-saphyr on
/// every value and location.
fn assert_same_tree(text: &str) {
    let fast = fast_tree(text).unwrap_or_else(|| panic!("the fast path bailed on:\n{text}"));
    let slow = slow_tree(text);
    if fast != slow {
        let (fast, slow) = (format!("{fast:#?}"), format!("{slow:#?}"));
        let (at, _) = fast
            .lines()
            .zip(slow.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .unwrap_or((0, ("", "")));
        let near = |t: &str| {
            t.lines()
                .skip(at.saturating_sub(6))
                .take(12)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "fast:\n{}\nserde-saphyr:\n{}\n{text}",
            near(&fast),
            near(&slow)
        );
    }
}

fn assert_same_schema(text: &str) {
    let path = Path::new("expected_schema.yaml");
    assert_eq!(
        format!("{:?}", parse_auto(text, path)),
        format!("{:?}", parse_slow(text, path)),
        "\n{text}"
    );
}

#[test]
fn spans_match_serde_saphyr_on_tricky_lines() {
    assert_same_tree(
        "# comment\nversion: 1\nschemas:\n  public:\n    tables:\n      t:\n        columns:\n          id: {type: bigint, identity: by_default}   # trailing\n          \"quoted key\": {type: \"numeric(12,2)\", default: \"'a'::text\"}\n\n          'single ''key''': {type: text, default: 'it''s'}\n",
    );
    assert_same_tree(
        "a:\n  - {name: x, columns: [lower(title), \"b \\\"c\\\"\"], where: \"x > 1\"}\n  - [a, 'b', \"c\"]\n  - plain text here\nb: {}\nc: []\nd: [{e: f}, [g]]\n",
    );
    assert_same_tree("k: \"tab\\tnewline\\n\\u00e9 \\\\ \\/\"\nk2: 'é ü'\nkü: {ä: \"ö\", b: ß}\n");
    assert_same_tree(
        "---\nseq:\n- a\n- b\nmap:\n  x:\n    - k: v\n      k2: [1, 2]\n    - k: w\nlast: z\n",
    );
    assert_same_tree("a:   spaced   \nb:\n  c: d # note: x\n");
    assert_same_tree("l:\n- k: v\n  k2: w\n- {k: x}\nm:\n  - []\n  - x\n");
    assert_same_tree("l:\n  -\n    k: v\n  - x\nq: \"\\u00e9\\x41\\\" ''\"\n");
}

#[test]
fn literal_block_scalars_match_serde_saphyr() {
    // As the writer emits function bodies: `|2-` under a key at column 8.
    let body = "        body: |2-\n          BEGIN\n\n            -- indented # not a comment\n          \n               \n          # a line\n          RETURN 1;\n\n\n          END\n\n\n      other: x\n";
    assert_same_tree(&format!("f:\n  g:\n    h:\n      k:\n{body}z: 1\n"));
    assert_same_tree("a: |1-\n x\n  y\nb: |3-\n     lead\n");
    assert_same_tree("a: |2-\n  last line\n");
    // Other block scalars, and one in a compact mapping, are left to serde-saphyr.
    for text in [
        "a: |\n  x\n",
        "a: |-\n  x\n",
        "a: |2+\n  x\n",
        "a: >2-\n  x\n",
        "l:\n  - a: |2-\n      x\n",
    ] {
        assert!(fast_tree(text).is_none(), "{text}");
    }
}

#[test]
fn scalars_resolve_as_serde_saphyr_does() {
    for scalar in [
        "'0'",
        "0",
        "123",
        "-7",
        "yes",
        "No",
        "TRUE",
        "y",
        "off",
        "null",
        "~",
        "Null",
        "\"true\"",
        "'null'",
        "\"\"",
        "''",
        "abc",
        "snake_case",
        "now()",
        "_x",
        "a.b-c$",
        "Ünïcode",
    ] {
        assert_same_tree(&format!("v: {scalar}\nw: [{scalar}]\nx: {{k: {scalar}}}\n"));
    }
    // Left to serde-saphyr: numbers the fast reader does not resolve itself.
    for scalar in [
        "1.50", "0x1F", "0o17", "007", ".inf", "-.inf", ".nan", "nan", "1e3", "+1",
    ] {
        let text = format!("v: {scalar}\n");
        assert!(fast_tree(&text).is_none(), "{scalar}");
    }
    // An omitted value is null, and leaves Spanned to serde-saphyr.
    assert!(fast_tree("v:\nw: 1\n").is_none());
    assert!(
        parse::document("v:\nw: 1\n").is_ok(),
        "an omitted value is in the subset"
    );
}

#[test]
fn scalars_in_a_schema_give_the_same_model() {
    for default in [
        "'0'", "0", "1.50", "yes", "null", "~", "\"true\"", "-3", "0x10", "now()",
    ] {
        assert_same_schema(&format!(
            "version: 1\nschemas:\n  public:\n    tables:\n      t:\n        columns:\n          c: {{type: text, default: {default}, nullable: yes}}\n"
        ));
    }
}

#[test]
fn texts_outside_the_subset_take_the_slow_path() {
    let base = "version: 1\nschemas:\n  public:\n    tables:\n      t:\n        columns:\n          id: {type: bigint}\n";
    assert!(accepts(base), "the base text is in the subset");
    for (what, text) in [
        (
            "an anchor",
            base.replace("{type: bigint}", "&a {type: bigint}"),
        ),
        ("an alias", format!("{base}          id2: *a\n")),
        (
            "a block scalar",
            base.replace(
                "{type: bigint}",
                "\n            type: |\n              bigint",
            ),
        ),
        (
            "a folded scalar",
            base.replace("{type: bigint}", ">\n            x"),
        ),
        ("a tab", base.replace("id: {type", "id:\t{type")),
        (
            "a tab as indentation",
            base.replace("        columns", "\tcolumns"),
        ),
        (
            "a duplicate key",
            format!("{base}          id: {{type: text}}\n"),
        ),
        (
            "a duplicate flow key",
            base.replace("{type: bigint}", "{type: bigint, type: text}"),
        ),
        (
            "a tag",
            base.replace("{type: bigint}", "!!map {type: bigint}"),
        ),
        (
            "a merge key",
            base.replace("id: {type: bigint}", "<<: {id: {type: bigint}}"),
        ),
        (
            "a multi-line flow",
            base.replace("{type: bigint}", "{type:\n            bigint}"),
        ),
        (
            "a multi-line plain scalar",
            base.replace(
                "{type: bigint}",
                "\n            type: big\n              int",
            ),
        ),
        ("two documents", format!("{base}---\nversion: 1\n")),
        ("a complex key", format!("{base}? x\n: y\n")),
        ("a carriage return", base.replace('\n', "\r\n")),
    ] {
        assert!(!accepts(&text), "{what} must take the slow path:\n{text}");
        assert_same_schema(&text);
    }
}

#[test]
fn deserialization_errors_take_the_slow_path() {
    for text in [
        "version: 1\nschemas:\n  public:\n    tables:\n      t:\n        colums: {}\n",
        "version: x\n",
        "version: 1\nschemas:\n  public:\n    tables:\n      t:\n        columns:\n          c: {type: null}\n",
    ] {
        assert!(!accepts(text), "{text}");
        assert_same_schema(text);
    }
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// Every YAML file of the repository's tests, and the writer's output for
/// each schema they declare, reads the same by both paths; the writer's
/// output must take the fast one.
#[test]
fn test_files_and_writer_output_read_the_same_by_both_paths() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    yaml_files(&root.join("tests"), &mut files);
    yaml_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests"),
        &mut files,
    );
    files.push(root.join("expected_schema.yaml"));
    files.sort();
    let (mut read, mut fast, mut written) = (0, 0, 0);
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        read += 1;
        assert_same_schema(text);
        if fast_tree(text).is_some() {
            assert_same_tree(text);
        }
        if accepts(text) {
            fast += 1;
        }
        if let Ok(schema) = parse_slow(text, file) {
            let yaml = to_yaml(&schema);
            assert_same_schema(&yaml);
            assert!(
                accepts(&yaml),
                "writer output of {}:\n{yaml}",
                file.display()
            );
            assert_same_tree(&yaml);
            written += 1;
        }
    }
    assert!(read >= 50, "found {read} YAML files under tests/");
    assert!(
        fast * 2 >= read,
        "the fast path read {fast} of {read} files"
    );
    assert!(written >= 20, "only {written} writer outputs checked");
}

/// Found by `fuzz_yaml_loader`: a flow value cut off at the very end of the
/// text (`{type: ` and nothing more) indexed past the end and panicked.
#[test]
fn a_flow_value_cut_off_at_the_end_of_the_text_takes_the_slow_path() {
    let head =
        "version: 1\nschemas:\n  public:\n    views:\n      v:\n        columns:\n          c: ";
    for tail in ["{type: ", "{type:", "{", "[a, ", "[", "{type: integer, "] {
        let text = format!("{head}{tail}");
        assert!(!accepts(&text), "{text}");
        assert_same_schema(&text);
    }
}
