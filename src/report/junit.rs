//! JUnit XML: one test case per table (and one for schema-level objects),
//! one failure per mismatch, as GitLab, Jenkins and GitHub reporters expect.

use std::collections::BTreeMap;
use std::io;

use super::{cell, Outcome};
use crate::diff::Mismatch;

pub fn render(outcome: &Outcome, out: &mut dyn io::Write) -> io::Result<()> {
    let mut cases: BTreeMap<String, Vec<&Mismatch>> = BTreeMap::new();
    for m in &outcome.mismatches {
        let case = match &m.table {
            Some(t) => t.to_string(),
            None => m.object.clone(),
        };
        cases.entry(case).or_default().push(m);
    }
    // Tables that match are passing cases, so the suite shows the whole schema.
    let failures = cases.len();
    let total = outcome.tables_expected.max(failures);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="schemagate" tests="{total}" failures="{failures}" errors="0">"#
    )?;
    writeln!(
        out,
        r#"  <testsuite name="{}" tests="{total}" failures="{failures}" errors="0" skipped="0">"#,
        xml(&outcome.expected_file)
    )?;
    for (case, mismatches) in &cases {
        writeln!(
            out,
            r#"    <testcase name="{}" classname="schemagate.schema" file="{}">"#,
            xml(case),
            xml(&outcome.expected_file)
        )?;
        for m in mismatches {
            let message = match &m.attribute {
                Some(a) => format!("{} {} {}: {a}", m.object_type, m.object, m.change),
                None => format!("{} {} {}", m.object_type, m.object, m.change),
            };
            writeln!(
                out,
                r#"      <failure message="{}" type="{}">expected: {}&#10;actual: {}&#10;line: {}</failure>"#,
                xml(&message),
                m.change,
                xml(cell(&m.expected)),
                xml(cell(&m.actual)),
                m.line.map_or("-".to_string(), |l| l.to_string())
            )?;
        }
        writeln!(out, "    </testcase>")?;
    }
    let passing = total - failures;
    if passing > 0 {
        writeln!(
            out,
            r#"    <testcase name="{passing} matching tables" classname="schemagate.schema"/>"#
        )?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

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
            c if (c as u32) < 0x20 && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}
