//! Writes checked lines of a bulk file into the store. Names (teams,
//! channels, users) are resolved in the file's order and against what is
//! already stored; posts go in batches; every row has a key a second run
//! finds again (post ids are derived from channel, author, time and thread),
//! so importing the same file twice adds nothing.
//!
//! This module holds the importer's state, the dispatch of a line to its
//! kind's module, the batch writer and the name lookups shared by all kinds.

mod direct;
mod emoji;
mod posts;
mod teams;
#[cfg(test)]
mod tests;
mod users;

use std::collections::{HashMap, HashSet};

use super::attachments::{AttachmentError, Attachments};
use super::format::Line;
use super::validate::Invalid;
use crate::error::Error;
use crate::model::Preference;
use crate::services::Core;
use crate::store::ImportBatch;

pub use posts::post_id;

/// Why a line was not imported.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The line is skipped; the import goes on.
    #[error("{0}")]
    Line(Invalid),
    /// The store failed: the import stops.
    #[error("{0}")]
    Store(Error),
}

type Applied<T = ()> = Result<T, Failure>;

fn bad(field: impl Into<String>, reason: impl Into<String>) -> Failure {
    Failure::Line(Invalid {
        field: field.into(),
        reason: reason.into(),
    })
}

/// Store errors that concern the line's data skip the line; others stop.
fn store_failure(field: &str) -> impl Fn(Error) -> Failure + '_ {
    move |e| match e {
        Error::Invalid { reason, .. } | Error::Conflict { reason, .. } => bad(field, reason),
        Error::NotFound { entity } => bad(field, format!("{entity} not found")),
        Error::TooLarge(reason) => bad(field, reason),
        other => Failure::Store(other),
    }
}

/// What an import wrote (new rows; rows already there are not counted).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub teams: u64,
    pub channels: u64,
    pub users: u64,
    pub posts: u64,
    pub attachments: u64,
    pub emoji: u64,
}

/// The state of one import: resolved names and the batch being filled.
pub struct Importer<'a> {
    core: &'a Core,
    files: Attachments,
    teams: HashMap<String, String>,
    channels: HashMap<(String, String), String>,
    users: HashMap<String, String>,
    /// Channels that received posts: their counters are recounted at the end.
    touched: HashSet<String>,
    batch: ImportBatch,
    /// The batch being written while the next one is filled.
    writing: Option<tokio::task::JoinHandle<Result<u64, Error>>>,
    /// Attachment ids of the batch being filled and of the one being written:
    /// stored already, though not yet recorded.
    files_filling: HashSet<String>,
    files_writing: HashSet<String>,
    pub written: Written,
    /// Posts and replies read (new or not).
    pub posts_read: u64,
}

impl<'a> Importer<'a> {
    pub fn new(core: &'a Core, files: Attachments) -> Self {
        Importer {
            core,
            files,
            teams: HashMap::new(),
            channels: HashMap::new(),
            users: HashMap::new(),
            touched: HashSet::new(),
            batch: ImportBatch::default(),
            writing: None,
            files_filling: HashSet::new(),
            files_writing: HashSet::new(),
            written: Written::default(),
            posts_read: 0,
        }
    }

    /// Imports one checked line.
    pub async fn apply(&mut self, line: &Line) -> Applied {
        match line.kind.as_str() {
            "team" => match &line.team {
                Some(t) => self.team(t).await,
                None => Ok(()),
            },
            "channel" => match &line.channel {
                Some(c) => self.channel(c).await,
                None => Ok(()),
            },
            "user" => match &line.user {
                Some(u) => self.user(u).await,
                None => Ok(()),
            },
            "bot" => match &line.bot {
                Some(b) => self.bot(b).await,
                None => Ok(()),
            },
            "post" => match &line.post {
                Some(p) => self.channel_post(p).await,
                None => Ok(()),
            },
            "direct_channel" => match &line.direct_channel {
                Some(d) => self.direct_channel(d).await,
                None => Ok(()),
            },
            "direct_post" => match &line.direct_post {
                Some(d) => self.direct_post(d).await,
                None => Ok(()),
            },
            "emoji" => match &line.emoji {
                Some(e) => self.emoji(e).await,
                None => Ok(()),
            },
            // The version line was checked; roles and schemes are not imported.
            _ => Ok(()),
        }
    }

    /// Writes what is still batched and recounts the channels that got
    /// posts. Call once, after the last line.
    pub async fn finish(&mut self) -> Result<(), Error> {
        self.flush().await?;
        self.wait_for_write().await?;
        let touched = std::mem::take(&mut self.touched);
        for channel_id in &touched {
            self.core.store.settle_imported_channel(channel_id).await?;
        }
        if !touched.is_empty() {
            self.core.store.refresh_statistics().await?;
        }
        Ok(())
    }

    /// Hands the batch to a writer task, once the previous one is written:
    /// the next batch is built while this one is stored.
    async fn flush(&mut self) -> Result<(), Error> {
        if self.batch.is_empty() {
            return Ok(());
        }
        self.wait_for_write().await?;
        let batch = std::mem::take(&mut self.batch);
        self.files_writing = std::mem::take(&mut self.files_filling);
        let store = self.core.store.clone();
        self.writing = Some(tokio::spawn(
            async move { store.import_batch(&batch).await },
        ));
        Ok(())
    }

    async fn wait_for_write(&mut self) -> Result<(), Error> {
        if let Some(writing) = self.writing.take() {
            self.written.posts += writing
                .await
                .map_err(|e| Error::Internal(format!("batch writer: {e}")))??;
            self.files_writing.clear();
        }
        Ok(())
    }

    // ---- names

    async fn team_id(&mut self, name: &str, field: &str) -> Applied<String> {
        let name = name.to_lowercase();
        if let Some(id) = self.teams.get(&name) {
            return Ok(id.clone());
        }
        match self.core.store.get_team_by_name(&name).await {
            Ok(team) => {
                self.teams.insert(name, team.id.clone());
                Ok(team.id)
            }
            Err(Error::NotFound { .. }) => Err(bad(field, format!("no team named {name:?}"))),
            Err(e) => Err(Failure::Store(e)),
        }
    }

    async fn channel_id(&mut self, team_id: &str, name: &str, field: &str) -> Applied<String> {
        let key = (team_id.to_string(), name.to_lowercase());
        if let Some(id) = self.channels.get(&key) {
            return Ok(id.clone());
        }
        match self.core.store.get_channel_by_name(team_id, &key.1).await {
            Ok(channel) => {
                self.channels.insert(key, channel.id.clone());
                Ok(channel.id)
            }
            Err(Error::NotFound { .. }) => Err(bad(
                field,
                format!("no channel named {:?} in the team", key.1),
            )),
            Err(e) => Err(Failure::Store(e)),
        }
    }

    async fn user_id(&mut self, username: &str, field: &str) -> Applied<String> {
        let username = username.to_lowercase();
        if let Some(id) = self.users.get(&username) {
            return Ok(id.clone());
        }
        match self.core.store.get_user_by_username(&username).await {
            Ok(user) => {
                self.users.insert(username, user.id.clone());
                Ok(user.id)
            }
            Err(Error::NotFound { .. }) => Err(bad(field, format!("no user named {username:?}"))),
            Err(e) => Err(Failure::Store(e)),
        }
    }
}

/// A file of the export that cannot be read skips its line; an I/O failure
/// tied to no file in particular stops the import.
fn attachment_failure(e: AttachmentError) -> Failure {
    match e {
        AttachmentError::Io(path, reason) if path.is_empty() => {
            Failure::Store(Error::Internal(reason))
        }
        other => bad("path", other.to_string()),
    }
}

/// A preference row, as several kinds of line record them.
fn preference(user_id: &str, category: &str, name: &str, value: &str) -> Preference {
    Preference {
        user_id: user_id.to_string(),
        category: category.to_string(),
        name: name.to_string(),
        value: value.to_string(),
    }
}
