//! Core events in Mattermost's WebSocket framing: `event`, `data`,
//! `broadcast` (always with every key) and the per-connection `seq`. Fields
//! that Mattermost sends as strings holding JSON are encoded that way here.

use std::sync::OnceLock;

use serde::Serialize;
use serde_json::{json, Map, Value};

use core_server::events::{Audience, CoreEvent, EventKind};
use core_server::model::channel_types;
use core_server::realtime::{Frame, WireFormat};

use crate::context::{BUILD_NUMBER, VERSION};
use crate::convert;

/// The Mattermost v4 wire.
pub struct V4Wire;

/// `server_version` of `hello`, as clients compare it across reconnects.
pub fn server_version() -> &'static str {
    static VERSION_ID: OnceLock<String> = OnceLock::new();
    VERSION_ID.get_or_init(|| {
        format!(
            "{VERSION}.{BUILD_NUMBER}.{}.false",
            crate::routes::system::config_hash()
        )
    })
}

/// The machine's host name, sent in `hello` as Mattermost does.
pub fn server_hostname() -> &'static str {
    static HOSTNAME: OnceLock<String> = OnceLock::new();
    HOSTNAME.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/kernel/hostname")
            .ok()
            .or_else(|| std::env::var("HOSTNAME").ok())
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "rustchat".to_string())
    })
}

/// A value as a string of JSON, the way Mattermost nests models in event data.
fn json_string<T: Serialize>(value: &T) -> Value {
    Value::String(serde_json::to_string(value).unwrap_or_else(|_| "null".to_string()))
}

/// Mattermost's `broadcast` object; every key is always present.
#[derive(Default)]
struct Broadcast {
    user_id: String,
    channel_id: String,
    team_id: String,
    omit_users: Vec<String>,
    sanitized: bool,
    sensitive: bool,
}

impl Broadcast {
    fn for_event(event: &CoreEvent) -> Self {
        let mut b = Broadcast {
            omit_users: event.omit_users.clone(),
            ..Broadcast::default()
        };
        match &event.audience {
            Audience::Channel(id) => b.channel_id = id.clone(),
            Audience::Team(id) => b.team_id = id.clone(),
            Audience::User(id) => b.user_id = id.clone(),
            Audience::All => {}
        }
        b
    }

    fn to_value(&self) -> Value {
        let omit = if self.omit_users.is_empty() {
            Value::Null
        } else {
            Value::Object(
                self.omit_users
                    .iter()
                    .map(|u| (u.clone(), Value::Bool(true)))
                    .collect(),
            )
        };
        let mut map = Map::new();
        map.insert("omit_users".into(), omit);
        map.insert("user_id".into(), self.user_id.clone().into());
        map.insert("channel_id".into(), self.channel_id.clone().into());
        map.insert("team_id".into(), self.team_id.clone().into());
        map.insert("connection_id".into(), "".into());
        map.insert("omit_connection_id".into(), "".into());
        if self.sanitized {
            map.insert("contains_sanitized_data".into(), true.into());
        }
        if self.sensitive {
            map.insert("contains_sensitive_data".into(), true.into());
        }
        Value::Object(map)
    }
}

/// The data of the `scheduled_post_*` events: the post as JSON.
fn scheduled_post_data(view: &core_server::model::ScheduledPostView) -> Value {
    json!({"scheduledPost": json_string(&convert::scheduled_post(view.clone()))})
}

fn frame(event: &str, data: Value, broadcast: &Broadcast) -> Frame {
    Frame::from_object(&json!({
        "event": event,
        "data": data,
        "broadcast": broadcast.to_value(),
    }))
}

impl WireFormat for V4Wire {
    fn name(&self) -> &'static str {
        "v4"
    }

    fn hello(&self, connection_id: &str, user_id: &str) -> Frame {
        let broadcast = Broadcast {
            user_id: user_id.to_string(),
            ..Broadcast::default()
        };
        frame(
            "hello",
            json!({
                "connection_id": connection_id,
                "server_version": server_version(),
                "server_hostname": server_hostname(),
            }),
            &broadcast,
        )
    }

    fn encode(&self, event: &CoreEvent, admin: bool) -> Option<Frame> {
        let mut b = Broadcast::for_event(event);
        let (name, data) = match &event.kind {
            EventKind::PostCreated {
                post,
                channel,
                sender_name,
                mentions,
                followers,
                files,
            } => {
                let display_name = if channel.channel_type == channel_types::DIRECT {
                    sender_name.clone()
                } else {
                    channel.display_name.clone()
                };
                let mut data = json!({
                    "post": json_string(&crate::routes::posts::with_files(
                        convert::post(post.clone(), Vec::new()),
                        files.iter().cloned().map(convert::file_info).collect(),
                    )),
                    "channel_type": channel.channel_type,
                    "channel_display_name": display_name,
                    "channel_name": channel.name,
                    "sender_name": sender_name,
                    "team_id": channel.team_id,
                    "set_online": true,
                });
                if !mentions.is_empty() {
                    data["mentions"] = json_string(mentions);
                }
                if !followers.is_empty() {
                    data["followers"] = json_string(followers);
                }
                // Notifications say "sent an image" or "sent a file" by these.
                if files.iter().any(|f| f.mime_type.starts_with("image/")) {
                    data["image"] = "true".into();
                }
                if files.iter().any(|f| !f.mime_type.starts_with("image/")) {
                    data["otherFile"] = "true".into();
                }
                ("posted", data)
            }
            EventKind::PostEdited { post } => (
                "post_edited",
                json!({"post": json_string(&convert::post(post.clone(), Vec::new()))}),
            ),
            EventKind::PostDeleted { post, deleted_by } => {
                let mut data =
                    json!({"post": json_string(&convert::post(post.clone(), Vec::new()))});
                if admin {
                    data["delete_by"] = deleted_by.clone().into();
                    b.sensitive = true;
                } else {
                    b.sanitized = true;
                }
                ("post_deleted", data)
            }
            EventKind::ReactionAdded { reaction } => (
                "reaction_added",
                json!({"reaction": json_string(&convert::reaction(reaction.clone()))}),
            ),
            EventKind::ReactionRemoved { reaction } => (
                "reaction_removed",
                json!({"reaction": json_string(&convert::reaction(reaction.clone()))}),
            ),
            EventKind::ChannelCreated {
                channel,
                creator_id,
                member_ids,
            } => match channel.channel_type.as_str() {
                channel_types::DIRECT => {
                    let teammate = member_ids
                        .iter()
                        .find(|id| *id != creator_id)
                        .unwrap_or(creator_id);
                    (
                        "direct_added",
                        json!({"creator_id": creator_id, "teammate_id": teammate}),
                    )
                }
                channel_types::GROUP => (
                    "group_added",
                    json!({"teammate_ids": json_string(member_ids)}),
                ),
                _ => (
                    "channel_created",
                    json!({"channel_id": channel.id, "team_id": channel.team_id}),
                ),
            },
            EventKind::ChannelUpdated { channel } => (
                "channel_updated",
                json!({"channel": json_string(&convert::channel(channel.clone()))}),
            ),
            EventKind::ChannelConverted { channel } => {
                ("channel_converted", json!({"channel_id": channel.id}))
            }
            EventKind::ChannelDeleted { channel } => (
                "channel_deleted",
                json!({"channel_id": channel.id, "delete_at": channel.delete_at}),
            ),
            EventKind::ChannelRestored { channel } => {
                ("channel_restored", json!({"channel_id": channel.id}))
            }
            EventKind::ChannelMemberAdded { channel, user_id } => {
                b.channel_id = channel.id.clone();
                (
                    "user_added",
                    json!({"user_id": user_id, "team_id": channel.team_id}),
                )
            }
            EventKind::ChannelMemberRemoved {
                channel,
                user_id,
                remover_id,
            } => {
                b.channel_id = channel.id.clone();
                let data = if matches!(&event.audience, Audience::User(_)) {
                    json!({"channel_id": channel.id, "remover_id": remover_id})
                } else {
                    json!({"user_id": user_id, "remover_id": remover_id})
                };
                ("user_removed", data)
            }
            EventKind::ChannelMemberUpdated { member } => (
                "channel_member_updated",
                json!({"channelMember": json_string(&convert::channel_member(member.clone()))}),
            ),
            EventKind::ChannelViewed { channel_id, .. } => {
                ("channel_viewed", json!({"channel_id": channel_id}))
            }
            EventKind::EphemeralMessage { post, .. } => {
                b.channel_id = post.channel_id.clone();
                (
                    "ephemeral_message",
                    json!({"post": json_string(&convert::post(post.clone(), Vec::new()))}),
                )
            }
            EventKind::OpenDialog {
                trigger_id,
                url,
                dialog,
            } => (
                "open_dialog",
                json!({"dialog": json_string(&json!({
                    "trigger_id": trigger_id,
                    "url": url,
                    "dialog": dialog,
                }))}),
            ),
            EventKind::PostUnread {
                post_id,
                team_id,
                member,
            } => {
                b.team_id = team_id.clone();
                b.channel_id = member.channel_id.clone();
                (
                    "post_unread",
                    json!({
                        "msg_count": member.msg_count,
                        "msg_count_root": member.msg_count_root,
                        "mention_count": member.mention_count,
                        "mention_count_root": member.mention_count_root,
                        "urgent_mention_count": member.urgent_mention_count,
                        "last_viewed_at": member.last_viewed_at,
                        "post_id": post_id,
                    }),
                )
            }
            EventKind::ChannelsViewed { times, .. } => {
                ("multiple_channels_viewed", json!({"channel_times": times}))
            }
            EventKind::TeamUpdated { team } => (
                "update_team",
                json!({"team": json_string(&convert::team(team.clone()))}),
            ),
            EventKind::TeamDeleted { team } => (
                "delete_team",
                json!({"team": json_string(&convert::team(team.clone()))}),
            ),
            EventKind::TeamRestored { team } => (
                "restore_team",
                json!({"team": json_string(&convert::team(team.clone()))}),
            ),
            EventKind::TeamMemberAdded {
                team_id, user_id, ..
            } => (
                "added_to_team",
                json!({"team_id": team_id, "user_id": user_id}),
            ),
            EventKind::TeamMemberRemoved { team_id, user_id } => (
                "leave_team",
                json!({"user_id": user_id, "team_id": team_id}),
            ),
            EventKind::TeamMemberUpdated { member } => (
                "memberrole_updated",
                json!({"member": json_string(&convert::team_member(member.clone()))}),
            ),
            EventKind::UserCreated { user } => ("new_user", json!({"user_id": user.id})),
            EventKind::UserUpdated { user } => {
                let own = matches!(&event.audience, Audience::User(id) if *id == user.id);
                let shown = if own || admin {
                    if !own {
                        b.sensitive = true;
                    }
                    user.clone()
                } else {
                    b.sanitized = true;
                    user.clone().public_profile()
                };
                ("user_updated", json!({"user": convert::user(shown)}))
            }
            // Mattermost says only that some activation changed (admin
            // screens recount); the user's own change is in user_updated.
            EventKind::UserActivationChanged { .. } => ("user_activation_status_change", json!({})),
            EventKind::UserRolesUpdated { user_id, roles } => (
                "user_role_updated",
                json!({"user_id": user_id, "roles": roles}),
            ),
            EventKind::StatusChanged { status } => (
                "status_change",
                json!({"status": status.status, "user_id": status.user_id}),
            ),
            EventKind::Typing {
                parent_id, user_id, ..
            } => (
                "typing",
                json!({"parent_id": parent_id, "user_id": user_id}),
            ),
            EventKind::PreferencesChanged { preferences, .. } => (
                "preferences_changed",
                json!({"preferences": json_string(preferences)}),
            ),
            EventKind::PreferencesDeleted { preferences, .. } => (
                "preferences_deleted",
                json!({"preferences": json_string(preferences)}),
            ),
            EventKind::SidebarCategoryCreated {
                team_id,
                category_id,
                ..
            } => {
                b.team_id = team_id.clone();
                (
                    "sidebar_category_created",
                    json!({"category_id": category_id}),
                )
            }
            EventKind::SidebarCategoryUpdated {
                team_id,
                categories,
                ..
            } => {
                b.team_id = team_id.clone();
                (
                    "sidebar_category_updated",
                    json!({"updatedCategories": json_string(categories)}),
                )
            }
            EventKind::SidebarCategoryDeleted {
                team_id,
                category_id,
                ..
            } => {
                b.team_id = team_id.clone();
                (
                    "sidebar_category_deleted",
                    json!({"category_id": category_id}),
                )
            }
            EventKind::SidebarCategoryOrderUpdated { team_id, order, .. } => {
                b.team_id = team_id.clone();
                ("sidebar_category_order_updated", json!({"order": order}))
            }
            EventKind::ThreadUpdated {
                team_id,
                thread,
                participants,
                previous_unread_replies,
                previous_unread_mentions,
                ..
            } => {
                b.team_id = team_id.clone();
                let profiles = participants
                    .iter()
                    .map(|u| (u.id.clone(), u.clone()))
                    .collect();
                (
                    "thread_updated",
                    json!({
                        "thread": json_string(&crate::routes::threads::thread(thread.clone(), &profiles)),
                        "previous_unread_replies": previous_unread_replies,
                        "previous_unread_mentions": previous_unread_mentions,
                    }),
                )
            }
            EventKind::ThreadReadChanged {
                team_id,
                channel_id,
                thread_id,
                timestamp,
                unread_replies,
                unread_mentions,
                previous_unread_replies,
                previous_unread_mentions,
                ..
            } => {
                b.team_id = team_id.clone();
                let data = match thread_id {
                    // "Mark all as read" carries no data: every thread of the team.
                    None => json!({}),
                    Some(id) => json!({
                        "thread_id": id,
                        "timestamp": timestamp,
                        "unread_mentions": unread_mentions,
                        "unread_replies": unread_replies,
                        "previous_unread_mentions": previous_unread_mentions,
                        "previous_unread_replies": previous_unread_replies,
                        "channel_id": channel_id,
                    }),
                };
                ("thread_read_changed", data)
            }
            EventKind::ThreadFollowChanged {
                thread_id,
                following,
                reply_count,
                ..
            } => (
                "thread_follow_changed",
                json!({"thread_id": thread_id, "state": following, "reply_count": reply_count}),
            ),
            EventKind::EmojiAdded { emoji } => {
                ("emoji_added", json!({"emoji": json_string(emoji)}))
            }
            EventKind::ScheduledPostCreated { scheduled_post } => (
                "scheduled_post_created",
                scheduled_post_data(scheduled_post),
            ),
            EventKind::ScheduledPostUpdated { scheduled_post } => (
                "scheduled_post_updated",
                scheduled_post_data(scheduled_post),
            ),
            EventKind::ScheduledPostDeleted { scheduled_post } => (
                "scheduled_post_deleted",
                scheduled_post_data(scheduled_post),
            ),
            EventKind::ConfigChanged { config } => ("config_changed", json!({"config": config})),
            EventKind::LicenseChanged => (
                "license_changed",
                json!({"license": {"IsLicensed": "false"}}),
            ),
            EventKind::SessionRevoked { .. } => return None,
        };
        Some(frame(name, data, &b))
    }
}
