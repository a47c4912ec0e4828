//! Leaves nothing behind: every server process, temp directory, container,
//! scratch database and child process group of a run is owned by a
//! [`Cleanup`] guard made as it is made. Dropping the guard removes it; on
//! SIGINT/SIGTERM/SIGHUP the signal thread removes whatever guards are
//! still alive before the process exits.
//!
//! The registry knows nothing of Docker or databases: a guard holds the
//! removal itself as a closure, so this module imports none of its users.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

type Removal = Box<dyn FnOnce() + Send>;

#[derive(Default)]
struct Entry {
    dir: Option<PathBuf>,
    pids: Vec<u32>,
    /// Drops a scratch database, removes a container, ...
    remove: Option<Removal>,
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

/// Owns one thing to remove. Dropping it removes the thing (processes
/// first, then files), unless it was made with [`Cleanup::on_signal`];
/// a signal removes it either way.
#[derive(Debug)]
#[must_use = "dropping the guard removes what it owns at once"]
pub struct Cleanup {
    id: u64,
    clean_on_drop: bool,
    /// Removed by its owner's own `Drop`, except during an interrupt.
    on_signal: bool,
}

impl Cleanup {
    fn register(entry: Entry, clean_on_drop: bool) -> Cleanup {
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        registry().insert(id, entry);
        Cleanup {
            id,
            clean_on_drop,
            on_signal: !clean_on_drop,
        }
    }

    /// A directory to remove with everything in it.
    pub fn dir(dir: &Path) -> Cleanup {
        let entry = Entry {
            dir: Some(dir.to_path_buf()),
            ..Entry::default()
        };
        Cleanup::register(entry, true)
    }

    /// Something to remove by running `remove` (dropping a database, ...).
    pub fn with(remove: impl FnOnce() + Send + 'static) -> Cleanup {
        let entry = Entry {
            remove: Some(Box::new(remove)),
            ..Entry::default()
        };
        Cleanup::register(entry, true)
    }

    /// Something whose owner removes it in its own `Drop` (a
    /// testcontainers container): `remove` runs only on a signal.
    pub fn on_signal(remove: impl FnOnce() + Send + 'static) -> Cleanup {
        let entry = Entry {
            remove: Some(Box::new(remove)),
            ..Entry::default()
        };
        Cleanup::register(entry, false)
    }

    /// A child's process group to terminate (SIGTERM).
    pub fn process_group(pgid: u32) -> Cleanup {
        let entry = Entry {
            process_group: Some(pgid),
            ..Entry::default()
        };
        Cleanup::register(entry, true)
    }

    /// Adds a server process to stop, before the directory is removed.
    pub fn add_pid(&self, pid: u32) {
        if let Some(e) = registry().get_mut(&self.id) {
            e.pids.push(pid);
        }
    }

    /// Lets go without removing anything: what the guard owned is gone
    /// already (a child process that was waited for).
    pub fn release(mut self) {
        self.clean_on_drop = false;
        self.on_signal = false;
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let entry = registry().remove(&self.id);
        // Dropped while a signal's clean-up runs (the interrupted work
        // unwinds at the same time): the owner's own removal may be
        // asynchronous, so remove it here and wait for it.
        let interrupted = interrupted().is_some();
        if let (Some(entry), true) = (entry, self.clean_on_drop || (self.on_signal && interrupted))
        {
            clean(entry);
        }
    }
}

/// How many resources are being created that will get a guard only once
/// made (a container start); the signal handler waits for them.
static STARTING: AtomicU32 = AtomicU32::new(0);

/// Counts one such creation while it is alive. Declare it before the
/// guard of what it creates, so that it is dropped after that is registered.
pub struct Starting(());

impl Starting {
    pub fn new() -> Starting {
        STARTING.fetch_add(1, Ordering::SeqCst);
        Starting(())
    }
}

impl Default for Starting {
    fn default() -> Starting {
        Starting::new()
    }
}

impl Drop for Starting {
    fn drop(&mut self) {
        STARTING.fetch_sub(1, Ordering::SeqCst);
    }
}

static INTERRUPTED: AtomicI32 = AtomicI32::new(0);

/// Set by the binary once the interrupted work has returned (every guard
/// dropped): the signal's handler ends the process only then.
static UNWOUND: AtomicBool = AtomicBool::new(false);

/// Says that the interrupted work has returned and dropped its guards.
pub fn unwound() {
    UNWOUND.store(true, Ordering::SeqCst);
}

/// The signal that interrupted this run, if one did. Its handler is then
/// cleaning up and will end the process with 128 + the signal.
pub fn interrupted() -> Option<i32> {
    match INTERRUPTED.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// Cleans every registered entry (used on a signal).
fn run_all() {
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
    if let Some(remove) = entry.remove {
        remove();
    }
    if let Some(dir) = entry.dir {
        let _ = std::fs::remove_dir_all(dir);
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

/// On SIGINT, SIGTERM or SIGHUP: removes everything still owned by a
/// guard, then calls `then` with the signal number (the binary ends the
/// process there, with 128 + the signal as a shell reports it; the library
/// never ends it).
pub fn clean_up_on_signals(then: impl FnOnce(i32) + Send + 'static) {
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
            while STARTING.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
            run_all();
            // Guards the interrupted work drops meanwhile clean up in its
            // thread (waiting until what they own is gone): end the process
            // after that, or after a bound if the work does not return.
            let deadline = Instant::now() + Duration::from_secs(30);
            while !UNWOUND.load(Ordering::SeqCst) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            then(signal);
        }
    });
}
