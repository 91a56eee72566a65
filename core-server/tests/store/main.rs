//! The store test suite, one module per area of the store (as
//! `core-server/src/store/<area>/`). Every test runs on SQLite and on
//! PostgreSQL: `<area>::sqlite::<name>` and `<area>::postgres::<name>` in the
//! output.

#[macro_use]
#[path = "../support/mod.rs"]
mod support;

mod fixtures;

mod bulk;
mod channels;
mod commands;
mod files;
mod integrations;
mod jobs;
mod notify;
mod outgoing_webhooks;
mod posts;
mod preferences;
mod reactions;
mod scheduled_posts;
mod search;
mod system;
mod teams;
mod users;
