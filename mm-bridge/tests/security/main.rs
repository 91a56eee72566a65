//! Security regressions: each finding of the review, and its siblings, as a
//! test that failed before the fix. Tests that touch the store run on SQLite
//! and on PostgreSQL (`<module>::sqlite::…`, `<module>::postgres::…`).

#[macro_use]
#[path = "../support/mod.rs"]
mod support;

mod commands;
mod deleted;
mod login;
mod origin;
mod paging;
mod roles;
mod sockets;
mod teams;
mod v1_walk;
mod world;
