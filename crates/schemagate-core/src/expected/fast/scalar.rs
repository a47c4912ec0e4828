//! Scalars as serde-saphyr reads them: how a plain scalar resolves, and
//! the text of quoted ones.

use std::borrow::Cow;

/// The text is outside the subset; parse it with serde-saphyr instead.
#[derive(Debug)]
pub(super) struct Bail;

/// How serde-saphyr (default options) resolves a plain scalar, as far as
/// the fast path needs to know; `Unsure` makes the fast path give up.
#[derive(Debug, PartialEq)]
pub(super) enum Plain {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Str,
    Unsure,
}

/// Whether a plain scalar is null (serde-saphyr's `scalar_is_nullish`).
pub(super) fn is_null(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL")
}

pub(super) fn classify(s: &str) -> Plain {
    if is_null(s) {
        return Plain::Null;
    }
    if s.len() <= 5 {
        for (word, value) in [
            ("true", true),
            ("yes", true),
            ("y", true),
            ("on", true),
            ("false", false),
            ("no", false),
            ("n", false),
            ("off", false),
        ] {
            if s.eq_ignore_ascii_case(word) {
                return Plain::Bool(value);
            }
        }
    }
    let bytes = s.as_bytes();
    match bytes[0] {
        b'0'..=b'9' | b'+' | b'-' | b'.' => {
            let (negative, digits) = match s.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, s),
            };
            let decimal = !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && (digits == "0" || !digits.starts_with('0'));
            if !decimal || (negative && digits == "0") {
                return Plain::Unsure;
            }
            match (negative, s.parse::<i64>(), s.parse::<u64>()) {
                (true, Ok(v), _) => Plain::Signed(v),
                (false, _, Ok(v)) => Plain::Unsigned(v),
                _ => Plain::Unsure,
            }
        }
        _ => {
            // Rust's float parser, which serde-saphyr falls back on, reads these.
            if s.len() <= 8
                && ["nan", "inf", "infinity"]
                    .iter()
                    .any(|w| s.eq_ignore_ascii_case(w))
            {
                Plain::Unsure
            } else {
                Plain::Str
            }
        }
    }
}

/// The indentation indicator of a `|N-` header.
pub(super) fn literal_indent(header: &str) -> Option<usize> {
    match header.as_bytes() {
        [b'|', d @ b'1'..=b'9', b'-'] => Some(usize::from(d - b'0')),
        _ => None,
    }
}

/// A plain scalar must not start with an indicator (or be empty).
pub(super) fn plain_start(text: &str) -> bool {
    let bytes = text.as_bytes();
    match bytes.first() {
        None => false,
        Some(b'-') => bytes.len() > 1 && bytes[1] != b' ',
        Some(
            b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
            | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`',
        ) => false,
        Some(_) => true,
    }
}

/// `body` follows the opening quote; returns the text and the length
/// consumed including the closing quote.
pub(super) fn single_quoted(body: &str) -> Result<(Cow<'_, str>, usize), Bail> {
    let mut owned: Option<String> = None;
    let mut from = 0;
    let mut i = 0;
    let bytes = body.as_bytes();
    loop {
        let quote = body[i..].find('\'').ok_or(Bail)? + i;
        if bytes.get(quote + 1) == Some(&b'\'') {
            let s = owned.get_or_insert_with(String::new);
            s.push_str(&body[from..=quote]);
            i = quote + 2;
            from = i;
            continue;
        }
        let text = match owned {
            Some(mut s) => {
                s.push_str(&body[from..quote]);
                Cow::Owned(s)
            }
            None => Cow::Borrowed(&body[..quote]),
        };
        return Ok((text, quote + 1));
    }
}

pub(super) fn double_quoted(body: &str) -> Result<(Cow<'_, str>, usize), Bail> {
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\\' {
        i += 1;
    }
    if i == bytes.len() {
        return Err(Bail);
    }
    if bytes[i] == b'"' {
        return Ok((Cow::Borrowed(&body[..i]), i + 1));
    }
    let mut out = String::from(&body[..i]);
    let mut chars = body[i..].char_indices();
    while let Some((j, c)) = chars.next() {
        match c {
            '"' => return Ok((Cow::Owned(out), i + j + 1)),
            '\\' => {
                let (_, e) = chars.next().ok_or(Bail)?;
                let simple = match e {
                    '0' => '\0',
                    'a' => '\u{7}',
                    'b' => '\u{8}',
                    't' => '\t',
                    'n' => '\n',
                    'v' => '\u{b}',
                    'f' => '\u{c}',
                    'r' => '\r',
                    'e' => '\u{1b}',
                    ' ' => ' ',
                    '"' => '"',
                    '/' => '/',
                    '\\' => '\\',
                    'N' => '\u{85}',
                    '_' => '\u{a0}',
                    'L' => '\u{2028}',
                    'P' => '\u{2029}',
                    'x' | 'u' | 'U' => {
                        let n = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let mut v = 0u32;
                        for _ in 0..n {
                            let (_, h) = chars.next().ok_or(Bail)?;
                            v = v * 16 + h.to_digit(16).ok_or(Bail)?;
                        }
                        char::from_u32(v).ok_or(Bail)?
                    }
                    _ => return Err(Bail),
                };
                out.push(simple);
            }
            c => out.push(c),
        }
    }
    Err(Bail)
}
