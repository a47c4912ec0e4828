//! Function bodies: compared as the server stores them, ignoring only
//! whitespace and comments outside string literals, quoted identifiers and
//! dollar-quoted strings.

/// `body` with comments outside literals removed and whitespace runs
/// collapsed: to one space between two words (or a word and a literal),
/// to nothing
/// elsewhere (so `f(a,b)` = `f( a, b )`). Literals are kept byte for byte.
pub fn canonical_body(body: &str) -> String {
    let chars: Vec<char> = body.chars().collect();
    let mut out = String::with_capacity(body.len());
    // Whether white space (or a comment) was skipped since the last output.
    let mut gap = false;
    let mut i = 0;
    let push_gap = |out: &mut String, gap: &mut bool, next: char| {
        if *gap && out.chars().next_back().is_some_and(joins) && joins(next) {
            out.push(' ');
        }
        *gap = false;
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            gap = true;
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            gap = true;
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            // Block comments nest in PostgreSQL.
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            gap = true;
        } else if c == '\'' || c == '"' {
            push_gap(&mut out, &mut gap, c);
            // E'...' strings escape with backslashes.
            let backslash =
                c == '\'' && out.ends_with(['E', 'e']) && !out[..out.len() - 1].ends_with(is_word);
            let end = quoted_end(&chars, i, c, backslash);
            out.extend(&chars[i..end]);
            i = end;
        } else if c == '$' {
            push_gap(&mut out, &mut gap, c);
            match dollar_tag(&chars, i) {
                Some(tag) if !out.ends_with(is_word) => {
                    let end = dollar_end(&chars, i + tag.len(), &tag);
                    out.extend(&chars[i..end]);
                    i = end;
                }
                _ => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            push_gap(&mut out, &mut gap, c);
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Whether white space between two such characters is kept (as one space):
/// it separates words, and a word from a literal.
fn joins(c: char) -> bool {
    is_word(c) || c == '\'' || c == '"'
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// The index after the literal that opens at `start` with `quote`.
fn quoted_end(chars: &[char], start: usize, quote: char, backslash: bool) -> usize {
    let mut i = start + 1;
    while i < chars.len() {
        if backslash && chars[i] == '\\' {
            i += 2;
        } else if chars[i] == quote {
            if chars.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    chars.len()
}

/// `$tag$` (or `$$`) opening at `start`, if one does.
fn dollar_tag(chars: &[char], start: usize) -> Option<Vec<char>> {
    let mut i = start + 1;
    while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
        i += 1;
    }
    let first_ok = i == start + 1 || !chars[start + 1].is_ascii_digit();
    (chars.get(i) == Some(&'$') && first_ok).then(|| chars[start..=i].to_vec())
}

/// The index after the closing `tag` searched from `from`.
fn dollar_end(chars: &[char], from: usize, tag: &[char]) -> usize {
    let mut i = from;
    while i + tag.len() <= chars.len() {
        if chars[i..i + tag.len()] == *tag {
            return i + tag.len();
        }
        i += 1;
    }
    chars.len()
}

/// A short unified diff of two bodies, line by line, with one line of
/// context around each change and at most `max_lines` lines.
pub fn body_diff(expected: &str, actual: &str, max_lines: usize) -> String {
    let diff = similar::TextDiff::from_lines(expected.trim(), actual.trim());
    let mut out = Vec::new();
    for group in diff.grouped_ops(1) {
        for op in group {
            for change in diff.iter_changes(&op) {
                let sign = match change.tag() {
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                    similar::ChangeTag::Equal => ' ',
                };
                out.push(format!("{sign}{}", change.value().trim_end()));
            }
        }
    }
    if out.len() > max_lines {
        let more = out.len() - max_lines;
        out.truncate(max_lines);
        out.push(format!(
            "… {more} more line{}",
            if more == 1 { "" } else { "s" }
        ));
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_and_comments_outside_literals_do_not_count() {
        let a = "BEGIN\n  -- stamp it\n  NEW.updated_at := now();  /* outer /* nested */ */\n  RETURN NEW;\nEND";
        let b = "BEGIN NEW.updated_at:=now(); RETURN NEW; END";
        assert_eq!(canonical_body(a), canonical_body(b));
        assert_eq!(
            canonical_body(b),
            "BEGIN NEW.updated_at:=now();RETURN NEW;END"
        );
    }

    #[test]
    fn literals_are_kept_as_they_are() {
        for (a, b) in [
            ("SELECT 'a  b'", "SELECT 'a b'"),
            ("SELECT '-- x'", "SELECT ''"),
            ("SELECT $x$ a  $x$", "SELECT $x$ a $x$"),
            ("SELECT \"a  b\"", "SELECT \"a b\""),
            ("SELECT E'\\'  '", "SELECT E'\\' '"),
        ] {
            assert_ne!(canonical_body(a), canonical_body(b), "{a} vs {b}");
        }
        assert_eq!(canonical_body("SELECT 'it''s' -- c"), "SELECT 'it''s'");
        assert_eq!(
            canonical_body("SELECT $1 + $2"),
            canonical_body("SELECT $1+$2")
        );
    }

    #[test]
    fn a_body_diff_shows_the_changed_lines() {
        let diff = body_diff(
            "BEGIN\n  a := 1;\n  b := 2;\nEND",
            "BEGIN\n  a := 1;\n  b := 3;\nEND",
            20,
        );
        assert_eq!(diff, "   a := 1;\n-  b := 2;\n+  b := 3;\n END");
    }
}
