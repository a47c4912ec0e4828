//! The catalog-reading tests on every tested PostgreSQL major (issue 14):
//! the rich fixture's round trip and single mutations on 13, 15, 16, 17 and
//! 18, and portability of an expected file between versions.
//!
//! One server per major for the whole run (`support::server_of`), shared by
//! that major's tests, a database per test.

use std::sync::OnceLock;

use crate::core::{
    apply_bundled_migrations, assert_each_gives_one_mismatch, assert_rich_round_trip,
    assert_single_mutations, MutationCase, RICH,
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

/// SQL-standard function syntax (EXTRACT, AT TIME ZONE, SUBSTRING, TRIM,
/// POSITION), printed as plain calls by 13 and as written by 14 and later,
/// in defaults, checks, index keys and views, and views that 16 qualifies
/// differently (sub-selects, CTEs): the files hold either way.
#[test]
fn sql_standard_function_syntax_holds_across_versions() {
    let sql = include_str!("../cases/sql_syntax/schema.sql");
    assert_portable("sqlsyntax", |db| db.execute(sql));
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

/// The same for issue 13's coverage fixture (function internals, exclusion
/// constraints, UNLOGGED, INHERITS, REPLICA IDENTITY, composite types,
/// extensions, collations, statistics, foreign tables, rules), its BEGIN
/// ATOMIC body (14) written as a quoted body so that 13 builds it too,
/// without its extension (the 16-18 servers of the tests have no contrib)
/// and without its statistics on an expression (14). Reading statistics
/// on 13, which has no `stxexprs`, is part of it.
#[test]
fn snapshot_of_coverage_fixture_holds_across_versions() {
    let sql = include_str!("../cases/coverage/schema.sql");
    let portable = sql
        .replace(
            "  BEGIN ATOMIC\n    SELECT a + b;\n  END;",
            "  AS $$ SELECT a + b $$;",
        )
        .replace("CREATE EXTENSION citext;\n", "")
        .replace(
            "CREATE STATISTICS measurements_lower_city ON (lower(city)), zip FROM measurements;\n",
            "",
        );
    assert_ne!(
        portable, sql,
        "the coverage fixture's BEGIN ATOMIC body moved"
    );
    assert_portable("coverage", |db| db.execute(&portable));
}

const PG18: &str = include_str!("../cases/pg18/schema.sql");

/// The PostgreSQL 18 fixture on 18: a template database and its snapshot.
fn pg18_fixture() -> &'static (String, String) {
    static FIXTURE: OnceLock<(String, String)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let db = TestDb::on(server_of(18), "pg18_template");
        db.execute(PG18);
        let snapshot = snapshot_of(&db.url);
        let template = db.name.clone();
        std::mem::forget(db); // lives for the whole run, as a template
        (template, snapshot)
    })
}

/// 18's features are read exactly: snapshot → diff gives zero mismatches,
/// and the snapshot says VIRTUAL, WITHOUT OVERLAPS, PERIOD, NOT ENFORCED
/// and the NOT NULL constraints' names (when not the server's choice) and
/// validity.
#[test]
fn pg18_features_round_trip() {
    let (template, snapshot) = pg18_fixture();
    let db = TestDb::from_template_on(server_of(18), "pg18_roundtrip", template);
    let tmp = TempDir::new("pg18");
    let file = tmp.write("expected_schema.yaml", snapshot);
    let run = diff_against(&db.url, &file, &[]);
    assert_eq!(run.code, 0, "{}\n{}\n{snapshot}", run.stdout, run.stderr);
    for needle in [
        "area: {type: integer, generated: {expression: \"w * h\", kind: virtual}}",
        "perimeter: {type: integer, generated: \"2 * (w + h)\"}",
        "label: {type: text, nullable: false, not_null: {name: rooms_label_required}}",
        "note: {type: text, nullable: false, not_null: {name: rooms_note_nn, validated: false}}",
        "floor_no: {type: integer, nullable: false, not_null: {no_inherit: true}}",
        "primary_key: {name: bookings_pk, columns: [room, during], without_overlaps: true}",
        "{name: bookings_seat_key, columns: [seat, during], without_overlaps: true}",
        "{name: rooms_w_positive, expression: \"w > 0\", enforced: false}",
        "{name: rooms_h_positive, expression: \"h > 0\", validated: false}",
        "references: {table: rooms, columns: [id]}, enforced: false}",
        "references: {table: bookings, columns: [room, during]}, period: true}",
    ] {
        assert!(
            snapshot.contains(needle),
            "snapshot lacks {needle:?}:\n{snapshot}"
        );
    }
    // The server's own NOT NULL names (`rooms_w_not_null`) are not written.
    assert!(!snapshot.contains("_not_null"), "{snapshot}");
}

/// Each single change of an 18 feature gives exactly one mismatch.
#[test]
fn pg18_features_each_single_change_gives_one_mismatch() {
    let (template, snapshot) = pg18_fixture();
    let cases: &[MutationCase] = &[
        (
            "virtual_to_stored",
            "ALTER TABLE rooms DROP COLUMN area; ALTER TABLE rooms ADD COLUMN area integer GENERATED ALWAYS AS (w * h) STORED",
            "changed", "column", Some("generated_kind"), "public.rooms.area",
        ),
        (
            "stored_to_virtual",
            "ALTER TABLE rooms DROP COLUMN perimeter; ALTER TABLE rooms ADD COLUMN perimeter integer GENERATED ALWAYS AS (2 * (w + h)) VIRTUAL",
            "changed", "column", Some("generated_kind"), "public.rooms.perimeter",
        ),
        (
            "drop_without_overlaps",
            "ALTER TABLE bookings DROP CONSTRAINT bookings_seat_key, ADD CONSTRAINT bookings_seat_key UNIQUE (seat, during)",
            "changed", "unique", Some("without_overlaps"), "public.bookings.bookings_seat_key",
        ),
        (
            "check_enforced",
            "ALTER TABLE rooms DROP CONSTRAINT rooms_w_positive, ADD CONSTRAINT rooms_w_positive CHECK (w > 0)",
            "changed", "check", Some("enforced"), "public.rooms.rooms_w_positive",
        ),
        (
            "check_not_enforced",
            "ALTER TABLE rooms DROP CONSTRAINT rooms_h_positive, ADD CONSTRAINT rooms_h_positive CHECK (h > 0) NOT ENFORCED",
            "changed", "check", Some("enforced"), "public.rooms.rooms_h_positive",
        ),
        (
            "fk_enforced",
            "ALTER TABLE bookings ALTER CONSTRAINT bookings_guest_fk ENFORCED",
            "changed", "foreign_key", Some("enforced"), "public.bookings.bookings_guest_fk",
        ),
        (
            "fk_not_enforced",
            "ALTER TABLE charges ALTER CONSTRAINT charges_booking_fk NOT ENFORCED",
            "changed", "foreign_key", Some("enforced"), "public.charges.charges_booking_fk",
        ),
        (
            "validate_not_null",
            "ALTER TABLE rooms VALIDATE CONSTRAINT rooms_note_nn",
            "changed", "column", Some("nullable"), "public.rooms.note",
        ),
        (
            "not_null_not_valid",
            "ALTER TABLE rooms ALTER COLUMN w DROP NOT NULL; ALTER TABLE rooms ADD CONSTRAINT rooms_w_nn NOT NULL w NOT VALID",
            "changed", "column", Some("nullable"), "public.rooms.w",
        ),
        (
            "not_null_inherit",
            "ALTER TABLE rooms ALTER COLUMN floor_no DROP NOT NULL; ALTER TABLE rooms ALTER COLUMN floor_no SET NOT NULL",
            "changed", "column", Some("nullable"), "public.rooms.floor_no",
        ),
        (
            "rename_not_null",
            "ALTER TABLE rooms RENAME CONSTRAINT rooms_label_required TO rooms_label_nn",
            "changed", "column", Some("not_null_name"), "public.rooms.label",
        ),
    ];
    assert_each_gives_one_mismatch(server_of(18), template, snapshot, "18", cases);
}

/// An expected file that declares 18-only features, checked on 17 against
/// the nearest schema 17 can build: one clear mismatch per feature, exit 1
/// (not an error, not a pass).
#[test]
fn pg18_features_declared_are_clear_mismatches_on_pg17() {
    let (_, snapshot) = pg18_fixture();
    let nearest = PG18
        .replace(" VIRTUAL,", " STORED,")
        .replace(" WITHOUT OVERLAPS", "")
        .replace("PERIOD ", "")
        .replace(" NOT ENFORCED", "")
        .replace(" NOT NULL NO INHERIT,", " NOT NULL,")
        .replace(
            "ADD CONSTRAINT rooms_note_nn NOT NULL note NOT VALID",
            "ALTER COLUMN note SET NOT NULL",
        );
    let db = TestDb::on(server_of(17), "pg18_on_17");
    db.execute(&nearest);
    let tmp = TempDir::new("pg18on17");
    let file = tmp.write("expected_schema.yaml", snapshot);
    let run = diff_against(&db.url, &file, &["--format", "json"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let mut found: Vec<String> = run.json()["mismatches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{} {} {} {}: {} -> {}",
                m["change"],
                m["object_type"],
                m["object"],
                m["attribute"],
                m["expected"],
                m["actual"]
            )
            .replace('"', "")
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            "changed check public.rooms.rooms_w_positive enforced: false -> true",
            "changed column public.rooms.area generated_kind: virtual -> stored",
            "changed column public.rooms.floor_no nullable: not null no inherit -> not null",
            "changed column public.rooms.label not_null_name: rooms_label_required -> null",
            "changed column public.rooms.note not_null_name: rooms_note_nn -> null",
            "changed column public.rooms.note nullable: not null not valid -> not null",
            "changed foreign_key public.bookings.bookings_guest_fk enforced: false -> true",
            "changed foreign_key public.charges.charges_booking_fk period: true -> false",
            "changed primary_key public.bookings.bookings_pk without_overlaps: true -> false",
            "changed unique public.bookings.bookings_seat_key without_overlaps: true -> false",
        ],
        "{}",
        run.stdout
    );
}

const PG16: &str = include_str!("../cases/pg16/schema.sql");

/// The 16/17 fixture: the part 16 can build, and the part that needs 17.
fn pg16_parts() -> (&'static str, &'static str) {
    PG16.split_once("-- PostgreSQL 17\n")
        .expect("the fixture's PostgreSQL 17 line")
}

/// The part of the 16/17 fixture that `major` can build.
fn pg16_sql(major: u32) -> String {
    let (sixteen, seventeen) = pg16_parts();
    if major >= 17 {
        format!("{sixteen}{seventeen}")
    } else {
        sixteen.to_string()
    }
}

/// What 16 and 17 changed (SQL/JSON in defaults, checks and views,
/// unqualified single-table views, alias-less subqueries, domain NOT NULL
/// rows) is read back exactly on 16, 17 and 18, and a file written on 16
/// holds on 17 and 18 (for the part 16 can build).
#[test]
fn pg16_and_pg17_changes_round_trip_and_hold_on_later_versions() {
    let (sixteen, seventeen) = pg16_parts();
    let mut failures = Vec::new();
    let mut written_on_16 = None;
    let tmp = TempDir::new("pg16");
    let mut check = |major: u32, what: &str, url: &str, file: &std::path::Path| {
        let run = diff_against(url, file, &[]);
        if run.code != 0 {
            failures.push(format!(
                "{major}, {what}: exit {}\n{}{}",
                run.code, run.stdout, run.stderr
            ));
        }
    };
    for major in [16, 17, 18] {
        let db = TestDb::on(server_of(major), &format!("pg16_on{major}"));
        db.execute(sixteen);
        match &written_on_16 {
            None => {
                let snapshot = snapshot_of(&db.url);
                assert!(snapshot.contains("unnamed_subquery"), "{snapshot}");
                written_on_16 = Some(tmp.write("written_on_16.yaml", &snapshot));
            }
            Some(file) => check(major, "16's snapshot", &db.url, file),
        }
        if major >= 17 {
            db.execute(seventeen);
        }
        let own = tmp.write(&format!("own_{major}.yaml"), &snapshot_of(&db.url));
        check(major, "its own snapshot", &db.url, &own);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each single change to what 16 and 17 brought gives one mismatch (on 17).
#[test]
fn pg16_and_pg17_single_changes_give_one_mismatch() {
    let server = server_of(17);
    let template = TestDb::on(server, "pg16_template17");
    template.execute(&pg16_sql(17));
    let snapshot = snapshot_of(&template.url);
    let cases: &[MutationCase] = &[
        (
            "set_expression",
            "ALTER TABLE lines ALTER COLUMN total SET EXPRESSION AS (qty * price * 2)",
            "changed", "column", Some("generated"), "public.lines.total",
        ),
        (
            "is_json_check",
            "ALTER TABLE docs DROP CONSTRAINT docs_body_is_json, ADD CONSTRAINT docs_body_is_json CHECK (body IS JSON ARRAY)",
            "changed", "check", Some("expression"), "public.docs.docs_body_is_json",
        ),
        (
            "json_default",
            "ALTER TABLE docs ALTER COLUMN body SET DEFAULT JSON_OBJECT('kind': 'memo')::text",
            "changed", "column", Some("default"), "public.docs.body",
        ),
        (
            "unnamed_subquery_view",
            "CREATE OR REPLACE VIEW owned_docs AS SELECT id FROM (SELECT id, owner FROM docs WHERE owner > 0) ORDER BY id",
            "changed", "view", Some("definition"), "public.owned_docs",
        ),
        (
            "json_value_view",
            "CREATE OR REPLACE VIEW doc_values AS SELECT id, JSON_VALUE(meta, '$.x' RETURNING integer) AS a, JSON_EXISTS(meta, '$.b') AS has_b FROM docs",
            "changed", "view", Some("definition"), "public.doc_values",
        ),
        (
            "domain_nullable",
            "ALTER DOMAIN positive_id DROP NOT NULL",
            "changed", "domain", Some("nullable"), "public.positive_id",
        ),
    ];
    let name = template.name.clone();
    // A template must have no open connections: `template` has none now.
    assert_each_gives_one_mismatch(server, &name, &snapshot, "16", cases);
}
