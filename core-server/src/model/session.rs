use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::StringMap;

/// A login. The bearer token itself is never stored: only its SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Session {
    pub id: String,
    /// Hex SHA-256 of the token; not sent to clients.
    #[serde(skip_serializing, default)]
    pub token_hash: String,
    pub user_id: String,
    pub create_at: i64,
    pub expires_at: i64,
    pub last_activity_at: i64,
    /// Push device id (`platform:token`) when the session belongs to a mobile app.
    pub device_id: String,
    /// Roles of the user when the session was made.
    pub roles: String,
    /// Free properties: `csrf`, `platform`, `os`, `browser`, `type` (`UserAccessToken` for PATs).
    pub props: StringMap,
}
