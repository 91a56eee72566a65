//! The checks on samples: a wrong or unknown field is named with its
//! route and pointer, JSON strings inside events are decoded and checked,
//! replies and unknown events are covered, and recorded paths find their
//! route template.

use serde_json::json;

use crate::contracts::Contracts;
use crate::report::Report;
use crate::samples::{posted_frame, sample_post, sample_user};
use crate::BASE;

#[test]
fn a_user_whose_create_at_is_a_string_fails_naming_the_field() {
    let contracts = Contracts::load();
    let uri = format!("{BASE}user.json");
    let subject = "GET /api/v4/users/{user_id} -> 200";

    let mut report = Report::default();
    contracts.validate_at(&uri, &sample_user(), "", subject, "sample", &mut report);
    assert!(
        report.failures.is_empty(),
        "a well-formed user fails:\n{}",
        report.render()
    );

    let mut user = sample_user();
    user["create_at"] = json!("1700000000000");
    contracts.validate_at(&uri, &user, "", subject, "sample", &mut report);
    let text = report.render();
    assert_eq!(report.failures.len(), 1, "{text}");
    assert!(text.contains(subject), "the route is named: {text}");
    assert!(
        text.contains("at /create_at:"),
        "the field is named: {text}"
    );
    assert!(
        text.contains("\"integer\""),
        "the expected type is named: {text}"
    );
}

#[test]
fn closed_models_reject_unknown_and_missing_fields() {
    let contracts = Contracts::load();
    let uri = format!("{BASE}user.json");
    let mut report = Report::default();

    let mut leaked = sample_user();
    leaked["password"] = json!("$2a$10$secret");
    contracts.validate_at(&uri, &leaked, "", "user", "sample", &mut report);
    assert!(report.render().contains("password"), "{}", report.render());

    let mut report = Report::default();
    let mut partial = sample_user();
    partial
        .as_object_mut()
        .expect("an object")
        .remove("username");
    contracts.validate_at(&uri, &partial, "", "user", "sample", &mut report);
    assert!(report.render().contains("username"), "{}", report.render());
}

#[test]
fn json_string_members_of_events_are_decoded_and_validated() {
    let contracts = Contracts::load();

    let mut report = Report::default();
    contracts.check_frame(
        &posted_frame(&sample_post().to_string()),
        "sample",
        &mut report,
    );
    assert!(
        report.failures.is_empty(),
        "a well-formed posted frame fails:\n{}",
        report.render()
    );

    let mut post = sample_post();
    post["user_id"] = json!(42);
    contracts.check_frame(&posted_frame(&post.to_string()), "sample", &mut report);
    let text = report.render();
    assert_eq!(report.failures.len(), 1, "{text}");
    assert!(text.contains("websocket event posted"), "{text}");
    assert!(text.contains("at /data/post -> /user_id:"), "{text}");
    assert!(text.contains("\"string\""), "{text}");

    let mut report = Report::default();
    contracts.check_frame(&posted_frame("{not json"), "sample", &mut report);
    assert!(
        report
            .render()
            .contains("at /data/post: expected a string holding JSON"),
        "{}",
        report.render()
    );
}

#[test]
fn replies_and_unknown_events_are_checked() {
    let contracts = Contracts::load();
    let mut report = Report::default();
    contracts.check_frame(
        r#"{"status":"OK","seq_reply":2,"data":{"text":"pong","version":"10.11.0.0.x.false","server_time":1700000000000,"node_id":""}}"#,
        "sample",
        &mut report,
    );
    contracts.check_frame(r#"{"status":"OK","seq_reply":3}"#, "sample", &mut report);
    assert!(report.failures.is_empty(), "{}", report.render());

    contracts.check_frame(r#"{"status":"FAIL","seq_reply":4}"#, "sample", &mut report);
    contracts.check_frame(
        r#"{"event":"no_such_event","data":{},"broadcast":{"omit_users":null,"user_id":"","channel_id":"","team_id":"","connection_id":"","omit_connection_id":""},"seq":1}"#,
        "sample",
        &mut report,
    );
    let text = report.render();
    assert!(text.contains("websocket reply"), "{text}");
    assert!(
        text.contains("websocket event no_such_event: at /event"),
        "{text}"
    );
}

#[test]
fn recorded_paths_find_their_route_template() {
    let contracts = Contracts::load();
    let key = |method: &str, path: &str| contracts.route_for(method, path).map(|r| r.key.as_str());
    assert_eq!(
        key("GET", "/api/v4/users/me"),
        Some("GET /api/v4/users/{user_id}")
    );
    assert_eq!(
        key("GET", "/api/v4/users/autocomplete"),
        Some("GET /api/v4/users/autocomplete")
    );
    assert_eq!(
        key("POST", "/api/v4/users/ids"),
        Some("POST /api/v4/users/ids")
    );
    assert_eq!(
        key("GET", "/api/v4/teams/name/compat"),
        Some("GET /api/v4/teams/name/{name}")
    );
    assert_eq!(
        key(
            "GET",
            "/api/v4/users/me/teams/tttttttttttttttttttttttttt/channels/categories/order"
        ),
        Some("GET /api/v4/users/{user_id}/teams/{team_id}/channels/categories/order")
    );
    assert_eq!(key("GET", "/api/v4/no/such/route"), None);

    // A recorded exchange: the body is checked against the route's schema for its status.
    let mut report = Report::default();
    let entry = json!({
        "client": "test",
        "method": "GET",
        "url": "http://127.0.0.1:8065/api/v4/users/me?x=1",
        "status": 200,
        "body": sample_user().to_string()
    });
    assert!(contracts.check_exchange(&entry, "sample", &mut report));
    assert!(report.failures.is_empty(), "{}", report.render());
    let error = json!({
        "client": "test",
        "method": "GET",
        "url": "http://127.0.0.1:8065/api/v4/users/me",
        "status": 401,
        "body": r#"{"id":"api.context.session_expired.app_error","message":"Invalid or expired session, please login again.","detailed_error":"","request_id":"rrrrrrrrrrrrrrrrrrrrrrrrrr","status_code":"401"}"#
    });
    assert!(contracts.check_exchange(&error, "sample", &mut report));
    let text = report.render();
    assert!(
        text.contains("GET /api/v4/users/{user_id} -> 401: at /status_code:"),
        "{text}"
    );
}
