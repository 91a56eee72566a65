//! Interactive messages and dialogs through the native API, on both
//! backends, against a real integration on 127.0.0.1: an action's request
//! and answer, the integration kept from clients, the dialog it opens (the
//! v1 socket's `open_dialog`), a submission's field errors, an outsider
//! refused, and a server without the allow list refusing to call loopback.

#[macro_use]
mod support;

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use core_server::api::ws::V1Wire;
use core_server::config::Config;
use core_server::events::{Audience, EventKind};
use core_server::model::Dialog;
use core_server::realtime::WireFormat;
use core_server::services::{Core, OpenDialog};
use serde_json::{json, Value};
use support::{s, Ctx, Http};

const POST: Method = Method::POST;
const GET: Method = Method::GET;

/// The integration: what it was sent, per path.
#[derive(Clone)]
struct Integration {
    core: Core,
    seen: Arc<Mutex<Vec<(String, Value)>>>,
    url: String,
}

async fn act(State(it): State<Integration>, Json(body): Json<Value>) -> Json<Value> {
    it.seen
        .lock()
        .expect("lock")
        .push(("act".into(), body.clone()));
    // Opens a dialog with the trigger id it was just given.
    let dialog: Dialog = serde_json::from_value(json!({
        "callback_id": "cb", "title": "Why?", "state": "st",
        "elements": [{"display_name": "Reason", "name": "reason", "type": "text"}]
    }))
    .expect("dialog");
    it.core
        .open_dialog(OpenDialog {
            trigger_id: body["trigger_id"].as_str().unwrap_or_default().to_string(),
            url: format!("{}/submit", it.url),
            dialog,
        })
        .await
        .expect("the fresh trigger id opens a dialog");
    Json(json!({
        "update": {"message": "done", "props": {"attachments": [{"text": "ran"}]}},
        "ephemeral_text": "thanks",
        "goto_location": "https://example.com/after"
    }))
}

async fn submit(State(it): State<Integration>, Json(body): Json<Value>) -> Json<Value> {
    it.seen
        .lock()
        .expect("lock")
        .push(("submit".into(), body.clone()));
    Json(json!({"errors": {"reason": "too short"}}))
}

/// A core that may call loopback, its HTTP app, and the integration.
async fn set_up(ctx: &Ctx) -> (Core, Http, Integration) {
    let config = Config {
        allowed_untrusted_internal_connections: "127.0.0.1".into(),
        integration_request_timeout_seconds: 5,
        ..(*ctx.core.config()).clone()
    };
    let core = Core::new(ctx.store.clone(), config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let it = Integration {
        core: core.clone(),
        seen: Arc::default(),
        url,
    };
    let app = Router::new()
        .route("/act", post(act))
        .route("/submit", post(submit))
        .with_state(it.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (core.clone(), Http::new(&core), it)
}

async fn ok(http: &Http, method: Method, path: &str, token: &str, body: Value) -> Value {
    let (status, reply) = http
        .call(method.clone(), path, Some(token), Some(body))
        .await;
    assert!(status.is_success(), "{method} {path}: {status} {reply}");
    reply
}

async fn v1_actions_and_dialogs(ctx: Ctx) {
    let (core, http, it) = set_up(&ctx).await;
    http.user("root").await;
    let (_, owner) = http.user("owner").await;
    let (clicker_id, clicker) = http.user("clicker").await;
    let (_, outsider) = http.user("outsider").await;
    let team = s(
        &ok(
            &http,
            POST,
            "/api/v1/teams",
            &owner,
            json!({"name": "acts", "display_name": "Acts", "type": "O"}),
        )
        .await,
        "id",
    );
    let channel = s(
        &ok(
            &http,
            POST,
            &format!("/api/v1/teams/{team}/channels"),
            &owner,
            json!({"name": "ops", "display_name": "Ops", "type": "P"}),
        )
        .await,
        "id",
    );
    ok(
        &http,
        POST,
        &format!("/api/v1/teams/{team}/members"),
        &owner,
        json!({"user_id": clicker_id}),
    )
    .await;
    ok(
        &http,
        POST,
        &format!("/api/v1/channels/{channel}/members"),
        &owner,
        json!({"user_id": clicker_id}),
    )
    .await;
    let post = ok(
        &http,
        POST,
        &format!("/api/v1/channels/{channel}/posts"),
        &owner,
        json!({"message": "deploy?", "props": {"attachments": [{"actions": [
            {"name": "Go", "type": "button",
             "integration": {"url": format!("{}/act", it.url), "context": {"secret": "k"}}}
        ]}]}}),
    )
    .await;
    let post_id = s(&post, "id");
    let action = &post["props"]["attachments"][0]["actions"][0];
    let action_id = s(action, "id");
    assert!(action.get("integration").is_none(), "{post}");
    let read = ok(
        &http,
        GET,
        &format!("/api/v1/posts/{post_id}"),
        &clicker,
        json!({}),
    )
    .await;
    assert!(!read.to_string().contains("integration"), "{read}");

    let mut events = core.events.subscribe();
    let path = format!("/api/v1/posts/{post_id}/actions/{action_id}");
    let (status, refused) = http
        .call(POST, &path, Some(&outsider), Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert!(it.seen.lock().expect("lock").is_empty());

    // A server left with the default allow list does not call loopback.
    let strict = Http::new(&Core::new(ctx.store.clone(), (*ctx.core.config()).clone()));
    let (status, error) = strict
        .call(POST, &path, Some(&clicker), Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{error}");
    assert_eq!(error["code"], "integration_failed");
    assert!(it.seen.lock().expect("lock").is_empty());

    let outcome = ok(&http, POST, &path, &clicker, json!({})).await;
    assert_eq!(outcome["goto_location"], "https://example.com/after");
    let trigger = s(&outcome, "trigger_id");
    let sent = it.seen.lock().expect("lock")[0].1.clone();
    assert_eq!(sent["user_id"], clicker_id.as_str());
    assert_eq!(sent["user_name"], "clicker");
    assert_eq!(sent["channel_id"], channel.as_str());
    assert_eq!(sent["channel_name"], "ops");
    assert_eq!(sent["team_id"], team.as_str());
    assert_eq!(sent["team_domain"], "acts");
    assert_eq!(sent["post_id"], post_id.as_str());
    assert_eq!(sent["type"], "button");
    assert_eq!(sent["context"], json!({"secret": "k"}));

    // The dialog went to the clicker only, and the v1 socket carries it as the web app expects.
    let mut opened = None;
    while let Ok(event) = events.try_recv() {
        if let EventKind::OpenDialog { .. } = &event.kind {
            assert_eq!(event.audience, Audience::User(clicker_id.clone()));
            opened = Some(event);
        }
    }
    let opened = opened.expect("an open_dialog event");
    let frame = V1Wire.encode(&opened, false).expect("encoded").render(1);
    let frame: Value = serde_json::from_str(&frame).expect("json");
    assert_eq!(frame["type"], "open_dialog");
    assert_eq!(frame["data"]["trigger_id"], trigger.as_str());
    assert_eq!(frame["data"]["url"], format!("{}/submit", it.url));
    assert_eq!(frame["data"]["dialog"]["title"], "Why?");
    assert_eq!(frame["data"]["dialog"]["elements"][0]["name"], "reason");

    let updated = ok(
        &http,
        GET,
        &format!("/api/v1/posts/{post_id}"),
        &clicker,
        json!({}),
    )
    .await;
    assert_eq!(updated["message"], "done");
    assert_eq!(updated["props"]["attachments"][0]["text"], "ran");

    let submission = json!({
        "url": format!("{}/submit", it.url), "callback_id": "cb", "state": "st",
        "channel_id": channel, "team_id": team, "submission": {"reason": "x"}, "cancelled": false
    });
    let answer = ok(
        &http,
        POST,
        "/api/v1/actions/dialogs/submit",
        &clicker,
        submission.clone(),
    )
    .await;
    assert_eq!(answer, json!({"errors": {"reason": "too short"}}));
    let sent = it.seen.lock().expect("lock")[1].1.clone();
    assert_eq!(sent["type"], "dialog_submission");
    assert_eq!(sent["user_id"], clicker_id.as_str());
    assert_eq!(sent["submission"], json!({"reason": "x"}));
    let (status, _) = http
        .call(
            POST,
            "/api/v1/actions/dialogs/submit",
            Some(&outsider),
            Some(submission),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    assert_eq!(it.seen.lock().expect("lock").len(), 2);
}

on_both_backends!(v1_actions_and_dialogs);
