//! When a step of the ramp counts as supported: load-test-ng's performance
//! monitor alerts when a query over the last minute crosses its threshold.
//! The client-side ones are applied here to each step's figures; the
//! ramp's next move follows from the verdict.

use std::fmt;

/// The limits a step must stay within. Defaults: the thresholds of
/// load-test-ng's sample coordinator configuration.
#[derive(Clone, Copy, Debug, clap::Args)]
pub(super) struct Thresholds {
    /// Largest mean HTTP request latency, in ms (load-test-ng: average
    /// client request duration, 0.1 s).
    #[arg(long, default_value_t = 100.0)]
    pub(super) max_mean_ms: f64,
    /// Largest 99th-percentile HTTP request latency, in ms (load-test-ng:
    /// p99 client request duration, 2.0 s).
    #[arg(long, default_value_t = 2000.0)]
    pub(super) max_p99_ms: f64,
    /// Largest share of requests answered 5xx or failed (no answer,
    /// connection error), in per cent (load-test-ng: 0.025 % for 5xx).
    #[arg(long, default_value_t = 0.025)]
    pub(super) max_error_percent: f64,
    /// Largest share of requests that timed out, in per cent
    /// (load-test-ng: 0.025 %).
    #[arg(long, default_value_t = 0.025)]
    pub(super) max_timeout_percent: f64,
    /// Largest server CPU, in per cent of all the machine's cores
    /// (load-test-ng alerts at 85 % on its application nodes). Off unless
    /// given: here the load tool shares the cores with the server.
    #[arg(long)]
    pub(super) max_server_cpu_percent: Option<f64>,
}

/// What a step is judged on.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct StepFigures {
    pub(super) requests: u64,
    pub(super) mean_ms: f64,
    pub(super) p99_ms: f64,
    /// 5xx answers and requests without an answer (not timeouts).
    pub(super) errors: u64,
    pub(super) timeouts: u64,
    /// Server CPU over the step, in per cent of all cores, when known.
    pub(super) server_cpu_percent: Option<f64>,
}

impl StepFigures {
    pub(super) fn error_percent(&self) -> f64 {
        percent(self.errors, self.requests)
    }

    pub(super) fn timeout_percent(&self) -> f64 {
        percent(self.timeouts, self.requests)
    }
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// A threshold a step crossed.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Breach {
    NoRequests,
    MeanLatency { ms: f64, limit: f64 },
    P99Latency { ms: f64, limit: f64 },
    Errors { percent: f64, limit: f64 },
    Timeouts { percent: f64, limit: f64 },
    ServerCpu { percent: f64, limit: f64 },
}

impl fmt::Display for Breach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Breach::NoRequests => write!(f, "no request completed"),
            Breach::MeanLatency { ms, limit } => {
                write!(f, "mean latency {ms:.1} ms > {limit} ms")
            }
            Breach::P99Latency { ms, limit } => write!(f, "p99 latency {ms:.1} ms > {limit} ms"),
            Breach::Errors { percent, limit } => write!(f, "errors {percent:.3} % > {limit} %"),
            Breach::Timeouts { percent, limit } => {
                write!(f, "timeouts {percent:.3} % > {limit} %")
            }
            Breach::ServerCpu { percent, limit } => {
                write!(f, "server CPU {percent:.0} % > {limit} %")
            }
        }
    }
}

impl Thresholds {
    /// The thresholds a step crossed; empty when it passed.
    pub(super) fn check(&self, step: &StepFigures) -> Vec<Breach> {
        let mut breaches = Vec::new();
        if step.requests == 0 {
            breaches.push(Breach::NoRequests);
            return breaches;
        }
        if step.mean_ms > self.max_mean_ms {
            breaches.push(Breach::MeanLatency {
                ms: step.mean_ms,
                limit: self.max_mean_ms,
            });
        }
        if step.p99_ms > self.max_p99_ms {
            breaches.push(Breach::P99Latency {
                ms: step.p99_ms,
                limit: self.max_p99_ms,
            });
        }
        if step.error_percent() > self.max_error_percent {
            breaches.push(Breach::Errors {
                percent: step.error_percent(),
                limit: self.max_error_percent,
            });
        }
        if step.timeout_percent() > self.max_timeout_percent {
            breaches.push(Breach::Timeouts {
                percent: step.timeout_percent(),
                limit: self.max_timeout_percent,
            });
        }
        if let (Some(limit), Some(cpu)) = (self.max_server_cpu_percent, step.server_cpu_percent) {
            if cpu > limit {
                breaches.push(Breach::ServerCpu {
                    percent: cpu,
                    limit,
                });
            }
        }
        breaches
    }
}

/// The ramp's shape: where it starts, how it grows, where it ends.
#[derive(Clone, Copy, Debug)]
pub(super) struct Ramp {
    pub(super) initial: usize,
    pub(super) step: usize,
    pub(super) max: usize,
}

/// What the ramp does after a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Next {
    /// Grow to this many users and measure again.
    Grow(usize),
    /// Stop: the thresholds broke at this step.
    Broke,
    /// Stop: the step passed at the largest user count allowed.
    ReachedMax,
}

impl Ramp {
    /// Users of the first step.
    pub(super) fn first(&self) -> usize {
        self.initial.min(self.max)
    }

    /// The ramp's decision after a step at `users` that passed or not.
    pub(super) fn next(&self, users: usize, passed: bool) -> Next {
        if !passed {
            Next::Broke
        } else if users >= self.max || self.step == 0 {
            Next::ReachedMax
        } else {
            Next::Grow((users + self.step).min(self.max))
        }
    }
}

/// The supported user count: the largest step that passed before the
/// first one that broke (0 when the first step broke).
pub(super) fn supported(steps: &[(usize, bool)]) -> usize {
    steps
        .iter()
        .take_while(|(_, passed)| *passed)
        .map(|(users, _)| *users)
        .max()
        .unwrap_or(0)
}
