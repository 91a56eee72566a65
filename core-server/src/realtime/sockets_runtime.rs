//! The threads attached WebSockets run on, apart from the requests'.
//!
//! A post to a large channel wakes one task per online member at once, and
//! on a shared runtime those tasks queue ahead of every request in flight:
//! a request that waits there also holds its database connection longer,
//! so under load the connections run out and every request waits. On
//! threads of their own the sockets share the cores with the requests
//! through the operating system's scheduler instead of queueing in front
//! of them.

use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::{Builder, Runtime};

/// Runs `task` on the sockets' threads and waits for it; where they could
/// not be started, runs it here.
pub(super) async fn run_apart<F>(task: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    match sockets_runtime() {
        Some(runtime) => {
            if let Err(e) = runtime.spawn(task).await {
                if e.is_panic() {
                    tracing::error!(error = %e, "a WebSocket task panicked");
                }
            }
        }
        None => task.await,
    }
}

/// One worker per core, like the requests' runtime.
fn sockets_runtime() -> Option<&'static Runtime> {
    static RUNTIME: OnceLock<Option<Runtime>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
            Builder::new_multi_thread()
                .worker_threads(workers)
                .thread_name("websockets")
                .enable_all()
                .build()
                .map_err(|e| {
                    tracing::warn!(error = %e, "cannot start the WebSockets' threads; they share the requests'");
                })
                .ok()
        })
        .as_ref()
}
