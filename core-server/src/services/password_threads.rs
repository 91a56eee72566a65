//! The threads that hash and verify passwords. Argon2id takes tens of
//! milliseconds of a core and 19 MiB per hash, so:
//! - there is one thread per core (allocator arenas keep that memory per
//!   thread, so this also bounds it), fed in order from one queue;
//! - on Linux they run at a lower scheduling priority (nice 10). A burst of
//!   logins (every user of a team after a restart, a Monday morning) then
//!   takes the cores' idle time and a small share of busy cores, so new
//!   logins wait instead of every user already working.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, OnceLock};

use tokio::sync::oneshot;

use crate::error::{Error, Result};

/// The niceness of the password threads: what Unix calls a background job.
const NICENESS: i32 = 10;

type Job = Box<dyn FnOnce() + Send>;

/// Runs `work` on a password thread and waits for its result.
pub async fn run<T, F>(work: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (done, result) = oneshot::channel();
    let job: Job = Box::new(move || {
        // The caller may have gone (its request was cancelled).
        let _ = done.send(work());
    });
    queue()?.send(job).map_err(|_| stopped())?;
    result.await.map_err(|_| stopped())
}

fn stopped() -> Error {
    Error::Internal("the password threads have stopped".into())
}

/// The queue of the password threads, started on first use.
fn queue() -> Result<&'static Sender<Job>> {
    static QUEUE: OnceLock<std::io::Result<Sender<Job>>> = OnceLock::new();
    QUEUE
        .get_or_init(start)
        .as_ref()
        .map_err(|e| Error::Internal(format!("cannot start the password threads: {e}")))
}

fn start() -> std::io::Result<Sender<Job>> {
    let (sender, receiver) = mpsc::channel::<Job>();
    let receiver = Arc::new(Mutex::new(receiver));
    for i in 0..thread_count() {
        let receiver = receiver.clone();
        std::thread::Builder::new()
            .name(format!("passwords-{i}"))
            .spawn(move || serve(&receiver))?;
    }
    Ok(sender)
}

/// How many password threads there are: one per core.
fn thread_count() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// One password thread: lowers its priority, then runs jobs until the
/// queue closes.
fn serve(receiver: &Mutex<Receiver<Job>>) {
    lower_priority();
    loop {
        // The lock is held only while waiting for the next job (jobs run
        // after it is released), so the threads take jobs in turn.
        let next = receiver.lock().unwrap_or_else(|e| e.into_inner()).recv();
        match next {
            Ok(job) => {
                // A panicking hash must not take the thread with it; its
                // caller sees the dropped result as an error.
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
            }
            Err(_) => return,
        }
    }
}

/// Raises this thread's niceness to `NICENESS` unless it is already that
/// high (on Linux `PRIO_PROCESS` with id 0 names the calling thread, not the
/// whole process). Failing leaves the thread at the process's priority,
/// which is only slower for the others.
#[cfg(target_os = "linux")]
fn lower_priority() {
    if niceness() >= NICENESS {
        return;
    }
    if let Err(error) = rustix::process::setpriority_process(None, NICENESS) {
        tracing::debug!(%error, "password threads keep the normal priority");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

/// The calling thread's niceness.
#[cfg(target_os = "linux")]
fn niceness() -> i32 {
    rustix::process::getpriority_process(None).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_the_work_and_returns_its_result() {
        let sum = run(|| (1..=10).sum::<i32>()).await.expect("ran");
        assert_eq!(sum, 55);
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn the_threads_run_below_the_normal_priority() {
        let caller = niceness();
        let inside = run(niceness).await.expect("ran");
        assert_eq!(inside, NICENESS.max(caller), "caller at {caller}");
        assert_eq!(niceness(), caller, "the caller's thread keeps its priority");
    }

    #[tokio::test]
    async fn a_panicking_job_fails_its_caller_and_leaves_the_threads_working() {
        let failed = run(|| -> i32 { panic!("a broken hash") }).await;
        assert!(failed.is_err());
        // More jobs than threads: every thread must still be taking jobs.
        for i in 0..thread_count() * 2 {
            assert_eq!(run(move || i).await.expect("ran"), i);
        }
    }
}
