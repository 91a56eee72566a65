//! `rustchat import validate`, `import mattermost` and `export mattermost`:
//! Mattermost bulk files in and out, with progress (a bar on a terminal,
//! plain lines otherwise) and a summary.

use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, Instant};

use core_server::bulk::export::{export_zip, Exported};
use core_server::bulk::{import_file, reader, Observer, Report};
use core_server::services::Core;
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
        true
    })?;
    progress.finish();
    let seconds = started.elapsed().as_secs_f64().max(0.001);
    println!(
        "{} lines checked in {:.1} s ({:.0} lines/s): {}",
        report.lines,
        seconds,
        report.lines as f64 / seconds,
        by_type(&report)
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

/// `rustchat import mattermost FILE [--dry-run]`.
pub async fn import(core: &Core, file: &Path, dry_run: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut progress = Progress::new();
    let outcome = import_file(core, file, dry_run, &mut progress).await;
    progress.finish();
    let outcome = outcome?;
    let seconds = started.elapsed().as_secs_f64().max(0.001);
    let report = &outcome.report;
    println!(
        "{} lines {} in {:.1} s ({:.0} lines/s): {}",
        report.lines,
        if dry_run { "checked" } else { "read" },
        seconds,
        report.lines as f64 / seconds,
        by_type(report)
    );
    if !dry_run {
        let w = outcome.written;
        println!(
            "{} posts and replies read ({:.0}/s); new: {} teams, {} channels, {} users, {} posts, {} attachments, {} emoji",
            outcome.posts_read,
            outcome.posts_read as f64 / seconds,
            w.teams,
            w.channels,
            w.users,
            w.posts,
            w.attachments,
            w.emoji
        );
    }
    if let Some(peak) = peak_memory_mib() {
        println!("peak resident memory: {peak:.0} MiB");
    }
    if report.error_count > 0 {
        for (number, reason) in report.errors.iter().take(20) {
            println!("  line {number}: {reason}");
        }
        if report.error_count > 20 {
            println!("  … and {} more", report.error_count - 20);
        }
        anyhow::bail!(
            "{} bad line(s) {}",
            report.error_count,
            if dry_run {
                "found"
            } else {
                "were skipped; everything else was imported"
            }
        );
    }
    println!(
        "{}",
        if dry_run {
            "no problems found"
        } else {
            "import complete"
        }
    );
    Ok(())
}

/// `rustchat export mattermost OUT.zip`.
pub async fn export(core: &Core, out: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut last = Instant::now();
    let mut report = |e: &Exported| {
        if last.elapsed() >= PLAIN_EVERY {
            last = Instant::now();
            eprintln!(
                "{} lines, {} files so far",
                e.lines.values().sum::<u64>(),
                e.attachments
            );
        }
    };
    let exported = export_zip(core, out, &mut report).await?;
    let counts: Vec<String> = exported
        .lines
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect();
    println!(
        "wrote {} in {:.1} s: {}, {} attached files",
        out.display(),
        started.elapsed().as_secs_f64(),
        counts.join(", "),
        exported.attachments
    );
    Ok(())
}

/// The process's peak resident memory (Linux), for the summary.
fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}

fn by_type(report: &Report) -> String {
    let counts: Vec<String> = report
        .by_type
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect();
    if counts.is_empty() {
        "no valid lines".to_string()
    } else {
        counts.join(", ")
    }
}

impl Observer for Progress {
    fn progress(&mut self, offset: u64, size: u64, report: &Report) {
        self.tick(offset, size, report.lines);
    }

    fn bad_line(&mut self, number: u64, reason: &str) {
        self.println(&format!("line {number}: {reason}"));
    }
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
                    let rate = lines as f64 / self.started.elapsed().as_secs_f64().max(0.001);
                    bar.set_message(format!("{lines} lines, {rate:.0}/s"));
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
