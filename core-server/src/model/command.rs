use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A team's custom slash command: typing `/trigger` sends a request to `url`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CustomCommand {
    pub id: String,
    /// The secret sent with every request, so the integration knows it is us.
    pub token: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    /// Who made it; it acts with this user's rights when managed.
    pub creator_id: String,
    pub team_id: String,
    /// What follows the `/`, lower case; unique among a team's live commands.
    pub trigger: String,
    /// `P` (form-encoded POST) or `G` (GET with a query).
    pub method: String,
    /// Name shown on its posts instead of the caller's, when overrides are on.
    pub username: String,
    /// Picture shown on its posts, when overrides are on.
    pub icon_url: String,
    /// Whether the `/` list offers it.
    pub auto_complete: bool,
    pub auto_complete_desc: String,
    pub auto_complete_hint: String,
    pub display_name: String,
    pub description: String,
    /// Where the request goes.
    pub url: String,
}

/// Methods a custom command may use.
pub mod command_methods {
    pub const POST: &str = "P";
    pub const GET: &str = "G";
}

/// One run of a custom command, remembered so the integration may answer
/// again later through its `response_url`, a few times, for a while.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CommandWebhook {
    pub id: String,
    pub create_at: i64,
    pub command_id: String,
    /// The caller: later answers are posted as them.
    pub user_id: String,
    pub channel_id: String,
    pub root_id: String,
    pub use_count: i64,
}

impl CommandWebhook {
    /// How long a `response_url` works after the command ran (Mattermost's 30 minutes).
    pub const LIFETIME_MS: i64 = 30 * 60 * 1000;
    /// How many times it may be used (Mattermost's 5).
    pub const MAX_USES: i64 = 5;
}
