//! A minimal XML 1.0 reader for the well-formedness test: elements,
//! attributes, character data and references; no DTD, comments or CDATA
//! (the JUnit renderer writes none). Rejects what a real parser rejects.

pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
}

impl Element {
    pub fn attr(&self, name: &str) -> &str {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("<{}> has no {name}", self.name))
    }
}

pub fn parse(text: &str) -> Result<Element, String> {
    let rest = text
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .ok_or("no XML declaration")?;
    if let Some(c) = text.chars().find(|c| !allowed(*c)) {
        return Err(format!("character U+{:04X} is not allowed", c as u32));
    }
    let mut p = Parser { rest };
    p.skip_space();
    let root = p.element()?;
    p.skip_space();
    if !p.rest.is_empty() {
        return Err(format!("content after the root: {:?}", p.rest));
    }
    Ok(root)
}

fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

struct Parser<'a> {
    rest: &'a str,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        self.rest = self.rest.trim_start_matches([' ', '\t', '\n', '\r']);
    }

    fn eat(&mut self, s: &str) -> Result<(), String> {
        self.rest = self
            .rest
            .strip_prefix(s)
            .ok_or_else(|| format!("expected {s:?} at {:?}", head(self.rest)))?;
        Ok(())
    }

    fn name(&mut self) -> Result<String, String> {
        let end = self
            .rest
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')))
            .unwrap_or(self.rest.len());
        if end == 0
            || self
                .rest
                .starts_with(|c: char| c.is_ascii_digit() || c == '-')
        {
            return Err(format!("bad name at {:?}", head(self.rest)));
        }
        let name = self.rest[..end].to_string();
        self.rest = &self.rest[end..];
        Ok(name)
    }

    fn element(&mut self) -> Result<Element, String> {
        self.eat("<")?;
        let name = self.name()?;
        let mut attrs: Vec<(String, String)> = Vec::new();
        loop {
            let before = self.rest.len();
            self.skip_space();
            if self.rest.starts_with("/>") {
                self.eat("/>")?;
                return Ok(Element {
                    name,
                    attrs,
                    children: vec![],
                });
            }
            if self.rest.starts_with('>') {
                self.eat(">")?;
                break;
            }
            if self.rest.len() == before {
                return Err(format!("no space before an attribute of <{name}>"));
            }
            let attr = self.name()?;
            if attrs.iter().any(|(n, _)| *n == attr) {
                return Err(format!("duplicate attribute {attr} on <{name}>"));
            }
            self.eat("=")?;
            let quote = if self.rest.starts_with('"') {
                "\""
            } else {
                "'"
            };
            self.eat(quote)?;
            let end = self.rest.find(quote).ok_or("unterminated attribute")?;
            let raw = &self.rest[..end];
            self.rest = &self.rest[end + 1..];
            attrs.push((attr, unescape(raw)?));
        }
        let mut children = Vec::new();
        loop {
            let end = self.rest.find('<').ok_or("unterminated element")?;
            unescape(&self.rest[..end])?;
            self.rest = &self.rest[end..];
            if self.rest.starts_with("</") {
                self.eat("</")?;
                let closing = self.name()?;
                if closing != name {
                    return Err(format!("<{name}> closed by </{closing}>"));
                }
                self.skip_space();
                self.eat(">")?;
                return Ok(Element {
                    name,
                    attrs,
                    children,
                });
            }
            children.push(self.element()?);
        }
    }
}

/// Character data or an attribute value with its references resolved;
/// a raw `<` or a bad reference is an error.
fn unescape(raw: &str) -> Result<String, String> {
    if raw.contains('<') {
        return Err(format!("raw < in {raw:?}"));
    }
    let mut out = String::new();
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let end = rest[amp..].find(';').ok_or("unterminated reference")? + amp;
        let reference = &rest[amp + 1..end];
        let c = match reference {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            r if r.starts_with("#x") => char_ref(u32::from_str_radix(&r[2..], 16).ok())?,
            r if r.starts_with('#') => char_ref(r[1..].parse().ok())?,
            r => return Err(format!("unknown entity &{r};")),
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn char_ref(code: Option<u32>) -> Result<char, String> {
    code.and_then(char::from_u32)
        .filter(|c| allowed(*c))
        .ok_or_else(|| "bad character reference".to_string())
}

fn head(s: &str) -> String {
    s.chars().take(30).collect()
}
