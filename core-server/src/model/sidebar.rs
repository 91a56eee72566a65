//! A user's sidebar categories: how the channels of a team are grouped and
//! ordered in their client.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One sidebar category with its channels, in display order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SidebarCategory {
    pub id: String,
    pub user_id: String,
    pub team_id: String,
    pub sort_order: i64,
    /// `""` (manual), `manual`, `recent` or `alpha`.
    pub sorting: String,
    /// `favorites`, `channels`, `direct_messages` or `custom`.
    #[serde(rename = "type")]
    pub category_type: String,
    pub display_name: String,
    pub muted: bool,
    pub collapsed: bool,
    pub channel_ids: Vec<String>,
}
