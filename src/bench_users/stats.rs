//! Figures collected while users run: every HTTP request's latency and
//! outcome, by action and overall; WebSocket frames and reconnections;
//! logins apart (they belong to starting a user, not to its load). A
//! measured window takes the figures and starts afresh.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use hdrhistogram::Histogram;

use super::model::FREQUENCIES;

/// How one request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Outcome {
    Ok,
    /// 4xx: the tool asked for something the server refuses (a model bug or
    /// a missing feature), reported apart.
    Refused,
    /// 5xx.
    ServerError,
    /// No answer within the request timeout.
    Timeout,
    /// No answer at all (connection refused or reset).
    Failed,
}

/// Latencies above this are clamped (the request timeout is lower).
const HIGHEST_MICROS: u64 = 600_000_000;

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, HIGHEST_MICROS, 3).expect("constant bounds are valid")
}

/// One action's (or all requests') figures.
#[derive(Clone)]
pub(super) struct Tally {
    pub(super) latency: Histogram<u64>,
    pub(super) refused: u64,
    pub(super) server_errors: u64,
    pub(super) timeouts: u64,
    pub(super) failed: u64,
    /// Times the action was picked (not its requests).
    pub(super) runs: u64,
}

impl Tally {
    fn new() -> Tally {
        Tally {
            latency: histogram(),
            refused: 0,
            server_errors: 0,
            timeouts: 0,
            failed: 0,
            runs: 0,
        }
    }

    fn record(&mut self, elapsed: Duration, outcome: Outcome) {
        let micros = u64::try_from(elapsed.as_micros())
            .unwrap_or(u64::MAX)
            .clamp(1, HIGHEST_MICROS);
        let _ = self.latency.record(micros);
        match outcome {
            Outcome::Ok => {}
            Outcome::Refused => self.refused += 1,
            Outcome::ServerError => self.server_errors += 1,
            Outcome::Timeout => self.timeouts += 1,
            Outcome::Failed => self.failed += 1,
        }
    }

    fn add(&mut self, other: &Tally) {
        let _ = self.latency.add(&other.latency);
        self.refused += other.refused;
        self.server_errors += other.server_errors;
        self.timeouts += other.timeouts;
        self.failed += other.failed;
        self.runs += other.runs;
    }

    pub(super) fn requests(&self) -> u64 {
        self.latency.len()
    }

    /// 5xx and unanswered requests: load-test-ng's error count.
    pub(super) fn errors(&self) -> u64 {
        self.server_errors + self.failed
    }

    pub(super) fn mean_ms(&self) -> f64 {
        if self.latency.is_empty() {
            0.0
        } else {
            self.latency.mean() / 1000.0
        }
    }

    pub(super) fn p99_ms(&self) -> f64 {
        self.latency.value_at_quantile(0.99) as f64 / 1000.0
    }
}

/// What every user task records into.
pub(super) struct Stats {
    actions: Vec<Mutex<Tally>>,
    logins: Mutex<Tally>,
    frames: AtomicU64,
    reconnects: AtomicU64,
    socket_drops: AtomicU64,
}

/// The figures of one measured window.
pub(super) struct Window {
    pub(super) actions: Vec<Tally>,
    pub(super) total: Tally,
    pub(super) logins: Tally,
    pub(super) frames: u64,
    pub(super) reconnects: u64,
    pub(super) socket_drops: u64,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Stats {
    pub(super) fn new() -> Stats {
        Stats {
            // One slot per action, and one for the first screen after login.
            actions: (0..=FREQUENCIES.len())
                .map(|_| Mutex::new(Tally::new()))
                .collect(),
            logins: Mutex::new(Tally::new()),
            frames: AtomicU64::new(0),
            reconnects: AtomicU64::new(0),
            socket_drops: AtomicU64::new(0),
        }
    }

    pub(super) fn request(&self, action: usize, elapsed: Duration, outcome: Outcome) {
        if let Some(tally) = self.actions.get(action) {
            lock(tally).record(elapsed, outcome);
        }
    }

    pub(super) fn action_run(&self, action: usize) {
        if let Some(tally) = self.actions.get(action) {
            lock(tally).runs += 1;
        }
    }

    pub(super) fn login(&self, elapsed: Duration, outcome: Outcome) {
        lock(&self.logins).record(elapsed, outcome);
    }

    pub(super) fn frames(&self, n: u64) {
        self.frames.fetch_add(n, Ordering::Relaxed);
    }

    pub(super) fn reconnect(&self) {
        self.reconnects.fetch_add(1, Ordering::Relaxed);
    }

    pub(super) fn socket_drop(&self) {
        self.socket_drops.fetch_add(1, Ordering::Relaxed);
    }

    /// Takes the figures so far and starts afresh.
    pub(super) fn take(&self) -> Window {
        let actions: Vec<Tally> = self
            .actions
            .iter()
            .map(|t| std::mem::replace(&mut *lock(t), Tally::new()))
            .collect();
        let mut total = Tally::new();
        for tally in &actions {
            total.add(tally);
        }
        Window {
            actions,
            total,
            logins: std::mem::replace(&mut *lock(&self.logins), Tally::new()),
            frames: self.frames.swap(0, Ordering::Relaxed),
            reconnects: self.reconnects.swap(0, Ordering::Relaxed),
            socket_drops: self.socket_drops.swap(0, Ordering::Relaxed),
        }
    }
}
