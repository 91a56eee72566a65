//! The contract tests of the v4 wire.
//!
//! - Every file in `contracts/schemas/` is a JSON Schema (draft 2020-12) whose
//!   `$id` is its own URI and whose `$ref`s all resolve.
//! - Every schema file is used, directly or through `$ref`s, by `routes.json`
//!   or `events.json`; `routes.json` lists exactly the routes of
//!   `mm_bridge::ROUTES`, and `events.json` exactly the events the v4 encoder
//!   emits.
//! - With `CONTRACTS_RECORDING` naming a recording of the compatibility suites
//!   (made by running them with `CONTRACTS_RECORD` set), every JSON response
//!   and every WebSocket frame in it is validated. String members whose schema
//!   says `contentMediaType: application/json` (`posted`'s `data.post`, …) are
//!   decoded and validated against their `contentSchema`.
//!
//! A violation names the route (or event), the JSON pointer of the offending
//! value and what the schema expected there.

mod checks;
mod contracts;
mod json;
mod recording;
mod report;
mod samples;
mod schema_files;
mod tables;
mod validate;

/// Where the schemas' `$id`s live: a file's `$id` is this plus its path in `contracts/schemas/`.
pub const BASE: &str = "https://rustchat.dev/contracts/v4/";
/// The dialect every schema declares.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";
/// The two maps of `contracts/schemas/` that are not schemas.
pub const ROUTES_FILE: &str = "routes.json";
pub const EVENTS_FILE: &str = "events.json";
