//! Custom slash commands call URLs their creators choose. A server on the
//! default configuration (no `allowed_untrusted_internal_connections`)
//! refuses to call loopback, and the caller is told why in Mattermost's
//! error shape; with the address allowed, the same kind of command reaches
//! its integration, and its `response_url` works within Mattermost's limits.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::http::{Method, StatusCode};
use axum::routing::post;
use core_server::config::Config;
use core_server::model::CommandWebhook;
use serde_json::{json, Value};

use crate::support::{id, App, Backend};

/// An integration on loopback that counts its calls and answers `answer`.
async fn integration(answer: Value) -> (String, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    let app = axum::Router::new().route(
        "/cmd",
        post(move || {
            let counted = counted.clone();
            let answer = answer.clone();
            async move {
                counted.fetch_add(1, Ordering::SeqCst);
                axum::Json(answer)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}/cmd"), calls)
}

fn config(allowed: &str) -> Config {
    Config {
        site_url: Some("https://chat.example.com".into()),
        allowed_untrusted_internal_connections: allowed.into(),
        integration_request_timeout_seconds: 5,
        ..crate::support::open_config()
    }
}

/// A team admin's team and town square, and a command of theirs at `url`;
/// returns (admin token, channel, command).
async fn command_at(app: &App, url: &str) -> (String, String, Value) {
    let (_, owner) = app.user("owner").await;
    let team = id(&app
        .team(
            &owner,
            json!({"name": "ops", "display_name": "Ops", "type": "O"}),
        )
        .await);
    let channel = app.town_square(&owner, &team).await;
    let (status, command, _) = app
        .call(
            &Method::POST,
            "/api/v4/commands",
            Some(&owner),
            Some(&json!({"team_id": team, "trigger": "deploy", "method": "P", "url": url})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{command}");
    (owner, channel, command)
}

async fn run(app: &App, token: &str, channel: &str, command: &str) -> (StatusCode, Value) {
    let (status, body, _) = app
        .call(
            &Method::POST,
            "/api/v4/commands/execute",
            Some(token),
            Some(&json!({"command": command, "channel_id": channel})),
        )
        .await;
    (status, body)
}

async fn messages(app: &App, token: &str, channel: &str) -> Vec<String> {
    let (_, posts, _) = app
        .call(
            &Method::GET,
            &format!("/api/v4/channels/{channel}/posts"),
            Some(token),
            None,
        )
        .await;
    posts["posts"]
        .as_object()
        .map(|p| {
            p.values()
                .filter_map(|v| v["message"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

async fn a_default_server_refuses_to_call_a_loopback_command(backend: Backend) {
    let (url, calls) =
        integration(json!({"response_type": "in_channel", "text": "deployed"})).await;
    let Some(app) = backend.app(config("")).await else {
        return;
    };
    let (owner, channel, command) = command_at(&app, &url).await;
    assert_eq!(
        command["url"],
        url.as_str(),
        "saving is allowed: the URL is checked when called"
    );

    let (status, body) = run(&app, &owner, &channel, "/deploy now").await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
    assert_eq!(body["id"], "api.command.execute_command.failed.app_error");
    assert_eq!(body["status_code"], 502);
    let message = body["message"].as_str().unwrap_or("");
    assert!(message.contains("/deploy"), "names the trigger: {message}");
    assert!(
        message.contains("allowed_untrusted_internal_connections"),
        "says what an administrator can do: {message}"
    );
    assert!(
        !message.contains(command["token"].as_str().unwrap_or("-")),
        "never the token: {message}"
    );
    assert_eq!(
        calls.load(Ordering::SeqCst),
        0,
        "the integration is never called"
    );
    assert!(!messages(&app, &owner, &channel)
        .await
        .contains(&"deployed".to_string()));

    // By name too, and wherever the loopback address hides.
    for alias in ["localhost", "[::ffff:127.0.0.1]"] {
        let aliased = url.replace("127.0.0.1", alias);
        let (status, edited, _) = app
            .call(
                &Method::PUT,
                &format!("/api/v4/commands/{}", id(&command)),
                Some(&owner),
                Some(&json!({"id": id(&command), "team_id": command["team_id"], "trigger": "deploy", "method": "P", "url": aliased})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{edited}");
        let (status, body) = run(&app, &owner, &channel, "/deploy").await;
        assert_eq!(
            (status, body["id"].as_str()),
            (
                StatusCode::BAD_GATEWAY,
                Some("api.command.execute_command.failed.app_error")
            ),
            "{alias}: {body}"
        );
    }
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

async fn an_allowed_integration_answers_and_its_response_url_has_limits(backend: Backend) {
    let (url, calls) =
        integration(json!({"response_type": "in_channel", "text": "deployed"})).await;
    let Some(app) = backend.app(config("127.0.0.1")).await else {
        return;
    };
    let (owner, channel, command) = command_at(&app, &url).await;
    let (status, body) = run(&app, &owner, &channel, "/deploy now").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["response_type"], "in_channel");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(messages(&app, &owner, &channel)
        .await
        .contains(&"deployed".to_string()));

    // The run's webhook, as the response_url names it (the one stored).
    let hook = CommandWebhook {
        id: core_server::id::new_id(),
        create_at: core_server::time::now_ms(),
        command_id: id(&command),
        user_id: command["creator_id"].as_str().expect("creator").into(),
        channel_id: channel.clone(),
        root_id: String::new(),
        use_count: 0,
    };
    app.core
        .store
        .create_command_webhook(&hook)
        .await
        .expect("hook");
    let later = |text: &str| json!({"response_type": "in_channel", "text": text});
    for i in 0..CommandWebhook::MAX_USES {
        let reply = app
            .json(
                Method::POST,
                &format!("/hooks/commands/{}", hook.id),
                None,
                later(&format!("later {i}")),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.bytes, b"ok");
    }
    let reply = app
        .json(
            Method::POST,
            &format!("/hooks/commands/{}", hook.id),
            None,
            later("once too often"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json()["id"], "app.command_webhook.try_use.invalid");
    let posted = messages(&app, &owner, &channel).await;
    assert!(posted.contains(&"later 4".to_string()));
    assert!(!posted.contains(&"once too often".to_string()));

    // Past Mattermost's 30 minutes the URL is gone.
    let expired = CommandWebhook {
        id: core_server::id::new_id(),
        create_at: core_server::time::now_ms() - CommandWebhook::LIFETIME_MS - 1_000,
        ..hook
    };
    app.core
        .store
        .create_command_webhook(&expired)
        .await
        .expect("old hook");
    let reply = app
        .json(
            Method::POST,
            &format!("/hooks/commands/{}", expired.id),
            None,
            later("too late"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.json()["id"], "app.command_webhook.get.missing");
}

async fn with_commands_off_every_custom_command_route_is_501(backend: Backend) {
    let (url, calls) = integration(json!({"text": "should not run"})).await;
    let Some(app) = backend.app(config("127.0.0.1")).await else {
        return;
    };
    let (owner, channel, command) = command_at(&app, &url).await;
    let command_id = id(&command);
    let team = command["team_id"].as_str().expect("team").to_string();
    // The same store, with enable_commands turned off.
    let off = Config {
        enable_commands: false,
        ..config("127.0.0.1")
    };
    let app = App::over(
        core_server::services::Core::new(app.core.store.clone(), off),
        None,
    );
    let disabled = |status: StatusCode, body: &Value, what: &str| {
        assert_eq!(
            (status, body["id"].as_str()),
            (
                StatusCode::NOT_IMPLEMENTED,
                Some("api.command.disabled.app_error")
            ),
            "{what}: {body}"
        );
    };
    let edit =
        json!({"id": command_id, "team_id": team, "trigger": "deploy", "method": "P", "url": url});
    for (method, path, body) in [
        (
            Method::POST,
            "/api/v4/commands".to_string(),
            Some(json!({"team_id": team, "trigger": "more", "method": "P", "url": url})),
        ),
        (
            Method::GET,
            format!("/api/v4/commands?team_id={team}&custom_only=true"),
            None,
        ),
        (Method::GET, format!("/api/v4/commands/{command_id}"), None),
        (
            Method::PUT,
            format!("/api/v4/commands/{command_id}"),
            Some(edit),
        ),
        (
            Method::DELETE,
            format!("/api/v4/commands/{command_id}"),
            None,
        ),
        (
            Method::PUT,
            format!("/api/v4/commands/{command_id}/move"),
            Some(json!({"team_id": team})),
        ),
        (
            Method::PUT,
            format!("/api/v4/commands/{command_id}/regen_token"),
            None,
        ),
    ] {
        let (status, reply, _) = app.call(&method, &path, Some(&owner), body.as_ref()).await;
        disabled(status, &reply, &format!("{method} {path}"));
    }
    let (status, body) = run(&app, &owner, &channel, "/deploy").await;
    disabled(status, &body, "running a custom command");
    assert_eq!(
        calls.load(Ordering::SeqCst),
        0,
        "custom commands are not run"
    );

    // Built-ins still run and are still listed; custom ones are not offered.
    let (status, body) = run(&app, &owner, &channel, "/me waves").await;
    assert_eq!(
        (status, body["type"].as_str()),
        (StatusCode::OK, Some("me"))
    );
    for path in [
        format!("/api/v4/commands?team_id={team}"),
        format!("/api/v4/teams/{team}/commands/autocomplete"),
    ] {
        let (status, listed, _) = app.call(&Method::GET, &path, Some(&owner), None).await;
        assert_eq!(status, StatusCode::OK, "{path}: {listed}");
        let triggers: Vec<&str> = listed
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|c| c["trigger"].as_str())
            .collect();
        assert!(triggers.contains(&"me"), "{path}: {triggers:?}");
        assert!(!triggers.contains(&"deploy"), "{path}: {triggers:?}");
    }
}

on_both_backends!(
    a_default_server_refuses_to_call_a_loopback_command,
    an_allowed_integration_answers_and_its_response_url_has_limits,
    with_commands_off_every_custom_command_route_is_501,
);
