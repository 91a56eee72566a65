//! Post search: the query language, the terms it yields, and the index that
//! answers them.
//!
//! Searching goes through [`PostSearchIndex`]. The default,
//! [`DatabaseIndex`], is the database's own full-text index (SQLite FTS5 or
//! PostgreSQL `tsvector`), kept in step by the database on every write. An
//! external engine (OpenSearch, Elasticsearch) would be another implementation,
//! installed with `Core::with_search`, fed from the core's post events; see
//! `docs/architecture.md`.

mod query;
mod terms;

use std::sync::Arc;

use async_trait::async_trait;

pub use crate::store::PostSearch;
pub use query::{parse_search, SearchQuery};
pub use terms::{tsvector_literal, IndexLanguage, SearchTerm, TermKind};

use crate::error::Result;
use crate::model::Post;
use crate::store::Store;

/// Finds posts for a parsed search. Implementations apply every part of
/// [`PostSearch`], visibility included: a result is a live post in a channel
/// the searcher belongs to.
#[async_trait]
pub trait PostSearchIndex: Send + Sync {
    /// Matching posts, newest first, `search.offset` skipped, at most `search.limit`.
    async fn search_posts(&self, search: &PostSearch<'_>) -> Result<Vec<Post>>;
}

/// The database's own full-text index.
pub struct DatabaseIndex(pub Arc<dyn Store>);

#[async_trait]
impl PostSearchIndex for DatabaseIndex {
    async fn search_posts(&self, search: &PostSearch<'_>) -> Result<Vec<Post>> {
        self.0.search_posts(search).await
    }
}
