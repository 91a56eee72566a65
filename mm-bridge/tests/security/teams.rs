//! Finding: `/api/v1/teams…` and the v1 socket's team events carried the
//! team's e-mail (its creator's address) and its invite id to anyone. Now a
//! team is shown as Mattermost's `SanitizeTeam` does on every API and
//! socket: the e-mail only to those who may manage the team, the invite id
//! only to those who may invite (its members), neither to anyone else.

use axum::http::Method;
use serde_json::{json, Value};

use crate::support::{frame_named, id, serve, ws_connect, App, Backend};
use crate::world::add_to_team;

fn shows(team: &Value) -> (bool, bool) {
    let filled = |key: &str| team[key].as_str().is_some_and(|v| !v.is_empty());
    (filled("email"), filled("invite_id"))
}

/// The team as each caller gets it over v1 and v4, one by id and in lists.
async fn views(app: &App, token: &str, team: &str) -> Vec<(String, Value)> {
    let mut seen = Vec::new();
    for path in [
        format!("/api/v1/teams/{team}"),
        format!("/api/v4/teams/{team}"),
    ] {
        let reply = app.get(&path, token).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.json());
        seen.push((path, reply.json()));
    }
    for path in ["/api/v1/teams", "/api/v4/teams"] {
        let reply = app.get(path, token).await;
        assert_eq!(reply.status, 200, "{path}");
        let body = reply.json();
        let list = body["items"]
            .as_array()
            .or(body.as_array())
            .cloned()
            .unwrap_or_default();
        let one = list
            .into_iter()
            .find(|t| t["id"] == team)
            .unwrap_or_else(|| panic!("{path} lists the open team: {body}"));
        seen.push((path.to_string(), one));
    }
    seen
}

async fn teams_show_email_and_invite_id_only_to_whom_mattermost_does(backend: Backend) {
    let Some(app) = backend.app(crate::support::open_config()).await else {
        return;
    };
    let (_, _root) = app.user("root").await;
    let (_, owner) = app.user("owner").await;
    let team = id(&app
        .team(
            &owner,
            json!({"name": "open", "display_name": "Open", "type": "O"}),
        )
        .await);
    let (member_id, member) = app.user("member").await;
    add_to_team(&app, &member, &team, &member_id).await;
    let (_, stranger) = app.user("stranger").await;
    for (who, token, want) in [
        ("the team admin", &owner, (true, true)),
        ("a member", &member, (false, true)),
        ("a user outside the team", &stranger, (false, false)),
    ] {
        for (path, seen) in views(&app, token, &team).await {
            assert_eq!(shows(&seen), want, "{who} on {path}: {seen}");
        }
    }
    // Users' own team lists follow the same rule.
    let mine = app.get("/api/v4/users/me/teams", &member).await.json();
    assert_eq!(shows(&mine[0]), (false, true), "{mine}");
}

/// A team change reaches members' sockets without the e-mail or invite id.
async fn team_events_carry_no_email_or_invite_id(backend: Backend) {
    let Some(app) = backend.app(crate::support::open_config()).await else {
        return;
    };
    let addr = serve(&app.core).await;
    let (_, owner) = app.user("owner").await;
    let team = id(&app
        .team(
            &owner,
            json!({"name": "open", "display_name": "Open", "type": "O"}),
        )
        .await);
    let (member_id, member) = app.user("member").await;
    add_to_team(&app, &member, &team, &member_id).await;
    let mut v1 = ws_connect(addr, "/api/v1/ws", Some(&member), &[])
        .await
        .expect("v1");
    let mut v4 = ws_connect(addr, "/api/v4/websocket", Some(&member), &[])
        .await
        .expect("v4");
    frame_named(&mut v1, "type", "hello").await;
    frame_named(&mut v4, "event", "hello").await;
    let (status, _, _) = app
        .call(
            &Method::PUT,
            &format!("/api/v4/teams/{team}/patch"),
            Some(&owner),
            Some(&json!({"description": "changed"})),
        )
        .await;
    assert_eq!(status, 200);
    let event = frame_named(&mut v1, "type", "team_updated").await;
    assert_eq!(shows(&event["data"]["team"]), (false, false), "{event}");
    let event = frame_named(&mut v4, "event", "update_team").await;
    let team: Value =
        serde_json::from_str(event["data"]["team"].as_str().expect("team")).expect("json");
    assert_eq!(shows(&team), (false, false), "{event}");
}

on_both_backends!(
    teams_show_email_and_invite_id_only_to_whom_mattermost_does,
    team_events_carry_no_email_or_invite_id,
);
