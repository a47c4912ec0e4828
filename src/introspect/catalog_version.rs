//! What differs between the catalogs of PostgreSQL 13 to 18, as the
//! placeholders the `.sql` files use: a column that an older server lacks
//! reads as the value that version's behaviour amounts to.

/// The server's `server_version_num`.
#[derive(Clone, Copy, Debug)]
pub(super) struct CatalogVersion(pub(super) i32);

impl CatalogVersion {
    /// `sql` with every `{placeholder}` replaced for this version.
    pub(super) fn render(self, sql: &str) -> String {
        let v = self.0;
        let pick = |since: i32, new: &'static str, old: &'static str| {
            if v >= since {
                new
            } else {
                old
            }
        };
        sql
            // 15: UNIQUE NULLS NOT DISTINCT.
            .replace(
                "{nulls_not_distinct}",
                pick(150000, "i.indnullsnotdistinct", "false"),
            )
            // 14: a column's COMPRESSION ('' for the default).
            .replace(
                "{attcompression}",
                pick(140000, "nullif(a.attcompression::text, '')", "NULL::text"),
            )
            // 15: ON DELETE SET NULL (columns).
            .replace(
                "{confdelsetcols}",
                pick(150000, "coalesce(con.confdelsetcols, '{}')", "'{}'::int2[]"),
            )
            // 18: CHECK / FOREIGN KEY ... NOT ENFORCED.
            .replace("{conenforced}", pick(180000, "con.conenforced", "true"))
            // 18: temporal keys (WITHOUT OVERLAPS, PERIOD).
            .replace("{conperiod}", pick(180000, "con.conperiod", "false"))
            // 18: a column's NOT NULL is a pg_constraint row (contype 'n')
            // with a name and a validity; `attnotnull` is true even while
            // it is NOT VALID.
            .replace(
                "{not_null_join}",
                pick(
                    180000,
                    "LEFT JOIN pg_constraint nn ON nn.conrelid = a.attrelid \
                     AND nn.contype = 'n' AND nn.conkey[1] = a.attnum",
                    "",
                ),
            )
            .replace(
                "{not_null_name}",
                pick(
                    180000,
                    // A partition's inherited NOT NULL carries its parent's
                    // name: the parent's, not the partition's own.
                    "CASE WHEN nn.conislocal THEN nn.conname::text END",
                    "NULL::text",
                ),
            )
            .replace(
                "{not_null_validated}",
                pick(180000, "coalesce(nn.convalidated, true)", "true"),
            )
            .replace(
                "{not_null_no_inherit}",
                pick(180000, "coalesce(nn.connoinherit, false)", "false"),
            )
            // 14: SQL-standard bodies (BEGIN ATOMIC / RETURN).
            .replace("{function_body}", super::functions::body_column(v))
            // 14: extended statistics on expressions (`stxexprs`), deparsed
            // by the server; NULL when the object has none.
            .replace(
                "{statistics_expressions}",
                pick(
                    140000,
                    "coalesce(pg_get_statisticsobjdef_expressions(s.oid), '{}'::text[])",
                    "'{}'::text[]",
                ),
            )
            // 15, 17: ICU and builtin collation locales.
            .replace(
                "{collation_locale}",
                super::catalog_objects::locale_column(v),
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_placeholder_is_left_on_any_version() {
        let all = [
            super::super::columns::SQL,
            super::super::constraints::SQL,
            super::super::indexes::SQL,
            super::super::functions::SQL,
            super::super::catalog_objects::COLLATIONS_SQL,
            super::super::catalog_objects::STATISTICS_SQL,
        ]
        .concat();
        for v in [130000, 150000, 160000, 170000, 180000] {
            let sql = CatalogVersion(v).render(&all);
            // `'{}'` (an empty array) is SQL; `{name}` is a placeholder.
            let left = sql
                .match_indices('{')
                .any(|(i, _)| sql[i + 1..].starts_with(|c: char| c.is_ascii_lowercase()));
            assert!(!left, "{v}: {sql}");
        }
    }

    /// 13 has no `stxexprs` nor the function that deparses it: asking for
    /// it there would fail every catalog read.
    #[test]
    fn statistics_expressions_are_read_from_14_only() {
        let sql = super::super::catalog_objects::STATISTICS_SQL;
        assert!(!CatalogVersion(130000)
            .render(sql)
            .contains("pg_get_statisticsobjdef_expressions"));
        assert!(CatalogVersion(140000)
            .render(sql)
            .contains("pg_get_statisticsobjdef_expressions(s.oid)"));
    }
}
