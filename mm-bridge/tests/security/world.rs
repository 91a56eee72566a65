//! A team with a member of each kind, made over v4 as the apps would.

use axum::http::Method;
use serde_json::{json, Value};

use crate::support::{id, App};

/// One signed-in account.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub token: String,
    /// Their system, team and channel roles in `World::room`.
    pub system: &'static str,
    pub team: Option<&'static str>,
    pub channel: Option<&'static str>,
}

/// A team, a public channel `room` in it, and one person of each kind.
pub struct World {
    pub team: String,
    pub room: String,
    /// The first account: system admin, in no team.
    pub admin: Person,
    /// Created the team: team admin, not in the room.
    pub team_admin: Person,
    /// Created the room: its channel admin.
    pub channel_admin: Person,
    /// A plain member of the team and the room, who writes the posts.
    pub author: Person,
    /// Another plain member of the team and the room.
    pub member: Person,
    /// In the team, not in the room.
    pub teammate: Person,
}

impl World {
    pub async fn new(app: &App) -> World {
        let person = |(id, token): (String, String), system, team, channel| Person {
            id,
            token,
            system,
            team,
            channel,
        };
        let admin = person(
            app.user("root").await,
            "system_user system_admin",
            None,
            None,
        );
        let team_admin = person(
            app.user("owner").await,
            "system_user",
            Some("team_user team_admin"),
            None,
        );
        let team = id(&app
            .team(
                &team_admin.token,
                json!({"name": "acme", "display_name": "Acme", "type": "O"}),
            )
            .await);
        let join =
            |who: (String, String), channel| person(who, "system_user", Some("team_user"), channel);
        let channel_admin = join(
            app.user("chanadmin").await,
            Some("channel_user channel_admin"),
        );
        let author = join(app.user("author").await, Some("channel_user"));
        let member = join(app.user("member").await, Some("channel_user"));
        let teammate = join(app.user("teammate").await, None);
        for p in [&channel_admin, &author, &member, &teammate] {
            add_to_team(app, &team_admin.token, &team, &p.id).await;
        }
        let (status, room, _) = app
            .call(
                &Method::POST,
                "/api/v4/channels",
                Some(&channel_admin.token),
                Some(
                    &json!({"team_id": team, "name": "room", "display_name": "Room", "type": "O"}),
                ),
            )
            .await;
        assert_eq!(status, 201, "{room}");
        let room = id(&room);
        for p in [&author, &member] {
            let path = format!("/api/v4/channels/{room}/members");
            let (status, body, _) = app
                .call(
                    &Method::POST,
                    &path,
                    Some(&channel_admin.token),
                    Some(&json!({"user_id": p.id})),
                )
                .await;
            assert_eq!(status, 201, "{body}");
        }
        World {
            team,
            room,
            admin,
            team_admin,
            channel_admin,
            author,
            member,
            teammate,
        }
    }

    /// Everyone but the author.
    pub fn others(&self) -> Vec<(&'static str, &Person)> {
        vec![
            ("system admin", &self.admin),
            ("team admin", &self.team_admin),
            ("channel admin", &self.channel_admin),
            ("member", &self.member),
            ("teammate outside the channel", &self.teammate),
        ]
    }

    /// A post by the author in the room; returns its id.
    pub async fn post(&self, app: &App, message: &str) -> String {
        let (status, post, _) = app
            .call(
                &Method::POST,
                "/api/v4/posts",
                Some(&self.author.token),
                Some(&json!({"channel_id": self.room, "message": message})),
            )
            .await;
        assert_eq!(status, 201, "{post}");
        id(&post)
    }
}

/// Joins `user_id` to an open team over v4 (with the joiner's or an admin's token).
pub async fn add_to_team(app: &App, token: &str, team: &str, user_id: &str) -> Value {
    let path = format!("/api/v4/teams/{team}/members");
    let (status, body, _) = app
        .call(
            &Method::POST,
            &path,
            Some(token),
            Some(&json!({"team_id": team, "user_id": user_id})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body
}
