//! What a run has started and must undo when it is interrupted (SIGINT, SIGTERM, SIGHUP):
//! temporary databases and their side files, export temporaries, and Graphviz children.
//!
//! Writers register what they create with [`remove_on_interrupt`] and hold the returned
//! [`Pending`] until the file is either renamed into place or removed. A child process is
//! watched by its owner, which polls [`interrupted`] and kills it; the handler waits for every
//! [`Child`] guard to be dropped before it removes files. The renames that make a build's
//! result visible run inside [`uninterruptible`], so a signal never lands between the database
//! and its exports: the handler waits for the commit to end, then exits.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Set once a signal has arrived; long-running work checks it and stops.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
/// Child processes still running; the handler waits for them to be killed.
static CHILDREN: AtomicUsize = AtomicUsize::new(0);
/// Paths to remove on interruption, by the id of their [`Pending`] guard.
static PENDING: Mutex<Vec<(u64, PathBuf)>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicUsize = AtomicUsize::new(0);
/// Held while a result is made visible (renames); the handler takes it before cleaning up.
static COMMIT: Mutex<()> = Mutex::new(());

/// How long the handler waits for children to be killed before removing files anyway.
const CHILD_GRACE: Duration = Duration::from_secs(5);

/// Whether a signal asked the run to stop.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Once a signal has arrived, waits for the handler to clean up and end the process: the
/// work it stopped must not report its own failure or exit with another code.
pub fn settle() {
    if interrupted() {
        loop {
            std::thread::park();
        }
    }
}

/// A path that is removed if the run is interrupted, until this guard is dropped. Dropping it
/// does not remove the path: its owner renames or removes it.
#[derive(Debug)]
#[must_use = "the path is forgotten as soon as the guard is dropped"]
pub struct Pending {
    id: u64,
}

/// Removes `path` (a file, or a folder with everything in it) if the run is interrupted while
/// the returned guard lives.
pub fn remove_on_interrupt(path: PathBuf) -> Pending {
    let id = NEXT_ID.fetch_add(1, Ordering::SeqCst) as u64;
    lock(&PENDING).push((id, path));
    Pending { id }
}

impl Drop for Pending {
    fn drop(&mut self) {
        lock(&PENDING).retain(|(id, _)| *id != self.id);
    }
}

/// A running child process that the handler waits for; its owner kills it once
/// [`interrupted`] turns true.
#[derive(Debug)]
pub struct Child(());

impl Child {
    pub fn started() -> Child {
        CHILDREN.fetch_add(1, Ordering::SeqCst);
        Child(())
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        CHILDREN.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs `commit` (renames that make a result visible) so that a signal waits for it to end.
pub fn uninterruptible<T>(commit: impl FnOnce() -> T) -> T {
    let _held = lock(&COMMIT);
    commit()
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere must not keep the cleanup from running.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Undoes what is pending and returns the exit code for `signal`: 128 + its number, as shells
/// report a death by signal.
fn clean_up(signal: i32) -> i32 {
    INTERRUPTED.store(true, Ordering::SeqCst);
    let _commit = lock(&COMMIT);
    let deadline = Instant::now() + CHILD_GRACE;
    while CHILDREN.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    let pending = std::mem::take(&mut *lock(&PENDING));
    for (_, path) in pending.iter().rev() {
        let removed = match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
            Ok(_) => std::fs::remove_file(path),
            Err(_) => Ok(()),
        };
        if let Err(e) = removed {
            eprintln!("could not remove {}: {e}", path.display());
        }
    }
    128 + signal
}

/// Starts the thread that handles SIGINT, SIGTERM and SIGHUP for the rest of the process.
/// Commands that write files call it first; the readers keep the default handling (die at
/// once), since they leave nothing behind.
#[cfg(unix)]
pub fn install() -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let code = clean_up(signal);
                eprintln!("interrupted: stopped and removed the unfinished files");
                std::process::exit(code);
            }
        })?;
    Ok(())
}

/// Elsewhere the default handling stays: the next build removes what an interrupted one left.
#[cfg(not(unix))]
pub fn install() -> std::io::Result<()> {
    Ok(())
}
