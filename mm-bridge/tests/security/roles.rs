//! Finding: a plain user who created a channel (and so is its channel
//! admin) could edit and delete anyone's posts in it. Every role now may do
//! exactly what Mattermost's default role permissions give it: these tests
//! walk each kind of member through both APIs and expect the answer the
//! role table (`core_server::model::permissions`) gives, which its own unit
//! tests pin to Mattermost's defaults.

use axum::http::{Method, StatusCode};
use core_server::model::{HeldRoles, Permission};
use serde_json::json;

use crate::support::Backend;
use crate::world::{Person, World};

/// What the role table says `person` may do in the world's room.
fn allowed(person: &Person, permission: Permission) -> bool {
    HeldRoles {
        system: person.system,
        team: person.team,
        channel: person.channel,
    }
    .grant(permission)
}

fn expect(person: &Person, permission: Permission) -> StatusCode {
    if allowed(person, permission) {
        StatusCode::OK
    } else {
        StatusCode::FORBIDDEN
    }
}

/// Edits of someone else's post, through v4 (patch and update) and v1.
async fn editing_others_posts_takes_edit_others_posts(backend: Backend) {
    let Some(app) = backend.app(crate::support::open_config()).await else {
        return;
    };
    let world = World::new(&app).await;
    let post = world.post(&app, "original").await;
    for (who, person) in world.others() {
        let want = expect(person, Permission::EditOthersPosts);
        let tries = [
            (
                Method::PUT,
                format!("/api/v4/posts/{post}/patch"),
                json!({"message": format!("v4 patch by {who}")}),
            ),
            (
                Method::PUT,
                format!("/api/v4/posts/{post}"),
                json!({"id": post, "message": format!("v4 update by {who}")}),
            ),
            (
                Method::PATCH,
                format!("/api/v1/posts/{post}"),
                json!({"message": format!("v1 by {who}")}),
            ),
        ];
        for (method, path, body) in tries {
            let (status, answer, _) = app
                .call(&method, &path, Some(&person.token), Some(&body))
                .await;
            assert_eq!(status, want, "{who}: {method} {path}: {answer}");
        }
    }
    // Only the system admin's edits went through; the post is still the author's.
    let reply = app
        .get(&format!("/api/v4/posts/{post}"), &world.author.token)
        .await;
    let now = reply.json();
    assert_eq!(now["user_id"], world.author.id.as_str());
    assert!(
        now["message"]
            .as_str()
            .is_some_and(|m| m.contains("system admin")),
        "{now}"
    );
    // Editing one's own post takes edit_post, which members have.
    let (status, _, _) = app
        .call(
            &Method::PUT,
            &format!("/api/v4/posts/{post}/patch"),
            Some(&world.author.token),
            Some(&json!({"message": "mine again"})),
        )
        .await;
    assert_eq!(status, expect(&world.author, Permission::EditPost));
}

/// Deletion of someone else's post, through v4 and v1.
async fn deleting_others_posts_takes_delete_others_posts(backend: Backend) {
    let Some(app) = backend.app(crate::support::open_config()).await else {
        return;
    };
    let world = World::new(&app).await;
    for (who, person) in world.others() {
        let want = expect(person, Permission::DeleteOthersPosts);
        for api in ["v4", "v1"] {
            let post = world.post(&app, &format!("for {who} over {api}")).await;
            let path = format!("/api/{api}/posts/{post}");
            let (status, answer, _) = app
                .call(&Method::DELETE, &path, Some(&person.token), None)
                .await;
            assert_eq!(status, want, "{who}: DELETE {path}: {answer}");
            let still = app
                .get(&format!("/api/v4/posts/{post}"), &world.author.token)
                .await;
            assert_eq!(
                still.status == StatusCode::OK,
                want != StatusCode::OK,
                "{who}: the post is gone exactly when the delete was allowed"
            );
        }
    }
    let own = world.post(&app, "my own").await;
    let (status, _, _) = app
        .call(
            &Method::DELETE,
            &format!("/api/v4/posts/{own}"),
            Some(&world.author.token),
            None,
        )
        .await;
    assert_eq!(status, expect(&world.author, Permission::DeletePost));
}

/// The channel- and team-level actions the apps offer, each person trying
/// each: renaming the room, converting it to private, changing a member's
/// channel roles, and changing the team.
async fn channel_and_team_actions_follow_the_table(backend: Backend) {
    let Some(app) = backend.app(crate::support::open_config()).await else {
        return;
    };
    let world = World::new(&app).await;
    let room = &world.room;
    let team = &world.team;
    let mut everyone = world.others();
    everyone.push(("author", &world.author));
    for (who, person) in &everyone {
        let header = json!({"header": format!("set by {who}")});
        let (status, answer, _) = app
            .call(
                &Method::PUT,
                &format!("/api/v4/channels/{room}/patch"),
                Some(&person.token),
                Some(&header),
            )
            .await;
        assert_eq!(
            status,
            expect(person, Permission::ManagePublicChannelProperties),
            "{who} renames: {answer}"
        );

        let roles = json!({"roles": "channel_user"});
        let path = format!("/api/v4/channels/{room}/members/{}/roles", world.member.id);
        let (status, answer, _) = app
            .call(&Method::PUT, &path, Some(&person.token), Some(&roles))
            .await;
        assert_eq!(
            status,
            expect(person, Permission::ManageChannelRoles),
            "{who} sets roles: {answer}"
        );

        let patch = json!({"description": format!("by {who}")});
        let (status, answer, _) = app
            .call(
                &Method::PUT,
                &format!("/api/v4/teams/{team}/patch"),
                Some(&person.token),
                Some(&patch),
            )
            .await;
        // Outside the team nobody reaches it at all; inside, manage_team decides.
        let want = if person.team.is_none() && !person.system.contains("system_admin") {
            StatusCode::FORBIDDEN
        } else {
            expect(person, Permission::ManageTeam)
        };
        assert_eq!(status, want, "{who} patches the team: {answer}");
    }
    // Converting the room takes convert_public_channel_to_private: a channel
    // admin may not, a team admin may.
    let privacy = json!({"privacy": "P"});
    let path = format!("/api/v4/channels/{room}/privacy");
    let (status, _, _) = app
        .call(
            &Method::PUT,
            &path,
            Some(&world.channel_admin.token),
            Some(&privacy),
        )
        .await;
    assert_eq!(
        status,
        expect(
            &world.channel_admin,
            Permission::ConvertPublicChannelToPrivate
        )
    );
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, answer, _) = app
        .call(
            &Method::PUT,
            &path,
            Some(&world.team_admin.token),
            Some(&privacy),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
}

on_both_backends!(
    editing_others_posts_takes_edit_others_posts,
    deleting_others_posts_takes_delete_others_posts,
    channel_and_team_actions_follow_the_table,
);
