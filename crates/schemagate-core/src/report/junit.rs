//! JUnit XML: one test case per expected table (passing ones too), one per
//! schema-level object or unexpected table that has mismatches, and one
//! `<failure>` per mismatch, as GitLab, Jenkins and GitHub reporters expect.

use std::collections::BTreeMap;
use std::io;

use super::{cell, Outcome};
use crate::diff::Mismatch;

/// A test case: its name, the kind of object, and what failed in it.
struct Case<'a> {
    classname: String,
    failures: Vec<&'a Mismatch>,
}

pub fn render(outcome: &Outcome, out: &mut dyn io::Write) -> io::Result<()> {
    let mut cases: BTreeMap<String, Case> = outcome
        .expected_tables
        .iter()
        .map(|t| {
            let case = Case {
                classname: "schemagate.table".into(),
                failures: Vec::new(),
            };
            (t.clone(), case)
        })
        .collect();
    for m in &outcome.mismatches {
        let (name, classname) = match &m.table {
            Some(t) => (t.to_string(), "schemagate.table".to_string()),
            None => (m.object.clone(), format!("schemagate.{}", m.object_type)),
        };
        cases
            .entry(name)
            .or_insert(Case {
                classname,
                failures: Vec::new(),
            })
            .failures
            .push(m);
    }
    let total = cases.len() + outcome.not_compared.len();
    let failures =
        cases.values().filter(|c| !c.failures.is_empty()).count() + outcome.not_compared.len();
    let file = xml(&outcome.expected_file);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="schemagate" tests="{total}" failures="{failures}" errors="0">"#
    )?;
    writeln!(
        out,
        r#"  <testsuite name="{file}" tests="{total}" failures="{failures}" errors="0" skipped="0">"#,
    )?;
    for (name, case) in &cases {
        let open = format!(
            r#"    <testcase name="{}" classname="{}" file="{file}""#,
            xml(name),
            xml(&case.classname),
        );
        if case.failures.is_empty() {
            writeln!(out, "{open}/>")?;
            continue;
        }
        writeln!(out, "{open}>")?;
        for m in &case.failures {
            let message = match &m.attribute {
                Some(a) => format!("{} {} {}: {a}", m.object_type, m.object, m.change),
                None => format!("{} {} {}", m.object_type, m.object, m.change),
            };
            let location = match m.line {
                Some(l) => format!("{}:{l}", outcome.expected_file),
                None => format!("{} (no line: not declared)", outcome.expected_file),
            };
            writeln!(
                out,
                r#"      <failure message="{}" type="{}">expected: {}&#10;actual: {}&#10;at: {}</failure>"#,
                xml(&message),
                m.change,
                xml(cell(&m.expected)),
                xml(cell(&m.actual)),
                xml(&location),
            )?;
        }
        writeln!(out, "    </testcase>")?;
    }
    for u in &outcome.not_compared {
        writeln!(
            out,
            r#"    <testcase name="{}" classname="schemagate.not_compared.{}" file="{file}">"#,
            xml(&u.to_string()),
            xml(&u.object_type),
        )?;
        writeln!(
            out,
            r#"      <failure message="{} {} not compared" type="not_compared">schemagate does not model this kind of object; list it under ignore_kinds: to accept it unchecked</failure>"#,
            xml(&u.object_type),
            xml(&u.to_string()),
        )?;
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

/// Escapes text for XML 1.0 attribute values and character data. Line
/// breaks and tabs become character references, so attribute-value
/// normalisation keeps them; characters XML 1.0 forbids become U+FFFD.
pub(crate) fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}
