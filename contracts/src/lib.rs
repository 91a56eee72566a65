//! JSON Schemas of the Mattermost v4 wire as rustchat serves it. The schemas
//! live in `contracts/schemas/`; this crate loads them for the tests that
//! validate every response the compatibility suites see.

use std::path::PathBuf;

/// The folder holding the schema files.
pub fn schema_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas")
}
