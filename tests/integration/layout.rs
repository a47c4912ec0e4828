//! Keeps the layout STYLE.md describes true, with no database: each crate's
//! modules import one way (no file-level `crate::`/`super::` cycle), and the
//! core crate stays pure (nothing in its dependency tree talks to PostgreSQL,
//! runs async or parses command lines).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// A module's path inside its crate: `report/github` is `["report", "github"]`;
/// `lib.rs`, `main.rs` and `mod.rs` are their directory's module.
type Module = Vec<String>;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn module_of(src: &Path, file: &Path) -> Module {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Module = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The length of the identifier at the start of `s`.
fn ident(s: &str) -> usize {
    s.find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len())
}

/// Reads `a::b::c` from the start of `s`, stopping at `{` or anything else.
fn segments(mut s: &str) -> (Vec<String>, &str) {
    let mut out = Vec::new();
    loop {
        let n = ident(s);
        if n == 0 {
            break;
        }
        out.push(s[..n].to_string());
        s = &s[n..];
        match s.strip_prefix("::") {
            Some(rest) => s = rest,
            None => break,
        }
    }
    (out, s)
}

/// The paths a file names after `crate::` or `super::`, one level of braces
/// expanded (`super::{a::f, b}` names `super::a::f` and `super::b`).
fn paths(text: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("::") {
        let before = &text[..at];
        let start = before
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        // Only the start of a path: `crate::` or a run of `super::`.
        if at != start + ident(&text[start..]) {
            continue;
        }
        let (head, rest) = segments(&text[start..]);
        if !matches!(head.first().map(String::as_str), Some("crate" | "super")) {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let (tail, _) = segments(item.trim());
                found.push(head.iter().cloned().chain(tail).collect());
            }
        } else {
            found.push(head);
        }
    }
    found
}

/// Drops the unit tests at a file's end: they may import anything.
fn without_tests(text: &str) -> &str {
    let mut from = 0;
    while let Some(i) = text[from..].find("#[cfg(test)]") {
        let at = from + i;
        let after = text[at + "#[cfg(test)]".len()..].trim_start();
        if after.starts_with("mod tests") {
            return &text[..at];
        }
        from = at + 1;
    }
    text
}

/// The file-level import graph of one crate.
fn graph(src: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeMap<Module, PathBuf> = files
        .iter()
        .map(|f| (module_of(src, f), f.clone()))
        .collect();
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, file) in &modules {
        let text = fs::read_to_string(file).unwrap();
        let entry = edges.entry(module.clone()).or_default();
        for path in paths(without_tests(&text)) {
            let mut base = Vec::new();
            let mut rest = &path[..];
            if rest[0] == "crate" {
                rest = &rest[1..];
            } else {
                base = module.clone();
                while rest.first().is_some_and(|s| s == "super") {
                    rest = &rest[1..];
                    base.pop();
                }
            }
            let full: Module = base.iter().chain(rest).cloned().collect();
            // The longest prefix that is a file.
            let target = (0..=full.len())
                .rev()
                .map(|k| full[..k].to_vec())
                .find(|m| modules.contains_key(m));
            if let Some(t) = target {
                // A module may name itself and its ancestors (its `mod.rs`).
                if &t != module && !module.starts_with(&t) {
                    entry.insert(t);
                }
            }
        }
    }
    edges
}

/// One cycle, if the graph has any, as the modules along it.
fn cycle(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Option<Vec<String>> {
    fn visit(
        m: &Module,
        edges: &BTreeMap<Module, BTreeSet<Module>>,
        done: &mut BTreeSet<Module>,
        stack: &mut Vec<Module>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == m) {
            let mut ring: Vec<String> = stack[i..].iter().map(|s| s.join("/")).collect();
            ring.push(m.join("/"));
            return Some(ring);
        }
        if !done.insert(m.clone()) {
            return None;
        }
        stack.push(m.clone());
        for next in edges.get(m).into_iter().flatten() {
            if let Some(found) = visit(next, edges, done, stack) {
                return Some(found);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|m| visit(m, edges, &mut done, &mut Vec::new()))
}

// Regression guard: report/hazards once imported the github, junit and
// markdown helpers while they imported it back (#11).
#[test]
fn layout_core_modules_import_one_way() {
    let edges = graph(&workspace().join("crates/schemagate-core/src"));
    assert!(edges.contains_key(&vec!["report".to_string(), "github".to_string()]));
    assert_eq!(cycle(&edges), None, "import cycle in schemagate-core");
}

#[test]
fn layout_cli_modules_import_one_way() {
    let edges = graph(&workspace().join("src"));
    assert!(edges.contains_key(&vec!["pipeline".to_string()]));
    assert_eq!(cycle(&edges), None, "import cycle in the CLI crate");
}

#[test]
fn layout_cycle_finder_sees_a_cycle() {
    let a = vec!["a".to_string()];
    let b = vec!["b".to_string()];
    let edges = BTreeMap::from([
        (a.clone(), BTreeSet::from([b.clone()])),
        (b.clone(), BTreeSet::from([a.clone()])),
    ]);
    assert_eq!(
        cycle(&edges),
        Some(vec!["a".into(), "b".into(), "a".into()])
    );
    let named = paths("use super::{hazards::location, cell};\nlet x = crate::diff::diff(a);");
    assert!(named.contains(&vec!["super".into(), "hazards".into(), "location".into()]));
    assert!(named.contains(&vec!["crate".into(), "diff".into(), "diff".into()]));
}

/// The packages in `schemagate-core`'s normal dependency tree, from
/// `Cargo.lock` (cheaper than running `cargo tree`); its own dev-dependencies
/// are left out.
fn core_dependency_tree() -> BTreeSet<String> {
    let manifest =
        fs::read_to_string(workspace().join("crates/schemagate-core/Cargo.toml")).unwrap();
    let mut dev = BTreeSet::new();
    let mut section = String::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line.to_string();
        } else if section == "[dev-dependencies]" {
            if let Some(name) = line.split(['=', '.']).next().filter(|n| !n.is_empty()) {
                dev.insert(name.trim().to_string());
            }
        }
    }
    let lock = fs::read_to_string(workspace().join("Cargo.lock")).unwrap();
    let mut deps: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for package in lock.split("[[package]]").skip(1) {
        let name = package
            .lines()
            .find_map(|l| l.strip_prefix("name = "))
            .unwrap()
            .trim_matches('"')
            .to_string();
        let list = package
            .split_once("dependencies = [")
            .map_or("", |(_, rest)| rest.split(']').next().unwrap());
        let names = list
            .split(',')
            .map(|d| d.trim().trim_matches('"'))
            .filter(|d| !d.is_empty())
            // `"name version"` when two versions are locked.
            .map(|d| d.split(' ').next().unwrap().to_string())
            .collect();
        deps.entry(name).or_default().extend::<Vec<String>>(names);
    }
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = deps["schemagate-core"]
        .iter()
        .filter(|d| !dev.contains(*d))
        .cloned()
        .collect();
    while let Some(d) = todo.pop() {
        if seen.insert(d.clone()) {
            todo.extend(deps.get(&d).into_iter().flatten().cloned());
        }
    }
    seen
}

#[test]
fn layout_core_has_no_io_dependencies() {
    let tree = core_dependency_tree();
    assert!(tree.contains("serde"), "the tree was not read: {tree:?}");
    let impure: Vec<&String> = tree
        .iter()
        .filter(|name| {
            name.split(['-', '_']).any(|part| {
                matches!(
                    part,
                    "postgres" | "postgresql" | "tokio" | "testcontainers" | "rustls" | "clap"
                )
            })
        })
        .collect();
    assert!(
        impure.is_empty(),
        "schemagate-core must stay pure, yet depends on {impure:?}"
    );
}
