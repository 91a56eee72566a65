//! SIGHUP: the configuration is read again (file and environment) and the
//! settings that can change at run time take effect; the others are named
//! in the log as waiting for a restart.

use std::path::PathBuf;

use core_server::config::Config;
use core_server::services::Core;

/// Listens for SIGHUP for as long as the process runs.
pub fn on_hangup(core: Core, config_file: Option<PathBuf>) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{signal, SignalKind};
        let Ok(mut hangups) = signal(SignalKind::hangup()) else {
            tracing::warn!("cannot listen for SIGHUP: settings reload only at a restart");
            return;
        };
        while hangups.recv().await.is_some() {
            reload(&core, config_file.as_deref()).await;
        }
    });
    #[cfg(not(unix))]
    let _ = (core, config_file);
}

async fn reload(core: &Core, config_file: Option<&std::path::Path>) {
    let fresh = match Config::load(config_file) {
        Ok(config) => config,
        Err(e) => {
            tracing::error!(error = %e, "SIGHUP: the configuration has an error; nothing changed");
            return;
        }
    };
    if fresh.log != core.config().log && !crate::logging::set_filter(&fresh.log) {
        tracing::warn!("SIGHUP: the log filter did not parse; the old one stays");
    }
    let outcome = core.reload_config(fresh);
    if outcome.applied.iter().any(|key| key != "log") {
        if let Err(e) = mm_bridge::publish_config_changed(core).await {
            tracing::warn!(error = %e.message, "SIGHUP: cannot tell clients the configuration changed");
        }
    }
    tracing::info!(
        applied = ?outcome.applied,
        at_restart = ?outcome.need_restart,
        "SIGHUP: configuration read again"
    );
}
