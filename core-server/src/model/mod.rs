//! The native data model: the superset of what Mattermost clients need, with
//! Mattermost-format ids and millisecond timestamps so the v4 bridge only
//! translates shapes.

mod agent;
mod channel;
mod command;
mod dialog;
mod file;
mod job;
pub mod message_actions;
mod notify;
pub mod permissions;
mod post;
mod scheduled_post;
mod session;
mod sidebar;
mod team;
mod user;
mod webhook;

pub use agent::*;
pub use channel::*;
pub use command::*;
pub use dialog::*;
pub use file::*;
pub use job::*;
pub use notify::*;
pub use permissions::{HeldRoles, Permission};
pub use post::*;
pub use scheduled_post::*;
pub use session::*;
pub use sidebar::*;
pub use team::*;
pub use user::*;
pub use webhook::*;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A string-to-string map, as Mattermost keeps notify props, user props and timezones.
pub type StringMap = std::collections::BTreeMap<String, String>;

/// A user's preference: a value under a category and a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Preference {
    /// The owner.
    pub user_id: String,
    /// Group of preferences, e.g. `display_settings`, `favorite_channel`.
    pub category: String,
    /// Key within the category.
    pub name: String,
    /// The value, always a string.
    pub value: String,
}

/// A user's presence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Status {
    /// Whose status this is.
    pub user_id: String,
    /// `online`, `away`, `dnd`, `offline` or `ooo`.
    pub status: String,
    /// Whether the user set it by hand (automatic changes then leave it alone).
    pub manual: bool,
    /// Last time the user was seen active, ms.
    pub last_activity_at: i64,
    /// When a do-not-disturb status ends, in seconds since the epoch; 0 for never.
    pub dnd_end_time: i64,
    /// The status to return to when do-not-disturb ends.
    pub prev_status: String,
}

/// The statuses a user may set.
pub const STATUSES: &[&str] = &["online", "away", "dnd", "offline", "ooo"];

/// One page of a listing, with the cursor that fetches the next one.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    /// The records of this page.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Where a user belongs: what the realtime hub filters events by.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Memberships {
    /// `(channel_id, team_id)`; the team is `""` for direct and group messages.
    pub channels: Vec<(String, String)>,
    /// Team ids.
    pub teams: Vec<String>,
}
