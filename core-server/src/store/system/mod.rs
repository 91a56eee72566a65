//! Server-wide values, and the health of the database.
//! Its SQL, for both dialects, is `sql.rs` beside this file.

use async_trait::async_trait;

use crate::error::Result;

/// Server-wide values, and the health of the database.
#[async_trait]
pub trait SystemStore: Send + Sync {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Checks that the database answers.
    async fn ping(&self) -> Result<()>;

    /// A server-wide value, if set.
    async fn get_system_value(&self, name: &str) -> Result<Option<String>>;

    /// Sets a server-wide value unless it is already set; returns the value in force.
    async fn init_system_value(&self, name: &str, value: &str) -> Result<String>;
}
