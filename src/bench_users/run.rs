//! The ramp: add users, let them settle, measure a step, judge it against
//! the thresholds, and grow or stop; then the summary.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use tokio::sync::{mpsc, watch, Semaphore};

use crate::bench_ws::api::Api;
use crate::bench_ws::measure::{mib, server_stats, tool_stats, ProcStats};

use super::client::Client;
use super::model::{Picker, Rates, FREQUENCIES};
use super::setup::{grow_users, prepare};
use super::stats::{Stats, Tally, Window};
use super::thresholds::{supported, Next, Ramp, StepFigures};
use super::user::{run_user, Shared};
use super::UsersArgs;

/// Mattermost's published capacity, users per application vCPU, printed
/// beside this run's per-core figure.
const MATTERMOST_USERS_PER_VCPU: f64 = 2100.0;

/// One measured step.
struct Step {
    users: usize,
    figures: StepFigures,
    passed: bool,
    window: Window,
}

/// CPU per cent of one core between two readings.
fn cpu_percent(before: Option<ProcStats>, after: Option<ProcStats>, seconds: f64) -> Option<f64> {
    let (b, a) = before.zip(after)?;
    Some((a.cpu_seconds - b.cpu_seconds) * 100.0 / seconds)
}

fn action_name(slot: usize) -> &'static str {
    FREQUENCIES
        .get(slot)
        .map_or("FirstScreen", |(a, _)| a.name())
}

/// `rustchat bench users`.
pub async fn run(args: UsersArgs) -> anyhow::Result<()> {
    let rates: Rates = args.rates.parse().context("--rates")?;
    if args.avg_idle_ms <= args.min_idle_ms {
        bail!("--avg-idle-ms must be above --min-idle-ms");
    }
    if args.initial_users == 0 || args.max_users == 0 {
        bail!("--initial-users and --max-users must be at least 1");
    }
    if args.step_seconds == 0 {
        bail!("--step-seconds must be at least 1");
    }
    // Fail before the set-up, not after minutes of it.
    server_stats(args.server_pid)?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let ramp = Ramp {
        initial: args.initial_users,
        step: args.ramp_step,
        max: args.max_users,
    };

    let api = Api::new(&args.url, 8)?;
    let (admin, world) = prepare(
        &api,
        &args.admin,
        &args.password,
        args.teams,
        args.channels,
        args.user_channels,
    )
    .await?;
    let stats = Arc::new(Stats::new());
    let picker = Picker::new(FREQUENCIES)?;
    let shared = Arc::new(Shared {
        client: Client::new(
            &args.url,
            Duration::from_secs(args.request_timeout),
            stats.clone(),
        )?,
        world,
        picker,
        min_idle_ms: args.min_idle_ms,
        avg_idle_ms: args.avg_idle_ms,
        start_gate: Semaphore::new(args.start_concurrency.max(1)),
        burst_start: args.burst_start,
        start_slot: FREQUENCIES.len(),
    });
    println!(
        "bench users at {}: {} teams × {} channels, each user in {} per team; idle {}–{} ms (mean {} ms) × rate (mean {:.2}); users start {}; steps of {} s after {} s settling; thresholds: mean ≤ {} ms, p99 ≤ {} ms, errors ≤ {} %, timeouts ≤ {} %{}",
        args.url,
        args.teams,
        args.channels,
        args.user_channels.min(args.channels),
        args.min_idle_ms,
        2 * args.avg_idle_ms - args.min_idle_ms,
        args.avg_idle_ms,
        rates.mean(),
        if args.burst_start {
            "in a burst"
        } else {
            "after an idle time before login and another before the first screen"
        },
        args.step_seconds,
        args.settle_seconds,
        args.thresholds.max_mean_ms,
        args.thresholds.max_p99_ms,
        args.thresholds.max_error_percent,
        args.thresholds.max_timeout_percent,
        args.thresholds
            .max_server_cpu_percent
            .map_or(String::new(), |c| format!(", server CPU ≤ {c} % of {cores} cores")),
    );

    if args.accounts > 0 {
        grow_users(&api, &admin, &shared.world, args.accounts).await?;
    }

    let (stop_tx, stop_rx) = watch::channel(false);
    let (started_tx, mut started_rx) = mpsc::unbounded_channel();
    let mut tasks = Vec::new();
    let mut failed_starts = 0usize;
    let mut steps: Vec<Step> = Vec::new();
    let mut target = ramp.first();
    loop {
        let ramp_started = Instant::now();
        grow_users(&api, &admin, &shared.world, target).await?;
        let from = tasks.len();
        for i in from..target {
            tasks.push(tokio::spawn(run_user(
                shared.clone(),
                i,
                rates.for_user(i),
                started_tx.clone(),
                stop_rx.clone(),
            )));
        }
        for _ in from..target {
            match started_rx.recv().await {
                Some(Ok(())) => {}
                Some(Err(e)) => {
                    failed_starts += 1;
                    if failed_starts <= 3 {
                        eprintln!("bench: {e:#}");
                    }
                }
                None => bail!("the user tasks ended before reporting"),
            }
        }
        let running = target - failed_starts;
        eprintln!(
            "bench: {running} users running ({failed_starts} failed to start), started in {:.1}s; settling {} s",
            ramp_started.elapsed().as_secs_f64(),
            args.settle_seconds
        );
        tokio::time::sleep(Duration::from_secs(args.settle_seconds)).await;
        let start_window = stats.take();
        let server0 = server_stats(args.server_pid)?;
        let tool0 = tool_stats()?;
        let t0 = Instant::now();
        tokio::time::sleep(Duration::from_secs(args.step_seconds)).await;
        let window = stats.take();
        let seconds = t0.elapsed().as_secs_f64();
        let server1 = server_stats(args.server_pid)?;
        let tool1 = tool_stats()?;
        let server_cpu = cpu_percent(server0, server1, seconds);
        let tool_cpu = cpu_percent(Some(tool0), Some(tool1), seconds);
        let total = &window.total;
        let figures = StepFigures {
            requests: total.requests(),
            mean_ms: total.mean_ms(),
            p99_ms: total.p99_ms(),
            errors: total.errors(),
            timeouts: total.timeouts,
            server_cpu_percent: server_cpu.map(|c| c / cores as f64),
        };
        let breaches = args.thresholds.check(&figures);
        let passed = breaches.is_empty() && failed_starts == 0;
        println!(
            "step {}: {running} users | {:.0} req/s, {:.1} actions/s | mean {:.1} ms, p99 {:.1} ms | errors {} ({:.3} %), timeouts {}, refused (4xx) {} | ws {:.0} frames/s, {} reopened, {} dropped | server CPU {} RSS {} | tool CPU {} | logins during ramp-up {} (p99 {:.0} ms) | {}",
            steps.len() + 1,
            figures.requests as f64 / seconds,
            window.actions.iter().map(|t| t.runs).sum::<u64>() as f64 / seconds,
            figures.mean_ms,
            figures.p99_ms,
            figures.errors,
            figures.error_percent(),
            figures.timeouts,
            total.refused,
            window.frames as f64 / seconds,
            window.reconnects,
            window.socket_drops,
            server_cpu.map_or("n/a".to_string(), |c| format!("{c:.0} %")),
            server1.map_or("n/a".to_string(), |s| format!("{:.0} MiB", mib(s.rss_kib))),
            tool_cpu.map_or("n/a".to_string(), |c| format!("{c:.0} %")),
            start_window.logins.requests(),
            start_window.logins.p99_ms(),
            if passed {
                "PASS".to_string()
            } else if failed_starts > 0 {
                format!("FAIL: {failed_starts} users did not start")
            } else {
                format!(
                    "FAIL: {}",
                    breaches.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
                )
            },
        );
        steps.push(Step {
            users: running,
            figures,
            passed,
            window,
        });
        match ramp.next(target, passed) {
            Next::Grow(n) => target = n,
            Next::Broke | Next::ReachedMax => break,
        }
    }
    let _ = stop_tx.send(true);
    let _ = tokio::time::timeout(Duration::from_secs(15), futures::future::join_all(tasks)).await;
    summary(&steps, cores, &args);
    Ok(())
}

fn action_table(window: &Window, seconds: u64) {
    println!(
        "  {:<26} {:>9} {:>10} {:>10} {:>10} {:>8} {:>6}",
        "action", "runs/s", "requests/s", "mean ms", "p99 ms", "errors", "4xx"
    );
    let rows: Vec<(usize, &Tally)> = window.actions.iter().enumerate().collect();
    for (slot, t) in rows {
        if t.runs == 0 && t.requests() == 0 {
            continue;
        }
        println!(
            "  {:<26} {:>9.2} {:>10.1} {:>10.1} {:>10.1} {:>8} {:>6}",
            action_name(slot),
            t.runs as f64 / seconds as f64,
            t.requests() as f64 / seconds as f64,
            t.mean_ms(),
            t.p99_ms(),
            t.errors() + t.timeouts,
            t.refused
        );
    }
}

fn summary(steps: &[Step], cores: usize, args: &UsersArgs) {
    let verdicts: Vec<(usize, bool)> = steps.iter().map(|s| (s.users, s.passed)).collect();
    let best = supported(&verdicts);
    let last = steps.last();
    println!();
    println!("== summary");
    if let Some(step) = steps.iter().rev().find(|s| s.passed) {
        println!(
            "last passing step, {} users: mean {:.1} ms, p99 {:.1} ms, errors {:.3} %",
            step.users,
            step.figures.mean_ms,
            step.figures.p99_ms,
            step.figures.error_percent()
        );
        action_table(&step.window, args.step_seconds);
    }
    if let Some(step) = last.filter(|s| !s.passed) {
        println!(
            "first failing step, {} users: mean {:.1} ms, p99 {:.1} ms, errors {:.3} %, timeouts {:.3} %",
            step.users,
            step.figures.mean_ms,
            step.figures.p99_ms,
            step.figures.error_percent(),
            step.figures.timeout_percent()
        );
        action_table(&step.window, args.step_seconds);
    }
    let ended = match last {
        Some(s) if !s.passed => "the thresholds broke",
        Some(_) => "--max-users was reached without breaking the thresholds (a lower bound)",
        None => "no step ran",
    };
    println!(
        "supported users: {best} ({ended}); {:.0} per core on this {cores}-core machine (server and load tool together), beside Mattermost's published ~{MATTERMOST_USERS_PER_VCPU:.0} per application vCPU",
        best as f64 / cores.max(1) as f64
    );
    let refused: u64 = steps.iter().map(|s| s.window.total.refused).sum();
    if refused > 0 {
        println!("note: {refused} requests were refused with 4xx over the run; the per-action tables show which actions");
    }
}
