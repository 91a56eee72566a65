//! Mattermost's bulk import/export format: reading and checking its lines,
//! importing them, and exporting our data in the same format.

pub mod attachments;
pub mod export;
pub mod format;
pub mod import;
pub mod reader;
pub mod validate;

use std::collections::BTreeMap;
use std::path::Path;

use crate::services::Core;
use attachments::Attachments;
use import::{Failure, Importer, Written};
use reader::OpenError;

/// What a pass over a file found: lines per type, and the bad lines.
#[derive(Debug, Default)]
pub struct Report {
    pub lines: u64,
    pub by_type: BTreeMap<String, u64>,
    /// Bad lines (number, reason); the first [`MAX_KEPT_ERRORS`] are kept.
    pub errors: Vec<(u64, String)>,
    pub error_count: u64,
}

/// Bad lines beyond this are counted but not kept, so memory stays flat.
pub const MAX_KEPT_ERRORS: usize = 1000;

impl Report {
    pub fn count(&mut self, kind: &str) {
        self.lines += 1;
        *self.by_type.entry(kind.to_string()).or_default() += 1;
    }

    pub fn fail(&mut self, number: u64, reason: String) {
        self.lines += 1;
        self.error_count += 1;
        if self.errors.len() < MAX_KEPT_ERRORS {
            self.errors.push((number, reason));
        }
    }
}

/// Told how an import goes, line by line.
#[async_trait::async_trait]
pub trait Observer: Send {
    /// After each line: bytes read of the file's size, and the report so far.
    fn progress(&mut self, offset: u64, size: u64, report: &Report);
    /// A line was skipped.
    fn bad_line(&mut self, number: u64, reason: &str);
    /// Asked every few dozen lines; `false` stops the import there (what
    /// was read so far stays imported).
    async fn keep_going(&mut self) -> bool {
        true
    }
}

/// Why an import stopped before the end of its file.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error("cannot open the export's files: {0}")]
    Files(std::io::Error),
    #[error("the import stopped: {0}")]
    Store(#[from] crate::Error),
}

/// The result of a whole import.
#[derive(Debug, Default)]
pub struct Outcome {
    pub report: Report,
    pub written: Written,
    /// Posts and replies read (new or not).
    pub posts_read: u64,
    /// The observer stopped the import before the end of the file.
    pub stopped: bool,
}

/// Lines read ahead of the writer: the file is parsed and checked on a
/// thread of its own while the previous lines are written.
const READ_AHEAD: usize = 64;
/// Lines per hand-over from the reading thread.
const LINES_PER_SEND: usize = 64;

/// Imports a bulk file (a .zip export or a .jsonl). Bad lines are reported
/// and skipped; with `dry_run` every line is checked and nothing written.
pub async fn import_file(
    core: &Core,
    path: &Path,
    dry_run: bool,
    observer: &mut dyn Observer,
) -> Result<Outcome, ImportError> {
    let files = Attachments::open(path).map_err(ImportError::Files)?;
    let (sender, mut lines) = tokio::sync::mpsc::channel(READ_AHEAD);
    let source = path.to_path_buf();
    let reading = tokio::task::spawn_blocking(move || {
        // Lines travel in small groups: one hand-over per line would cost
        // more than reading it.
        let mut group = Vec::with_capacity(LINES_PER_SEND);
        let mut open = true;
        let done = reader::for_each_line(&source, |line, size| {
            group.push((line, size));
            if group.len() == LINES_PER_SEND {
                open = sender.blocking_send(std::mem::take(&mut group)).is_ok();
            }
            open
        });
        if open && !group.is_empty() {
            let _ = sender.blocking_send(group);
        }
        done
    });
    let mut importer = Importer::new(core, files);
    let mut outcome = Outcome::default();
    let report = &mut outcome.report;
    while let Some(group) = lines.recv().await {
        if !observer.keep_going().await {
            outcome.stopped = true;
            break;
        }
        for (read, size) in group {
            match read.line {
                Err(invalid) => {
                    observer.bad_line(read.number, &invalid.to_string());
                    report.fail(read.number, invalid.to_string());
                }
                Ok(line) if dry_run => report.count(&line.kind),
                Ok(line) => match importer.apply(&line).await {
                    Ok(()) => report.count(&line.kind),
                    Err(Failure::Line(invalid)) => {
                        observer.bad_line(read.number, &invalid.to_string());
                        report.fail(read.number, invalid.to_string());
                    }
                    Err(Failure::Store(e)) => {
                        drop(lines);
                        let _ = reading.await;
                        // Keep what is consistent: write and count what was read.
                        let _ = importer.finish().await;
                        return Err(ImportError::Store(e));
                    }
                },
            }
            observer.progress(read.offset, size, report);
        }
    }
    drop(lines);
    let read = reading
        .await
        .map_err(|e| ImportError::Store(crate::Error::Internal(e.to_string())))?;
    // What was read is written and counted even when the read failed at
    // the end (a damaged archive), before the failure is reported.
    if !dry_run {
        importer.finish().await?;
    }
    if !outcome.stopped {
        read?;
    }
    outcome.written = importer.written;
    outcome.posts_read = importer.posts_read;
    Ok(outcome)
}
