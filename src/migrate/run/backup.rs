//! A full `pg_dump -Fc` of the database before migrating: `backup`.
//!
//! The connection reaches pg_dump through PG* environment variables only,
//! so the password is never on a command line (visible in `ps`) or in a
//! message.

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use postgres::config::{Host, SslMode};
use postgres::Config;

use crate::db::redact;
use crate::migrate::model::MigrateError;

/// Connection variables pg_dump could inherit that would point it somewhere
/// other than the database being migrated.
const INHERITED: &[&str] = &[
    "PGHOST",
    "PGHOSTADDR",
    "PGPORT",
    "PGDATABASE",
    "PGUSER",
    "PGPASSWORD",
    "PGSERVICE",
    "PGOPTIONS",
    "PGSSLMODE",
];

/// pg_dump on PATH, else the newest in /usr/lib/postgresql/*/bin (Debian and
/// Ubuntu keep it there; a newer pg_dump can dump an older server).
pub fn find_pg_dump() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("pg_dump"))
            .find(|p| p.is_file())
    });
    on_path.or_else(|| {
        let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .flatten()
            .filter_map(|entry| {
                let major = entry.file_name().to_str()?.parse::<u32>().ok()?;
                let binary = entry.path().join("bin/pg_dump");
                binary.is_file().then_some((major, binary))
            })
            .collect();
        found.sort();
        found.pop().map(|(_, path)| path)
    })
}

/// Dumps the database `config` points at to `file` (custom format, for
/// `pg_restore`); returns the pg_dump that was used.
pub fn backup(config: &Config, file: &Path) -> Result<PathBuf, MigrateError> {
    let program = find_pg_dump().ok_or(MigrateError::PgDumpNotFound)?;
    // pg_dump creates its file before it connects; write beside the target
    // and rename, so that a failure never leaves an empty "backup" behind.
    let mut partial = file.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    // A dump holds the data: create the file owner-only before pg_dump
    // opens it (it keeps the mode of a file that exists).
    let _ = std::fs::remove_file(&partial);
    {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&partial)
            .map_err(|source| MigrateError::WriteFile {
                file: partial.clone(),
                source,
            })?;
    }
    let mut command = Command::new(&program);
    command
        .args(["--format=custom", "--no-password", "--file"])
        .arg(&partial)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for name in INHERITED {
        command.env_remove(name);
    }
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            Host::Tcp(name) => name.clone(),
            Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    if !hosts.is_empty() {
        command.env("PGHOST", hosts.join(","));
    }
    let addrs: Vec<String> = config
        .get_hostaddrs()
        .iter()
        .map(|a| a.to_string())
        .collect();
    if !addrs.is_empty() {
        command.env("PGHOSTADDR", addrs.join(","));
    }
    let ports: Vec<String> = config.get_ports().iter().map(|p| p.to_string()).collect();
    if !ports.is_empty() {
        command.env("PGPORT", ports.join(","));
    }
    if let Some(user) = config.get_user() {
        command.env("PGUSER", user);
    }
    if let Some(dbname) = config.get_dbname() {
        command.env("PGDATABASE", dbname);
    }
    if let Some(password) = config.get_password() {
        command.env("PGPASSWORD", std::ffi::OsStr::from_bytes(password));
    }
    if let Some(options) = config.get_options() {
        command.env("PGOPTIONS", options);
    }
    let sslmode = match config.get_ssl_mode() {
        SslMode::Disable => Some("disable"),
        SslMode::Require => Some("require"),
        _ => None,
    };
    if let Some(mode) = sslmode {
        command.env("PGSSLMODE", mode);
    }
    let output = command
        .output()
        .map_err(|source| MigrateError::BackupSpawn {
            program: program.clone(),
            source,
        })?;
    if !output.status.success() {
        let _ = std::fs::remove_file(&partial);
        return Err(MigrateError::BackupFailed {
            file: file.to_path_buf(),
            status: output.status.to_string(),
            stderr: redact(String::from_utf8_lossy(&output.stderr).trim()),
        });
    }
    std::fs::rename(&partial, file).map_err(|source| MigrateError::WriteFile {
        file: file.to_path_buf(),
        source,
    })?;
    Ok(program)
}
