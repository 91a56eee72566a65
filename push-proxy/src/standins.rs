//! Loopback stand-ins for FCM and APNs, for tests and local trials: they
//! check the proxy's credentials (the JWTs, with the public halves of the
//! keys given), record what arrived, and answer as Google's and Apple's
//! services do, including for a few special device tokens:
//! `gone-token` (unregistered), `malformed-token` (FCM: invalid argument),
//! `wrong-app` (APNs: token of another topic), `too-big` (APNs: payload too
//! large). Built with the `stand-ins` feature only.

use std::net::SocketAddr;
use std::path::{Path as FsPath, PathBuf};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{json, Value};

use crate::config::{AndroidSettings, AppleSettings, ProxyConfig};

/// The APNs key id and team the stand-in expects.
pub const APNS_KEY_ID: &str = "KEY123";
pub const APNS_TEAM_ID: &str = "TEAM456";
pub const APNS_TOPIC: &str = "com.example.chat";
pub const FCM_PROJECT: &str = "chat-test";
pub const FCM_CLIENT_EMAIL: &str = "push@chat-test.iam.example";

/// The test keys: `fcm-test-key.pem` (RSA, with `.pub.pem`) and
/// `apns-test-key.p8` (P-256, with `.pub.pem`) in one folder.
#[derive(Clone)]
pub struct Keys {
    pub dir: PathBuf,
}

impl Keys {
    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.dir.join(name)).unwrap_or_default()
    }
}

/// What a stand-in received: path, headers of interest, JSON body.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Value,
}

#[derive(Clone, Default)]
pub struct Log(Arc<Mutex<Vec<Seen>>>);

impl Log {
    fn push(&self, seen: Seen) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(seen);
    }
    /// Everything received so far, in order.
    pub fn all(&self) -> Vec<Seen> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Serves a router on a free loopback port (HTTP/1 and HTTP/2 without TLS).
pub async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free loopback port");
    let addr = listener.local_addr().expect("the bound address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

// ---- FCM stand-in: the OAuth token endpoint and messages:send.

async fn fcm_token(State(s): State<Arc<Shared>>, body: String) -> (StatusCode, Json<Value>) {
    let form: Vec<(String, String)> = url_form(&body);
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let assertion = get("assertion").unwrap_or_default();
    let Ok(key) = DecodingKey::from_rsa_pem(&s.keys.read("fcm-test-key.pub.pem")) else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"error": "no FCM test key"})),
        );
    };
    let mut validation = Validation::new(Algorithm::RS256);
    // The audience is the token URI in use (recorded for the caller to check).
    validation.validate_aud = false;
    let verified = jsonwebtoken::decode::<Value>(&assertion, &key, &validation);
    s.log.push(Seen {
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
    State(s): State<Arc<Shared>>,
    Path(project): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, Json<Value>) {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let token = body["message"]["token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    s.log.push(Seen {
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
    State(s): State<Arc<Shared>>,
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
    let Ok(key) = DecodingKey::from_ec_pem(&s.keys.read("apns-test-key.pub.pem")) else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"reason": "InternalServerError"})),
        );
    };
    let mut validation = Validation::new(Algorithm::ES256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    let header_ok =
        jsonwebtoken::decode_header(&bearer).is_ok_and(|h| h.kid.as_deref() == Some(APNS_KEY_ID));
    let claims_ok = jsonwebtoken::decode::<Value>(&bearer, &key, &validation)
        .is_ok_and(|d| d.claims["iss"] == APNS_TEAM_ID && d.claims["iat"].is_u64());
    if !(header_ok && claims_ok) {
        return (
            StatusCode::FORBIDDEN,
            Json(json!({"reason": "InvalidProviderToken"})),
        );
    }
    s.log.push(Seen {
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

struct Shared {
    log: Log,
    keys: Keys,
}

/// Both stand-ins, running.
pub struct StandIns {
    pub fcm: Log,
    pub apns: Log,
    pub fcm_addr: SocketAddr,
    pub apns_addr: SocketAddr,
    keys: Keys,
}

impl StandIns {
    pub async fn start(keys: Keys) -> StandIns {
        let fcm = Log::default();
        let fcm_addr = serve(
            Router::new()
                .route("/token", post(fcm_token))
                .route("/v1/projects/{project}/messages:send", post(fcm_send))
                .with_state(Arc::new(Shared {
                    log: fcm.clone(),
                    keys: keys.clone(),
                })),
        )
        .await;
        let apns = Log::default();
        let apns_addr = serve(
            Router::new()
                .route("/3/device/{token}", post(apns_send))
                .with_state(Arc::new(Shared {
                    log: apns.clone(),
                    keys: keys.clone(),
                })),
        )
        .await;
        StandIns {
            fcm,
            apns,
            fcm_addr,
            apns_addr,
            keys,
        }
    }

    /// A proxy configuration for `android_rn` and `apple_rn` pointed at the
    /// stand-ins; the service account file is written into `dir`.
    pub fn proxy_config(&self, dir: &FsPath) -> ProxyConfig {
        let service = dir.join("service-account.json");
        let private_key = String::from_utf8(self.keys.read("fcm-test-key.pem")).unwrap_or_default();
        let account = json!({"type": "service_account", "project_id": FCM_PROJECT, "private_key_id": "k1",
               "private_key": private_key, "client_email": FCM_CLIENT_EMAIL,
               "token_uri": "https://oauth2.invalid/token"});
        if let Err(e) = std::fs::write(&service, account.to_string()) {
            tracing::warn!(error = %e, "cannot write the stand-in service account");
        }
        ProxyConfig {
            android_push_settings: vec![AndroidSettings {
                platform: "android_rn".into(),
                service_file_location: service.display().to_string(),
                fcm_endpoint: Some(format!("http://{}", self.fcm_addr)),
                token_uri: Some(format!("http://{}/token", self.fcm_addr)),
                android_api_key: None,
            }],
            apple_push_settings: vec![AppleSettings {
                platform: "apple_rn".into(),
                apple_push_use_development: false,
                apple_push_topic: APNS_TOPIC.into(),
                apple_push_cert_private: String::new(),
                apple_push_cert_password: String::new(),
                apple_auth_key_file: self.keys.dir.join("apns-test-key.p8").display().to_string(),
                apple_auth_key_id: APNS_KEY_ID.into(),
                apple_team_id: APNS_TEAM_ID.into(),
                apns_endpoint: Some(format!("http://{}", self.apns_addr)),
            }],
            send_timeout_sec: 10,
            ..ProxyConfig::default()
        }
    }
}
