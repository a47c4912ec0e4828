//! The schema names an expected file declares, guessed from its text before
//! it is parsed.

/// The schema names an expected file declares, guessed from its text
/// without parsing the YAML: the keys under a top-level block `schemas:`
/// (none if there is no such key). Only a guess, so that `diff` can start
/// reading the catalog while the file is parsed; the caller checks it
/// against the parsed file. `None` when the layout is not plain block style.
pub fn declared_schemas_hint(text: &str) -> Option<Vec<String>> {
    let uncommented = |line: &str| -> String {
        let line = match line.find(" #") {
            Some(i) => &line[..i],
            None if line.trim_start().starts_with('#') => "",
            None => line,
        };
        line.trim_end().to_string()
    };
    let mut lines = text.lines().map(uncommented);
    loop {
        let Some(line) = lines.next() else {
            return Some(Vec::new());
        };
        if line == "schemas:" {
            break;
        }
        if line.starts_with("schemas") {
            return None;
        }
    }
    let mut names = Vec::new();
    let mut key_indent = None;
    for line in lines {
        let content = line.trim_start();
        if content.is_empty() {
            continue;
        }
        let indent = line.len() - content.len();
        if indent == 0 {
            break;
        }
        let k = *key_indent.get_or_insert(indent);
        if indent > k {
            continue;
        }
        if indent < k {
            return None;
        }
        let (name, rest) = content.split_once(':')?;
        if !rest.is_empty() && !rest.starts_with(' ') {
            return None;
        }
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        {
            return None;
        }
        names.push(name.to_string());
    }
    names.sort();
    names.dedup();
    Some(names)
}

/// Whether an expected file seems to declare privileges (a top-level
/// `roles:` or an `owner:` key anywhere), guessed from its text so that
/// `diff` reads owners and grants only then; the caller checks the guess
/// against the parsed file.
pub fn declares_privileges_hint(text: &str) -> bool {
    text.lines().any(|line| {
        line.starts_with("roles:")
            || line.trim_start().starts_with("owner:")
            || line.contains(" owner:")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_are_guessed_from_block_layout() {
        let text = "version: 1\nignore:\n  - public.tmp_*\nschemas:  # all of them\n  public:\n    tables:\n      users: {}\n\n  # audit lives apart\n  audit:\n    tables: {}\n";
        assert_eq!(
            declared_schemas_hint(text),
            Some(vec!["audit".to_string(), "public".to_string()])
        );
        assert_eq!(declared_schemas_hint("version: 1\n"), Some(vec![]));
        assert_eq!(declared_schemas_hint("schemas: {public: {}}\n"), None);
        assert_eq!(declared_schemas_hint("schemas:\n  \"my app\":\n"), None);
    }
}
