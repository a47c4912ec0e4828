//! The SynapScale guide's step 1: the database, the application role and
//! their grants — `bootstrap(admin_url, &options)`, idempotent.
//!
//! Every name reaches SQL quoted (identifiers and literals), and the
//! password is never printed or put in a message.

use std::fmt;

use postgres::{Client, NoTls};

use crate::db::{self, quote_ident_always, quote_literal, DbError};

/// The longest identifier PostgreSQL keeps; longer ones are truncated
/// silently, which would defeat the existence checks.
const MAX_IDENTIFIER_BYTES: usize = 63;

#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    #[error(
        "environment variable {var} is not set or empty; it must hold the password \
         of the application role"
    )]
    MissingPassword { var: String },
    #[error("invalid {what} name {name:?}: {reason}")]
    InvalidName {
        what: &'static str,
        name: String,
        reason: &'static str,
    },
    #[error(transparent)]
    Connect(#[from] DbError),
    #[error("bootstrap failed while {context}")]
    Database {
        context: String,
        #[source]
        source: postgres::Error,
    },
}

fn failed(context: impl Into<String>) -> impl FnOnce(postgres::Error) -> BootstrapError {
    let context = context.into();
    move |source| BootstrapError::Database { context, source }
}

/// A password; its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn new(text: impl Into<String>) -> Password {
        Password(text.into())
    }

    /// The password itself, for building a connection string.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Reads the password from environment variable `var`; unset or empty
    /// is an error.
    pub fn from_env(var: &str) -> Result<Password, BootstrapError> {
        match std::env::var(var) {
            Ok(text) if !text.is_empty() => Ok(Password(text)),
            _ => Err(BootstrapError::MissingPassword {
                var: var.to_string(),
            }),
        }
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// The SynapScale guide's names: the defaults of `bootstrap` (and of
/// `check --bootstrap`), declared here only.
pub const DEFAULT_DATABASE: &str = "synapscale_db";
pub const DEFAULT_ROLE: &str = "synapscale_user";
/// The environment variable holding the application role's password.
pub const DEFAULT_PASSWORD_ENV: &str = "SYNAPSCALE_DB_PASSWORD";
pub const DEFAULT_COLLATION: &str = "en_US.utf8";

/// What to create. The defaults are the SynapScale guide's names.
#[derive(Clone, Debug)]
pub struct BootstrapOptions {
    pub database: String,
    pub role: String,
    pub password: Password,
    /// LC_COLLATE and LC_CTYPE of a new database, if the server has it.
    pub collation: String,
}

impl BootstrapOptions {
    pub fn new(password: Password) -> BootstrapOptions {
        BootstrapOptions {
            database: DEFAULT_DATABASE.to_string(),
            role: DEFAULT_ROLE.to_string(),
            password,
            collation: DEFAULT_COLLATION.to_string(),
        }
    }
}

/// What bootstrap found and did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BootstrapReport {
    /// The role was created (else it existed; its password was reset).
    pub role_created: bool,
    /// The database was created (else it existed and was left as it is).
    pub database_created: bool,
    /// The database's encoding and LC_COLLATE.
    pub encoding: String,
    pub collation: String,
    /// Things the operator should know: a collation fallback, an existing
    /// database with other settings, a missing privilege.
    pub warnings: Vec<String>,
}

fn check_name(what: &'static str, name: &str) -> Result<(), BootstrapError> {
    let reason = if name.is_empty() {
        "it is empty"
    } else if name.len() > MAX_IDENTIFIER_BYTES {
        "PostgreSQL names are at most 63 bytes"
    } else if name.contains('\0') {
        "it contains a NUL character"
    } else {
        return Ok(());
    };
    Err(BootstrapError::InvalidName {
        what,
        name: name.to_string(),
        reason,
    })
}

/// Creates (or brings up to date) the database and the application role,
/// connected as an administrator through `admin_url`: the role with LOGIN
/// and its password, the database (UTF8, from template0, with the wanted
/// collation if the server has it), `GRANT ALL` on the database and on
/// schema `public` (which includes CREATE, needed from PostgreSQL 15 on),
/// and default privileges on the tables, sequences and functions the
/// administrator creates in `public`. Running it again changes nothing but
/// the password.
pub fn bootstrap(
    admin_url: &str,
    options: &BootstrapOptions,
) -> Result<BootstrapReport, BootstrapError> {
    check_name("database", &options.database)?;
    check_name("role", &options.role)?;
    let mut admin = db::connect(admin_url, std::time::Duration::from_secs(2))?;
    let role = quote_ident_always(&options.role);
    let database = quote_ident_always(&options.database);
    let mut warnings = Vec::new();

    let role_created = ensure_role(&mut admin, options, &role)?;
    let (database_created, encoding, collation) =
        ensure_database(&mut admin, options, &database, &mut warnings)?;
    admin
        .batch_execute(&format!(
            "GRANT ALL PRIVILEGES ON DATABASE {database} TO {role}"
        ))
        .map_err(failed("granting privileges on the database"))?;

    // Schema privileges live in the new database: connect to it.
    let mut config = db::parse(admin_url)?;
    config.dbname(&options.database);
    let mut client = config.connect(NoTls).map_err(|source| DbError::Connect {
        url: format!("{} (database {})", db::redact(admin_url), options.database),
        source,
    })?;
    // language=PostgreSQL
    let grants = format!(
        "GRANT ALL ON SCHEMA public TO {role};
         ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO {role};
         ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO {role};
         ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO {role};"
    );
    client
        .batch_execute(&grants)
        .map_err(failed("granting privileges on schema public"))?;
    // A non-superuser administrator's GRANT can be a silent no-op.
    let can_create: bool = client
        .query_one(
            "SELECT has_schema_privilege($1, 'public', 'CREATE')",
            &[&options.role],
        )
        .map_err(failed("checking the role's privileges"))?
        .get(0);
    if !can_create {
        warnings.push(format!(
            "role {} cannot create objects in schema public of {}; grant CREATE on it as its owner",
            options.role, options.database
        ));
    }
    Ok(BootstrapReport {
        role_created,
        database_created,
        encoding,
        collation,
        warnings,
    })
}

/// Creates the role, or resets its password; returns whether it created it.
fn ensure_role(
    admin: &mut Client,
    options: &BootstrapOptions,
    role: &str,
) -> Result<bool, BootstrapError> {
    let exists = admin
        .query_opt(
            "SELECT 1 FROM pg_roles WHERE rolname = $1",
            &[&options.role],
        )
        .map_err(failed("looking for the role"))?
        .is_some();
    // A SCRAM-SHA-256 verifier computed here, never the password: the
    // statement text may land in the server log (`log_statement = ddl`),
    // and the server stores a verifier as it is given.
    let password = quote_literal(&postgres_protocol::password::scram_sha_256(
        options.password.0.as_bytes(),
    ));
    if !exists {
        match admin.batch_execute(&format!("CREATE ROLE {role} LOGIN PASSWORD {password}")) {
            Ok(()) => return Ok(true),
            // 42710: another bootstrap created it meanwhile; update it below.
            Err(e) if e.code().is_some_and(|c| c.code() == "42710") => {}
            Err(e) => return Err(failed(format!("creating role {}", options.role))(e)),
        }
    }
    admin
        .batch_execute(&format!("ALTER ROLE {role} WITH LOGIN PASSWORD {password}"))
        .map_err(failed(format!("updating role {}", options.role)))?;
    Ok(false)
}

/// Creates the database if missing; returns (created, encoding, collation).
fn ensure_database(
    admin: &mut Client,
    options: &BootstrapOptions,
    database: &str,
    warnings: &mut Vec<String>,
) -> Result<(bool, String, String), BootstrapError> {
    // language=PostgreSQL
    let existing = "SELECT pg_encoding_to_char(encoding), datcollate::text \
                    FROM pg_database WHERE datname = $1";
    let found = admin
        .query_opt(existing, &[&options.database])
        .map_err(failed("looking for the database"))?;
    if let Some(row) = found {
        let (encoding, collation): (String, String) = (row.get(0), row.get(1));
        if encoding != "UTF8" {
            warnings.push(format!(
                "database {} already exists with encoding {encoding}, not UTF8; left as it is",
                options.database
            ));
        }
        if normalise_locale(&collation) != normalise_locale(&options.collation) {
            warnings.push(format!(
                "database {} already exists with collation {collation}, not {}; left as it is",
                options.database, options.collation
            ));
        }
        return Ok((false, encoding, collation));
    }

    let locale = pick_locale(admin, &options.collation, warnings)?;
    let literal = quote_literal(&locale);
    // language=PostgreSQL
    let create = format!(
        "CREATE DATABASE {database} WITH TEMPLATE template0 ENCODING 'UTF8' \
         LC_COLLATE {literal} LC_CTYPE {literal}"
    );
    let created = match admin.batch_execute(&create) {
        Ok(()) => true,
        // 42P04: another bootstrap created it meanwhile.
        Err(e) if e.code().is_some_and(|c| c.code() == "42P04") => false,
        Err(e) => return Err(failed(format!("creating database {}", options.database))(e)),
    };
    Ok((created, "UTF8".to_string(), locale))
}

/// `en_US.UTF-8` and `en_US.utf8` name the same locale.
fn normalise_locale(name: &str) -> String {
    name.to_ascii_lowercase().replace('-', "")
}

/// The locale for a new UTF8 database: `wanted` if the server's
/// pg_collation has it, else C.UTF-8, else C — with a warning saying so.
fn pick_locale(
    admin: &mut Client,
    wanted: &str,
    warnings: &mut Vec<String>,
) -> Result<String, BootstrapError> {
    // libc collations usable with UTF8; collcollate is the OS locale name.
    // language=PostgreSQL
    let sql = "SELECT collname::text, collcollate::text FROM pg_collation \
               WHERE collprovider = 'c' AND collcollate IS NOT NULL \
                 AND collencoding IN (-1, pg_char_to_encoding('UTF8')) \
               ORDER BY collname";
    let rows = admin
        .query(sql, &[])
        .map_err(failed("reading the server's collations"))?;
    let find = |name: &str| {
        let name = normalise_locale(name);
        rows.iter()
            .find(|r| normalise_locale(r.get::<_, &str>(0)) == name)
            .map(|r| r.get::<_, String>(1))
    };
    if let Some(locale) = find(wanted) {
        return Ok(locale);
    }
    let fallback = find("C.UTF-8").unwrap_or_else(|| "C".to_string());
    warnings.push(format!(
        "collation {wanted} is not available on this server (not in pg_collation); \
         the database uses {fallback} instead"
    ));
    Ok(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_never_shows_in_debug_output() {
        let options = BootstrapOptions::new(Password::new("s3cr3t"));
        assert!(!format!("{options:?}").contains("s3cr3t"));
    }

    #[test]
    fn a_missing_password_names_the_variable() {
        let e = Password::from_env("SCHEMAGATE_TEST_UNSET_PASSWORD_VAR").unwrap_err();
        assert_eq!(
            e.to_string(),
            "environment variable SCHEMAGATE_TEST_UNSET_PASSWORD_VAR is not set or empty; \
             it must hold the password of the application role"
        );
    }

    #[test]
    fn names_postgres_would_truncate_are_refused() {
        assert!(check_name("role", "synapscale_user").is_ok());
        assert!(check_name("role", "Mixed \"quoted\" name").is_ok());
        assert!(check_name("role", "").is_err());
        assert!(check_name("database", &"x".repeat(64)).is_err());
    }

    #[test]
    fn locale_spellings_compare_equal() {
        assert_eq!(
            normalise_locale("en_US.UTF-8"),
            normalise_locale("en_US.utf8")
        );
        assert_ne!(normalise_locale("C"), normalise_locale("C.UTF-8"));
    }
}
