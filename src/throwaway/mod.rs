//! Throwaway PostgreSQL servers: `local` (a cluster from the binaries on
//! this machine), `docker[:IMAGE]` (a container via testcontainers), a
//! scratch database on a given server, or `auto`.

use std::fs;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

pub mod cleanup;
pub mod docker;
pub mod local;
pub mod scratch;

#[derive(Debug, thiserror::Error)]
pub enum ThrowawayError {
    #[error("no PostgreSQL server binaries found: {0}")]
    NoBinaries(String),
    #[error(
        "running as root: PostgreSQL refuses to run as root and there is no `postgres` OS user to run it as; \
         run schemagate as an ordinary user, create a `postgres` user, or use --target docker or --target postgres://..."
    )]
    Root,
    #[error("initdb failed:\n{0}")]
    Initdb(String),
    #[error("the throwaway server did not start: {0}")]
    ServerExited(String),
    #[error("{what} failed")]
    Io {
        what: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("no Docker engine answers ({0}); start Docker, or use --target local or --target postgres://...")]
    NoDocker(String),
    #[error("the container did not start (image {image}): {reason}")]
    Container { image: String, reason: String },
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
    #[error("creating the scratch database failed on {server}")]
    Scratch {
        server: String,
        #[source]
        source: postgres::Error,
    },
    #[error(
        "no throwaway PostgreSQL available: no server binaries found ({local}) and no Docker engine answers ({docker}). \
         Install PostgreSQL server binaries (--target local), start Docker (--target docker), \
         or give a server (--target postgres://user@host/db)"
    )]
    NothingAvailable { local: String, docker: String },
    #[error("unknown target `{0}`: use auto, local, docker, docker:IMAGE or a postgres:// URL")]
    Unknown(String),
}

impl ThrowawayError {
    pub(crate) fn io(what: &'static str, source: std::io::Error) -> Self {
        ThrowawayError::Io { what, source }
    }
}

/// Which throwaway server to use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Spec {
    Auto,
    Local,
    Docker(Option<String>),
    /// A server on which a scratch database is created and dropped.
    Server(String),
}

impl std::str::FromStr for Spec {
    type Err = ThrowawayError;

    fn from_str(text: &str) -> Result<Spec, ThrowawayError> {
        Ok(match text {
            "auto" => Spec::Auto,
            "local" => Spec::Local,
            "docker" => Spec::Docker(None),
            t if t.starts_with("docker:") => Spec::Docker(Some(t["docker:".len()..].to_string())),
            t if t.starts_with("postgres://") || t.starts_with("postgresql://") => {
                Spec::Server(t.to_string())
            }
            t => return Err(ThrowawayError::Unknown(crate::db::redact(t))),
        })
    }
}

#[derive(Clone, Debug, Default)]
pub struct StartOptions {
    pub pg_bin: Option<PathBuf>,
}

/// A running throwaway database; dropping it removes it.
pub struct Throwaway {
    /// Connection string for schemagate itself (superuser of the throwaway).
    pub conninfo: String,
    /// URL for external tools (`--migrate-cmd`), as `DATABASE_URL`.
    pub url: String,
    /// What it is, for messages (no password).
    pub description: String,
    _guard: Guard,
}

#[allow(dead_code)]
enum Guard {
    Local(local::LocalServer),
    Docker(Box<docker::DockerServer>),
    Scratch(scratch::ScratchDb),
}

/// Starts (or creates) the throwaway database that `spec` names.
pub fn start(spec: &Spec, options: &StartOptions) -> Result<Throwaway, ThrowawayError> {
    match spec {
        Spec::Local => start_local(options),
        Spec::Docker(image) => start_docker(image.as_deref()),
        Spec::Server(url) => {
            let db = scratch::create(url)?;
            Ok(Throwaway {
                conninfo: db.url.clone(),
                url: db.url.clone(),
                description: format!("scratch database {} on {}", db.name, crate::db::redact(url)),
                _guard: Guard::Scratch(db),
            })
        }
        Spec::Auto => match local::find_bindir(options.pg_bin.as_deref()) {
            Ok(_) => start_local(options),
            Err(local_err) => match docker::engine_available() {
                Ok(()) => start_docker(None),
                Err(docker) => Err(ThrowawayError::NothingAvailable {
                    local: local_err.to_string(),
                    docker,
                }),
            },
        },
    }
}

fn start_local(options: &StartOptions) -> Result<Throwaway, ThrowawayError> {
    let server = local::start(&local::LocalOptions {
        bindir: options.pg_bin.clone(),
        die_with_parent: true,
        ..Default::default()
    })?;
    Ok(Throwaway {
        conninfo: server.conninfo.clone(),
        url: server.url.clone(),
        description: format!("local PostgreSQL {} (throwaway cluster)", server.version),
        _guard: Guard::Local(server),
    })
}

fn start_docker(image: Option<&str>) -> Result<Throwaway, ThrowawayError> {
    let server = docker::start(image)?;
    Ok(Throwaway {
        conninfo: server.url.clone(),
        url: server.url.clone(),
        description: format!("container {} ({})", server.short_id(), server.image),
        _guard: Guard::Docker(Box::new(server)),
    })
}

static COUNTER: AtomicU64 = AtomicU64::new(0);
const DIR_PREFIX: &str = "schemagate-";

/// A fresh private (0700) directory under the temp dir, named after our pid
/// so that leftovers of crashed runs can be recognised and swept.
pub(crate) fn private_dir(kind: &str) -> Result<PathBuf, ThrowawayError> {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "{DIR_PREFIX}{}-{kind}-{n}-{nanos:08x}",
        std::process::id()
    ));
    fs::DirBuilder::new()
        .mode(0o700)
        .create(&dir)
        .map_err(|e| ThrowawayError::io("creating a private temp directory", e))?;
    // The sweep removes only directories holding this marker.
    fs::write(dir.join(MARKER), b"schemagate\n")
        .map_err(|e| ThrowawayError::io("creating a private temp directory", e))?;
    Ok(dir)
}

/// The file [`private_dir`] writes into each directory it makes.
const MARKER: &str = ".schemagate-dir";

/// Removes temp directories of runs whose process is gone (SIGKILL, power
/// loss), stopping a server still running from one.
///
/// The temp directory is shared with other users, so only directories that
/// schemagate made for this user are touched: a real directory (not a
/// link), mode 0700, owned by this user (or, run as root, by the user the
/// servers run as), holding the marker file. A pid read from one is
/// signalled only when `/proc` shows a `postgres` process of the same owner
/// whose working directory (a postmaster changes into its data directory)
/// is that directory's `data`.
pub(crate) fn sweep_stale_dirs() {
    let Ok(entries) = fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    let owners = sweepable_owners();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(DIR_PREFIX)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        let path = entry.path();
        let Some(owner) = made_by_schemagate(&path, &owners) else {
            continue;
        };
        if let Some(server_pid) = postmaster_pid(&path) {
            if is_postmaster_of(server_pid, &path.join("data"), owner) {
                cleanup::stop_pid(server_pid);
            }
        }
        let _ = fs::remove_dir_all(path);
    }
}

/// The owners a directory of ours can have: this user, and when root the
/// user the local servers run as (their directories are handed to it).
fn sweepable_owners() -> Vec<u32> {
    // SAFETY: geteuid has no preconditions.
    let euid = unsafe { libc::geteuid() };
    let mut owners = vec![euid];
    if euid == 0 {
        if let Ok(name) = std::ffi::CString::new("postgres") {
            // SAFETY: getpwnam returns NULL or a pointer to static storage
            // that is read at once, before any other getpw* call.
            let pw = unsafe { libc::getpwnam(name.as_ptr()) };
            if !pw.is_null() {
                // SAFETY: pw is non-null and points to a passwd record.
                owners.push(unsafe { (*pw).pw_uid });
            }
        }
    }
    owners
}

/// The owner of `dir` if schemagate made it: a directory (not a link), mode
/// 0700, owned by one of `owners`, holding a regular marker file of the
/// same owner.
fn made_by_schemagate(dir: &Path, owners: &[u32]) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::symlink_metadata(dir).ok()?;
    if !meta.is_dir() || meta.mode() & 0o777 != 0o700 || !owners.contains(&meta.uid()) {
        return None;
    }
    let marker = fs::symlink_metadata(dir.join(MARKER)).ok()?;
    (marker.is_file() && marker.uid() == meta.uid()).then_some(meta.uid())
}

/// Whether `pid` is a `postgres` process of `owner` whose working directory
/// is `data` (a postmaster changes into its data directory).
fn is_postmaster_of(pid: u32, data: &Path, owner: u32) -> bool {
    use std::os::unix::fs::MetadataExt;
    let proc_dir = PathBuf::from(format!("/proc/{pid}"));
    let is_postgres = fs::read_to_string(proc_dir.join("comm"))
        .is_ok_and(|comm| matches!(comm.trim(), "postgres" | "postmaster"));
    let same_owner = fs::metadata(&proc_dir).is_ok_and(|m| m.uid() == owner);
    let in_data = match (fs::read_link(proc_dir.join("cwd")), fs::canonicalize(data)) {
        (Ok(cwd), Ok(data)) => cwd == data,
        _ => false,
    };
    is_postgres && same_owner && in_data
}

fn postmaster_pid(dir: &Path) -> Option<u32> {
    let file = dir.join("data").join("postmaster.pid");
    if !fs::symlink_metadata(&file).ok()?.is_file() {
        return None;
    }
    let text = fs::read_to_string(file).ok()?;
    text.lines().next()?.trim().parse().ok()
}
