//! The SQL of every area, written once and compiled once per dialect: each
//! backend module (`sqlite.rs`, `postgres.rs`) declares this folder as its
//! `sql` module after defining `Db` (the sqlx database), `Backend` (its store
//! type, whose `reader()` and `writer()` lend connections) and its few dialect exceptions
//! (`GREATEST`, `insert_post_and_counters`, `clear_counter_shards`). Each
//! area's statements live beside its trait, in `store/<area>/sql.rs`.

#[macro_use]
mod record;
mod query;

#[path = "../agents/sql.rs"]
mod agents;
#[path = "../bulk/sql.rs"]
mod bulk;
#[path = "../channels/sql.rs"]
mod channels;
#[path = "../commands/sql.rs"]
mod commands;
#[path = "../files/sql.rs"]
mod files;
#[path = "../integrations/sql.rs"]
mod integrations;
#[path = "../jobs/sql.rs"]
mod jobs;
#[path = "../notify/sql.rs"]
mod notify;
#[path = "../outgoing_webhooks/sql.rs"]
mod outgoing_webhooks;
#[path = "../posts/sql.rs"]
mod posts;
#[path = "../preferences/sql.rs"]
mod preferences;
#[path = "../reactions/sql.rs"]
mod reactions;
#[path = "../scheduled_posts/sql.rs"]
mod scheduled_posts;
#[path = "../system/sql.rs"]
mod system;
#[path = "../teams/sql.rs"]
mod teams;
#[path = "../users/sql.rs"]
mod users;

/// What every area's SQL uses: `use super::prelude::*;`.
mod prelude {
    pub(super) use async_trait::async_trait;
    pub(super) use sqlx::{Connection as _, QueryBuilder};

    // The dialect: its database type, its store, and its exceptions.
    pub(super) use super::super::{
        clear_counter_shards, Backend, Db, DbConnection, DbRow, BACKEND, GREATEST,
    };
    pub(super) use super::query::*;
    pub(super) use super::record::{Bind, Record};
    pub(super) use crate::error::{Error, Result};
    pub(super) use crate::model::*;
    pub(super) use crate::store::json::{to_column, JsonColumn};
    pub(super) use crate::store::table::{like_pattern, on_conflict};
    pub(super) use crate::store::*;
}
