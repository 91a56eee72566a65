//! Request metrics in Prometheus' text format, under Mattermost's proxy
//! metric names.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Default)]
pub struct Metrics {
    counters: Mutex<BTreeMap<(&'static str, String), u64>>,
    durations: Mutex<BTreeMap<String, (f64, u64)>>,
}

impl Metrics {
    /// Adds one to `name{labels}`; `labels` is already `key="value",…`.
    pub fn count(&self, name: &'static str, labels: String) {
        if let Ok(mut counters) = self.counters.lock() {
            *counters.entry((name, labels)).or_insert(0) += 1;
        }
    }

    /// Records how long a delivery to a platform took.
    pub fn observe(&self, platform: &str, took: Duration) {
        if let Ok(mut durations) = self.durations.lock() {
            let entry = durations.entry(platform.to_string()).or_insert((0.0, 0));
            entry.0 += took.as_secs_f64();
            entry.1 += 1;
        }
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        if let Ok(counters) = self.counters.lock() {
            let mut last = "";
            for ((name, labels), value) in counters.iter() {
                if *name != last {
                    let _ = writeln!(out, "# TYPE {name} counter");
                    last = name;
                }
                let _ = writeln!(out, "{name}{{{labels}}} {value}");
            }
        }
        if let Ok(durations) = self.durations.lock() {
            let name = "service_notification_duration_seconds";
            if !durations.is_empty() {
                let _ = writeln!(out, "# TYPE {name} summary");
            }
            for (platform, (sum, count)) in durations.iter() {
                let _ = writeln!(out, "{name}_sum{{platform=\"{platform}\"}} {sum}");
                let _ = writeln!(out, "{name}_count{{platform=\"{platform}\"}} {count}");
            }
        }
        out
    }
}

/// Label values come from requests: keep them to a safe alphabet.
pub fn label(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "_-.".contains(*c))
        .take(64)
        .collect()
}
