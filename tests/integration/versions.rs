//! The catalog-reading tests on every tested PostgreSQL major (issue 14):
//! the rich fixture's round trip and single mutations on 13, 15, 16, 17 and
//! 18, and portability of an expected file between versions.
//!
//! One server per major for the whole run (`support::server_of`), shared by
//! that major's tests, a database per test.

use std::sync::OnceLock;

use crate::core::{
    apply_bundled_migrations, assert_rich_round_trip, assert_single_mutations, RICH,
};
use crate::support::*;

/// The rich fixture as PostgreSQL `major` can build it: 13 and 14 have no
/// UNIQUE ... NULLS NOT DISTINCT (15).
fn rich_sql(major: u32) -> String {
    if major >= 15 {
        RICH.to_string()
    } else {
        portable_rich_sql()
    }
}

/// The rich fixture without what only some of the tested versions can
/// build, so that one expected file holds for all of them.
fn portable_rich_sql() -> String {
    let portable = RICH.replace(" NULLS NOT DISTINCT;", ";");
    assert_ne!(
        portable, RICH,
        "the fixture's NULLS NOT DISTINCT index moved"
    );
    portable
}

/// The rich fixture on one server: a template database and its snapshot.
struct Rich {
    server: &'static Server,
    template: String,
    snapshot: String,
}

fn rich(major: u32) -> &'static Rich {
    static RICH_OF: [OnceLock<Rich>; 5] = [const { OnceLock::new() }; 5];
    let slot = MAJORS
        .iter()
        .position(|m| *m == major)
        .expect("a tested major");
    RICH_OF[slot].get_or_init(|| {
        let server = server_of(major);
        let db = TestDb::on(server, &format!("rich{major}_template"));
        db.execute(&rich_sql(major));
        let snapshot = snapshot_of(&db.url);
        let template = db.name.clone();
        std::mem::forget(db); // lives for the whole run, as a template
        Rich {
            server,
            template,
            snapshot,
        }
    })
}

/// `schemagate snapshot` of both schemas of the rich fixture (also right
/// for the bundled migrations, which have no "App Data").
fn snapshot_of(url: &str) -> String {
    let run = schemagate(&[
        "snapshot",
        "--database-url",
        url,
        "--schema",
        "public",
        "--schema",
        "App Data",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    run.stdout
}

fn round_trip(major: u32) {
    let rich = rich(major);
    let db = TestDb::from_template_on(
        rich.server,
        &format!("rich{major}_roundtrip"),
        &rich.template,
    );
    assert_rich_round_trip(&db, &rich.snapshot, major);
}

fn single_mutations(major: u32) {
    let rich = rich(major);
    assert_single_mutations(
        rich.server,
        &rich.template,
        &rich.snapshot,
        &major.to_string(),
    );
}

macro_rules! on_each_major {
    ($($major:literal => $round_trip:ident, $mutations:ident;)*) => {$(
        /// snapshot → diff of the rich fixture gives zero mismatches.
        #[test]
        fn $round_trip() {
            round_trip($major);
        }

        /// Each single change to the rich fixture gives exactly one mismatch.
        #[test]
        fn $mutations() {
            single_mutations($major);
        }
    )*};
}

on_each_major! {
    13 => rich_fixture_round_trip_on_pg13, single_mutations_on_pg13;
    15 => rich_fixture_round_trip_on_pg15, single_mutations_on_pg15;
    16 => rich_fixture_round_trip_on_pg16, single_mutations_on_pg16;
    17 => rich_fixture_round_trip_on_pg17, single_mutations_on_pg17;
    18 => rich_fixture_round_trip_on_pg18, single_mutations_on_pg18;
}

/// Builds `setup` in a fresh database on every tested major, then: the
/// snapshot written on 15 gives zero mismatches on 13, 16, 17 and 18, and
/// the one written on 18 gives zero on 15.
fn assert_portable(tag: &str, setup: impl Fn(&TestDb)) {
    let dbs: Vec<(u32, TestDb)> = MAJORS
        .iter()
        .map(|&major| {
            let db = TestDb::on(server_of(major), &format!("port_{tag}{major}"));
            setup(&db);
            (major, db)
        })
        .collect();
    let db_of = |major: u32| &dbs.iter().find(|(m, _)| *m == major).unwrap().1;
    let tmp = TempDir::new("portable");
    let mut failures = Vec::new();
    for (written_on, checked_on) in [(15, vec![13, 16, 17, 18]), (18, vec![15])] {
        let file = tmp.write(
            &format!("expected_{written_on}.yaml"),
            &snapshot_of(&db_of(written_on).url),
        );
        for major in checked_on {
            let run = diff_against(&db_of(major).url, &file, &[]);
            if run.code != 0 {
                failures.push(format!(
                    "written on {written_on}, checked on {major}: exit {}\n{}{}",
                    run.code, run.stdout, run.stderr
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An expected file written on one version holds on the others for the
/// bundled SynapScale migrations.
#[test]
fn snapshot_of_bundled_migrations_holds_across_versions() {
    assert_portable("synapscale", apply_bundled_migrations);
}

/// The same for the rich fixture (without the NULLS NOT DISTINCT index,
/// which 13 cannot build): view text qualified differently before 16,
/// 14's SQL-standard function syntax and 18's NOT NULL constraint rows do
/// not show.
#[test]
fn snapshot_of_rich_fixture_holds_across_versions() {
    let sql = portable_rich_sql();
    assert_portable("rich", |db| db.execute(&sql));
}
