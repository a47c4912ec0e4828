//! Migration versions: what orders migrations and what the tracking table
//! stores.
//!
//! Versions are not all small integers: timestamps (`20240101120000`),
//! Flyway's dotted versions (`1.2.3`, compared part by part), sql-migrate's
//! file names (`1_init`, ordered by their numeric prefix, then by name) and
//! Flyway's repeatable migrations (`R__views`, after every versioned one).
//! A [`Version`] therefore carries two things: `text`, the identity stored in
//! the tracking table's `version` column (text), and a sort key. Numbers are
//! kept as digit strings, so no version is too long to compare.

use std::cmp::Ordering;
use std::fmt;

/// Whether a migration runs once in order, or again whenever it changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MigrationKind {
    /// Applied once, in version order (every format).
    Versioned,
    /// Flyway's `R__name.sql`: applied after all versioned migrations, and
    /// again whenever its checksum changes; never reverted.
    Repeatable,
}

/// One number of a version, without leading zeros; compares numerically.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Part(String);

impl Part {
    fn new(digits: &str) -> Part {
        let trimmed = digits.trim_start_matches('0');
        Part(if trimmed.is_empty() { "0" } else { trimmed }.to_string())
    }
}

impl Ord for Part {
    fn cmp(&self, other: &Part) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for Part {
    fn partial_cmp(&self, other: &Part) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A migration's version.
///
/// Ordering: versioned before repeatable; then numeric versions part by part
/// (missing parts count as zero, so `1` = `1.0` < `1.0.1` < `1.2` < `1.10`),
/// numeric before non-numeric; then by `tie` (the full file name), then by
/// `text`. Equality is equality of all of that: compare [`Version::text`]
/// to ask whether two versions name the same migration.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Version {
    text: String,
    kind: MigrationKind,
    /// Numeric parts, trailing zero parts removed (at least one part).
    number: Option<Vec<Part>>,
    tie: String,
}

impl Version {
    /// A numeric version from its parts as written (`["1", "02", "3"]`);
    /// `text` is their canonical form (`1.2.3`). `None` if a part is not
    /// all ASCII digits or there is none.
    pub fn numeric<S: AsRef<str>>(parts: &[S], tie: &str) -> Option<Version> {
        let mut number: Vec<Part> = Vec::with_capacity(parts.len());
        for p in parts {
            let p = p.as_ref();
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            number.push(Part::new(p));
        }
        while number.len() > 1 && number.last().is_some_and(|p| p.0 == "0") {
            number.pop();
        }
        if number.is_empty() {
            return None;
        }
        let text = number
            .iter()
            .map(|p| p.0.as_str())
            .collect::<Vec<_>>()
            .join(".");
        Some(Version {
            text,
            kind: MigrationKind::Versioned,
            number: Some(number),
            tie: tie.to_string(),
        })
    }

    /// A version identified by a name (`1_init` for sql-migrate) and ordered
    /// by `number` if given, else after every numeric version.
    pub fn named(text: &str, number: Option<&str>, tie: &str) -> Version {
        let number = number.and_then(|n| Version::numeric(&[n], tie)?.number);
        Version {
            text: text.to_string(),
            kind: MigrationKind::Versioned,
            number,
            tie: tie.to_string(),
        }
    }

    /// A Flyway repeatable migration (`R__views`).
    pub fn repeatable(text: &str, tie: &str) -> Version {
        Version {
            text: text.to_string(),
            kind: MigrationKind::Repeatable,
            number: None,
            tie: tie.to_string(),
        }
    }

    /// The version of a tracking-table row whose file may be gone: numeric
    /// if the text is dotted digits, repeatable if it starts with `R__`.
    pub fn from_text(text: &str) -> Version {
        if text.starts_with("R__") {
            return Version::repeatable(text, text);
        }
        let parts: Vec<&str> = text.split('.').collect();
        Version::numeric(&parts, text)
            .filter(|v| v.text == text)
            .unwrap_or_else(|| Version::named(text, None, text))
    }

    /// What the tracking table stores; unique among a directory's migrations.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn kind(&self) -> MigrationKind {
        self.kind
    }

    /// Whether `rev` (as a user types it: `3`, `0003`, `1.2`, `1_2`) names
    /// this version's number.
    pub fn matches_number(&self, rev: &str) -> bool {
        let parts: Vec<&str> = rev.split(['.', '_']).collect();
        match (&self.number, Version::numeric(&parts, "")) {
            (Some(mine), Some(asked)) => asked.number.as_ref() == Some(mine),
            _ => false,
        }
    }

    /// The single number of a one-part numeric version, if it fits.
    pub fn as_u64(&self) -> Option<u64> {
        match self.number.as_deref() {
            Some([only]) => only.0.parse().ok(),
            _ => None,
        }
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Version) -> Ordering {
        let numbers = match (&self.number, &other.number) {
            (Some(a), Some(b)) => compare_parts(a, b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        self.kind
            .cmp(&other.kind)
            .then(numbers)
            .then_with(|| self.tie.cmp(&other.tie))
            .then_with(|| self.text.cmp(&other.text))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Part by part; a missing part is zero (trailing zeros are already gone,
/// so the shorter one is smaller when it is a prefix).
fn compare_parts(a: &[Part], b: &[Part]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        match x.cmp(y) {
            Ordering::Equal => continue,
            other => return other,
        }
    }
    a.len().cmp(&b.len())
}

/// How a version is shown: a plain number padded to four digits as the
/// native layout writes it (`0003`), anything else as it is.
pub fn display(text: &str) -> String {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        format!("{text:0>4}")
    } else {
        text.to_string()
    }
}

/// `0003_workflows`, `1.2.3_add_users`, `20240101120000_create_users`; a
/// migration whose name is its version (sql-migrate, Flyway repeatables)
/// is shown once.
pub fn display_id(text: &str, name: &str) -> String {
    if name == text || name.is_empty() {
        display(text)
    } else {
        format!("{}_{name}", display(text))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&display(&self.text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        let parts: Vec<&str> = text.split(['.', '_']).collect();
        Version::numeric(&parts, text).unwrap()
    }

    #[test]
    fn dotted_versions_compare_numerically_part_by_part() {
        let mut versions = [
            v("1.10"),
            v("1.2"),
            v("2"),
            v("1.2.3"),
            v("1.0.1"),
            v("1"),
            v("10"),
        ];
        versions.sort();
        let texts: Vec<&str> = versions.iter().map(Version::text).collect();
        assert_eq!(texts, ["1", "1.0.1", "1.2", "1.2.3", "1.10", "2", "10"]);
    }

    #[test]
    fn leading_and_trailing_zeros_do_not_make_another_version() {
        assert_eq!(v("0003").text(), "3");
        assert_eq!(v("1.0").text(), "1");
        assert_eq!(v("1.01").text(), "1.1");
        assert_eq!(v("0").text(), "0");
        assert!(v("1_2").matches_number("1.2"));
        assert!(v("3").matches_number("0003"));
        assert!(!v("3").matches_number("3.1"));
    }

    #[test]
    fn long_timestamps_compare_without_overflow() {
        let a = v("20240101120000");
        let b = v("100000000000000000000000000000000000000001");
        assert!(a < b);
        assert_eq!(a.as_u64(), Some(20240101120000));
        assert_eq!(b.as_u64(), None);
    }

    #[test]
    fn named_versions_order_by_number_then_file_name_and_repeatables_last() {
        let mut versions = [
            Version::repeatable("R__a", "R__a.sql"),
            Version::named("init", None, "init.sql"),
            Version::named("2_b", Some("2"), "2_b.sql"),
            Version::named("10_a", Some("10"), "10_a.sql"),
            Version::named("2_a", Some("2"), "2_a.sql"),
        ];
        versions.sort();
        let texts: Vec<&str> = versions.iter().map(Version::text).collect();
        assert_eq!(texts, ["2_a", "2_b", "10_a", "init", "R__a"]);
    }

    #[test]
    fn tracking_rows_without_files_still_sort() {
        assert_eq!(Version::from_text("3"), v("3").with_tie("3"));
        assert_eq!(Version::from_text("R__x").kind(), MigrationKind::Repeatable);
        assert_eq!(Version::from_text("1_init").text(), "1_init");
        assert!(Version::from_text("9") < Version::from_text("10"));
    }

    #[test]
    fn ids_pad_plain_numbers_only() {
        assert_eq!(display_id("3", "workflows"), "0003_workflows");
        assert_eq!(display_id("1.2", "x"), "1.2_x");
        assert_eq!(display_id("1_init", "1_init"), "1_init");
        assert_eq!(display_id("20240101120000", "a"), "20240101120000_a");
    }

    impl Version {
        fn with_tie(mut self, tie: &str) -> Version {
            self.tie = tie.to_string();
            self
        }
    }
}
