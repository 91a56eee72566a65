//! The HTTP side: the Mattermost v4 calls of the setup and of the poster.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use reqwest::Method;
use serde_json::{json, Value};

/// A logged-in user.
pub(crate) struct Session {
    pub(crate) token: Arc<str>,
    pub(crate) user_id: String,
}

pub(crate) struct Api {
    http: reqwest::Client,
    pub(super) base: String,
    /// `ws://host:port/api/v4/websocket`, derived from the base URL.
    pub(super) ws_url: String,
}

impl Api {
    pub(crate) fn new(url: &str, pool: usize) -> anyhow::Result<Api> {
        let base = url.trim_end_matches('/').to_string();
        let host = base.strip_prefix("http://").with_context(|| {
            format!("--url must start with http:// (the tool has no TLS): {url}")
        })?;
        let ws_url = format!("ws://{host}/api/v4/websocket");
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(pool)
            .timeout(Duration::from_secs(60))
            .build()
            .context("cannot build the HTTP client")?;
        Ok(Api { http, base, ws_url })
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> anyhow::Result<reqwest::Response> {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send()
            .await
            .with_context(|| format!("{path}: request to {} failed", self.base))
    }

    /// The JSON body of a successful call; any other status is an error.
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let resp = self.send(method, path, token, body).await?;
        let status = resp.status();
        let text = resp
            .text()
            .await
            .with_context(|| format!("{path}: cannot read the response"))?;
        if !status.is_success() {
            bail!("{path}: {status}: {text}");
        }
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// `GET` of an object that may not exist yet: `None` on 404.
    pub(crate) async fn find(&self, path: &str, token: &str) -> anyhow::Result<Option<Value>> {
        let resp = self.send(Method::GET, path, Some(token), None).await?;
        let status = resp.status();
        if status == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let text = resp
            .text()
            .await
            .with_context(|| format!("{path}: cannot read the response"))?;
        if !status.is_success() {
            bail!("{path}: {status}: {text}");
        }
        let value: Value = serde_json::from_str(&text)
            .with_context(|| format!("{path}: the response is not JSON: {text}"))?;
        Ok(Some(value))
    }

    /// Logs in; `None` when the server refuses the credentials (or the user
    /// does not exist), so the caller can create the user.
    pub(crate) async fn login(
        &self,
        username: &str,
        password: &str,
    ) -> anyhow::Result<Option<Session>> {
        let path = "/api/v4/users/login";
        let body = json!({"login_id": username, "password": password});
        let resp = self.send(Method::POST, path, None, Some(body)).await?;
        let status = resp.status();
        if matches!(status.as_u16(), 400 | 401 | 403 | 404) {
            return Ok(None);
        }
        let token = resp
            .headers()
            .get("token")
            .and_then(|v| v.to_str().ok())
            .map(Arc::<str>::from);
        let text = resp
            .text()
            .await
            .with_context(|| format!("{path}: cannot read the response"))?;
        if !status.is_success() {
            bail!("{path} as {username}: {status}: {text}");
        }
        let token = token.with_context(|| format!("{path}: the response has no Token header"))?;
        let user: Value = serde_json::from_str(&text)
            .with_context(|| format!("{path}: the response is not JSON: {text}"))?;
        Ok(Some(Session {
            token,
            user_id: field(&user, "id")?,
        }))
    }
}

/// A string field of a response.
pub(crate) fn field(v: &Value, key: &str) -> anyhow::Result<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .with_context(|| format!("response has no {key}: {v}"))
}
