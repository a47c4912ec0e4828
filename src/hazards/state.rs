//! The catalog state of the relations that existed before a migration, and
//! what changed between two readings of it.

use std::collections::{BTreeMap, BTreeSet};

use postgres::Row;

use crate::hazard::{IndexBuild, StatementObservation};
use crate::migrate::run::Query;

#[derive(Clone, Debug, Default)]
pub(super) struct State {
    /// oid -> (qualified name, relfilenode).
    pub(super) relations: BTreeMap<i64, (String, i64)>,
    /// (relation, attnum) -> column.
    pub(super) columns: BTreeMap<(i64, i32), Column>,
    /// oid -> constraint.
    pub(super) constraints: BTreeMap<i64, Constraint>,
    /// oid -> (relation, name).
    pub(super) indexes: BTreeMap<i64, (i64, String)>,
    /// (relation, mode) held by the migrating backend.
    pub(super) locks: BTreeSet<(i64, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Column {
    name: String,
    ty: String,
    not_null: bool,
    dropped: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Constraint {
    relation: i64,
    name: String,
    kind: String,
    validated: bool,
    index: i64,
    definition: String,
}

// language=PostgreSQL
const RELATIONS: &str = include_str!("sql/relations.sql");
// language=PostgreSQL
const COLUMNS: &str = include_str!("sql/columns.sql");
// language=PostgreSQL
const CONSTRAINTS: &str = include_str!("sql/constraints.sql");
// language=PostgreSQL
const INDEXES: &str = include_str!("sql/indexes.sql");
// language=PostgreSQL
pub(super) const LOCKS: &str = include_str!("sql/locks.sql");

impl State {
    /// Reads the state of `oids` (all user relations when `None`).
    pub(super) fn read(query: Query<'_>, oids: Option<&[i64]>) -> Result<State, postgres::Error> {
        let oids_param: Option<Vec<i64>> = oids.map(<[i64]>::to_vec);
        let relations: BTreeMap<i64, (String, i64)> = query(RELATIONS, &[&oids_param])?
            .iter()
            .map(|r: &Row| (r.get(0), (r.get(1), r.get(2))))
            .collect();
        let oids: Vec<i64> = relations.keys().copied().collect();
        let columns = query(COLUMNS, &[&oids])?
            .iter()
            .map(|r| {
                let column = Column {
                    name: r.get(2),
                    ty: r.get(3),
                    not_null: r.get(4),
                    dropped: r.get(5),
                };
                ((r.get(0), r.get(1)), column)
            })
            .collect();
        let constraints = query(CONSTRAINTS, &[&oids])?
            .iter()
            .map(|r| {
                let constraint = Constraint {
                    relation: r.get(1),
                    name: r.get(2),
                    kind: r.get(3),
                    validated: r.get(4),
                    index: r.get(5),
                    definition: r.get(6),
                };
                (r.get(0), constraint)
            })
            .collect();
        let indexes = query(INDEXES, &[&oids])?
            .iter()
            .map(|r| (r.get(0), (r.get(1), r.get(2))))
            .collect();
        Ok(State {
            relations,
            columns,
            constraints,
            indexes,
            locks: BTreeSet::new(),
        })
    }

    /// `self` with what it says of `oids` replaced by `fresh` (a reading
    /// of those relations only; one missing from it was dropped).
    pub(super) fn merged(&self, oids: &[i64], fresh: State) -> State {
        let read = |oid: &i64| oids.contains(oid);
        let mut now = self.clone();
        now.relations.retain(|oid, _| !read(oid));
        now.columns.retain(|(oid, _), _| !read(oid));
        now.constraints.retain(|_, c| !read(&c.relation));
        now.indexes.retain(|_, (relation, _)| !read(relation));
        now.relations.extend(fresh.relations);
        now.columns.extend(fresh.columns);
        now.constraints.extend(fresh.constraints);
        now.indexes.extend(fresh.indexes);
        now
    }

    /// Fills `o` with what changed from `self` (before the statement) to
    /// `now` (after it). `concurrently`: the statement says CONCURRENTLY;
    /// `truncate`: it is a TRUNCATE (a new relfilenode, but no copy).
    pub(super) fn changes(
        &self,
        now: &State,
        concurrently: bool,
        truncate: bool,
        o: &mut StatementObservation,
    ) {
        let name = |oid: i64| -> String {
            now.relations
                .get(&oid)
                .or_else(|| self.relations.get(&oid))
                .map_or_else(|| oid.to_string(), |(n, _)| n.clone())
        };
        for (oid, (before, filenode)) in &self.relations {
            match now.relations.get(oid) {
                None => o.dropped_tables.push(before.clone()),
                Some((after, now_filenode)) => {
                    if after != before {
                        o.renames
                            .push((after.clone(), before.clone(), after.clone()));
                    }
                    if now_filenode != filenode && *filenode != 0 && !truncate {
                        o.rewritten.push(after.clone());
                    }
                }
            }
        }
        for (key, before) in &self.columns {
            let Some(after) = now.columns.get(key) else {
                continue;
            };
            let relation = name(key.0);
            if before.dropped {
                continue;
            }
            if after.dropped {
                o.dropped_columns.push((relation, before.name.clone()));
                continue;
            }
            if after.name != before.name {
                o.renames.push((
                    relation.clone(),
                    format!("{relation}.{}", before.name),
                    format!("{relation}.{}", after.name),
                ));
            }
            if after.ty != before.ty {
                o.type_changes.push((
                    relation.clone(),
                    after.name.clone(),
                    before.ty.clone(),
                    after.ty.clone(),
                ));
            }
            if after.not_null && !before.not_null && !now.proves_not_null(key.0, &after.name) {
                o.not_null_scans.push((relation, after.name.clone()));
            }
        }
        let mut constraint_indexes = BTreeSet::new();
        for (oid, c) in &now.constraints {
            let before = self.constraints.get(oid);
            if before.is_none() && matches!(c.kind.as_str(), "u" | "p" | "x") {
                constraint_indexes.insert(c.index);
            }
            let scanned = matches!(c.kind.as_str(), "c" | "f")
                && c.validated
                && before.is_none_or(|b| !b.validated);
            if scanned {
                o.scans.push((name(c.relation), c.name.clone()));
            }
        }
        for (oid, (relation, index)) in &now.indexes {
            if !self.indexes.contains_key(oid) {
                o.index_builds.push(IndexBuild {
                    relation: name(*relation),
                    index: index.clone(),
                    concurrently,
                    for_constraint: constraint_indexes.contains(oid),
                });
            }
        }
        for (oid, mode) in &now.locks {
            if !self.locks.contains(&(*oid, mode.clone())) {
                o.locks.push((name(*oid), mode.clone()));
            }
        }
        for (oid, mode) in &now.locks {
            o.held.push((name(*oid), mode.clone()));
        }
    }

    /// A valid CHECK (col IS NOT NULL) lets SET NOT NULL skip its scan.
    fn proves_not_null(&self, relation: i64, column: &str) -> bool {
        let quoted = format!("\"{}\"", column.replace('"', "\"\""));
        self.constraints.values().any(|c| {
            c.relation == relation
                && c.kind == "c"
                && c.validated
                && (c.definition == format!("CHECK (({column} IS NOT NULL))")
                    || c.definition == format!("CHECK (({quoted} IS NOT NULL))"))
        })
    }
}
