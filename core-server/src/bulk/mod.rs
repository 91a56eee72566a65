//! Mattermost's bulk import/export format: reading and checking its lines.

pub mod format;
pub mod reader;
pub mod validate;

use std::collections::BTreeMap;

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
