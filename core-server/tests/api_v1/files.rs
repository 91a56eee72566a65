//! Files through the native API: upload, read back, attach, refuse outsiders.

use axum::http::StatusCode;
use serde_json::json;

use crate::fixtures::{team, GET, POST};
use crate::support::{s, Ctx, Http};

/// Files through the native API: upload into a channel, read back, attach
/// to a post, and no access for non-members.
pub async fn files_upload_read_attach_and_refuse_outsiders(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (_, owner) = http.user("fiona").await;
    let (_, outsider) = http.user("oscar").await;
    let (team_id, channel) = team(&http, &owner, "files").await;
    let (status, info) = http
        .raw(
            POST,
            &format!("/api/v1/channels/{channel}/files?filename=notes.txt"),
            Some(&owner),
            Some("meeting notes".to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{info}");
    assert_eq!(info["name"], "notes.txt");
    assert_eq!(info["mime_type"], "text/plain");
    assert_eq!(info["size"], 13);
    let id = s(&info, "id");
    let (status, got) = http
        .call(GET, &format!("/api/v1/files/{id}"), Some(&owner), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got, json!("meeting notes"));
    let (status, _) = http
        .call(
            GET,
            &format!("/api/v1/files/{id}/info"),
            Some(&outsider),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "an outsider reads nothing");
    let (status, p) = http
        .call(
            POST,
            &format!("/api/v1/channels/{channel}/posts"),
            Some(&owner),
            Some(json!({"message": "see notes", "file_ids": [id]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let (status, files) = http
        .call(
            GET,
            &format!("/api/v1/posts/{}/files", s(&p, "id")),
            Some(&owner),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(files[0]["id"], id.as_str());
    assert_eq!(files[0]["post_id"], p["id"]);
    let search = format!("/api/v1/teams/{team_id}/files/search");
    let (status, found) = http
        .call(GET, &format!("{search}?terms=NOTES"), Some(&owner), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(
        found[0]["id"],
        id.as_str(),
        "names match case-insensitively"
    );
    let (_, none) = http
        .call(GET, &format!("{search}?terms=minutes"), Some(&owner), None)
        .await;
    assert_eq!(none, json!([]));
    let (status, _) = http
        .call(GET, &format!("{search}?terms=notes"), Some(&outsider), None)
        .await;
    assert!(
        status.is_client_error(),
        "an outsider searches nothing: {status}"
    );
    let (status, err) = http
        .call(GET, &format!("{search}?terms=%20"), Some(&owner), None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err.to_string().contains("terms"), "{err}");
    let (status, _) = http
        .raw(
            POST,
            &format!("/api/v1/channels/{channel}/files?filename=x.txt"),
            Some(&outsider),
            Some("x".to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "an outsider cannot upload");
}
