//! A throwaway PostgreSQL cluster from the binaries on this machine.
//!
//! `initdb` runs once per PostgreSQL installation into a cache directory
//! that serves as a template; each run copies it into a private temp
//! directory and starts `postgres` there on a unix socket only, with fsync
//! off. Several runs can go at once without port clashes. As root, the
//! server runs as the `postgres` OS user (PostgreSQL refuses root).

use std::ffi::CString;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::cleanup::Cleanup;
use super::ThrowawayError;

/// Where to find the PostgreSQL server binaries.
pub fn find_bindir(explicit: Option<&Path>) -> Result<PathBuf, ThrowawayError> {
    let has_server = |dir: &Path| dir.join("initdb").is_file() && dir.join("postgres").is_file();
    if let Some(dir) = explicit {
        return if has_server(dir) {
            Ok(dir.to_path_buf())
        } else {
            Err(ThrowawayError::NoBinaries(format!(
                "--pg-bin {}: no initdb and postgres there",
                dir.display()
            )))
        };
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if has_server(&dir) {
                return Ok(dir);
            }
        }
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        if out.status.success() {
            let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
            if has_server(&dir) {
                return Ok(dir);
            }
        }
    }
    // Debian and Ubuntu keep server binaries out of PATH.
    let root = std::env::var_os("SCHEMAGATE_PG_SEARCH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/lib/postgresql"));
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir(&root)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            has_server(&bin).then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, dir)| dir).ok_or_else(|| {
        ThrowawayError::NoBinaries(
            "no initdb/postgres in PATH, in `pg_config --bindir` or under /usr/lib/postgresql/*/bin"
                .into(),
        )
    })
}

/// The OS user the server runs as: ourselves, or `postgres` when we are root.
#[derive(Clone, Copy, Debug)]
struct RunAs {
    uid: u32,
    gid: u32,
    switch: bool,
}

fn run_as() -> Result<RunAs, ThrowawayError> {
    // SAFETY: geteuid has no preconditions.
    let euid = unsafe { libc::geteuid() };
    if euid != 0 {
        // SAFETY: getegid has no preconditions.
        let gid = unsafe { libc::getegid() };
        return Ok(RunAs {
            uid: euid,
            gid,
            switch: false,
        });
    }
    let name = CString::new("postgres").expect("no NUL");
    // SAFETY: getpwnam returns NULL or a pointer to static storage that we
    // read immediately, on this thread, before any other getpw* call.
    let pw = unsafe { libc::getpwnam(name.as_ptr()) };
    if pw.is_null() {
        return Err(ThrowawayError::Root);
    }
    // SAFETY: pw is non-null and points to a valid passwd record.
    let (uid, gid) = unsafe { ((*pw).pw_uid, (*pw).pw_gid) };
    Ok(RunAs {
        uid,
        gid,
        switch: true,
    })
}

impl RunAs {
    fn command(&self, program: PathBuf) -> Command {
        let mut cmd = Command::new(program);
        if self.switch {
            cmd.uid(self.uid).gid(self.gid);
            cmd.env("HOME", "/tmp");
        }
        cmd
    }

    fn own(&self, path: &Path) -> std::io::Result<()> {
        if !self.switch {
            return Ok(());
        }
        std::os::unix::fs::chown(path, Some(self.uid), Some(self.gid))?;
        if path.is_dir() && !path.is_symlink() {
            for entry in fs::read_dir(path)? {
                self.own(&entry?.path())?;
            }
        }
        Ok(())
    }
}

/// Options for a local cluster.
#[derive(Clone, Debug, Default)]
pub struct LocalOptions {
    /// `--pg-bin`: the directory of initdb and postgres.
    pub bindir: Option<PathBuf>,
    /// Kill the server if this process dies without cleaning up (the CLI
    /// sets this; a test harness whose starting thread ends must not).
    pub die_with_parent: bool,
    /// The port (names the socket; also TCP if `extra_args` listen); 0 = 5432.
    pub port: u16,
    /// More `postgres` arguments, after schemagate's own (later ones win).
    pub extra_args: Vec<String>,
}

/// A running throwaway cluster; dropping it stops the server and removes
/// every file of it.
#[derive(Debug)]
pub struct LocalServer {
    child: Option<Child>,
    dir: PathBuf,
    /// Removes the directory (and stops the server first, should `child`
    /// not have been stopped: on a signal).
    _cleanup: Cleanup,
    /// Key-value connection string (unix socket) for the `postgres` superuser.
    pub conninfo: String,
    /// The same as a URL, for external tools (`?host=/socket/dir`).
    pub url: String,
    pub version: String,
    pub port: u16,
}

pub fn start(options: &LocalOptions) -> Result<LocalServer, ThrowawayError> {
    let bindir = find_bindir(options.bindir.as_deref())?;
    let port = if options.port == 0 {
        5432
    } else {
        options.port
    };
    let who = run_as()?;
    let version = server_version(&bindir)?;
    let template = template(&bindir, &version, who)?;

    super::sweep_stale_dirs();
    let dir = super::private_dir("local")?;
    // Dropped on an early return below: nothing of a failed start is left.
    let cleanup = Cleanup::dir(&dir);
    let result: Result<Child, ThrowawayError> = (|| {
        let data = dir.join("data");
        copy_tree(&template, &data)
            .map_err(|e| ThrowawayError::io("copying the template cluster", e))?;
        fs::set_permissions(&data, fs::Permissions::from_mode(0o700))
            .map_err(|e| ThrowawayError::io("securing the data directory", e))?;
        who.own(&dir)
            .map_err(|e| ThrowawayError::io("handing the directory to the postgres user", e))?;
        let log = fs::File::create(dir.join("server.log"))
            .map_err(|e| ThrowawayError::io("creating the server log", e))?;
        let log_err = log
            .try_clone()
            .map_err(|e| ThrowawayError::io("creating the server log", e))?;
        let mut cmd = who.command(bindir.join("postgres"));
        cmd.arg("-D")
            .arg(&data)
            .arg("-k")
            .arg(&dir)
            .args([
                "-p",
                &port.to_string(),
                "-c",
                "listen_addresses=",
                "-c",
                "fsync=off",
            ])
            .args(["-c", "synchronous_commit=off", "-c", "full_page_writes=off"])
            .args(["-c", "max_connections=60", "-c", "shared_buffers=32MB"])
            .args(["-c", "max_wal_senders=0", "-c", "wal_level=minimal"])
            .args(["-c", "logging_collector=off", "-c", "autovacuum=off"])
            .args(&options.extra_args)
            .args(["-c", "wal_init_zero=off"])
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err);
        // Our own process group: a terminal's Ctrl-C reaches us, and we
        // stop the server in order instead of it dying under a query.
        cmd.process_group(0);
        if options.die_with_parent {
            // SAFETY: prctl and getppid are async-signal-safe; nothing is allocated.
            unsafe {
                let parent = libc::getpid();
                cmd.pre_exec(move || {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGQUIT);
                    if libc::getppid() != parent {
                        libc::_exit(1);
                    }
                    Ok(())
                });
            }
        }
        let child = cmd
            .spawn()
            .map_err(|e| ThrowawayError::io("starting postgres", e))?;
        cleanup.add_pid(child.id());
        Ok(child)
    })();
    let child = result?;
    let conninfo = format!(
        "host={} port={port} user=postgres dbname=postgres",
        dir.display()
    );
    let url = format!(
        "postgresql://postgres@/postgres?host={}&port={port}",
        dir.display()
    );
    let mut server = LocalServer {
        child: Some(child),
        dir,
        _cleanup: cleanup,
        conninfo,
        url,
        version,
        port,
    };
    server.wait_ready()?;
    Ok(server)
}

impl LocalServer {
    fn wait_ready(&mut self) -> Result<(), ThrowawayError> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let socket = self.dir.join(format!(".s.PGSQL.{}", self.port));
        loop {
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    let log = fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
                    return Err(ThrowawayError::ServerExited(format!(
                        "{status}; its log:\n{}",
                        tail(&log, 20)
                    )));
                }
            }
            if socket.exists() {
                if let Ok(mut client) = postgres::Client::connect(&self.conninfo, postgres::NoTls) {
                    if client.simple_query("SELECT 1").is_ok() {
                        return Ok(());
                    }
                }
            }
            if Instant::now() > deadline {
                let log = fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
                return Err(ThrowawayError::ServerExited(format!(
                    "not ready after 30 s; its log:\n{}",
                    tail(&log, 20)
                )));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The directory holding the data, the socket and the log.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(|c| c.id())
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            stop(&mut child);
        }
        // `_cleanup` is dropped next: it removes the directory.
    }
}

/// Immediate shutdown (the data is thrown away), then SIGKILL if it lingers.
pub(crate) fn stop(child: &mut Child) {
    // SAFETY: kill on the pid of our own child.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGQUIT);
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

fn server_version(bindir: &Path) -> Result<String, ThrowawayError> {
    let out = Command::new(bindir.join("postgres"))
        .arg("--version")
        .output()
        .map_err(|e| ThrowawayError::io("running postgres --version", e))?;
    let text = String::from_utf8_lossy(&out.stdout);
    // "postgres (PostgreSQL) 15.18 (Debian ...)" -> "15.18"
    Ok(text
        .split_whitespace()
        .nth(2)
        .unwrap_or("unknown")
        .to_string())
}

/// The cache directory for initialised template clusters.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SCHEMAGATE_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(dir).join("schemagate");
    }
    if let Some(home) = std::env::var_os("HOME") {
        return PathBuf::from(home).join(".cache").join("schemagate");
    }
    std::env::temp_dir().join("schemagate-cache")
}

/// An initialised cluster for this installation, made once and reused.
fn template(bindir: &Path, version: &str, who: RunAs) -> Result<PathBuf, ThrowawayError> {
    // "w1": clusters made with 1 MB WAL segments (older caches had 16 MB).
    let key: String = format!("{version}-{}-w1", bindir.display())
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let cache = cache_dir().join("templates");
    let target = cache.join(&key);
    if target.join("PG_VERSION").is_file() {
        return Ok(target);
    }
    fs::create_dir_all(&cache).map_err(|e| ThrowawayError::io("creating the template cache", e))?;
    // initdb runs as the server's user, which may not reach our cache (root's
    // home): build in a private temp dir, then copy into the cache.
    let staging = super::private_dir("initdb")?;
    let staging_cleanup = Cleanup::dir(&staging);
    let data = staging.join("data");
    let result = (|| {
        who.own(&staging)
            .map_err(|e| ThrowawayError::io("handing the directory to the postgres user", e))?;
        let out = who
            .command(bindir.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
                // A 1 MB WAL segment instead of 16 MB: each run copies and
                // removes the whole cluster, and WAL was 40% of it.
                "--wal-segsize=1",
            ])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| ThrowawayError::io("running initdb", e))?;
        if !out.status.success() {
            return Err(ThrowawayError::Initdb(format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )));
        }
        let partial = cache.join(format!("{key}.partial-{}", std::process::id()));
        copy_tree(&data, &partial)
            .map_err(|e| ThrowawayError::io("filling the template cache", e))?;
        if fs::rename(&partial, &target).is_err() {
            // Another run finished first; theirs is as good as ours.
            let _ = fs::remove_dir_all(&partial);
        }
        Ok(())
    })();
    drop(staging_cleanup);
    result.map(|()| target)
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let dest = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &dest)?;
        } else if kind.is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(entry.path())?, &dest)?;
        } else {
            fs::copy(entry.path(), &dest)?;
        }
    }
    Ok(())
}
