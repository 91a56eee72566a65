//! The one HTTP client every integration request goes through: slash
//! commands, outgoing webhooks, message actions, dialogs and any later
//! outbound call.
//!
//! An integration's URL is chosen by a user, so the server must not become
//! their way into the internal network. As Mattermost's untrusted-connection
//! rule: a host that resolves only to loopback, private, link-local (cloud
//! metadata), shared, multicast or unspecified addresses is refused unless it
//! (or its address range) is listed in `allowed_untrusted_internal_connections`.
//! The check is made on the addresses the connection will really use (the
//! client's resolver filters them), so a name that resolves differently on a
//! second lookup cannot slip past it. Redirects are followed only on the same
//! host, responses are read up to a size limit, and every call has a timeout.
//! Nothing here logs a URL: integration URLs and queries carry tokens.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use ipnet::IpNet;
use serde::de::DeserializeOwned;

/// Largest integration response read, in bytes.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;
/// Redirects followed on the same host before the redirect itself is the answer.
const MAX_REDIRECTS: usize = 3;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Why an outbound request did not produce a usable response.
#[derive(Debug, thiserror::Error)]
pub enum OutboundError {
    #[error("the integration URL is not usable: {0}")]
    BadUrl(String),
    #[error("{host} is an internal address; an administrator can allow it with allowed_untrusted_internal_connections")]
    Refused { host: String },
    #[error("{host} did not answer within {seconds} seconds")]
    Timeout { host: String, seconds: u64 },
    #[error("could not reach {host}")]
    Unreachable { host: String },
    #[error("{host} answered with status {status}")]
    Status { host: String, status: u16 },
    #[error("{host} sent more than {limit} bytes")]
    TooLarge { host: String, limit: usize },
    #[error("{host} sent a response that is not valid JSON: {reason}")]
    BadJson { host: String, reason: String },
}

impl From<OutboundError> for crate::Error {
    fn from(err: OutboundError) -> Self {
        crate::Error::Upstream(err.to_string())
    }
}

/// Hosts and address ranges an administrator trusts although they are internal.
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    hosts: Vec<String>,
    nets: Vec<IpNet>,
}

impl AllowList {
    /// Parses Mattermost's format: host names, addresses and CIDR ranges,
    /// separated by white space (commas are accepted too).
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut list = AllowList::default();
        for entry in text.split(|c: char| c.is_whitespace() || c == ',') {
            let entry = entry.trim();
            if entry.is_empty() {
                continue;
            }
            if let Ok(net) = entry.parse::<IpNet>() {
                list.nets.push(net);
            } else if let Ok(ip) = entry.parse::<IpAddr>() {
                list.nets.push(IpNet::from(ip));
            } else if entry
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
            {
                list.hosts
                    .push(entry.trim_end_matches('.').to_ascii_lowercase());
            } else {
                return Err(format!(
                    "`{entry}` is neither a host name, an address nor a CIDR range"
                ));
            }
        }
        Ok(list)
    }

    fn allows_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.hosts.contains(&host)
    }

    fn allows_ip(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.nets.iter().any(|n| n.contains(&ip))
    }

    /// Whether a connection to `ip`, reached through the name `host`, is allowed.
    fn permits(&self, host: &str, ip: IpAddr) -> bool {
        !is_internal(ip) || self.allows_host(host) || self.allows_ip(ip)
    }
}

/// An IPv4 address written as IPv6 (`::ffff:a.b.c.d`) is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// Addresses no integration may reach unless allowed: this machine, private
/// networks, link-local (where cloud metadata services answer), shared
/// carrier space, multicast, broadcast and unspecified addresses.
pub fn is_internal(ip: IpAddr) -> bool {
    match canonical(ip) {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_unspecified()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && v4.octets()[2] == 0)
                || a >= 240
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link-local
        }
    }
}

/// The resolver the client connects through: it drops the addresses the
/// allow list does not permit, and fails when none is left.
struct GuardedResolver {
    allow: Arc<AllowList>,
}

/// The resolver's refusal, found again in the client's error chain.
#[derive(Debug, thiserror::Error)]
#[error("internal address refused")]
struct RefusedByResolver;

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow = self.allow.clone();
        Box::pin(async move {
            let host = name.as_str().to_string();
            let found = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let permitted: Vec<SocketAddr> = found
                .filter(|addr| allow.permits(&host, addr.ip()))
                .collect();
            if permitted.is_empty() {
                return Err(Box::new(RefusedByResolver) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(permitted.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// What is sent as the request body.
#[derive(Debug, Clone)]
pub enum Body {
    Empty,
    Json(serde_json::Value),
    Form(Vec<(String, String)>),
}

/// One outbound request. Its `Debug` leaves out header values and the
/// body: they may carry an agent's key or a user's text.
#[derive(Clone)]
pub struct Call {
    pub method: reqwest::Method,
    pub url: String,
    /// Added to the URL's own query.
    pub query: Vec<(String, String)>,
    pub body: Body,
    pub headers: Vec<(String, String)>,
    /// Instead of the client's own timeout (agents may think for minutes).
    pub timeout: Option<Duration>,
    /// Instead of [`MAX_RESPONSE_BYTES`].
    pub max_bytes: Option<usize>,
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("Call")
            .field("method", &self.method)
            .field("headers", &names)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Call {
    pub fn post_json(url: &str, body: serde_json::Value) -> Self {
        Call {
            method: reqwest::Method::POST,
            url: url.to_string(),
            query: Vec::new(),
            body: Body::Json(body),
            headers: Vec::new(),
            timeout: None,
            max_bytes: None,
        }
    }

    pub fn post_form(url: &str, fields: Vec<(String, String)>) -> Self {
        Call {
            method: reqwest::Method::POST,
            url: url.to_string(),
            query: Vec::new(),
            body: Body::Form(fields),
            headers: Vec::new(),
            timeout: None,
            max_bytes: None,
        }
    }

    pub fn get(url: &str, query: Vec<(String, String)>) -> Self {
        Call {
            method: reqwest::Method::GET,
            url: url.to_string(),
            query,
            body: Body::Empty,
            headers: Vec::new(),
            timeout: None,
            max_bytes: None,
        }
    }

    /// Adds a request header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Reads a response of up to `max` bytes instead of [`MAX_RESPONSE_BYTES`].
    pub fn max_bytes(mut self, max: usize) -> Self {
        self.max_bytes = Some(max);
        self
    }

    /// Gives the whole call, its response read to the end, this long.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

/// A response read in full (up to [`MAX_RESPONSE_BYTES`]).
#[derive(Debug, Clone)]
pub struct Reply {
    pub host: String,
    pub status: u16,
    pub content_type: String,
    pub body: bytes::Bytes,
}

impl Reply {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The reply, or [`OutboundError::Status`] when it is not a 2xx.
    pub fn success(self) -> Result<Self, OutboundError> {
        if self.is_success() {
            Ok(self)
        } else {
            Err(OutboundError::Status {
                host: self.host,
                status: self.status,
            })
        }
    }

    /// The body as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, OutboundError> {
        serde_json::from_slice(&self.body).map_err(|e| OutboundError::BadJson {
            host: self.host.clone(),
            reason: e.to_string(),
        })
    }
}

/// The guarded client; cheap to clone.
#[derive(Clone)]
pub struct Outbound {
    client: reqwest::Client,
    allow: Arc<AllowList>,
    timeout: Duration,
}

impl Outbound {
    /// A client that trusts what `allowed` lists and gives up after `timeout`.
    pub fn new(allowed: AllowList, timeout: Duration) -> Self {
        let allow = Arc::new(allowed);
        let client = reqwest::Client::builder()
            .dns_resolver(Arc::new(GuardedResolver {
                allow: allow.clone(),
            }))
            // A proxy from the environment would connect for us, unchecked.
            .no_proxy()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::custom(|attempt| {
                let first = attempt.previous().first().and_then(|u| u.host_str());
                if attempt.previous().len() > MAX_REDIRECTS || attempt.url().host_str() != first {
                    attempt.stop()
                } else {
                    attempt.follow()
                }
            }))
            .user_agent(concat!("rustchat/", env!("CARGO_PKG_VERSION")))
            .build()
            // Only the TLS backend's start-up can fail here, before any request;
            // falling back to an unguarded client would be worse than stopping.
            .expect("the outbound HTTP client starts");
        Outbound {
            client,
            allow,
            timeout,
        }
    }

    /// Checks a URL an integration is being saved with: http(s), a host, and
    /// no credentials. Whether its host is internal is only known when it is
    /// called (names resolve differently over time).
    pub fn check_url(url: &str) -> Result<url::Url, OutboundError> {
        let parsed =
            url::Url::parse(url.trim()).map_err(|e| OutboundError::BadUrl(e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(OutboundError::BadUrl(
                "only http and https URLs are called".into(),
            ));
        }
        if parsed.host_str().unwrap_or("").is_empty() {
            return Err(OutboundError::BadUrl("the URL has no host".into()));
        }
        Ok(parsed)
    }

    /// Sends a request and reads its response. A non-2xx status is not an
    /// error here; [`Reply::success`] makes it one.
    pub async fn send(&self, call: Call) -> Result<Reply, OutboundError> {
        let mut open = self.open(call).await?;
        let mut body = bytes::BytesMut::new();
        while let Some(chunk) = open.chunk().await? {
            body.extend_from_slice(&chunk);
        }
        Ok(Reply {
            host: open.host,
            status: open.status,
            content_type: open.content_type,
            body: body.freeze(),
        })
    }

    /// Sends a request and hands back its response as it arrives (a stream
    /// of server-sent events, say), still held to the size limit and timeout.
    pub async fn open(&self, call: Call) -> Result<OpenResponse, OutboundError> {
        let url = Self::check_url(&call.url)?;
        let host = url.host_str().unwrap_or("").to_string();
        // A literal address is never looked up, so the resolver cannot check it.
        if let Some(ip) = literal_ip(&url) {
            if !self.allow.permits(&host, ip) {
                return Err(OutboundError::Refused { host });
            }
        }
        let mut request = self.client.request(call.method, url);
        if !call.query.is_empty() {
            request = request.query(&call.query);
        }
        request = match call.body {
            Body::Empty => request,
            Body::Json(value) => request.json(&value),
            Body::Form(fields) => request.form(&fields),
        };
        for (name, value) in call.headers {
            request = request.header(name, value);
        }
        let timeout = call.timeout.unwrap_or(self.timeout);
        let limit = call.max_bytes.unwrap_or(MAX_RESPONSE_BYTES);
        if call.timeout.is_some() {
            request = request.timeout(timeout);
        }
        let response = request
            .send()
            .await
            .map_err(|e| failure(&host, timeout, &e))?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(OutboundError::TooLarge { host, limit });
        }
        Ok(OpenResponse {
            host,
            status,
            content_type,
            response,
            read: 0,
            limit,
            timeout,
        })
    }
}

/// A response whose body is still arriving.
pub struct OpenResponse {
    pub host: String,
    pub status: u16,
    pub content_type: String,
    response: reqwest::Response,
    read: usize,
    limit: usize,
    timeout: Duration,
}

impl OpenResponse {
    /// The next piece of the body, or `None` at its end; more than the
    /// call's limit in all is an error.
    pub async fn chunk(&mut self) -> Result<Option<bytes::Bytes>, OutboundError> {
        let chunk = self
            .response
            .chunk()
            .await
            .map_err(|e| failure(&self.host, self.timeout, &e))?;
        if let Some(chunk) = &chunk {
            self.read += chunk.len();
            if self.read > self.limit {
                return Err(OutboundError::TooLarge {
                    host: self.host.clone(),
                    limit: self.limit,
                });
            }
        }
        Ok(chunk)
    }
}

/// What a failed request is, in the words the caller shows.
fn failure(host: &str, timeout: Duration, err: &reqwest::Error) -> OutboundError {
    let host = host.to_string();
    if err.is_timeout() {
        return OutboundError::Timeout {
            host,
            seconds: timeout.as_secs(),
        };
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if e.downcast_ref::<RefusedByResolver>().is_some() {
            return OutboundError::Refused { host };
        }
        source = e.source();
    }
    OutboundError::Unreachable { host }
}

fn literal_ip(url: &url::Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(v4) => Some(IpAddr::V4(v4)),
        url::Host::Ipv6(v6) => Some(IpAddr::V6(v6)),
        url::Host::Domain(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    #[test]
    fn internal_addresses_are_recognised_in_both_families() {
        for internal in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(is_internal(ip(internal)), "{internal} is internal");
        }
        for public in ["1.1.1.1", "93.184.216.34", "2606:4700::1111", "172.32.0.1"] {
            assert!(!is_internal(ip(public)), "{public} is public");
        }
    }

    #[test]
    fn the_allow_list_takes_hosts_addresses_and_ranges() {
        let list = AllowList::parse("hooks.internal  10.0.0.0/8,127.0.0.1 ::1").expect("parses");
        assert!(list.permits("hooks.internal", ip("192.168.0.5")));
        assert!(list.permits("HOOKS.internal.", ip("192.168.0.5")));
        assert!(list.permits("x", ip("10.9.9.9")));
        assert!(list.permits("x", ip("::ffff:127.0.0.1")));
        assert!(list.permits("x", ip("::1")));
        assert!(!list.permits("x", ip("192.168.0.5")));
        assert!(list.permits("x", ip("8.8.8.8")));
        assert!(AllowList::parse("not/a host").is_err());
    }

    #[tokio::test]
    async fn a_default_client_refuses_loopback_by_name_and_by_address() {
        let client = Outbound::new(AllowList::default(), Duration::from_secs(2));
        for url in [
            "http://127.0.0.1:9/hook",
            "http://[::1]:9/hook",
            "http://localhost:9/hook",
        ] {
            let err = client
                .send(Call::post_json(url, serde_json::json!({})))
                .await
                .expect_err("refused");
            assert!(
                matches!(err, OutboundError::Refused { .. }),
                "{url} refused: {err:?}"
            );
        }
    }

    #[test]
    fn only_http_urls_with_a_host_are_accepted() {
        assert!(Outbound::check_url("https://example.com/x").is_ok());
        assert!(Outbound::check_url("ftp://example.com/x").is_err());
        assert!(Outbound::check_url("file:///etc/passwd").is_err());
        assert!(Outbound::check_url("not a url").is_err());
    }
}
