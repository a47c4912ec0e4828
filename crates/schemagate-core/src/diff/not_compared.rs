//! The objects the diff could not compare, less those the expected file
//! lets be: their kind is in `ignore_kinds`, or an `ignore` glob matches.

use super::ignore::is_ignored;
use crate::model::{Schema, Uncovered};

/// The actual side's objects of kinds the model does not compare that the
/// expected side does not ignore, sorted. Each fails the verdict.
pub fn not_compared(expected: &Schema, actual: &Schema) -> Vec<Uncovered> {
    let mut out: Vec<Uncovered> = actual
        .not_compared
        .iter()
        .filter(|u| !expected.ignore_kinds.contains(&u.object_type))
        .filter(|u| !is_ignored(&expected.ignore, &u.path()))
        .cloned()
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operator() -> Uncovered {
        Uncovered {
            object_type: "operator".into(),
            schema: Some("public".into()),
            name: "===(integer, integer)".into(),
        }
    }

    #[test]
    fn listed_unless_its_kind_or_name_is_ignored() {
        let actual = Schema {
            not_compared: vec![operator()],
            ..Schema::default()
        };
        let mut expected = Schema::default();
        assert_eq!(not_compared(&expected, &actual), vec![operator()]);
        expected.ignore_kinds = vec!["operator".into()];
        assert!(not_compared(&expected, &actual).is_empty());
        expected.ignore_kinds.clear();
        expected.ignore = vec!["public.===*".into()];
        assert!(not_compared(&expected, &actual).is_empty());
    }
}
