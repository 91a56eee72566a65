//! `rustchat import validate`: a pass over a Mattermost bulk file that checks
//! every line, with progress (a bar on a terminal, plain lines otherwise)
//! and a summary.

use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, Instant};

use core_server::bulk::{reader, Report};
use indicatif::{ProgressBar, ProgressStyle};

/// Plain progress lines, when stderr is not a terminal, at most this often.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

pub fn validate(file: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut report = Report::default();
    let mut progress = Progress::new();
    reader::for_each_line(file, |read, size| {
        match read.line {
            Ok(line) => report.count(&line.kind),
            Err(e) => {
                progress.println(&format!("line {}: {e}", read.number));
                report.fail(read.number, e.to_string());
            }
        }
        progress.tick(read.offset, size, report.lines);
    })?;
    progress.finish();
    let seconds = started.elapsed().as_secs_f64().max(0.001);
    let counts: Vec<String> = report
        .by_type
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect();
    println!(
        "{} lines checked in {:.1} s ({:.0} lines/s): {}",
        report.lines,
        seconds,
        report.lines as f64 / seconds,
        if counts.is_empty() {
            "no valid lines".to_string()
        } else {
            counts.join(", ")
        }
    );
    if report.error_count > 0 {
        anyhow::bail!(
            "{} bad line(s); the first is line {}",
            report.error_count,
            report.errors.first().map_or(0, |(n, _)| *n)
        );
    }
    println!("no problems found");
    Ok(())
}

/// A bar on a terminal; occasional plain lines otherwise (logs, CI).
struct Progress {
    bar: Option<ProgressBar>,
    last_plain: Instant,
    started: Instant,
}

impl Progress {
    fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:40} {bytes}/{total_bytes} {msg} ({elapsed}, {eta} left)",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        Progress {
            bar,
            last_plain: Instant::now(),
            started: Instant::now(),
        }
    }

    fn tick(&mut self, offset: u64, size: u64, lines: u64) {
        match &self.bar {
            Some(bar) => {
                bar.set_length(size);
                bar.set_position(offset.min(size));
                if lines % 1000 == 0 {
                    bar.set_message(format!("{lines} lines"));
                }
            }
            None if self.last_plain.elapsed() >= PLAIN_EVERY => {
                self.last_plain = Instant::now();
                let rate = lines as f64 / self.started.elapsed().as_secs_f64().max(0.001);
                eprintln!(
                    "{lines} lines, {} of {} MiB ({rate:.0} lines/s)",
                    offset / (1024 * 1024),
                    size / (1024 * 1024)
                );
            }
            None => {}
        }
    }

    fn println(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.println(text),
            None => eprintln!("{text}"),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
