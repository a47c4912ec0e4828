//! One reader per migration directory layout, each turning a directory into
//! unordered [`Migration`](crate::migrate::model::Migration)s of its format.
//!
//! | format | files | no-transaction marker |
//! |---|---|---|
//! | native | `0001_name.up.sql` + `.down.sql`, versions 1, 2, 3 … | first line `-- schemagate:no-transaction` |
//! | sqlx | `<version>_name.up.sql` + `.down.sql`, or `<version>_name.sql` (no down) | first line `-- no-transaction` |
//! | golang-migrate | `<version>_title.up.sql` + `.down.sql` (titles may differ) | none: a file of only such statements runs outside; own BEGIN/COMMIT blocks: sent whole as one query |
//! | diesel | `<version>_name/up.sql`, `down.sql`, `metadata.toml` | `run_in_transaction = false` in metadata.toml |
//! | dbmate | `<version>_name.sql` with `-- migrate:up` / `-- migrate:down` | `transaction:false` on the marker |
//! | sql-migrate | `*.sql` with `-- +migrate Up` / `-- +migrate Down` | `notransaction` on the marker |
//! | flyway | `V1.2__name.sql`, undo `U1.2__name.sql`, repeatable `R__name.sql` | `executeInTransaction=false` in `V1.2__name.sql.conf`; a file of only such statements runs outside |

pub(crate) mod dbmate;
pub(crate) mod diesel;
pub(crate) mod flyway;
pub(crate) mod golang_migrate;
pub(crate) mod native;
mod pairs;
pub(crate) mod sql_migrate;
pub(crate) mod sqlx;
