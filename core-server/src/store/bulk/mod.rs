//! Bulk import: many rows in one transaction, and the recount after it.
//! Its SQL, for both dialects, is `sql.rs` beside this file.

use async_trait::async_trait;

use super::ImportBatch;
use crate::error::Result;

/// Bulk import: many rows in one transaction, and the recount after it.
#[async_trait]
pub trait BulkStore: Send + Sync {
    /// Inserts a batch of imported rows in one transaction; rows whose key
    /// is already stored are skipped, so a repeated import adds nothing. A
    /// post is also skipped when its channel already holds one by the same
    /// author at the same time, and a row hanging off a post that is not
    /// stored is left out.
    /// Returns how many posts were new.
    async fn import_batch(&self, batch: &ImportBatch) -> Result<u64>;

    /// After an import: recounts a channel's message counters and its
    /// threads' reply counts from its posts, and marks its members read up
    /// to its newest post (imported history is not news).
    async fn settle_imported_channel(&self, channel_id: &str) -> Result<()>;

    /// After an import: refreshes the query planner's statistics, which the
    /// imported rows can change by orders of magnitude (a search for a
    /// common word is planned from them on PostgreSQL).
    async fn refresh_statistics(&self) -> Result<()>;
}
