//! The users' HTTP side: one shared connection pool; every request timed
//! and its outcome recorded under the action that made it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use bytes::Bytes;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::stats::{Outcome, Stats};

pub(super) struct Client {
    http: reqwest::Client,
    base: String,
    pub(super) ws_url: String,
    pub(super) stats: Arc<Stats>,
}

/// A request that did not succeed; the action stops there, as
/// load-test-ng's do.
#[derive(Debug)]
pub(super) struct Failed;

impl Client {
    pub(super) fn new(url: &str, timeout: Duration, stats: Arc<Stats>) -> anyhow::Result<Client> {
        let base = url.trim_end_matches('/').to_string();
        let host = base.strip_prefix("http://").with_context(|| {
            format!("--url must start with http:// (the tool has no TLS): {url}")
        })?;
        let ws_url = format!("ws://{host}/api/v4/websocket");
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(1024)
            .timeout(timeout)
            .build()
            .context("cannot build the HTTP client")?;
        Ok(Client {
            http,
            base,
            ws_url,
            stats,
        })
    }

    /// Sends a request, times it to the end of its body and records it
    /// under `action`; the body when the status is 2xx.
    pub(super) async fn send(
        &self,
        action: usize,
        method: Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> Result<Bytes, Failed> {
        let started = Instant::now();
        let (outcome, bytes) = self.exchange(method, path, Some(token), body).await;
        self.stats.request(action, started.elapsed(), outcome);
        match (outcome, bytes) {
            (Outcome::Ok, Some(bytes)) => Ok(bytes),
            _ => Err(Failed),
        }
    }

    /// Logs in through v4, recorded as a login: the session token and the
    /// user's id.
    pub(super) async fn login(
        &self,
        username: &str,
        password: &str,
    ) -> anyhow::Result<(Arc<str>, String)> {
        let started = Instant::now();
        let body = serde_json::json!({"login_id": username, "password": password});
        let sent = self
            .http
            .post(format!("{}/api/v4/users/login", self.base))
            .json(&body)
            .send()
            .await;
        let resp = match sent {
            Ok(resp) => resp,
            Err(e) => {
                self.stats.login(started.elapsed(), failure(&e));
                return Err(anyhow::Error::new(e).context(format!("cannot log in as {username}")));
            }
        };
        let status = resp.status();
        let token = resp
            .headers()
            .get("token")
            .and_then(|v| v.to_str().ok())
            .map(Arc::<str>::from);
        let text = resp.text().await.unwrap_or_default();
        self.stats.login(started.elapsed(), outcome(status));
        if !status.is_success() {
            anyhow::bail!("cannot log in as {username}: {status}: {text}");
        }
        let token = token.context("the login response has no Token header")?;
        let user: Value = serde_json::from_str(&text).context("the login response is not JSON")?;
        let id = user
            .get("id")
            .and_then(Value::as_str)
            .context("the login response has no user id")?;
        Ok((token, id.to_string()))
    }

    async fn exchange(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (Outcome, Option<Bytes>) {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = match req.send().await {
            Ok(resp) => resp,
            Err(e) => return (failure(&e), None),
        };
        let status = resp.status();
        match resp.bytes().await {
            Ok(bytes) => (outcome(status), Some(bytes)),
            Err(e) => (failure(&e), None),
        }
    }
}

fn outcome(status: StatusCode) -> Outcome {
    if status.is_success() {
        Outcome::Ok
    } else if status.is_server_error() {
        Outcome::ServerError
    } else {
        Outcome::Refused
    }
}

fn failure(e: &reqwest::Error) -> Outcome {
    if e.is_timeout() {
        Outcome::Timeout
    } else {
        Outcome::Failed
    }
}
