//! The report document's sections for what a schema holds beside its
//! tables: views, types (enum, domain, composite), sequences, functions,
//! extensions, collations, extended statistics and foreign tables — each
//! kind under a heading of its own when there are any.

use std::io;

use super::markdown::{code, text};
use crate::canon::{pretty_expr, pretty_type};
use crate::model::{Field, Namespace, QualifiedName, Schema};

/// `users` for objects in `public`, `audit.log` elsewhere (unquoted: shown in code).
pub(super) fn display(name: &QualifiedName) -> String {
    if name.schema == "public" {
        name.name.clone()
    } else {
        format!("{}.{}", name.schema, name.name)
    }
}

fn named(schema: &str, name: &str) -> String {
    code(&display(&QualifiedName::new(schema, name)))
}

/// `` `a` `integer`, `b` `text` ``.
fn fields(fields: &[Field]) -> String {
    let shown: Vec<String> = fields
        .iter()
        .map(|f| format!("{} {}", code(&f.name), code(&pretty_type(&f.data_type))))
        .collect();
    shown.join(", ")
}

/// One list line per object of one kind, over every schema.
fn lines(schema: &Schema, each: impl Fn(&str, &Namespace, &mut Vec<String>)) -> Vec<String> {
    let mut out = Vec::new();
    for (s, ns) in &schema.schemas {
        each(s, ns, &mut out);
    }
    out
}

pub(super) fn render(schema: &Schema, out: &mut dyn io::Write) -> io::Result<()> {
    render_views(schema, out)?;
    let types = lines(schema, |s, ns, out| {
        for (n, e) in &ns.enums {
            let values: Vec<String> = e.values.iter().map(|v| code(v)).collect();
            out.push(format!("- enum {}: {}", named(s, n), values.join(", ")));
        }
        for (n, d) in &ns.domains {
            let mut line = format!(
                "- domain {}: {}",
                named(s, n),
                code(&pretty_type(&d.data_type))
            );
            if !d.nullable {
                line.push_str(", not null");
            }
            if let Some(default) = &d.default {
                line.push_str(&format!(", default {}", code(&pretty_expr(default))));
            }
            for c in &d.checks {
                line.push_str(&format!(", check {}", code(&pretty_expr(&c.expression))));
            }
            out.push(line);
        }
        for (n, t) in &ns.composite_types {
            out.push(format!(
                "- composite type {}: {}",
                named(s, n),
                fields(&t.attributes)
            ));
        }
    });
    let sequences = lines(schema, |s, ns, out| {
        for (n, q) in &ns.sequences {
            let mut line = format!(
                "- {}: {}, start {}, increment {}",
                named(s, n),
                code(&pretty_type(&q.data_type)),
                q.start,
                q.increment
            );
            if q.cycle {
                line.push_str(", cycle");
            }
            out.push(line);
        }
    });
    let functions = lines(schema, |s, ns, out| {
        for (signature, f) in &ns.functions {
            out.push(format!(
                "- {} returns {} ({})",
                named(s, signature),
                code(&pretty_type(&f.returns)),
                text(&f.language)
            ));
        }
    });
    let extensions = lines(schema, |s, ns, out| {
        for (n, x) in &ns.extensions {
            let mut line = format!("- {}", named(s, n));
            if let Some(v) = &x.version {
                line.push_str(&format!(", version {}", code(v)));
            }
            out.push(line);
        }
    });
    let collations = lines(schema, |s, ns, out| {
        for (n, c) in &ns.collations {
            let mut line = format!(
                "- {}: {}, locale {}",
                named(s, n),
                text(&c.provider),
                code(&c.locale)
            );
            if !c.deterministic {
                line.push_str(", nondeterministic");
            }
            out.push(line);
        }
    });
    let statistics = lines(schema, |s, ns, out| {
        for (n, st) in &ns.statistics {
            let mut on: Vec<String> = st.columns.iter().map(|c| code(c)).collect();
            on.extend(st.expressions.iter().map(|e| code(&pretty_expr(e))));
            let mut line = format!(
                "- {} on {}: {}",
                named(s, n),
                named(s, &st.table),
                on.join(", ")
            );
            if !st.kinds.is_empty() {
                line.push_str(&format!("; kinds {}", text(&st.kinds.join(", "))));
            }
            out.push(line);
        }
    });
    let foreign_tables = lines(schema, |s, ns, out| {
        for (n, f) in &ns.foreign_tables {
            let mut line = format!(
                "- {} on server {}: {}",
                named(s, n),
                code(&f.server),
                fields(&f.columns)
            );
            if !f.options.is_empty() {
                let options: Vec<String> = f.options.iter().map(|o| code(o)).collect();
                line.push_str(&format!("; options {}", options.join(", ")));
            }
            out.push(line);
        }
    });
    for (heading, lines) in [
        ("Types", types),
        ("Sequences", sequences),
        ("Functions", functions),
        ("Extensions", extensions),
        ("Collations", collations),
        ("Extended statistics", statistics),
        ("Foreign tables", foreign_tables),
    ] {
        if lines.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "## {heading}")?;
        writeln!(out)?;
        for line in lines {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

fn render_views(schema: &Schema, out: &mut dyn io::Write) -> io::Result<()> {
    let views: Vec<_> = schema
        .schemas
        .iter()
        .flat_map(|(s, ns)| ns.views.iter().map(move |(n, v)| (s, n, v)))
        .collect();
    if views.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "## Views")?;
    for (s, n, v) in views {
        writeln!(out)?;
        let kind = if v.materialized {
            "materialized view"
        } else {
            "view"
        };
        writeln!(out, "#### {} ({kind})", named(s, n))?;
        if let Some(comment) = &v.comment {
            writeln!(out)?;
            writeln!(out, "{}", text(comment))?;
        }
        if let Some(definition) = &v.definition {
            writeln!(out)?;
            writeln!(out, "```sql")?;
            // A fence inside the definition would end the block early.
            writeln!(out, "{}", definition.trim().replace("```", "` ` `"))?;
            writeln!(out, "```")?;
        }
    }
    Ok(())
}
