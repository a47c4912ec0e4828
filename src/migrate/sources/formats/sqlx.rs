//! sqlx: `<version>_name.up.sql` + `.down.sql`, or `<version>_name.sql`.

use std::path::Path;

use super::pairs::{group, migrations, Names};
use crate::migrate::model::{MigrateError, Migration, MigrationFormat, Version};

/// sqlx's marker: a file that begins with it runs outside a transaction.
pub(crate) const SQLX_NO_TRANSACTION: &str = "-- no-transaction";

/// sqlx: `<version>_name.up.sql` + `.down.sql`, or a one-file
/// `<version>_name.sql` that cannot be reverted; versions are any
/// non-negative bigint (timestamps); a file beginning with
/// `-- no-transaction` runs outside a transaction.
pub(crate) fn read(dir: &Path) -> Result<Vec<Migration>, MigrateError> {
    let by_version = group(
        dir,
        true,
        Names::Same,
        |n, _| {
            let fits = n.digits.parse::<i64>().is_ok() && !n.name.is_empty();
            Ok(Version::numeric(&[n.digits], n.digits).filter(|_| fits))
        },
        |file| MigrateError::NotAMigration {
            file,
            format: MigrationFormat::Sqlx,
            expected: "VERSION_name.up.sql, VERSION_name.down.sql or VERSION_name.sql",
        },
    )?;
    let mut out = migrations(by_version, MigrationFormat::Sqlx)?;
    for m in &mut out {
        for file in std::iter::once(&mut m.up).chain(m.down.as_mut()) {
            file.no_transaction = file.sql.starts_with(SQLX_NO_TRANSACTION);
        }
    }
    Ok(out)
}
