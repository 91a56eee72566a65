//! What the tool measures and how it reports it: memory and CPU time of
//! the server and of the tool from `/proc`, units, the shared clock, and
//! where report lines go.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use serde_json::Value;

/// Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ, 100 on Linux).
const TICKS_PER_SECOND: f64 = 100.0;

/// Resident memory and CPU time of one process.
#[derive(Clone, Copy)]
pub(crate) struct ProcStats {
    pub(crate) rss_kib: u64,
    pub(crate) cpu_seconds: f64,
}

/// Resident memory and user+system CPU time of process `pid` (a number or
/// `self`).
fn proc_stats(pid: &str) -> anyhow::Result<ProcStats> {
    let status_path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&status_path)
        .with_context(|| format!("cannot read {status_path}"))?;
    let rss_kib = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse::<u64>().ok())
        .with_context(|| format!("no VmRSS in {status_path}"))?;
    let stat_path = format!("/proc/{pid}/stat");
    let stat =
        std::fs::read_to_string(&stat_path).with_context(|| format!("cannot read {stat_path}"))?;
    // The command name (field 2) is in parentheses and may hold spaces, so
    // count from the last ')': field 3 (state) comes first, then utime is
    // field 14 and stime field 15.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    let (utime, stime) = ticks(11)
        .zip(ticks(12))
        .with_context(|| format!("cannot read utime and stime in {stat_path}"))?;
    Ok(ProcStats {
        rss_kib,
        cpu_seconds: (utime + stime) as f64 / TICKS_PER_SECOND,
    })
}

/// The server's figures, when its pid was given.
pub(crate) fn server_stats(pid: Option<u32>) -> anyhow::Result<Option<ProcStats>> {
    pid.map(|p| {
        proc_stats(&p.to_string())
            .with_context(|| format!("--server-pid {p}: is the server running on this machine?"))
    })
    .transpose()
}

/// This tool's own figures.
pub(crate) fn tool_stats() -> anyhow::Result<ProcStats> {
    proc_stats("self")
}

pub(crate) fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

pub(super) fn ms(micros: u64) -> f64 {
    micros as f64 / 1000.0
}

pub(super) fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// Wall-clock microseconds since the UNIX epoch: the poster writes it into
/// the message and the receivers compare against it, so both must use the
/// same clock (they do: the tool is one process).
pub(super) fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(micros)
        .unwrap_or(0)
}

/// Where report lines go: stdout, or stderr when stdout carries JSON.
pub(super) struct Report {
    pub(super) json: bool,
}

impl Report {
    pub(super) fn line(&self, text: &str) {
        if self.json {
            eprintln!("{text}");
        } else {
            println!("{text}");
        }
    }

    pub(super) fn record(&self, value: &Value) {
        if self.json {
            println!("{value}");
        }
    }
}
