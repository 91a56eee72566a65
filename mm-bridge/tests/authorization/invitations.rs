//! Invitations by invite id, the unread view around the first unread post,
//! saved (flagged) posts, and profile pictures.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::json;

use crate::support::PNG;
use crate::support::{id, App};

#[tokio::test]
async fn invitations_pictures_unread_views_and_saved_posts() {
    let app = App::new().await;
    let (_, _admin) = app.user("sysadmin").await;
    let (owner_id, owner) = app.user("inviter").await;
    let (guest_id, guest) = app.user("invitee").await;
    let team = app
        .team(
            &owner,
            json!({"name": "inv", "display_name": "Inv", "type": "I"}),
        )
        .await;
    let invite = team["invite_id"].as_str().expect("invite id").to_string();
    let team = id(&team);

    // The invite id is the invitation: it opens an invite-only team, until regenerated.
    let (status, info, _) = app
        .call(
            &Method::GET,
            &format!("/api/v4/teams/invite/{invite}"),
            None,
            None,
        )
        .await;
    assert_eq!(
        (status, info["name"].as_str()),
        (StatusCode::OK, Some("inv"))
    );
    let (status, _, _) = app
        .call(
            &Method::POST,
            &format!("/api/v4/teams/{team}/members"),
            Some(&guest),
            Some(&json!({"team_id": team, "user_id": guest_id})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "an invite-only team is closed without the invitation"
    );
    let (status, member, _) = app
        .call(
            &Method::POST,
            &format!("/api/v4/teams/members/invite?invite_id={invite}"),
            Some(&guest),
            None,
        )
        .await;
    assert_eq!(
        (status, member["user_id"].as_str()),
        (StatusCode::CREATED, Some(guest_id.as_str()))
    );
    let (_, renewed, _) = app
        .call(
            &Method::POST,
            &format!("/api/v4/teams/{team}/regenerate_invite_id"),
            Some(&owner),
            None,
        )
        .await;
    assert_ne!(renewed["invite_id"].as_str(), Some(invite.as_str()));
    let (status, _, _) = app
        .call(
            &Method::GET,
            &format!("/api/v4/teams/invite/{invite}"),
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the old invitation is void");

    // Unread view: the guest has read nothing in town-square yet.
    let town = app.town_square(&owner, &team).await;
    let mut posted = Vec::new();
    for i in 0..3 {
        let (_, p, _) = app
            .call(
                &Method::POST,
                "/api/v4/posts",
                Some(&owner),
                Some(&json!({"channel_id": town, "message": format!("news {i}")})),
            )
            .await;
        posted.push(id(&p));
    }
    let (status, around, _) = app
        .call(
            &Method::GET,
            &format!(
                "/api/v4/users/me/channels/{town}/posts/unread?limit_before=10&limit_after=10"
            ),
            Some(&guest),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{around}");
    assert_eq!(around["order"].as_array().map(Vec::len), Some(3));
    assert_eq!(around["order"][0], posted[2].as_str(), "newest first");

    // Saved posts come from the flagged_post preferences.
    let flag = json!([{"user_id": guest_id, "category": "flagged_post", "name": posted[1], "value": "true"}]);
    app.call(
        &Method::PUT,
        "/api/v4/users/me/preferences",
        Some(&guest),
        Some(&flag),
    )
    .await;
    let (_, saved, _) = app
        .call(
            &Method::GET,
            "/api/v4/users/me/posts/flagged",
            Some(&guest),
            None,
        )
        .await;
    assert_eq!(saved["order"], json!([posted[1]]), "{saved}");

    // An uploaded picture replaces the generated one; deleting it brings that back.
    let boundary = "pic";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\n").into_bytes();
    body.extend_from_slice(PNG);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let upload = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v4/users/{owner_id}/image"))
        .header("authorization", format!("Bearer {owner}"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request");
    assert_eq!(app.request(upload).await.status, StatusCode::OK);
    let picture = |token: String| {
        let req = Request::builder()
            .uri(format!("/api/v4/users/{owner_id}/image"))
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .expect("request");
        app.request(req)
    };
    let bytes = picture(guest.clone()).await.bytes;
    assert_eq!(bytes, PNG, "others see the uploaded picture");
    let (_, me, _) = app
        .call(&Method::GET, "/api/v4/users/me", Some(&owner), None)
        .await;
    assert!(me["last_picture_update"].as_i64().unwrap_or(0) > 0);
    app.call(
        &Method::DELETE,
        &format!("/api/v4/users/{owner_id}/image"),
        Some(&owner),
        None,
    )
    .await;
    let bytes = picture(guest).await.bytes;
    assert_ne!(bytes, PNG, "the generated picture is back");
}
