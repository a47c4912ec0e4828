//! The YAML subset that schemagate's writer emits, read into a tree whose
//! every node keeps its line and column. Anything outside the subset, or
//! anything this reader is not sure it reads exactly as serde-saphyr does,
//! is a [`Bail`]: the caller then parses the whole text with serde-saphyr.

use std::borrow::Cow;
use std::collections::HashSet;

use super::scalar::{
    classify, double_quoted, literal_indent, plain_start, single_quoted, Bail, Plain,
};

/// A node and where it starts (1-based line and column, in characters, as
/// serde-saphyr reports them).
#[derive(Debug)]
pub(super) struct Node<'a> {
    pub(super) line: u32,
    pub(super) column: u32,
    pub(super) kind: Kind<'a>,
}

#[derive(Debug)]
pub(super) enum Kind<'a> {
    /// A plain scalar; empty for an omitted value (`key:` and nothing after).
    Plain(&'a str),
    /// A single- or double-quoted scalar, unescaped.
    Quoted(Cow<'a, str>),
    /// Keys and values, alternating: `Doc::nodes[start..start + 2 * pairs]`.
    Map { start: usize, pairs: usize },
    /// `Doc::nodes[start..start + len]`.
    Seq { start: usize, len: usize },
}

/// A parsed text: the root and, in one allocation, every other node, each
/// collection's children side by side (a tree of `Vec`s spent most of its
/// time in malloc and free).
pub(super) struct Doc<'a> {
    pub(super) root: Node<'a>,
    pub(super) nodes: Vec<Node<'a>>,
}

/// Nesting deeper than this is left to serde-saphyr (its own limit is 64).
const MAX_DEPTH: usize = 32;
/// serde-saphyr looks at most 1,024 characters ahead for a simple key.
const MAX_KEY_BYTES: usize = 1000;
/// serde-saphyr's budget for scalar text is 64 MiB.
const MAX_SCALAR_BYTES: usize = 60 * 1024 * 1024;

/// Parses `text` (without a BOM) into its root node, a block mapping.
pub(super) fn document(text: &str) -> Result<Doc<'_>, Bail> {
    check_characters(text.as_bytes())?;
    let mut p = Parser {
        text,
        pos: 0,
        number: 1,
        peeked: None,
        scalar_bytes: 0,
        stack: Vec::new(),
        // What schemagate writes holds one node per 9 to 10 bytes (54 MB:
        // 5.5 million): reserved at once, the array is never copied to grow
        // (a copy held both, 300 MB at 50,000 tables), and pages of it not
        // reached are never touched.
        nodes: Vec::with_capacity(text.len() / 8 + 16),
    };
    let mut first = p.peek().ok_or(Bail)?;
    let content = p.rest(&first, first.start);
    if let Some(marker_rest) = content.strip_prefix("---") {
        let after = marker_rest.trim_start_matches(' ');
        if !(after.is_empty() || (after.starts_with('#') && marker_rest.starts_with(' '))) {
            return Err(Bail);
        }
        p.consume(first);
        first = p.peek().ok_or(Bail)?;
    }
    if first.indent != 0 || p.is_dash(&first, first.start) {
        return Err(Bail);
    }
    let root = p.block_map(first, first.start, 0)?;
    if p.peek().is_some() || p.scalar_bytes > MAX_SCALAR_BYTES {
        return Err(Bail);
    }
    Ok(Doc {
        root,
        nodes: p.nodes,
    })
}

/// Characters serde-saphyr treats specially or rejects anywhere in the
/// text: tabs, carriage returns, other controls, a BOM inside the text.
fn check_characters(bytes: &[u8]) -> Result<(), Bail> {
    for (i, &b) in bytes.iter().enumerate() {
        let bad = match b {
            b'\n' => false,
            0..=0x1f | 0x7f => true,
            0xc2 => matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
            0xef => matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
            ),
            _ => false,
        };
        if bad {
            return Err(Bail);
        }
    }
    Ok(())
}

/// One significant line: `start..end` excludes the newline.
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    indent: usize,
    number: u32,
    ascii: bool,
}

struct Parser<'a> {
    text: &'a str,
    /// Start of the next unread line.
    pos: usize,
    /// Its 1-based number.
    number: u32,
    peeked: Option<Option<Line>>,
    scalar_bytes: usize,
    /// The children of the collections being read, innermost last.
    stack: Vec<Node<'a>>,
    /// Every finished collection's children.
    nodes: Vec<Node<'a>>,
}

impl<'a> Parser<'a> {
    /// The next line that is neither blank nor only a comment, if any.
    fn peek(&mut self) -> Option<Line> {
        if let Some(line) = self.peeked {
            return line;
        }
        let line = loop {
            if self.pos >= self.text.len() {
                break None;
            }
            let start = self.pos;
            let end = self.text[start..]
                .find('\n')
                .map_or(self.text.len(), |i| start + i);
            let line = &self.text[start..end];
            let indent = line.len() - line.trim_start_matches(' ').len();
            if indent == line.len() || line.as_bytes()[indent] == b'#' {
                self.pos = end + 1;
                self.number += 1;
                continue;
            }
            break Some(Line {
                start,
                end,
                indent,
                number: self.number,
                ascii: line.is_ascii(),
            });
        };
        self.peeked = Some(line);
        line
    }

    /// Moves the children pushed since `mark` to `nodes`; returns where they start.
    fn finish(&mut self, mark: usize) -> usize {
        let start = self.nodes.len();
        self.nodes.extend(self.stack.drain(mark..));
        start
    }

    fn consume(&mut self, line: Line) {
        self.pos = line.end + 1;
        self.number = line.number + 1;
        self.peeked = None;
    }

    fn rest(&self, line: &Line, at: usize) -> &'a str {
        &self.text[at..line.end]
    }

    fn column(&self, line: &Line, at: usize) -> u32 {
        let chars = if line.ascii {
            at - line.start
        } else {
            self.text[line.start..at].chars().count()
        };
        chars as u32 + 1
    }

    fn node(&self, line: &Line, at: usize, kind: Kind<'a>) -> Node<'a> {
        Node {
            line: line.number,
            column: self.column(line, at),
            kind,
        }
    }

    fn is_dash(&self, line: &Line, at: usize) -> bool {
        let rest = self.rest(line, at);
        rest == "-" || rest.starts_with("- ")
    }

    /// The value of a key or sequence item whose text ended the line: a
    /// block collection on the following lines, or an omitted value.
    fn nested(
        &mut self,
        parent: &Line,
        column: usize,
        indentless: bool,
        depth: usize,
    ) -> Result<Node<'a>, Bail> {
        if depth > MAX_DEPTH {
            return Err(Bail);
        }
        match self.peek() {
            Some(next) if next.indent > column => {
                if self.is_dash(&next, next.start + next.indent) {
                    self.block_seq(next, next.start + next.indent, false, depth)
                } else {
                    self.block_map(next, next.start + next.indent, depth)
                }
            }
            // An indentless sequence as a mapping's value (`key:\n- a`).
            Some(next)
                if indentless
                    && next.indent == column
                    && self.is_dash(&next, next.start + column) =>
            {
                self.block_seq(next, next.start + next.indent, true, depth)
            }
            _ => Ok(self.node(parent, parent.end, Kind::Plain(""))),
        }
    }

    /// A block sequence whose first `-` is at `at`. serde-saphyr places an
    /// indentless one (`key:\n- a`) at its first item rather than its dash.
    fn block_seq(
        &mut self,
        mut line: Line,
        mut at: usize,
        indentless: bool,
        depth: usize,
    ) -> Result<Node<'a>, Bail> {
        let column = at - line.start;
        let mut out = self.node(&line, at, Kind::Plain(""));
        let mark = self.stack.len();
        loop {
            let after = at + 1;
            let value_at = after
                + (self.rest(&line, after).len()
                    - self.rest(&line, after).trim_start_matches(' ').len());
            let rest = self.rest(&line, value_at);
            let item = if rest.is_empty() || (rest.starts_with('#') && value_at > after) {
                if indentless && self.stack.len() == mark {
                    return Err(Bail);
                }
                self.consume(line);
                self.nested(&line, column, false, depth + 1)?
            } else if rest.starts_with('#') || rest == "-" || rest.starts_with("- ") {
                return Err(Bail);
            } else if self.key_ahead(&line, value_at)? {
                self.block_map(line, value_at, depth + 1)?
            } else {
                let item = self.inline(&line, value_at, depth + 1)?;
                self.consume(line);
                item
            };
            self.stack.push(item);
            match self.peek() {
                Some(next) if next.indent == column && self.is_dash(&next, next.start + column) => {
                    line = next;
                    at = next.start + column;
                }
                Some(next) if next.indent > column => return Err(Bail),
                _ => break,
            }
        }
        if indentless {
            (out.line, out.column) = (self.stack[mark].line, self.stack[mark].column);
        }
        let len = self.stack.len() - mark;
        out.kind = Kind::Seq {
            start: self.finish(mark),
            len,
        };
        Ok(out)
    }

    /// Whether a block mapping starts at `at` (`key: ...` on this line).
    fn key_ahead(&self, line: &Line, at: usize) -> Result<bool, Bail> {
        let rest = self.rest(line, at);
        Ok(match rest.as_bytes()[0] {
            b'"' | b'\'' => {
                let (_, end) = quoted(self.text, line, at)?;
                self.rest(line, end)
                    .trim_start_matches(' ')
                    .starts_with(':')
            }
            b'{' | b'[' => false,
            _ => rest.contains(": ") || rest.ends_with(':'),
        })
    }

    fn block_map(&mut self, mut line: Line, mut at: usize, depth: usize) -> Result<Node<'a>, Bail> {
        if depth > MAX_DEPTH {
            return Err(Bail);
        }
        let column = at - line.start;
        let mut out = self.node(&line, at, Kind::Plain(""));
        let mark = self.stack.len();
        loop {
            let (key, colon) = self.block_key(&line, at)?;
            let after = colon + 1;
            let rest = self.rest(&line, after);
            let value_at = after + (rest.len() - rest.trim_start_matches(' ').len());
            let value_text = self.rest(&line, value_at);
            let value = if value_text.is_empty() || value_text.starts_with('#') {
                if value_text.starts_with('#') && value_at == after {
                    return Err(Bail);
                }
                self.consume(line);
                self.nested(&line, column, true, depth + 1)?
            } else {
                if value_at == after {
                    return Err(Bail);
                }
                match literal_indent(value_text) {
                    // `key: |2-` (function bodies); not in a compact mapping
                    // (`- key: |2-`), whose indentation is not the line's.
                    Some(m) if at == line.start + line.indent => self.literal(line, column + m)?,
                    Some(_) => return Err(Bail),
                    None => {
                        let value = self.inline(&line, value_at, depth + 1)?;
                        self.consume(line);
                        value
                    }
                }
            };
            self.stack.push(key);
            self.stack.push(value);
            match self.peek() {
                Some(next) if next.indent == column => {
                    if self.is_dash(&next, next.start + column) {
                        return Err(Bail);
                    }
                    line = next;
                    at = next.start + column;
                }
                Some(next) if next.indent > column => return Err(Bail),
                _ => break,
            }
        }
        check_duplicates(&self.stack[mark..])?;
        let pairs = (self.stack.len() - mark) / 2;
        out.kind = Kind::Map {
            start: self.finish(mark),
            pairs,
        };
        Ok(out)
    }

    /// A block mapping's key at `at`: the key and the offset of its colon.
    fn block_key(&mut self, line: &Line, at: usize) -> Result<(Node<'a>, usize), Bail> {
        let rest = self.rest(line, at);
        // `---` and `...` at the start of a line mark documents.
        if at == line.start && (rest.starts_with("---") || rest.starts_with("...")) {
            return Err(Bail);
        }
        let (key, end) = match rest.as_bytes()[0] {
            b'"' | b'\'' => {
                let (text, end) = self.quoted(line, at)?;
                (self.node(line, at, Kind::Quoted(text)), end)
            }
            _ => {
                let colon = rest
                    .find(": ")
                    .or_else(|| rest.ends_with(':').then(|| rest.len() - 1))
                    .ok_or(Bail)?;
                let text = rest[..colon].trim_end_matches(' ');
                if text.contains(" #") || !plain_start(text) || text == "<<" {
                    return Err(Bail);
                }
                if classify(text) != Plain::Str {
                    return Err(Bail);
                }
                (self.node(line, at, Kind::Plain(text)), at + text.len())
            }
        };
        if end - at > MAX_KEY_BYTES {
            return Err(Bail);
        }
        let rest = self.rest(line, end);
        let colon = end + (rest.len() - rest.trim_start_matches(' ').len());
        let after = &self.text[colon..line.end];
        if !(after == ":" || after.starts_with(": ")) {
            return Err(Bail);
        }
        Ok((key, colon))
    }

    /// A literal block scalar with an explicit indentation and strip
    /// chomping (`|2-`), the only block scalar the writer emits, whose
    /// header is at `at` on `line` and whose content is indented `indent`
    /// spaces; the lines are read as they are, comments included.
    /// serde-saphyr places it at its first line's content, so one that is
    /// empty or starts with an empty line is left to it.
    fn literal(&mut self, line: Line, indent: usize) -> Result<Node<'a>, Bail> {
        let mut node = Node {
            line: line.number + 1,
            column: indent as u32 + 1,
            kind: Kind::Plain(""),
        };
        self.consume(line);
        let mut value = String::new();
        let mut empty_lines = 0;
        let mut any = false;
        while self.pos < self.text.len() {
            let start = self.pos;
            let end = self.text[start..]
                .find('\n')
                .map_or(self.text.len(), |i| start + i);
            let text = &self.text[start..end];
            let spaces = text.len() - text.trim_start_matches(' ').len();
            if spaces == text.len() && spaces <= indent {
                if !any {
                    return Err(Bail);
                }
                empty_lines += 1;
            } else if spaces < indent {
                break;
            } else {
                let breaks = empty_lines + usize::from(any);
                value.extend(std::iter::repeat_n('\n', breaks));
                value.push_str(&text[indent..]);
                empty_lines = 0;
                any = true;
            }
            self.pos = end + 1;
            self.number += 1;
        }
        if !any {
            return Err(Bail);
        }
        // Strip chomping drops the trailing empty lines.
        self.scalar_bytes += value.len();
        node.kind = Kind::Quoted(Cow::Owned(value));
        Ok(node)
    }

    /// A value that sits on the line after `key: ` or `- `: a scalar or a
    /// one-line flow collection, and then nothing but a comment.
    fn inline(&mut self, line: &Line, at: usize, depth: usize) -> Result<Node<'a>, Bail> {
        let rest = self.rest(line, at);
        let (node, end) = match rest.as_bytes()[0] {
            b'{' | b'[' | b'"' | b'\'' => self.flow(line, at, depth)?,
            _ => {
                let end = rest.find(" #").unwrap_or(rest.len());
                let text = rest[..end].trim_end_matches(' ');
                if !plain_start(text) || text.contains(": ") || text.ends_with(':') {
                    return Err(Bail);
                }
                self.scalar_bytes += text.len();
                (self.node(line, at, Kind::Plain(text)), at + text.len())
            }
        };
        let tail = self.rest(line, end);
        let trimmed = tail.trim_start_matches(' ');
        if !(trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < tail.len())) {
            return Err(Bail);
        }
        Ok(node)
    }

    /// A flow node at `at`; returns it and the offset just past it.
    fn flow(&mut self, line: &Line, at: usize, depth: usize) -> Result<(Node<'a>, usize), Bail> {
        // A value missing at the end of the line (`{type: ` and no more).
        if depth > MAX_DEPTH || at >= line.end {
            return Err(Bail);
        }
        let bytes = self.text.as_bytes();
        let skip = |mut i: usize| {
            while i < line.end && bytes[i] == b' ' {
                i += 1;
            }
            i
        };
        match bytes[at] {
            b'"' | b'\'' => {
                let (text, end) = self.quoted(line, at)?;
                Ok((self.node(line, at, Kind::Quoted(text)), end))
            }
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                let mut i = skip(at + 1);
                let mark = self.stack.len();
                if i < line.end && bytes[i] == close {
                    i += 1;
                } else {
                    loop {
                        if i >= line.end {
                            return Err(Bail);
                        }
                        if open == b'{' {
                            let (key, end) = self.flow_scalar(line, i)?;
                            if end - i > MAX_KEY_BYTES {
                                return Err(Bail);
                            }
                            if let Kind::Plain(k) = key.kind {
                                if classify(k) != Plain::Str || k == "<<" {
                                    return Err(Bail);
                                }
                            }
                            let colon = skip(end);
                            if !(colon + 1 < line.end
                                && bytes[colon] == b':'
                                && bytes[colon + 1] == b' ')
                            {
                                return Err(Bail);
                            }
                            let (value, end) = self.flow(line, skip(colon + 1), depth + 1)?;
                            self.stack.push(key);
                            self.stack.push(value);
                            i = skip(end);
                        } else {
                            let (item, end) = self.flow(line, i, depth + 1)?;
                            self.stack.push(item);
                            i = skip(end);
                        }
                        match bytes.get(i) {
                            Some(b',') if i < line.end => {
                                i = skip(i + 1);
                                if i >= line.end || bytes[i] == close || bytes[i] == b',' {
                                    return Err(Bail);
                                }
                            }
                            Some(&c) if c == close && i < line.end => {
                                i += 1;
                                break;
                            }
                            _ => return Err(Bail),
                        }
                    }
                }
                let count = self.stack.len() - mark;
                let kind = if open == b'{' {
                    check_duplicates(&self.stack[mark..])?;
                    Kind::Map {
                        start: self.finish(mark),
                        pairs: count / 2,
                    }
                } else {
                    Kind::Seq {
                        start: self.finish(mark),
                        len: count,
                    }
                };
                Ok((self.node(line, at, kind), i))
            }
            _ => {
                let (node, end) = self.flow_scalar(line, at)?;
                if let Kind::Plain(_) = node.kind {
                    // `[a: b]` is a one-pair mapping inside a sequence.
                    if bytes.get(skip(end)) == Some(&b':') {
                        return Err(Bail);
                    }
                }
                Ok((node, end))
            }
        }
    }

    /// A scalar inside a flow collection: quoted, or plain up to a flow
    /// indicator or `: `.
    fn flow_scalar(&mut self, line: &Line, at: usize) -> Result<(Node<'a>, usize), Bail> {
        let bytes = self.text.as_bytes();
        if matches!(bytes[at], b'"' | b'\'') {
            let (text, end) = self.quoted(line, at)?;
            return Ok((self.node(line, at, Kind::Quoted(text)), end));
        }
        let mut i = at;
        while i < line.end && !matches!(bytes[i], b',' | b'[' | b']' | b'{' | b'}' | b':' | b'#') {
            i += 1;
        }
        if i >= line.end || bytes[i] == b'#' {
            return Err(Bail);
        }
        let text = self.text[at..i].trim_end_matches(' ');
        if !plain_start(text) {
            return Err(Bail);
        }
        self.scalar_bytes += text.len();
        Ok((self.node(line, at, Kind::Plain(text)), at + text.len()))
    }

    /// A quoted scalar at `at` that ends on this line: its text and the
    /// offset just past the closing quote.
    fn quoted(&mut self, line: &Line, at: usize) -> Result<(Cow<'a, str>, usize), Bail> {
        let (text, end) = quoted(self.text, line, at)?;
        self.scalar_bytes += text.len();
        Ok((text, end))
    }
}

fn quoted<'a>(text: &'a str, line: &Line, at: usize) -> Result<(Cow<'a, str>, usize), Bail> {
    let body = &text[at + 1..line.end];
    let (text, len) = if text.as_bytes()[at] == b'\'' {
        single_quoted(body)?
    } else {
        double_quoted(body)?
    };
    Ok((text, at + 1 + len))
}

/// serde-saphyr rejects a mapping that repeats a key; leave that to it.
/// `pairs` alternates keys and values.
fn check_duplicates(pairs: &[Node<'_>]) -> Result<(), Bail> {
    fn key<'n>(n: &'n Node<'_>) -> Option<&'n str> {
        match &n.kind {
            Kind::Plain(s) => Some(s),
            Kind::Quoted(s) => Some(s),
            _ => None,
        }
    }
    let keys = || pairs.iter().step_by(2);
    if pairs.len() <= 24 {
        for (i, a) in keys().enumerate() {
            let a = key(a).ok_or(Bail)?;
            if keys().take(i).any(|b| key(b) == Some(a)) {
                return Err(Bail);
            }
        }
        return Ok(());
    }
    let mut seen = HashSet::with_capacity(pairs.len() / 2);
    for k in keys() {
        if !seen.insert(key(k).ok_or(Bail)?) {
            return Err(Bail);
        }
    }
    Ok(())
}
