//! JUnit XML: one test case per object — every table and schema-level
//! object the expected file declares (passing ones too) and every object
//! with mismatches — with one `<failure>` per mismatch, as GitLab, Jenkins
//! and GitHub reporters expect. The suite carries the run's time.

use std::collections::BTreeMap;
use std::io;

use super::{cell, Outcome};
use crate::diff::{Change, Mismatch, ObjectType};

/// A test case: the kind of object, and what failed in it.
struct Case<'a> {
    object_type: ObjectType,
    failures: Vec<&'a Mismatch>,
}

pub fn render(outcome: &Outcome, out: &mut dyn io::Write) -> io::Result<()> {
    let declared = outcome
        .expected_tables
        .iter()
        .map(|t| (ObjectType::Table, t))
        .chain(outcome.expected_objects.iter().map(|(k, o)| (*k, o)));
    let mut cases: BTreeMap<String, Case> = declared
        .map(|(object_type, name)| {
            let case = Case {
                object_type,
                failures: Vec::new(),
            };
            (name.clone(), case)
        })
        .collect();
    for m in &outcome.mismatches {
        cases
            .entry(m.object.clone())
            .or_insert(Case {
                object_type: m.object_type,
                failures: Vec::new(),
            })
            .failures
            .push(m);
    }
    let total = cases.len() + outcome.not_compared.len();
    let failures =
        cases.values().filter(|c| !c.failures.is_empty()).count() + outcome.not_compared.len();
    let file = xml(&outcome.expected_file);
    // Reporters sum case times; the comparison of one object takes no
    // measurable time, so the run's time is the suite's.
    let time = outcome
        .took
        .map(|t| format!(r#" time="{:.3}""#, t.as_secs_f64()))
        .unwrap_or_default();
    let (safety_total, safety_failures) = outcome
        .safety
        .as_ref()
        .map_or((0, 0), super::hazards::junit_counts);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="schemagate" tests="{}" failures="{}" errors="0"{time}>"#,
        total + safety_total,
        failures + safety_failures,
    )?;
    writeln!(
        out,
        r#"  <testsuite name="{file}" tests="{total}" failures="{failures}" errors="0" skipped="0"{time}>"#,
    )?;
    for (name, case) in &cases {
        let open = format!(
            r#"    <testcase name="{}" classname="schemagate.{}" file="{file}" time="0""#,
            xml(name),
            case.object_type,
        );
        if case.failures.is_empty() {
            writeln!(out, "{open}/>")?;
            continue;
        }
        writeln!(out, "{open}>")?;
        for m in &case.failures {
            let change = match m.change {
                Change::Unexpected => "not declared",
                other => other.as_str(),
            };
            let message = match &m.attribute {
                Some(a) => format!("{} {} {change}: {a}", m.object_type, m.object),
                None => format!("{} {} {change}", m.object_type, m.object),
            };
            let location = match m.line {
                Some(l) => format!("{}:{l}", outcome.expected_file),
                None => format!("{} (no line: not declared)", outcome.expected_file),
            };
            let expected = match m.change {
                Change::Unexpected => "not declared",
                _ => cell(&m.expected),
            };
            writeln!(
                out,
                r#"      <failure message="{}" type="{}">expected: {}&#10;actual: {}&#10;at: {}</failure>"#,
                xml(&message),
                m.change,
                xml(expected),
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
    if let Some(safety) = &outcome.safety {
        super::hazards::junit(safety, out)?;
    }
    writeln!(out, "</testsuites>")
}

/// Escapes text for XML 1.0 attribute values and character data. Line
/// breaks and tabs become character references, so attribute-value
/// normalisation keeps them; characters XML 1.0 forbids become U+FFFD.
pub fn xml(text: &str) -> String {
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
