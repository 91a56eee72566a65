//! What the walk walks over: four users (the first one the system admin), a
//! team with a public and a private channel, a post in each, a file, an
//! upload and a scheduled post in the private one, a bot, an access token, an
//! incoming and an outgoing webhook, a custom slash command and an emoji; and
//! how a route template and its body are filled in for a caller.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::emoji::create_emoji;
use crate::support::PNG;
use crate::support::{id, App};

/// The walk's users and everything the owner made.
pub struct Walk {
    pub app: App,
    pub root_id: String,
    /// The system admin's token.
    pub root: String,
    pub owner_id: String,
    pub owner: String,
    pub member_id: String,
    pub member: String,
    pub outsider_id: String,
    pub outsider: String,
    pub team: String,
    pub invite_id: String,
    /// The team's town square.
    pub public: String,
    /// A private channel of the owner's, without the member.
    pub private: String,
    pub secret_post: String,
    pub public_post: String,
    pub secret_file: String,
    pub upload_id: String,
    /// The owner's post scheduled in the private channel, for tomorrow.
    pub scheduled_post: String,
    /// The admin's bot's user id.
    pub robot: String,
    /// The owner's personal access token: its id and the token itself.
    pub token_id: String,
    pub pat: String,
    /// The owner's incoming webhook into the private channel.
    pub hook_id: String,
    /// The owner's outgoing webhook on the public channel.
    pub outgoing_hook_id: String,
    /// The owner's custom slash command in their team.
    pub command_id: String,
    pub emoji_id: String,
}

impl Walk {
    /// Makes the users and the owner's things, checking each step.
    pub async fn set_up() -> Walk {
        let app = App::new().await;
        let (root_id, root) = app.user("root").await; // the first user: system admin, left out below
        let (owner_id, owner) = app.user("owner").await;
        let (member_id, member) = app.user("member").await;
        let (outsider_id, outsider) = app.user("outsider").await;
        let theme = json!([{"user_id": outsider_id, "category": "display_settings", "name": "theme", "value": "dark"}]);
        let (status, _, _) = app
            .call(
                &Method::PUT,
                "/api/v4/users/me/preferences",
                Some(&outsider),
                Some(&theme),
            )
            .await;
        assert_eq!(status, StatusCode::OK);

        let team = app
            .team(
                &owner,
                json!({"name": "own", "display_name": "Own", "type": "I"}),
            )
            .await;
        let invite_id = team["invite_id"]
            .as_str()
            .expect("the owner sees the invite id")
            .to_string();
        let team = id(&team);
        let (status, _, _) = app
            .call(
                &Method::POST,
                &format!("/api/v4/teams/{team}/members"),
                Some(&owner),
                Some(&json!({"team_id": team, "user_id": member_id})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let public = app.town_square(&owner, &team).await;
        let private =
            json!({"team_id": team, "name": "secret", "display_name": "Secret", "type": "P"});
        let (_, private, _) = app
            .call(
                &Method::POST,
                "/api/v4/channels",
                Some(&owner),
                Some(&private),
            )
            .await;
        let private = id(&private);
        let secret_post = post(&app, &owner, &private, "classified").await;
        let public_post = post(&app, &owner, &public, "hello").await;
        let (status, uploaded, _) = app
            .call(
                &Method::POST,
                &format!("/api/v4/files?channel_id={private}&filename=secret.json"),
                Some(&owner),
                Some(&json!({"classified": true})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{uploaded}");
        let secret_file = id(&uploaded["file_infos"][0]);
        let upload = json!({"channel_id": private, "filename": "big.bin", "file_size": 10_000_000});
        let (status, upload, _) = app
            .call(
                &Method::POST,
                "/api/v4/uploads",
                Some(&owner),
                Some(&upload),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{upload}");
        let upload_id = id(&upload);

        let (status, scheduled, _) = app
            .call(
                &Method::POST,
                "/api/v4/posts/schedule",
                Some(&owner),
                Some(&json!({"channel_id": private, "message": "tomorrow", "scheduled_at": tomorrow()})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{scheduled}");
        let scheduled_post = id(&scheduled);

        // The admin's bot, and an access token of the owner's.
        let bot = json!({"username": "robot", "display_name": "Robot"});
        let (status, robot, _) = app
            .call(&Method::POST, "/api/v4/bots", Some(&root), Some(&bot))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{robot}");
        let robot = robot["user_id"].as_str().expect("bot id").to_string();
        let (status, owner_token, _) = app
            .call(
                &Method::POST,
                &format!("/api/v4/users/{owner_id}/tokens"),
                Some(&root),
                Some(&json!({"description": "ci"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{owner_token}");
        let token_id = id(&owner_token);
        let pat = owner_token["token"].as_str().expect("token").to_string();
        let (status, me, _) = app
            .call(&Method::GET, "/api/v4/users/me", Some(&pat), None)
            .await;
        assert_eq!(
            (status, me["id"].as_str()),
            (StatusCode::OK, Some(owner_id.as_str())),
            "a personal access token authenticates"
        );

        // The owner's incoming webhook for the private channel.
        let hook = json!({"channel_id": private, "display_name": "CI"});
        let (status, owner_hook, _) = app
            .call(
                &Method::POST,
                "/api/v4/hooks/incoming",
                Some(&owner),
                Some(&hook),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{owner_hook}");
        let hook_id = id(&owner_hook);
        // And their outgoing webhook on the public channel (never called: no
        // post of the walk starts with its word).
        let outgoing = json!({
            "team_id": team, "channel_id": public, "trigger_words": ["deploy"],
            "callback_urls": ["https://hooks.example.com/owner"],
        });
        let (status, owner_outgoing, _) = app
            .call(
                &Method::POST,
                "/api/v4/hooks/outgoing",
                Some(&owner),
                Some(&outgoing),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{owner_outgoing}");
        let outgoing_hook_id = id(&owner_outgoing);

        // The owner's custom slash command (never run: nothing listens there).
        let command = json!({"team_id": team, "trigger": "walk", "method": "P", "url": "https://example.com/walk"});
        let (status, owner_command, _) = app
            .call(
                &Method::POST,
                "/api/v4/commands",
                Some(&owner),
                Some(&command),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{owner_command}");
        let command_id = id(&owner_command);

        let (status, emoji) = create_emoji(&app, &owner, "tada", PNG).await;
        assert_eq!(status, StatusCode::OK, "{emoji}");
        let emoji_id = id(&emoji);

        Walk {
            app,
            root_id,
            root,
            owner_id,
            owner,
            member_id,
            member,
            outsider_id,
            outsider,
            team,
            invite_id,
            public,
            private,
            secret_post,
            public_post,
            secret_file,
            upload_id,
            scheduled_post,
            robot,
            token_id,
            pat,
            hook_id,
            outgoing_hook_id,
            command_id,
            emoji_id,
        }
    }

    /// A route template with the owner's things in it, and `user` as its user.
    pub fn fill(&self, path: &str, user: &str) -> String {
        let hook_id = if path.starts_with("/api/v4/hooks/outgoing/") {
            &self.outgoing_hook_id
        } else {
            &self.hook_id
        };
        path.replace("{user_id}", user)
            .replace("{team_id}", &self.team)
            .replace("{channel_id}", &self.private)
            .replace("{post_id}", &self.secret_post)
            .replace("{name}", "own")
            .replace("{team_name}", "own")
            .replace("{channel_name}", "secret")
            .replace("{username}", "owner")
            .replace("{email}", "owner@example.com")
            .replace("{category}", "display_settings")
            .replace("{preference_name}", "theme")
            .replace("{role_name}", "system_user")
            // The built-in roles' ids: their names padded to an id's shape.
            .replace("{role_id}", "systemuseryyyyyyyyyyyyyyyy")
            .replace("{emoji_name}", "tada")
            .replace("{bot_user_id}", &self.robot)
            .replace("{token_id}", &self.token_id)
            .replace("{hook_id}", hook_id)
            .replace("{command_id}", &self.command_id)
            .replace("{thread_id}", &self.secret_post)
            .replace(
                "{category_id}",
                &format!("channels_{}_{}", self.owner_id, self.team),
            )
            .replace("{emoji_id}", &self.emoji_id)
            .replace("{invite_id}", &self.invite_id)
            .replace("{timestamp}", "1")
            .replace("{file_id}", &self.secret_file)
            .replace("{upload_id}", &self.upload_id)
            .replace("{scheduled_post_id}", &self.scheduled_post)
            .replace("{action_id}", "approve")
            .replace("{job_id}", &self.owner_id)
            .replace("{job_type}", "export_process")
            .replace("{import_name}", "bulk.zip")
            .replace("{export_name}", "bulk.zip")
    }

    /// A body the route would accept from `user` (none for reads and deletes).
    pub fn body_for(&self, method: &str, path: &str, user: &str) -> Option<Value> {
        if method == "GET" || method == "DELETE" {
            return None;
        }
        let Walk {
            root_id,
            owner_id,
            member_id,
            team,
            private,
            secret_post,
            token_id,
            scheduled_post,
            public,
            outgoing_hook_id,
            command_id,
            ..
        } = self;
        Some(match path {
            "/api/v4/users/login" => json!({"login_id": "nobody", "password": "password1"}),
            "/api/v4/users/login/sso/code-exchange" => json!({
                "login_code": "not-a-code", "code_verifier": "v".repeat(43), "state": "s"
            }),
            "/api/v4/users/login/switch" => json!({
                "current_service": "email", "new_service": "openid",
                "email": "nobody@example.com", "password": "password1"
            }),
            "/api/v4/users" => {
                json!({"username": "late", "email": "late@example.com", "password": "password1"})
            }
            "/api/v4/posts" => json!({"channel_id": private, "message": "intrusion"}),
            "/api/v4/posts/schedule" => {
                json!({"channel_id": private, "message": "intrusion", "scheduled_at": tomorrow()})
            }
            "/api/v4/posts/schedule/{scheduled_post_id}" => json!({
                "id": scheduled_post, "channel_id": private, "message": "changed", "scheduled_at": tomorrow()
            }),
            "/api/v4/uploads" => {
                json!({"channel_id": private, "filename": "x.bin", "file_size": 10})
            }
            "/api/v4/reactions" => {
                json!({"user_id": user, "post_id": secret_post, "emoji_name": "tada"})
            }
            "/api/v4/channels" => json!({"team_id": team, "name": "mine", "display_name": "Mine"}),
            "/api/v4/channels/direct" => json!([user, owner_id]),
            "/api/v4/teams" => json!({"name": format!("t{}", &user[..6]), "display_name": "T"}),
            "/api/v4/teams/{team_id}" => json!({"id": team, "display_name": "Taken over"}),
            "/api/v4/teams/{team_id}/members/batch" => json!([{"team_id": team, "user_id": user}]),
            "/api/v4/teams/search" => json!({"term": "t"}),
            "/api/v4/channels/{channel_id}" => json!({"id": private, "display_name": "Taken over"}),
            "/api/v4/channels/search"
            | "/api/v4/channels/group/search"
            | "/api/v4/teams/{team_id}/channels/search_archived" => json!({"term": "c"}),
            "/api/v4/channels/{channel_id}/convert_to_channel" => {
                json!({"channel_id": private, "team_id": team, "name": "taken", "display_name": "Taken"})
            }
            "/api/v4/commands/execute" => {
                json!({"command": "/echo intrusion", "channel_id": private})
            }
            p if p.contains("/status/custom") => {
                json!({"emoji": "smile", "text": "walking", "expires_at": "0001-01-01T00:00:00Z"})
            }
            p if p.ends_with("/members") && p.contains("/teams/") => {
                json!({"team_id": team, "user_id": user})
            }
            p if p.ends_with("/members") => json!({"user_id": user}),
            p if p.ends_with("/view") => json!({"channel_id": private}),
            p if p.ends_with("/schemeRoles") => json!({"scheme_admin": true, "scheme_user": true}),
            "/api/v4/users/{user_id}/roles" => json!({"roles": "system_user system_admin"}),
            p if p.ends_with("/roles") => json!({"roles": "channel_user channel_admin"}),
            p if p.ends_with("/notify_props") => json!({"desktop": "all"}),
            p if p.ends_with("/privacy") => json!({"privacy": "O"}),
            p if p.ends_with("/patch") => json!({"display_name": "Changed", "message": "changed"}),
            p if p.ends_with("/preferences") || p.ends_with("/preferences/delete") => {
                json!([{"user_id": owner_id, "category": "c", "name": "n", "value": "v"}])
            }
            p if p.ends_with("/status") => json!({"user_id": owner_id, "status": "away"}),
            p if p.ends_with("/password") => {
                json!({"current_password": "password1", "new_password": "password2"})
            }
            p if p.ends_with("/sessions/revoke") => json!({"session_id": owner_id}),
            p if p.ends_with("/sessions/device") => json!({"device_id": "android:abc"}),
            "/api/v4/posts/{post_id}" => json!({"id": secret_post, "message": "changed"}),
            "/api/v4/roles/names" => json!(["system_user"]),
            "/api/v4/users/search" => json!({"term": "o"}),
            "/api/v4/teams/{team_id}/channels/search" => json!({"term": "c"}),
            "/api/v4/teams/{team_id}/posts/search" | "/api/v4/posts/search" => {
                json!({"terms": "classified"})
            }
            "/api/v4/users/group_channels" => json!([]),
            "/api/v4/emoji/search" => json!({"term": "ta"}),
            "/api/v4/teams/{team_id}/files/search" | "/api/v4/files/search" => {
                json!({"terms": "secret"})
            }
            "/api/v4/posts/{post_id}/actions/{action_id}" => json!({"selected_option": "yes"}),
            "/api/v4/actions/dialogs/open" => json!({
                "trigger_id": "bm90LWEtdHJpZ2dlcg==", "url": "http://127.0.0.1:9/dialog", "dialog": {"title": "T"}
            }),
            "/api/v4/actions/dialogs/submit" => json!({
                "url": "http://127.0.0.1:9/dialog", "channel_id": private, "team_id": team,
                "callback_id": "cb", "state": "", "submission": {"name": "x"}, "cancelled": false
            }),
            "/api/v4/posts/ephemeral" => json!({
                "user_id": owner_id, "post": {"channel_id": private, "message": "spoof"}
            }),
            "/api/v4/bots/{bot_user_id}/convert_to_user" => {
                json!({"email": "taken@example.com", "password": "password1"})
            }
            "/api/v4/emoji/names" => json!(["tada", "unknown"]),
            p if p.ends_with("/channels/categories") && method == "PUT" => json!([]),
            "/api/v4/users/{user_id}/teams/{team_id}/channels/categories" => {
                json!({"user_id": user, "team_id": team, "display_name": "Mine"})
            }
            "/api/v4/users/{user_id}/teams/{team_id}/channels/categories/order" => json!([]),
            "/api/v4/users/{user_id}/teams/{team_id}/channels/categories/{category_id}" => json!({
                "id": format!("channels_{owner_id}_{team}"), "user_id": owner_id, "team_id": team, "sort_order": 10,
                "sorting": "", "type": "channels", "display_name": "Channels", "muted": false, "collapsed": true, "channel_ids": []
            }),
            "/api/v4/users/{user_id}/tokens" => json!({"description": "mine"}),
            "/api/v4/users/tokens/search" => json!({"term": owner_id}),
            p if p.starts_with("/api/v4/users/tokens/") => json!({"token_id": token_id}),
            "/api/v4/users/{user_id}" => {
                json!({"id": owner_id, "username": "owner", "email": "owner@example.com"})
            }
            "/api/v4/users/{user_id}/active" => json!({"active": false}),
            "/api/v4/users/{user_id}/typing" => json!({"channel_id": private}),
            "/api/v4/bots" => json!({"username": format!("bot{}", &user[..6])}),
            "/api/v4/bots/{bot_user_id}" => json!({"display_name": "Renamed"}),
            "/api/v4/hooks/incoming" | "/api/v4/hooks/incoming/{hook_id}" => {
                json!({"channel_id": private})
            }
            "/hooks/{hook_id}" => json!({"text": "from a hook"}),
            "/api/v4/hooks/outgoing" => json!({
                "team_id": team, "channel_id": public, "trigger_words": ["intrude"],
                "callback_urls": ["https://hooks.example.com/intruder"],
            }),
            "/api/v4/hooks/outgoing/{hook_id}" => json!({
                "id": outgoing_hook_id, "team_id": team, "channel_id": public,
                "trigger_words": ["taken"], "callback_urls": ["https://hooks.example.com/intruder"],
            }),
            "/api/v4/commands" => {
                json!({"team_id": team, "trigger": "intrusion", "method": "P", "url": "https://example.com/x"})
            }
            "/api/v4/commands/{command_id}" => json!({
                "id": command_id, "team_id": team, "trigger": "taken", "method": "P", "url": "https://example.com/x"
            }),
            "/api/v4/commands/{command_id}/move" => json!({"team_id": team}),
            "/hooks/commands/{hook_id}" => json!({"text": "from a response url"}),
            "/api/v4/channels/group" => json!([root_id, member_id]),
            "/api/v4/jobs" => json!({"type": "export_process"}),
            "/api/v4/teams/{team_id}/invite/email" => json!(["invitee@example.com"]),
            _ => json!([owner_id]),
        })
    }
}

/// Posts `message` into a channel as the user of `token`; returns the post's id.
async fn post(app: &App, token: &str, channel_id: &str, message: &str) -> String {
    let (_, post, _) = app
        .call(
            &Method::POST,
            "/api/v4/posts",
            Some(token),
            Some(&json!({"channel_id": channel_id, "message": message})),
        )
        .await;
    id(&post)
}

/// This time tomorrow, ms.
fn tomorrow() -> i64 {
    core_server::time::now_ms() + 24 * 60 * 60 * 1000
}
