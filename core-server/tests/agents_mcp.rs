//! Agents and the MCP endpoint through the whole HTTP application, on both
//! backends: registering an agent is for system admins only, and a card at
//! a loopback address is refused unless the allow list names it; `/mcp`
//! wants a bearer token, speaks JSON-RPC one message at a time, sends
//! clients probing for a newer protocol back to `initialize`, and its tools
//! act with the caller's rights only. (The official A2A and MCP SDKs drive
//! the same server in contracts/clients/py/tests/test_agents.py.)

#[macro_use]
mod support;

use axum::http::{Method, StatusCode};
use core_server::config::Config;
use core_server::services::Core;
use serde_json::{json, Value};
use support::{s, Ctx, Http};

const POST: Method = Method::POST;

async fn rpc(http: &Http, token: Option<&str>, body: Value) -> (StatusCode, Value) {
    http.call(POST, "/mcp", token, Some(body)).await
}

async fn tool(http: &Http, token: &str, name: &str, arguments: Value) -> Value {
    let (status, reply) = rpc(
        http,
        Some(token),
        json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": name, "arguments": arguments}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    reply["result"].clone()
}

async fn registering_agents(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (_, admin) = http.user("root").await;
    let (_, plain) = http.user("plain").await;
    let card = json!({"card_url": "http://127.0.0.1:9/.well-known/agent-card.json"});
    let (status, reply) = http
        .call(POST, "/api/v1/agents", Some(&plain), Some(card.clone()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{reply}");
    // Loopback is refused by default, by address and by name.
    for url in [
        "http://127.0.0.1:9/.well-known/agent-card.json",
        "http://localhost:9/.well-known/agent-card.json",
    ] {
        let (status, reply) = http
            .call(
                POST,
                "/api/v1/agents",
                Some(&admin),
                Some(json!({"card_url": url})),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{reply}");
        assert_eq!(reply["field"], "card_url", "{reply}");
        assert!(
            s(&reply, "message").contains("allowed_untrusted_internal_connections"),
            "{reply}"
        );
    }
    let (status, reply) = http
        .call(
            POST,
            "/api/v1/agents",
            Some(&admin),
            Some(json!({"card_url": "file:///etc/passwd"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{reply}");
    // Allowed, the card is fetched: nothing listens there, which is said.
    let allowing = Config {
        allowed_untrusted_internal_connections: "127.0.0.1".into(),
        ..(*ctx.core.config()).clone()
    };
    let open = Http::new(&Core::new(ctx.store.clone(), allowing));
    let (status, reply) = open
        .call(POST, "/api/v1/agents", Some(&admin), Some(card))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{reply}");
    assert!(
        s(&reply, "message").contains("could not be read"),
        "{reply}"
    );
    assert!(
        !s(&reply, "message").contains("allowed_untrusted"),
        "{reply}"
    );
    let (status, list) = http
        .call(Method::GET, "/api/v1/agents", Some(&plain), None)
        .await;
    assert_eq!((status, list), (StatusCode::OK, json!([])));
    let (status, _) = http
        .call(
            Method::DELETE,
            &format!("/api/v1/agents/{}", "a".repeat(26)),
            Some(&plain),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn mcp_endpoint(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (_, owner) = http.user("owner").await;
    let (_, member) = http.user("member").await;
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}});
    let (status, _) = rpc(&http, None, init.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = rpc(&http, Some("not-a-token"), init.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, reply) = rpc(&http, Some(&member), init).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply["result"]["protocolVersion"], "2025-11-25");
    assert_eq!(reply["result"]["serverInfo"]["name"], "rustchat");
    // A newer client's discovery is a method not found: it falls back.
    let (_, reply) = rpc(
        &http,
        Some(&member),
        json!({"jsonrpc": "2.0", "id": 2, "method": "server/discover"}),
    )
    .await;
    assert_eq!(reply["error"]["code"], -32601, "{reply}");
    let (status, _) = rpc(
        &http,
        Some(&member),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let (_, reply) = rpc(
        &http,
        Some(&member),
        json!([{"jsonrpc": "2.0", "id": 3, "method": "ping"}]),
    )
    .await;
    assert_eq!(reply["error"]["code"], -32600, "{reply}");
    let (status, reply) = rpc(
        &http,
        Some(&member),
        json!({"jsonrpc": "2.0", "id": null, "method": "ping"}),
    )
    .await;
    assert_eq!(
        (status, reply["error"]["code"].clone()),
        (StatusCode::BAD_REQUEST, json!(-32600))
    );
    let (status, _) = http
        .raw(POST, "/mcp", Some(&member), Some("{not json".into()))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = http.call(Method::GET, "/mcp", Some(&member), None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let (_, reply) = rpc(
        &http,
        Some(&member),
        json!({"jsonrpc": "2.0", "id": 4, "method": "tools/list"}),
    )
    .await;
    let names: Vec<&str> = reply["result"]["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    for expected in [
        "list_channels",
        "read_channel",
        "get_thread",
        "search_posts",
        "post_message",
        "list_users",
        "get_user",
        "add_reaction",
    ] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    let (_, reply) = rpc(
        &http,
        Some(&member),
        json!({"jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": {"name": "nope"}}),
    )
    .await;
    assert_eq!(reply["error"]["code"], -32602, "{reply}");

    // A private channel the member is not in: neither read nor written.
    let (_, team) = http
        .call(
            POST,
            "/api/v1/teams",
            Some(&owner),
            Some(json!({"name": "mcp", "display_name": "MCP", "type": "O"})),
        )
        .await;
    let team = s(&team, "id");
    let (_, secret) = http
        .call(
            POST,
            &format!("/api/v1/teams/{team}/channels"),
            Some(&owner),
            Some(json!({"name": "secret", "display_name": "Secret", "type": "P"})),
        )
        .await;
    let secret = s(&secret, "id");
    let (_, posted) = http
        .call(
            POST,
            &format!("/api/v1/channels/{secret}/posts"),
            Some(&owner),
            Some(json!({"message": "the hidden plan"})),
        )
        .await;
    let hidden_post = s(&posted, "id");
    let read = tool(
        &http,
        &member,
        "read_channel",
        json!({"channel_id": secret}),
    )
    .await;
    assert_eq!(read["isError"], true, "{read}");
    assert!(!read.to_string().contains("hidden plan"), "{read}");
    let wrote = tool(
        &http,
        &member,
        "post_message",
        json!({"channel_id": secret, "message": "let me in"}),
    )
    .await;
    assert_eq!(wrote["isError"], true, "{wrote}");
    for (name, args) in [
        ("get_thread", json!({"post_id": hidden_post})),
        (
            "add_reaction",
            json!({"post_id": hidden_post, "emoji_name": "eyes"}),
        ),
        ("search_posts", json!({"query": "hidden"})),
    ] {
        let reply = tool(&http, &member, name, args).await;
        assert!(
            !reply.to_string().contains("hidden plan"),
            "{name}: {reply}"
        );
    }
    let (_, posts) = http
        .call(
            Method::GET,
            &format!("/api/v1/channels/{secret}/posts"),
            Some(&owner),
            None,
        )
        .await;
    assert_eq!(posts["items"].as_array().map(Vec::len), Some(1), "{posts}");
    // The owner's own channel works, with structured content and its text.
    let wrote = tool(
        &http,
        &owner,
        "post_message",
        json!({"channel_id": secret, "message": "from an assistant"}),
    )
    .await;
    assert_eq!(wrote["isError"], false, "{wrote}");
    assert_eq!(wrote["structuredContent"]["post"]["username"], "owner");
    let text: Value = serde_json::from_str(wrote["content"][0]["text"].as_str().expect("text"))
        .expect("JSON text");
    assert_eq!(text, wrote["structuredContent"]);
    let read = tool(
        &http,
        &owner,
        "read_channel",
        json!({"channel_id": secret, "limit": 1}),
    )
    .await;
    assert_eq!(
        read["structuredContent"]["posts"][0]["message"],
        "from an assistant"
    );
    assert_eq!(read["structuredContent"]["has_more"], true);
    let bad = tool(
        &http,
        &owner,
        "read_channel",
        json!({"channel_id": secret, "limit": 0}),
    )
    .await;
    assert_eq!(bad["isError"], true);
    assert!(
        bad["content"][0]["text"]
            .as_str()
            .unwrap_or("")
            .contains("limit"),
        "{bad}"
    );
}

/// A 2026-07-28 request: its version, method and tool in headers and `_meta`.
async fn modern(
    http: &Http,
    token: &str,
    method: &str,
    name: Option<&str>,
    header_version: &str,
    mut params: Value,
) -> (StatusCode, Value) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    params["_meta"] = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
    });
    let body = json!({"jsonrpc": "2.0", "id": 9, "method": method, "params": params});
    let mut request = axum::http::Request::post("/mcp")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .header("mcp-protocol-version", header_version)
        .header("mcp-method", method);
    if let Some(name) = name {
        request = request.header("mcp-name", name);
    }
    let request = request
        .body(axum::body::Body::from(body.to_string()))
        .expect("request");
    let response = http.router.clone().oneshot(request).await.expect("answer");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn mcp_without_handshake(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (me, token) = http.user("modern").await;
    let (status, found) = modern(
        &http,
        &token,
        "server/discover",
        None,
        "2026-07-28",
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["result"]["supportedVersions"], json!(["2026-07-28"]));
    assert_eq!(found["result"]["resultType"], "complete");
    assert_eq!(
        found["result"]["_meta"]["io.modelcontextprotocol/serverInfo"]["name"],
        "rustchat"
    );
    let (_, listed) = modern(&http, &token, "tools/list", None, "2026-07-28", json!({})).await;
    assert_eq!(listed["result"]["cacheScope"], "private");
    assert!(listed["result"]["ttlMs"].is_number(), "{listed}");
    let (status, got) = modern(
        &http,
        &token,
        "tools/call",
        Some("get_user"),
        "2026-07-28",
        json!({"name": "get_user", "arguments": {"user_id": me}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(got["result"]["resultType"], "complete");
    assert_eq!(
        got["result"]["structuredContent"]["user"]["username"],
        "modern"
    );
    // Headers that disagree with the body, and a version not spoken here.
    let (status, mismatch) = modern(
        &http,
        &token,
        "tools/call",
        Some("post_message"),
        "2026-07-28",
        json!({"name": "get_user", "arguments": {}}),
    )
    .await;
    assert_eq!(
        (status, mismatch["error"]["code"].clone()),
        (StatusCode::BAD_REQUEST, json!(-32020))
    );
    let (status, unknown) =
        modern(&http, &token, "tools/list", None, "2099-01-01", json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(unknown["error"]["code"], -32022);
    assert_eq!(unknown["error"]["data"]["supported"], json!(["2026-07-28"]));
    let (status, gone) = modern(&http, &token, "ping", None, "2026-07-28", json!({})).await;
    assert_eq!(
        (status, gone["error"]["code"].clone()),
        (StatusCode::NOT_FOUND, json!(-32601))
    );
}

on_both_backends!(registering_agents, mcp_endpoint, mcp_without_handshake);
