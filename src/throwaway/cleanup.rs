//! Leaves nothing behind: every server process, temp directory, container
//! and scratch database of a run is registered here as it is made, and
//! removed by its owner's `Drop` or, on SIGINT/SIGTERM/SIGHUP, by the
//! signal thread before the process exits.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Default)]
struct Entry {
    dir: Option<PathBuf>,
    pids: Vec<u32>,
    /// (admin connection string, database) of a scratch database.
    database: Option<(String, String)>,
    /// A container that testcontainers' watchdog also knows about.
    container: Option<String>,
    /// A process group to terminate (an external migration command).
    process_group: Option<u32>,
}

static REGISTRY: Mutex<BTreeMap<u64, Entry>> = Mutex::new(BTreeMap::new());
static NEXT: AtomicU64 = AtomicU64::new(1);

fn registry() -> std::sync::MutexGuard<'static, BTreeMap<u64, Entry>> {
    REGISTRY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Registers a directory to remove; returns the entry's id.
pub fn register_dir(dir: &Path) -> u64 {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    registry().insert(
        id,
        Entry {
            dir: Some(dir.to_path_buf()),
            ..Entry::default()
        },
    );
    id
}

/// Registers a scratch database to drop.
pub fn register_database(admin: &str, database: &str) -> u64 {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    registry().insert(
        id,
        Entry {
            database: Some((admin.to_string(), database.to_string())),
            ..Entry::default()
        },
    );
    id
}

/// Registers a container to remove.
pub fn register_container(container: &str) -> u64 {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    registry().insert(
        id,
        Entry {
            container: Some(container.to_string()),
            ..Entry::default()
        },
    );
    id
}

/// Registers a child's process group to terminate.
pub fn register_process_group(pgid: u32) -> u64 {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    registry().insert(
        id,
        Entry {
            process_group: Some(pgid),
            ..Entry::default()
        },
    );
    id
}

/// How many container starts are in flight (see `install_signal_handler`).
pub(crate) static DOCKER_STARTING: std::sync::atomic::AtomicU32 =
    std::sync::atomic::AtomicU32::new(0);

static INTERRUPTED: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

/// The signal that interrupted this run, if one did. Its handler is then
/// cleaning up and will end the process with 128 + the signal.
pub fn interrupted() -> Option<i32> {
    match INTERRUPTED.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// Forgets entry `id` without cleaning (its owner has done it).
pub fn forget(id: u64) {
    registry().remove(&id);
}

/// Adds a server process to stop to entry `id`.
pub fn attach_pid(id: u64, pid: u32) {
    if let Some(e) = registry().get_mut(&id) {
        e.pids.push(pid);
    }
}

/// Removes entry `id` and everything it holds (processes first, then files).
pub fn run(id: u64) {
    let entry = registry().remove(&id);
    if let Some(entry) = entry {
        clean(entry);
    }
}

/// Cleans every registered entry (used on a signal).
pub fn run_all() {
    let entries: Vec<Entry> = std::mem::take(&mut *registry()).into_values().collect();
    for entry in entries {
        clean(entry);
    }
}

fn clean(entry: Entry) {
    if let Some(pgid) = entry.process_group {
        // SAFETY: kill(2) on the process group of a child we started.
        unsafe {
            libc::kill(-(pgid as i32), libc::SIGTERM);
        }
    }
    for pid in entry.pids {
        stop_pid(pid);
    }
    if let Some((admin, database)) = entry.database {
        super::scratch::drop_database(&admin, &database);
    }
    if let Some(dir) = entry.dir {
        let _ = std::fs::remove_dir_all(dir);
    }
    if let Some(container) = entry.container {
        super::docker::force_remove(&container);
    }
}

fn alive(pid: u32) -> bool {
    // SAFETY: signal 0 only checks for existence.
    unsafe { libc::kill(pid as i32, 0) == 0 }
}

/// SIGQUIT (immediate shutdown), then SIGKILL after 10 s.
pub(crate) fn stop_pid(pid: u32) {
    // SAFETY: plain kill(2) on a pid we started.
    unsafe {
        libc::kill(pid as i32, libc::SIGQUIT);
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while alive(pid) && Instant::now() < deadline {
        reap(pid);
        std::thread::sleep(Duration::from_millis(10));
    }
    if alive(pid) {
        // SAFETY: as above.
        unsafe {
            libc::kill(pid as i32, libc::SIGKILL);
        }
        reap(pid);
    }
}

fn reap(pid: u32) {
    let mut status = 0;
    // SAFETY: non-blocking wait on a child of ours (fails harmlessly if not).
    unsafe {
        libc::waitpid(pid as i32, &mut status, libc::WNOHANG);
    }
}

/// On SIGINT, SIGTERM or SIGHUP: clean up everything, then exit with
/// 128 + the signal number, as a shell would report it.
pub fn install_signal_handler() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            INTERRUPTED.store(signal, Ordering::SeqCst);
            eprintln!("schemagate: interrupted; cleaning up");
            // A container being created now would outlive us: let its
            // start finish (it registers itself), then remove it too.
            let deadline = Instant::now() + Duration::from_secs(120);
            while DOCKER_STARTING.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
            run_all();
            std::process::exit(128 + signal);
        }
    });
}
