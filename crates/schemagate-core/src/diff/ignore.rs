//! The `ignore` globs of the expected file, matched against a mismatch's name parts.

/// Whether `path` (or one of its leading parts, e.g. the table of a column)
/// matches one of the globs. Globs use `*` and `?` over dot-joined names.
pub(super) fn is_ignored(globs: &[String], path: &[String]) -> bool {
    if globs.is_empty() {
        return false;
    }
    (1..=path.len()).any(|n| {
        let joined = path[..n].join(".");
        globs.iter().any(|g| glob_match(g, &joined))
    })
}

/// Minimal glob: `*` any run of characters, `?` one character.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}
