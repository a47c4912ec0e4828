//! The expected file as an index of lines: entries found by indentation,
//! the style of an entry, new entries rendered in it, and the line edits.

use crate::expected::write::{flow_map, Fields};

/// How an entry is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Style {
    /// `key: {a: 1, b: 2}` / `- {a: 1}`
    Flow,
    /// `key:` then `a: 1` lines / `- a: 1` then `  b: 2`
    Block,
    /// The short form: `col: text`, `- [a, b]`, `- "a > 0"`.
    Short,
}

/// A mapping entry `key: ...` at `indent`; the short form when `fields`
/// hold only `short`.
pub(super) fn render_entry(
    key: &str,
    fields: &Fields,
    indent: usize,
    style: Style,
    short: Option<&str>,
) -> Vec<String> {
    let pad = " ".repeat(indent);
    match style {
        Style::Short if fields.len() == 1 && Some(fields[0].0) == short => {
            vec![format!("{pad}{key}: {}", fields[0].1)]
        }
        Style::Block => {
            let mut lines = vec![format!("{pad}{key}:")];
            for (k, v) in fields {
                lines.push(format!("{pad}  {k}: {v}"));
            }
            lines
        }
        _ => vec![format!("{pad}{key}: {}", flow_map(fields))],
    }
}

/// A list item `- ...` with its dash at `dash`.
pub(super) fn render_item(
    fields: &Fields,
    dash: usize,
    style: Style,
    short: Option<&str>,
) -> Vec<String> {
    let pad = " ".repeat(dash);
    match style {
        Style::Short if fields.len() == 1 && Some(fields[0].0) == short => {
            vec![format!("{pad}- {}", fields[0].1)]
        }
        Style::Block => fields
            .iter()
            .enumerate()
            .map(|(n, (k, v))| {
                let lead = if n == 0 { "- " } else { "  " };
                format!("{pad}{lead}{k}: {v}")
            })
            .collect(),
        _ => vec![format!("{pad}- {}", flow_map(fields))],
    }
}

/// Moves lines written at indent `from` to indent `to`.
pub(super) fn reindent(lines: &[String], from: usize, to: usize) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            if l.trim().is_empty() {
                return String::new();
            }
            let have = l.len() - l.trim_start().len();
            let want = (have + to).saturating_sub(from);
            format!("{}{}", " ".repeat(want), l.trim_start())
        })
        .collect()
}

/// Line edits, applied back to front so that earlier line numbers hold.
#[derive(Default)]
pub(super) struct Edits(pub(super) Vec<(usize, usize, Vec<String>)>);

impl Edits {
    pub(super) fn delete(&mut self, start: usize, end: usize) {
        self.0.push((start, end, Vec::new()));
    }
    pub(super) fn replace(&mut self, start: usize, end: usize, lines: Vec<String>) {
        self.0.push((start, end, lines));
    }
    pub(super) fn insert(&mut self, at: usize, lines: Vec<String>) {
        self.0.push((at, at, lines));
    }
}

/// The file as lines, with the few questions the splice asks of its
/// indentation structure.
pub(super) struct Doc<'a> {
    pub(super) lines: Vec<&'a str>,
    pub(super) newline: &'static str,
    pub(super) trailing_newline: bool,
}

impl<'a> Doc<'a> {
    pub(super) fn new(text: &'a str) -> Doc<'a> {
        Doc {
            lines: text.lines().collect(),
            newline: if text.contains("\r\n") { "\r\n" } else { "\n" },
            trailing_newline: text.ends_with('\n') || text.is_empty(),
        }
    }

    pub(super) fn indent(&self, i: usize) -> usize {
        let l = self.lines[i];
        l.len() - l.trim_start_matches(' ').len()
    }

    pub(super) fn is_content(&self, i: usize) -> bool {
        let t = self.lines[i].trim().trim_start_matches('\u{feff}');
        !t.is_empty() && !t.starts_with('#')
    }

    /// One past the last line of the entry starting at line `start`
    /// (trailing blank lines and comments belong to what follows).
    pub(super) fn end(&self, start: usize) -> usize {
        let base = self.indent(start);
        let text = strip_comment(self.lines[start].trim());
        let opens_block = !text.starts_with('-') && text.ends_with(':');
        let mut last = start;
        for j in start + 1..self.lines.len() {
            if !self.is_content(j) {
                continue;
            }
            let ind = self.indent(j);
            let item = self.lines[j].trim_start().starts_with('-');
            if ind > base || (opens_block && ind == base && item) {
                last = j;
            } else {
                break;
            }
        }
        last + 1
    }

    /// The first lines of the children of the entry at `parent` (the whole
    /// file's top-level keys for `None`).
    pub(super) fn children(&self, parent: Option<usize>) -> Vec<usize> {
        let (from, to) = match parent {
            Some(p) => (p + 1, self.end(p)),
            None => (0, self.lines.len()),
        };
        let content: Vec<usize> = (from..to).filter(|&i| self.is_content(i)).collect();
        let Some(&first) = content.first() else {
            return Vec::new();
        };
        let indent = self.indent(first);
        content
            .into_iter()
            .filter(|&i| self.indent(i) == indent)
            .filter(|&i| parent.is_none() || self.lines[i].trim_start() != "---")
            .collect()
    }

    pub(super) fn child_indent(&self, parent: usize) -> usize {
        self.children(Some(parent))
            .first()
            .map_or(self.indent(parent) + 2, |&i| self.indent(i))
    }

    pub(super) fn child(&self, parent: Option<usize>, key: &str) -> Option<usize> {
        self.children(parent)
            .into_iter()
            .find(|&i| key_of(self.lines[i].trim_start()).as_deref() == Some(key))
    }

    /// Where a new last child of `parent` goes: after its last content line.
    pub(super) fn insertion_point(&self, parent: usize) -> usize {
        self.end(parent)
    }

    /// The first of the comment lines directly above line `i` (or `i`).
    pub(super) fn leading_comments(&self, i: usize) -> usize {
        let mut first = i;
        while first > 0 && self.lines[first - 1].trim_start().starts_with('#') {
            first -= 1;
        }
        first
    }

    pub(super) fn entry_style(&self, i: usize) -> Style {
        let t = strip_comment(self.lines[i].trim());
        match t.split_once(": ") {
            None => Style::Block,
            Some((_, v)) if v.trim_start().starts_with('{') => Style::Flow,
            Some(_) => Style::Short,
        }
    }

    pub(super) fn item_style(&self, i: usize) -> Style {
        let t = self.lines[i].trim();
        let rest = t.strip_prefix('-').unwrap_or(t).trim_start();
        if rest.starts_with('{') {
            Style::Flow
        } else if rest.starts_with(['"', '\'', '[']) || key_of(rest).is_none() {
            Style::Short
        } else {
            Style::Block
        }
    }

    pub(super) fn apply(&self, mut edits: Edits) -> String {
        // Back to front; among edits at one line, the later added goes below.
        let order: Vec<usize> = {
            let mut idx: Vec<usize> = (0..edits.0.len()).collect();
            idx.sort_by_key(|&n| (edits.0[n].0, n));
            idx
        };
        let mut lines: Vec<String> = self.lines.iter().map(|l| l.to_string()).collect();
        for n in order.into_iter().rev() {
            let (start, end, new) = std::mem::take(&mut edits.0[n]);
            lines.splice(start..end, new);
        }
        let mut text = lines.join(self.newline);
        if self.trailing_newline && !text.is_empty() {
            text.push_str(self.newline);
        }
        text
    }
}

/// The key of a block mapping line (`key: ...` or `key:`), unquoted.
pub(super) fn key_of(line: &str) -> Option<String> {
    if line.starts_with('-') && (line.len() == 1 || line[1..].starts_with(' ')) {
        return None;
    }
    if let Some(q) = line.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let mut out = String::new();
        let mut chars = line[1..].char_indices();
        while let Some((n, c)) = chars.next() {
            if c == q {
                if q == '\'' && line[1 + n + 1..].starts_with('\'') {
                    out.push('\'');
                    chars.next();
                    continue;
                }
                let rest = line[1 + n + 1..].trim_start();
                return rest.starts_with(':').then_some(out);
            }
            if c == '\\' && q == '"' {
                match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, other)) => out.push(other),
                    None => return None,
                }
                continue;
            }
            out.push(c);
        }
        return None;
    }
    let end = line.find(": ").or_else(|| {
        let t = strip_comment(line);
        t.ends_with(':').then(|| t.len() - 1)
    })?;
    let key = line[..end].trim_end();
    (!key.is_empty() && !key.starts_with(['{', '['])).then(|| key.to_string())
}

/// The line without a trailing `# comment` (outside quotes).
pub(super) fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    let mut prev = ' ';
    for (n, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && prev.is_whitespace() => return line[..n].trim_end(),
            None => {}
        }
        prev = c;
    }
    line.trim_end()
}
