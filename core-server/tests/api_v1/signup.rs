//! Sign-up on the default, invitation-only, configuration through the
//! native API: the first account, strangers refused, a team's invitation
//! link and a mailed invitation's token (once, before it expires, for its
//! address), the server's and the team's e-mail domains, the links' own
//! routes and who may use them, and user creation turned off.

use axum::http::StatusCode;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use core_server::config::Config;
use core_server::model::EmailToken;
use core_server::services::Core;
use core_server::time::now_ms;

use crate::fixtures::{team, GET, PATCH, POST};
use crate::support::{s, Ctx, Http};

/// The default sign-up rules over the test's store, with accounts limited
/// to example.com and corp.example.
fn closed(ctx: &Ctx, change: impl FnOnce(&mut Config)) -> Http {
    let mut config = Config {
        restrict_creation_to_domains: "example.com, @corp.example".into(),
        ..(*ctx.core.config()).clone()
    };
    config.enable_open_signup = Config::default().enable_open_signup;
    change(&mut config);
    Http::new(&Core::new(ctx.store.clone(), config))
}

fn person(name: &str, domain: &str) -> Value {
    json!({"username": name, "email": format!("{name}@{domain}"), "password": "password1"})
}

async fn sign_up(http: &Http, body: Value) -> (StatusCode, Value) {
    http.call(POST, "/api/v1/users", None, Some(body)).await
}

async fn login(http: &Http, name: &str) -> String {
    let (status, answer) = http
        .call(
            POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"login_id": name, "password": "password1"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    s(&answer, "token")
}

fn refused(answer: &(StatusCode, Value), status: StatusCode, code: &str, field: Option<&str>) {
    assert_eq!(answer.0, status, "{}", answer.1);
    assert_eq!(answer.1["code"], code, "{}", answer.1);
    match field {
        Some(field) => assert_eq!(answer.1["field"], field, "{}", answer.1),
        None => assert!(answer.1.get("field").is_none(), "{}", answer.1),
    }
}

async fn team_ids(http: &Http, token: &str) -> Vec<String> {
    let (status, teams) = http
        .call(GET, "/api/v1/users/me/teams", Some(token), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{teams}");
    teams
        .as_array()
        .expect("a list")
        .iter()
        .map(|t| s(t, "id"))
        .collect()
}

async fn invite_id(http: &Http, token: &str, team_id: &str) -> String {
    let (status, team) = http
        .call(GET, &format!("/api/v1/teams/{team_id}"), Some(token), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{team}");
    s(&team, "invite_id")
}

/// Strangers need an invitation; the first account and admins do not.
pub async fn sign_up_is_by_invitation(ctx: Ctx) {
    let http = closed(&ctx, |_| {});
    let (_, config) = http.call(GET, "/api/v1/system/config", None, None).await;
    assert_eq!(config["enable_open_signup"], false);
    assert_eq!(config["enable_user_creation"], true);
    assert_eq!(config["no_accounts"], true);

    let (status, first) = sign_up(&http, person("ada", "example.com")).await;
    assert_eq!(status, StatusCode::CREATED, "the first account: {first}");
    assert!(s(&first, "roles").contains("system_admin"));
    let (_, config) = http.call(GET, "/api/v1/system/config", None, None).await;
    assert_eq!(config["no_accounts"], false);
    let admin = login(&http, "ada").await;

    let stranger = sign_up(&http, person("eve", "example.com")).await;
    refused(&stranger, StatusCode::FORBIDDEN, "sign_up_closed", None);
    assert!(
        stranger.1["message"]
            .as_str()
            .unwrap_or_default()
            .contains("invitation"),
        "{}",
        stranger.1
    );
    let (status, made) = http
        .call(
            POST,
            "/api/v1/users",
            Some(&admin),
            Some(person("bob", "example.com")),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "an admin makes accounts: {made}"
    );
    let bob = login(&http, "bob").await;
    let by_member = http
        .call(
            POST,
            "/api/v1/users",
            Some(&bob),
            Some(person("mallory", "example.com")),
        )
        .await;
    refused(&by_member, StatusCode::FORBIDDEN, "sign_up_closed", None);
    let outside = http
        .call(
            POST,
            "/api/v1/users",
            Some(&admin),
            Some(person("far", "elsewhere.example")),
        )
        .await;
    refused(
        &outside,
        StatusCode::FORBIDDEN,
        "email_not_accepted",
        Some("email"),
    );
}

/// A team's invitation link: shown to visitors, signs up and joins, checks
/// the team's domains, and stops working when replaced.
pub async fn a_team_link_signs_up_into_its_team(ctx: Ctx) {
    let http = closed(&ctx, |_| {});
    sign_up(&http, person("ada", "example.com")).await;
    let admin = login(&http, "ada").await;
    let (team_id, town) = team(&http, &admin, "ops").await;
    let invite = invite_id(&http, &admin, &team_id).await;

    let (status, shown) = http
        .call(GET, &format!("/api/v1/invites/{invite}"), None, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{shown}");
    assert_eq!(shown["id"], team_id.as_str());
    assert_eq!(
        shown["invite_id"], "",
        "a visitor does not see the invite id"
    );

    let (status, grace) = sign_up(
        &http,
        json!({"username": "grace", "email": "grace@example.com", "password": "password1", "invite_id": invite}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{grace}");
    assert_eq!(grace["email_verified"], false);
    let grace_token = login(&http, "grace").await;
    assert_eq!(team_ids(&http, &grace_token).await, vec![team_id.clone()]);
    let (status, _) = http
        .call(
            GET,
            &format!("/api/v1/channels/{town}"),
            Some(&grace_token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "in the town square too");

    let outside = sign_up(
        &http,
        json!({"username": "far", "email": "far@elsewhere.example", "password": "password1", "invite_id": invite}),
    )
    .await;
    refused(
        &outside,
        StatusCode::FORBIDDEN,
        "email_not_accepted",
        Some("email"),
    );
    let (status, patched) = http
        .call(
            PATCH,
            &format!("/api/v1/teams/{team_id}"),
            Some(&admin),
            Some(json!({"allowed_domains": "corp.example"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    let not_the_teams = sign_up(
        &http,
        json!({"username": "hal", "email": "hal@example.com", "password": "password1", "invite_id": invite}),
    )
    .await;
    refused(
        &not_the_teams,
        StatusCode::FORBIDDEN,
        "email_not_accepted",
        Some("email"),
    );

    // Only those who manage the team replace its link.
    let (status, _) = http
        .call(
            POST,
            &format!("/api/v1/teams/{team_id}/invite_id"),
            Some(&grace_token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, renewed) = http
        .call(
            POST,
            &format!("/api/v1/teams/{team_id}/invite_id"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{renewed}");
    assert_ne!(s(&renewed, "invite_id"), invite);
    for dead in [invite.as_str(), "abcdefghijklmnopqrstuvwxyz", "bad id"] {
        let answer = sign_up(
            &http,
            json!({"username": "ivy", "email": "ivy@corp.example", "password": "password1", "invite_id": dead}),
        )
        .await;
        refused(
            &answer,
            StatusCode::NOT_FOUND,
            "invitation_not_found",
            Some("invite_id"),
        );
    }
    let (status, _) = http
        .call(GET, &format!("/api/v1/invites/{invite}"), None, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Someone with an account joins by the link instead (a session needed).
    let (status, _) = http
        .call(
            POST,
            "/api/v1/users",
            Some(&admin),
            Some(person("joe", "example.com")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let joe = login(&http, "joe").await;
    let link = format!("/api/v1/invites/{}/join", s(&renewed, "invite_id"));
    let (status, _) = http.call(POST, &link, None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, member) = http.call(POST, &link, Some(&joe), None).await;
    assert_eq!(status, StatusCode::OK, "{member}");
    assert_eq!(team_ids(&http, &joe).await, vec![team_id]);
}

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn mailed(
    token: &str,
    email: &str,
    sender: &str,
    team_id: &str,
    channels: Vec<String>,
    at: i64,
) -> EmailToken {
    EmailToken {
        token_hash: hash(token),
        kind: "team_invitation".into(),
        user_id: sender.into(),
        email: email.into(),
        create_at: at,
        team_id: team_id.into(),
        channel_ids: channels,
    }
}

/// A mailed invitation: its address only, once, within 48 hours; it joins
/// the team and the channels its sender may still add members to.
pub async fn a_mailed_invitation_signs_up_its_address_once(ctx: Ctx) {
    let http = closed(&ctx, |_| {});
    let (_, ada) = sign_up(&http, person("ada", "example.com")).await;
    let admin = login(&http, "ada").await;
    let (team_id, _) = team(&http, &admin, "ops").await;
    let (status, room) = http
        .call(
            POST,
            &format!("/api/v1/teams/{team_id}/channels"),
            Some(&admin),
            Some(json!({"name": "war-room", "display_name": "War room", "type": "P"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{room}");
    let now = now_ms();
    let (good, old) = ("G".repeat(64), "O".repeat(64));
    ctx.store
        .add_email_tokens(
            &[
                mailed(
                    &good,
                    "grace@example.com",
                    &s(&ada, "id"),
                    &team_id,
                    vec![s(&room, "id")],
                    now,
                ),
                mailed(
                    &old,
                    "old@example.com",
                    &s(&ada, "id"),
                    &team_id,
                    vec![],
                    now - 49 * 3_600_000,
                ),
            ],
            0,
        )
        .await
        .expect("tokens");

    let other = sign_up(
        &http,
        json!({"username": "eve", "email": "eve@example.com", "password": "password1", "invite_token": good}),
    )
    .await;
    refused(
        &other,
        StatusCode::FORBIDDEN,
        "email_not_accepted",
        Some("email"),
    );

    let (status, grace) = sign_up(
        &http,
        json!({"username": "grace", "email": "Grace@Example.com", "password": "password1", "invite_token": good}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{grace}");
    assert_eq!(
        grace["email_verified"], true,
        "the mailed link proves the address"
    );
    let token = login(&http, "grace").await;
    assert_eq!(team_ids(&http, &token).await, vec![team_id.clone()]);
    let (status, _) = http
        .call(
            GET,
            &format!("/api/v1/channels/{}", s(&room, "id")),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "joined the invitation's private channel"
    );

    let again = sign_up(
        &http,
        json!({"username": "grace2", "email": "grace@example.com", "password": "password1", "invite_token": good}),
    )
    .await;
    refused(
        &again,
        StatusCode::NOT_FOUND,
        "invitation_not_found",
        Some("token"),
    );
    let expired = sign_up(
        &http,
        json!({"username": "old", "email": "old@example.com", "password": "password1", "invite_token": old}),
    )
    .await;
    refused(
        &expired,
        StatusCode::BAD_REQUEST,
        "invitation_expired",
        Some("token"),
    );
    let guessed = sign_up(
        &http,
        json!({"username": "guess", "email": "guess@example.com", "password": "password1", "invite_token": "short"}),
    )
    .await;
    refused(
        &guessed,
        StatusCode::NOT_FOUND,
        "invitation_not_found",
        Some("token"),
    );
}

/// With user creation off, even invitations are refused; the first account
/// and admins' accounts are still made.
pub async fn user_creation_off_refuses_invitations(ctx: Ctx) {
    let http = closed(&ctx, |c| c.enable_user_creation = false);
    let (_, config) = http.call(GET, "/api/v1/system/config", None, None).await;
    assert_eq!(config["enable_user_creation"], false);
    let (status, _) = sign_up(&http, person("ada", "example.com")).await;
    assert_eq!(status, StatusCode::CREATED, "the first account");
    let admin = login(&http, "ada").await;
    let (team_id, _) = team(&http, &admin, "ops").await;
    let invite = invite_id(&http, &admin, &team_id).await;
    let answer = sign_up(
        &http,
        json!({"username": "grace", "email": "grace@example.com", "password": "password1", "invite_id": invite}),
    )
    .await;
    refused(&answer, StatusCode::FORBIDDEN, "sign_up_closed", None);
    let (status, _) = http
        .call(
            POST,
            "/api/v1/users",
            Some(&admin),
            Some(person("bob", "example.com")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "admins still make accounts");
}
