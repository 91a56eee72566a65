//! The process's log: text lines (the default, coloured on a terminal) or
//! one JSON object a line (`log_format = "json"`), under a filter that
//! SIGHUP can replace while the server runs.

use std::sync::OnceLock;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{reload, EnvFilter, Layer, Registry};

/// Replaces the running filter (kept once logging is set up).
static FILTER: OnceLock<reload::Handle<EnvFilter, Registry>> = OnceLock::new();

/// Crates that log whole frames at their debug and trace levels (message
/// text, tokens in events): held at `info` whatever the filter asks, so no
/// level of the log carries what users write.
const PAYLOAD_LOGGERS: &str = "tungstenite=info,tokio_tungstenite=info";

fn with_caps(filter: &str) -> String {
    format!("{filter},{PAYLOAD_LOGGERS}")
}

fn parse_filter(filter: &str) -> EnvFilter {
    EnvFilter::try_new(with_caps(filter)).unwrap_or_else(|_| EnvFilter::new(with_caps("info")))
}

/// Sets up logging; `format` is `text` or `json`.
pub fn init(filter: &str, format: &str) {
    let (filter, handle) = reload::Layer::new(parse_filter(filter));
    let output = if format == "json" {
        // The request span (method, path, request id) goes with every line
        // logged while a request is served.
        tracing_subscriber::fmt::layer()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .boxed()
    } else {
        let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout())
            && std::env::var_os("NO_COLOR").is_none();
        tracing_subscriber::fmt::layer().with_ansi(ansi).boxed()
    };
    if tracing_subscriber::registry()
        .with(filter)
        .with(output)
        .try_init()
        .is_ok()
    {
        let _ = FILTER.set(handle);
    }
}

/// Applies a new filter to the running process. Returns whether it parsed.
pub fn set_filter(filter: &str) -> bool {
    let Ok(parsed) = EnvFilter::try_new(with_caps(filter)) else {
        return false;
    };
    FILTER
        .get()
        .is_some_and(|handle| handle.reload(parsed).is_ok())
}
