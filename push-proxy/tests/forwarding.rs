//! The proxy end to end: Mattermost-style `send_push` and `ack` requests in,
//! FCM v1 and APNs requests out, checked at loopback stand-ins for Google's
//! and Apple's services (the only parts that cannot run here). The
//! stand-ins verify the proxy's JWTs with the test keys' public halves.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use push_proxy::server::{router, Proxy};
use push_proxy::standins::{serve, Keys, Log, StandIns};
use serde_json::{json, Value};

struct Rig {
    proxy: SocketAddr,
    state: Arc<Proxy>,
    fcm: Log,
    apns: Log,
    _dir: tempfile::TempDir,
}

async fn rig() -> Rig {
    let keys = Keys {
        dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
    };
    let stand_ins = StandIns::start(keys).await;
    let dir = tempfile::tempdir().expect("dir");
    let config = stand_ins.proxy_config(dir.path());
    let state = Arc::new(Proxy::new(&config).expect("proxy"));
    let proxy = serve(router(state.clone())).await;
    Rig {
        proxy,
        state,
        fcm: stand_ins.fcm,
        apns: stand_ins.apns,
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
