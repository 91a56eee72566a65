//! The Mattermost REST API v4 surface, translated onto `core-server`.
//! This crate never touches SQL, Redis or S3: it calls core services and
//! encodes their results and errors in Mattermost's wire format.

mod context;
pub mod convert;
mod error;
mod etag;
mod extract;
mod routes;
pub mod ws;

pub use error::MmError;
pub use routes::{publish_config_changed, router, ROUTES};
