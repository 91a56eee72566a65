//! The proxy end to end: Mattermost-style `send_push` and `ack` requests in,
//! FCM v1 and APNs requests out, checked at loopback stand-ins for Google's
//! and Apple's services (the only parts that cannot run here). The
//! stand-ins verify the proxy's JWTs with the test keys' public halves.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use push_proxy::config::{AndroidSettings, AppleSettings, ProxyConfig};
use push_proxy::server::{router, Proxy};
use serde_json::{json, Value};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// What a stand-in received: path, headers of interest, JSON body.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    headers: HeaderMap,
    body: Value,
}

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<Seen>>>);

impl Log {
    fn push(&self, seen: Seen) {
        self.0.lock().expect("log").push(seen);
    }
    fn all(&self) -> Vec<Seen> {
        self.0.lock().expect("log").clone()
    }
}

async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

// ---- FCM stand-in: the OAuth token endpoint and messages:send.

async fn fcm_token(State(log): State<Log>, body: String) -> (StatusCode, Json<Value>) {
    let form: Vec<(String, String)> = url_form(&body);
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let assertion = get("assertion").unwrap_or_default();
    let key =
        DecodingKey::from_rsa_pem(&std::fs::read(fixture("fcm-test-key.pub.pem")).expect("key"))
            .expect("rsa");
    let mut validation = Validation::new(Algorithm::RS256);
    // The audience is the token URI in use (checked by the test below).
    validation.validate_aud = false;
    let verified = jsonwebtoken::decode::<Value>(&assertion, &key, &validation);
    log.push(Seen {
        path: "/token".into(),
        headers: HeaderMap::new(),
        body: json!({"grant_type": get("grant_type"), "valid": verified.is_ok(),
                     "claims": verified.map(|d| d.claims).unwrap_or(Value::Null)}),
    });
    (
        StatusCode::OK,
        Json(json!({"access_token": "fcm-access-1", "expires_in": 3600, "token_type": "Bearer"})),
    )
}

fn url_form(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_string(), v.replace("%3A", ":").replace("%2B", "+")))
        .collect()
}

async fn fcm_send(
    State(log): State<Log>,
    Path(project): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, Json<Value>) {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let token = body["message"]["token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    log.push(Seen {
        path: format!("/v1/projects/{project}"),
        headers,
        body,
    });
    match token.as_str() {
        "gone-token" => (
            StatusCode::NOT_FOUND,
            Json(
                json!({"error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND",
                "details": [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": "UNREGISTERED"}]}}),
            ),
        ),
        "malformed-token" => (
            StatusCode::BAD_REQUEST,
            Json(
                json!({"error": {"code": 400, "message": "The registration token is not a valid FCM registration token",
                "status": "INVALID_ARGUMENT",
                "details": [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": "INVALID_ARGUMENT"}]}}),
            ),
        ),
        _ => (
            StatusCode::OK,
            Json(json!({"name": format!("projects/{project}/messages/1")})),
        ),
    }
}

// ---- APNs stand-in: HTTP/2 (h2c), /3/device/{token}.

async fn apns_send(
    State(log): State<Log>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, Json<Value>) {
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("bearer "))
        .unwrap_or_default()
        .to_string();
    let key =
        DecodingKey::from_ec_pem(&std::fs::read(fixture("apns-test-key.pub.pem")).expect("key"))
            .expect("ec");
    let mut validation = Validation::new(Algorithm::ES256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    let header_ok =
        jsonwebtoken::decode_header(&bearer).is_ok_and(|h| h.kid.as_deref() == Some("KEY123"));
    let claims_ok = jsonwebtoken::decode::<Value>(&bearer, &key, &validation)
        .is_ok_and(|d| d.claims["iss"] == "TEAM456" && d.claims["iat"].is_u64());
    if !(header_ok && claims_ok) {
        return (
            StatusCode::FORBIDDEN,
            Json(json!({"reason": "InvalidProviderToken"})),
        );
    }
    log.push(Seen {
        path: format!("/3/device/{token}"),
        headers,
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
    });
    match token.as_str() {
        "gone-token" => (
            StatusCode::GONE,
            Json(json!({"reason": "Unregistered", "timestamp": 1})),
        ),
        "wrong-app" => (
            StatusCode::BAD_REQUEST,
            Json(json!({"reason": "DeviceTokenNotForTopic"})),
        ),
        "too-big" => (
            StatusCode::PAYLOAD_TOO_LARGE,
            Json(json!({"reason": "PayloadTooLarge"})),
        ),
        _ => (StatusCode::OK, Json(json!({}))),
    }
}

struct Rig {
    proxy: SocketAddr,
    state: Arc<Proxy>,
    fcm: Log,
    apns: Log,
    _dir: tempfile::TempDir,
}

async fn rig() -> Rig {
    let fcm = Log::default();
    let fcm_addr = serve(
        Router::new()
            .route("/token", post(fcm_token))
            .route("/v1/projects/{project}/messages:send", post(fcm_send))
            .with_state(fcm.clone()),
    )
    .await;
    let apns = Log::default();
    let apns_addr = serve(
        Router::new()
            .route("/3/device/{token}", post(apns_send))
            .with_state(apns.clone()),
    )
    .await;
    let dir = tempfile::tempdir().expect("dir");
    let service = dir.path().join("service-account.json");
    let private_key = std::fs::read_to_string(fixture("fcm-test-key.pem")).expect("key");
    std::fs::write(
        &service,
        json!({"type": "service_account", "project_id": "chat-test", "private_key_id": "k1",
               "private_key": private_key, "client_email": "push@chat-test.iam.example",
               "token_uri": "http://token.test/token"})
        .to_string(),
    )
    .expect("write");
    let config = ProxyConfig {
        android_push_settings: vec![AndroidSettings {
            platform: "android_rn".into(),
            service_file_location: service.display().to_string(),
            fcm_endpoint: Some(format!("http://{fcm_addr}")),
            token_uri: Some(format!("http://{fcm_addr}/token")),
            android_api_key: None,
        }],
        apple_push_settings: vec![AppleSettings {
            platform: "apple_rn".into(),
            apple_push_use_development: false,
            apple_push_topic: "com.example.chat".into(),
            apple_push_cert_private: String::new(),
            apple_push_cert_password: String::new(),
            apple_auth_key_file: fixture("apns-test-key.p8").display().to_string(),
            apple_auth_key_id: "KEY123".into(),
            apple_team_id: "TEAM456".into(),
            apns_endpoint: Some(format!("http://{apns_addr}")),
        }],
        send_timeout_sec: 10,
        ..ProxyConfig::default()
    };
    let state = Arc::new(Proxy::new(&config).expect("proxy"));
    let proxy = serve(router(state.clone())).await;
    Rig {
        proxy,
        state,
        fcm,
        apns,
        _dir: dir,
    }
}

async fn send(rig: &Rig, body: Value) -> Value {
    reqwest::Client::new()
        .post(format!("http://{}/api/v1/send_push", rig.proxy))
        .body(body.to_string())
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json")
}

fn message(platform: &str, device: &str) -> Value {
    json!({
        "ack_id": "ack1", "platform": platform, "server_id": "server1", "device_id": device,
        "post_id": "post1", "category": "CAN_REPLY", "message": "@bob: the build is green",
        "badge": 3, "team_id": "team1", "channel_id": "chan1", "root_id": "",
        "channel_name": "Town Square", "type": "message", "sender_id": "bob1",
        "sender_name": "@bob", "version": "v2", "is_crt_enabled": false, "is_id_loaded": false
    })
}

#[tokio::test]
async fn an_android_push_becomes_an_fcm_v1_data_message() {
    let rig = rig().await;
    let answer = send(&rig, message("android_rn-v2", "device-a")).await;
    assert_eq!(answer, json!({"status": "OK"}));
    let seen = rig.fcm.all();
    let token = &seen[0];
    assert_eq!(token.path, "/token");
    assert_eq!(
        token.body["valid"], true,
        "the assertion is signed with the service key: {:?}",
        token.body
    );
    assert_eq!(
        token.body["grant_type"],
        "urn:ietf:params:oauth:grant-type:jwt-bearer"
    );
    assert_eq!(token.body["claims"]["iss"], "push@chat-test.iam.example");
    assert!(
        token.body["claims"]["aud"]
            .as_str()
            .is_some_and(|a| a.starts_with("http://127.0.0.1:") && a.ends_with("/token")),
        "the audience is the configured token URI: {:?}",
        token.body
    );
    assert_eq!(
        token.body["claims"]["scope"],
        "https://www.googleapis.com/auth/firebase.messaging"
    );
    let sent = &seen[1];
    assert_eq!(sent.path, "/v1/projects/chat-test");
    assert_eq!(sent.headers["authorization"], "Bearer fcm-access-1");
    let fcm_message = &sent.body["message"];
    assert_eq!(fcm_message["token"], "device-a");
    assert_eq!(fcm_message["android"]["priority"], "high");
    assert!(
        fcm_message.get("notification").is_none(),
        "data-only, as the apps expect"
    );
    let data = &fcm_message["data"];
    for (key, value) in [
        ("type", "message"),
        ("ack_id", "ack1"),
        ("server_id", "server1"),
        ("channel_id", "chan1"),
        ("post_id", "post1"),
        ("message", "@bob: the build is green"),
        ("badge", "3"),
        ("sender_name", "@bob"),
        ("channel_name", "Town Square"),
        ("version", "v2"),
        ("is_crt_enabled", "false"),
        ("signature", "NO_SIGNATURE"),
        ("category", "CAN_REPLY"),
    ] {
        assert_eq!(data[key], value, "data.{key}");
    }
    assert!(
        data.as_object()
            .expect("map")
            .values()
            .all(Value::is_string),
        "FCM data values are strings"
    );

    // The access token is reused.
    send(&rig, message("android_rn", "device-b")).await;
    assert_eq!(
        rig.fcm.all().iter().filter(|s| s.path == "/token").count(),
        1
    );
}

#[tokio::test]
async fn an_ios_push_becomes_an_apns_request_with_a_provider_token() {
    let rig = rig().await;
    let answer = send(&rig, message("apple_rn-v2", "device-i")).await;
    assert_eq!(answer, json!({"status": "OK"}));
    let seen = rig.apns.all();
    assert_eq!(
        seen.len(),
        1,
        "the stand-in verified the ES256 token (kid, iss)"
    );
    let req = &seen[0];
    assert_eq!(req.path, "/3/device/device-i");
    assert_eq!(req.headers["apns-topic"], "com.example.chat");
    assert_eq!(req.headers["apns-push-type"], "alert");
    assert_eq!(req.headers["apns-priority"], "10");
    let aps = &req.body["aps"];
    assert_eq!(
        aps["alert"],
        json!({"title": "Town Square", "body": "@bob: the build is green"})
    );
    assert_eq!(aps["badge"], 3);
    assert_eq!(aps["category"], "CAN_REPLY");
    assert_eq!(aps["mutable-content"], 1);
    assert_eq!(aps["thread-id"], "chan1");
    assert_eq!(req.body["ack_id"], "ack1");
    assert_eq!(req.body["type"], "message");
    assert_eq!(req.body["server_id"], "server1");
    assert_eq!(req.body["post_id"], "post1");

    // A clear: a background push with the badge only.
    let clear = json!({"platform": "apple_rn-v2", "server_id": "server1", "device_id": "device-i",
                       "type": "clear", "channel_id": "chan1", "badge": 2, "cont_ava": 1, "version": "v2"});
    assert_eq!(send(&rig, clear).await, json!({"status": "OK"}));
    let req = &rig.apns.all()[1];
    assert_eq!(req.headers["apns-push-type"], "background");
    assert_eq!(req.headers["apns-priority"], "5");
    assert_eq!(
        req.body["aps"],
        json!({"badge": 2, "content-available": 1, "thread-id": "chan1"})
    );
}

#[tokio::test]
async fn invalid_tokens_answer_remove_and_other_refusals_fail_with_a_reason() {
    let rig = rig().await;
    assert_eq!(
        send(&rig, message("android_rn", "gone-token")).await,
        json!({"status": "REMOVE"})
    );
    assert_eq!(
        send(&rig, message("apple_rn", "gone-token")).await,
        json!({"status": "REMOVE"})
    );
    assert_eq!(
        send(&rig, message("apple_rn", "wrong-app")).await,
        json!({"status": "REMOVE"})
    );
    let fail = send(&rig, message("android_rn", "malformed-token")).await;
    assert_eq!(fail["status"], "FAIL");
    assert!(
        fail["error"]
            .as_str()
            .is_some_and(|e| e.contains("not a valid")),
        "{fail}"
    );
    let fail = send(&rig, message("apple_rn", "too-big")).await;
    assert_eq!(fail["status"], "FAIL");
    assert!(
        fail["error"]
            .as_str()
            .is_some_and(|e| e.contains("PayloadTooLarge")),
        "{fail}"
    );

    let metrics = reqwest::get(format!("http://{}/metrics", rig.proxy))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(
        metrics.contains("service_removal_total{platform=\"apple_rn\",reason=\"Unregistered\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("service_failure_total{platform=\"android_rn\",type=\"message\"} 1"),
        "{metrics}"
    );
    assert!(rig
        .state
        .metrics
        .render()
        .contains("service_notifications_total"));
}

#[tokio::test]
async fn bad_payloads_fail_with_mattermosts_reasons() {
    let rig = rig().await;
    let cases = [
        (json!("not an object"), "Failed to read message body"),
        (
            json!({"platform": "android_rn", "device_id": "d"}),
            "missing server Id",
        ),
        (
            json!({"platform": "android_rn", "server_id": "s"}),
            "missing device Id",
        ),
        (
            json!({"platform": "windows", "server_id": "s", "device_id": "d"}),
            "missing platform property type=windows",
        ),
    ];
    for (body, reason) in cases {
        let answer = send(&rig, body.clone()).await;
        assert_eq!(answer["status"], "FAIL", "{body}");
        assert!(
            answer["error"].as_str().is_some_and(|e| e.contains(reason)),
            "{body}: {answer}"
        );
    }
    assert!(
        rig.fcm.all().is_empty() && rig.apns.all().is_empty(),
        "nothing was forwarded"
    );

    let ack = |body: Value| {
        let url = format!("http://{}/api/v1/ack", rig.proxy);
        async move {
            reqwest::Client::new()
                .post(url)
                .body(body.to_string())
                .send()
                .await
                .expect("ack")
                .json::<Value>()
                .await
                .expect("json")
        }
    };
    assert_eq!(
        ack(json!({"id": "a", "platform": "android", "type": "message"})).await,
        json!({"status": "OK"})
    );
    let missing = ack(json!({"id": "a", "type": "message"})).await;
    assert_eq!(missing["error"], "Failed because of missing ack platform");
}

#[tokio::test]
async fn long_messages_are_cut_on_a_character_boundary() {
    let rig = rig().await;
    let mut body = message("android_rn", "device-long");
    body["message"] = json!("é".repeat(2000));
    body["channel_name"] = json!("x".repeat(100));
    assert_eq!(send(&rig, body).await, json!({"status": "OK"}));
    let seen = rig.fcm.all();
    let data = &seen.last().expect("sent").body["message"]["data"];
    assert_eq!(data["message"].as_str().map(str::len), Some(2046));
    assert_eq!(data["channel_name"].as_str().map(str::len), Some(64));
}
