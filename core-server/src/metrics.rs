//! The server's metrics, through the `metrics` facade: recorded wherever the
//! work happens, and exported in Prometheus' text format by the binary when
//! `metrics_listen` is set. With no exporter installed every call here is a
//! no-op. Names follow Prometheus' conventions; `docs/operations.md` lists
//! each with Mattermost's equivalent.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::LazyLock;
use std::time::Duration;

use metrics::{
    counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram, Counter,
    Histogram,
};

pub const HTTP_REQUESTS: &str = "rustchat_http_requests_total";
pub const HTTP_DURATION: &str = "rustchat_http_request_duration_seconds";
pub const WEBSOCKETS_OPEN: &str = "rustchat_websockets_open";
pub const WEBSOCKET_EVENTS: &str = "rustchat_websocket_events_total";
pub const WEBSOCKET_SLOW_CLOSED: &str = "rustchat_websocket_slow_closed_total";
pub const POSTS: &str = "rustchat_posts_total";
pub const LOGINS: &str = "rustchat_logins_total";
pub const DB_CONNECTIONS: &str = "rustchat_db_connections";
pub const DB_WAIT: &str = "rustchat_db_connection_wait_seconds";
pub const DB_QUERY: &str = "rustchat_db_query_duration_seconds";
pub const FILE_OPERATIONS: &str = "rustchat_file_operations_total";
pub const FILE_DURATION: &str = "rustchat_file_operation_duration_seconds";
pub const PUSH_QUEUE: &str = "rustchat_push_queue_depth";
pub const PUSH_SENT: &str = "rustchat_push_sent_total";
pub const PUSH_FAILURES: &str = "rustchat_push_failures_total";
pub const EMAIL_QUEUE: &str = "rustchat_email_queue_depth";
pub const EMAIL_SENT: &str = "rustchat_email_sent_total";
pub const EMAIL_FAILURES: &str = "rustchat_email_failures_total";
pub const JOBS: &str = "rustchat_jobs";
pub const CLUSTER_PUBLISHED: &str = "rustchat_cluster_events_published_total";
pub const CLUSTER_RECEIVED: &str = "rustchat_cluster_events_received_total";
pub const REDIS_UP: &str = "rustchat_redis_up";
pub const BUILD_INFO: &str = "rustchat_build_info";

/// The handles of the metrics recorded on hot paths (every store call, every
/// post, every fan-out), looked up once instead of at each use. They bind to
/// the recorder installed when they are first used, so the binary installs it
/// before the server starts; with none installed they stay no-ops.
struct Hot {
    db_wait: [Histogram; 2],
    db_query: [Histogram; 2],
    posts: Counter,
    websocket_events: Counter,
    logins: [Counter; 2],
}

static HOT: LazyLock<Hot> = LazyLock::new(|| Hot {
    db_wait: [
        histogram!(DB_WAIT, "kind" => "read"),
        histogram!(DB_WAIT, "kind" => "write"),
    ],
    db_query: [
        histogram!(DB_QUERY, "kind" => "read"),
        histogram!(DB_QUERY, "kind" => "write"),
    ],
    posts: counter!(POSTS),
    websocket_events: counter!(WEBSOCKET_EVENTS),
    logins: [
        counter!(LOGINS, "result" => "success"),
        counter!(LOGINS, "result" => "failure"),
    ],
});

/// Connections lent to store calls right now (set as a gauge when scraped:
/// an atomic is cheaper than the recorder on every store call).
static DB_IN_USE: AtomicI64 = AtomicI64::new(0);

/// Gives every metric its help text (shown by the exporter) and sets the
/// ones that are known from the start.
pub fn describe() {
    describe_counter!(
        HTTP_REQUESTS,
        "HTTP requests answered, by route template and status."
    );
    describe_histogram!(HTTP_DURATION, "Time to answer an HTTP request.");
    describe_gauge!(WEBSOCKETS_OPEN, "WebSockets open on this node, by API.");
    describe_counter!(WEBSOCKET_EVENTS, "Frames queued to sockets by the fan-out.");
    describe_counter!(
        WEBSOCKET_SLOW_CLOSED,
        "Sockets closed because their client read too slowly (they may resume)."
    );
    describe_counter!(POSTS, "Posts created.");
    describe_counter!(LOGINS, "Password logins, by result.");
    describe_gauge!(
        DB_CONNECTIONS,
        "Database connections: open, and lent to a store call."
    );
    describe_histogram!(
        DB_WAIT,
        "Time a store call waited for a database connection."
    );
    describe_histogram!(DB_QUERY, "Time a store call held its database connection.");
    describe_counter!(
        FILE_OPERATIONS,
        "File store operations, by operation and result."
    );
    describe_histogram!(FILE_DURATION, "Time a file store operation took.");
    describe_gauge!(PUSH_QUEUE, "Push notifications waiting to be sent.");
    describe_counter!(PUSH_SENT, "Push notifications accepted by the push proxy.");
    describe_counter!(PUSH_FAILURES, "Push notifications that failed to send.");
    describe_gauge!(
        EMAIL_QUEUE,
        "E-mail notifications waiting for their digest."
    );
    describe_counter!(EMAIL_SENT, "E-mails handed to the SMTP server.");
    describe_counter!(
        EMAIL_FAILURES,
        "E-mails the SMTP server refused or could not take."
    );
    describe_gauge!(JOBS, "Jobs by type and state.");
    describe_counter!(
        CLUSTER_PUBLISHED,
        "Events this node published to the cluster."
    );
    describe_counter!(CLUSTER_RECEIVED, "Events this node read from the cluster.");
    describe_gauge!(
        REDIS_UP,
        "Whether this node's link to Redis is up (1) or down (0)."
    );
    describe_gauge!(BUILD_INFO, "The running version (always 1).");
    gauge!(BUILD_INFO, "version" => env!("CARGO_PKG_VERSION")).set(1.0);
}

/// Counts an answered HTTP request and its time.
pub fn http_request(method: &str, route: &str, status: u16, took: Duration) {
    // The usual methods as static labels: no allocation for them.
    let method: metrics::SharedString = match method {
        "GET" => "GET".into(),
        "POST" => "POST".into(),
        "PUT" => "PUT".into(),
        "PATCH" => "PATCH".into(),
        "DELETE" => "DELETE".into(),
        other => other.to_string().into(),
    };
    let route = route.to_string();
    counter!(HTTP_REQUESTS, "method" => method.clone(), "route" => route.clone(), "status" => status.to_string())
        .increment(1);
    histogram!(HTTP_DURATION, "method" => method, "route" => route).record(took.as_secs_f64());
}

/// A socket of `api` opened (`+1`) or closed (`-1`).
pub fn websocket_open(api: &'static str, delta: f64) {
    gauge!(WEBSOCKETS_OPEN, "api" => api).increment(delta);
}

/// Frames queued to sockets by one delivery.
pub fn websocket_events(frames: u64) {
    if frames > 0 {
        HOT.websocket_events.increment(frames);
    }
}

/// A socket closed for reading too slowly.
pub fn websocket_slow_closed() {
    counter!(WEBSOCKET_SLOW_CLOSED).increment(1);
}

/// A post created.
pub fn post_created() {
    HOT.posts.increment(1);
}

/// A password login, successful or not.
pub fn login(success: bool) {
    HOT.logins[usize::from(!success)].increment(1);
}

/// Whether a store call reads or writes.
#[derive(Clone, Copy, Debug)]
pub enum DbKind {
    Read,
    Write,
}

impl DbKind {
    fn index(self) -> usize {
        match self {
            DbKind::Read => 0,
            DbKind::Write => 1,
        }
    }
}

/// How long a store call waited for its connection; it now holds one.
pub fn db_acquired(kind: DbKind, waited: Duration) {
    HOT.db_wait[kind.index()].record(waited.as_secs_f64());
    DB_IN_USE.fetch_add(1, Ordering::Relaxed);
}

/// A store call gave its connection back after holding it for `held`.
pub fn db_released(kind: DbKind, held: Duration) {
    HOT.db_query[kind.index()].record(held.as_secs_f64());
    DB_IN_USE.fetch_sub(1, Ordering::Relaxed);
}

/// The database connections open, and those lent now (set at scrape time).
pub fn db_connections(open: u32) {
    gauge!(DB_CONNECTIONS, "state" => "open").set(f64::from(open));
    gauge!(DB_CONNECTIONS, "state" => "in_use").set(DB_IN_USE.load(Ordering::Relaxed) as f64);
}

/// A file store operation and how it ended.
pub fn file_operation(op: &'static str, ok: bool, took: Duration) {
    let result = if ok { "ok" } else { "error" };
    counter!(FILE_OPERATIONS, "op" => op, "result" => result).increment(1);
    histogram!(FILE_DURATION, "op" => op).record(took.as_secs_f64());
}

/// Push notifications: sent or failed.
pub fn push_sent(ok: bool) {
    if ok {
        counter!(PUSH_SENT).increment(1);
    } else {
        counter!(PUSH_FAILURES).increment(1);
    }
}

/// E-mails: handed over or failed.
pub fn email_sent(ok: bool) {
    if ok {
        counter!(EMAIL_SENT).increment(1);
    } else {
        counter!(EMAIL_FAILURES).increment(1);
    }
}

/// Queue depths (read at scrape time).
pub fn queue_depths(push: u64, email: u64) {
    gauge!(PUSH_QUEUE).set(push as f64);
    gauge!(EMAIL_QUEUE).set(email as f64);
}

/// Jobs of one type in one state (read at scrape time).
pub fn jobs(job_type: &str, state: &str, count: u64) {
    gauge!(JOBS, "type" => job_type.to_string(), "state" => state.to_string()).set(count as f64);
}

/// Events this node published to, or read from, the cluster.
pub fn cluster_published(events: u64) {
    counter!(CLUSTER_PUBLISHED).increment(events);
}

pub fn cluster_received(events: u64) {
    counter!(CLUSTER_RECEIVED).increment(events);
}

/// Whether the link to Redis is up.
pub fn redis_up(up: bool) {
    gauge!(REDIS_UP).set(if up { 1.0 } else { 0.0 });
}
