//! Unit tests of the pieces the diff cases (`tests/diff_cases`) reach only
//! through whole schemas: glob matching and the typed-key pairing.

use super::constraint::{CheckKind, ForeignKeyKind, UniqueKind};
use super::glob_match;
use super::index::IndexKind;
use super::pairing::{pair, Pairing};
use super::trigger::TriggerKind;
use crate::model::*;

#[test]
fn glob_matches_star_and_question_mark() {
    assert!(glob_match("public.tmp_*", "public.tmp_x"));
    assert!(glob_match("*.audit?", "app.audit1"));
    assert!(!glob_match("public.tmp_*", "public.users"));
    assert!(glob_match("*", ""));
}

fn unique(name: Option<&str>, columns: &[&str]) -> Unique {
    Unique {
        comment: None,
        line: None,
        name: name.map(str::to_string),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        nulls_not_distinct: false,
        deferrable: Deferrable::No,
        without_overlaps: false,
        include: Vec::new(),
        options: Default::default(),
    }
}

fn check(name: Option<&str>, expression: &str) -> Check {
    Check {
        comment: None,
        line: None,
        name: name.map(str::to_string),
        expression: expression.to_string(),
        validated: true,
        enforced: true,
        no_inherit: false,
    }
}

fn fk(name: Option<&str>, column: &str, on_delete: FkAction) -> ForeignKey {
    ForeignKey {
        comment: None,
        line: None,
        name: name.map(str::to_string),
        columns: vec![column.to_string()],
        ref_table: QualifiedName::new("public", "customers"),
        ref_columns: vec!["id".to_string()],
        on_delete,
        on_update: FkAction::NoAction,
        deferrable: Deferrable::No,
        validated: true,
        enforced: true,
        period: false,
        match_full: false,
        on_delete_columns: Vec::new(),
    }
}

fn pairing(pairs: &[(usize, usize)], missing: &[usize], unexpected: &[usize]) -> Pairing {
    Pairing {
        pairs: pairs.to_vec(),
        missing: missing.to_vec(),
        unexpected: unexpected.to_vec(),
    }
}

/// The expected side's name wins over structure: a renamed constraint with
/// the same columns elsewhere in the list must not steal the named pair.
#[test]
fn pairs_by_name_before_structure() {
    let expected = [unique(Some("a_key"), &["a"]), unique(None, &["b"])];
    let actual = [unique(Some("b_key"), &["b"]), unique(Some("a_key"), &["x"])];
    assert_eq!(
        pair::<UniqueKind>(&expected, &actual),
        pairing(&[(0, 1), (1, 0)], &[], &[]),
    );
}

/// An unnamed item pairs with the first free actual item of equal
/// structure, so duplicates pair in list order and the extra one is left.
#[test]
fn pairs_equal_structures_in_list_order() {
    let expected = [check(None, "qty > 0"), check(None, "(qty > 0)")];
    let actual = [
        check(Some("c1"), "qty > 0"),
        check(Some("c2"), "price > 0"),
        check(Some("c3"), "qty > 0"),
    ];
    assert_eq!(
        pair::<CheckKind>(&expected, &actual),
        pairing(&[(0, 0), (1, 2)], &[], &[1]),
    );
}

/// Same columns, different action: one changed foreign key (paired by the
/// looser key), not one missing and one unexpected.
#[test]
fn pairs_by_key_when_structure_differs() {
    let expected = [fk(None, "customer_id", FkAction::Cascade)];
    let actual = [
        fk(Some("other_fkey"), "referred_by", FkAction::Cascade),
        fk(
            Some("orders_customer_id_fkey"),
            "customer_id",
            FkAction::Restrict,
        ),
    ];
    assert_eq!(
        pair::<ForeignKeyKind>(&expected, &actual),
        pairing(&[(0, 1)], &[], &[0]),
    );
}

/// A structure match anywhere in the list is preferred to a key match
/// earlier in it.
#[test]
fn structure_pass_runs_before_key_pass() {
    let expected = [
        fk(None, "customer_id", FkAction::Restrict),
        fk(None, "customer_id", FkAction::Cascade),
    ];
    let actual = [
        fk(Some("f1"), "customer_id", FkAction::Cascade),
        fk(Some("f2"), "customer_id", FkAction::SetNull),
    ];
    // Expected 1 takes f1 by structure; expected 0 then takes f2 by key.
    assert_eq!(
        pair::<ForeignKeyKind>(&expected, &actual),
        pairing(&[(1, 0), (0, 1)], &[], &[]),
    );
}

/// Index keys compare in canonical form: spelling does not split a pair.
#[test]
fn index_structure_uses_canonical_keys() {
    let index = |name: Option<&str>, key: &str, method: &str| Index {
        comment: None,
        line: None,
        name: name.map(str::to_string),
        unique: false,
        method: method.to_string(),
        keys: vec![IndexKey {
            expression: key.to_string(),
            collation: None,
            opclass: None,
            descending: false,
            nulls_first: None,
        }],
        include: Vec::new(),
        predicate: None,
        nulls_not_distinct: false,
        options: Default::default(),
        valid: true,
    };
    let expected = [index(None, "LOWER(email)", "BTREE")];
    let actual = [
        index(Some("by_hash"), "lower(email)", "hash"),
        index(Some("by_btree"), "lower((email))", "btree"),
    ];
    assert_eq!(
        pair::<IndexKind>(&expected, &actual),
        pairing(&[(0, 1)], &[], &[0]),
    );
}

/// Triggers are identified by name alone: an identical trigger under
/// another name is one missing and one unexpected.
#[test]
fn triggers_pair_by_name_only() {
    let trigger = |name: &str| Trigger {
        comment: None,
        line: None,
        name: name.to_string(),
        timing: "before".to_string(),
        events: vec!["update".to_string()],
        level: "row".to_string(),
        function: "set_updated_at()".to_string(),
        when: None,
        enabled: Firing::Origin,
        constraint: false,
        deferrable: Deferrable::No,
        from: None,
        old_table: None,
        new_table: None,
    };
    assert_eq!(
        pair::<TriggerKind>(&[trigger("a"), trigger("b")], &[trigger("b"), trigger("c")]),
        pairing(&[(1, 0)], &[0], &[1]),
    );
}
