//! Property-based fuzzing of what a client can send: arbitrary bodies at
//! every route of both APIs, arbitrary frames at both WebSockets, arbitrary
//! multipart uploads. `FUZZ_CASES=<n>` runs more cases than the test
//! command's quick pass.

#[macro_use]
#[path = "../support/mod.rs"]
mod support;

mod bodies;
mod frames;
mod inputs;
mod multipart;

use proptest::test_runner::{Config as Cases, TestRunner};
use serde_json::json;

/// The runtime the (synchronous) property runner drives the app with.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// A runner of `FUZZ_CASES` cases, or of the test command's quick default.
fn runner(default_cases: u32) -> TestRunner {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    TestRunner::new(Cases {
        cases,
        failure_persistence: None,
        ..Cases::default()
    })
}

/// The first account (a system admin) with a team of its own: the admin's
/// id and token, the team and its town square.
async fn admin_with_team(app: &support::App) -> (String, String, String, String) {
    let (user, token) = app.user("root").await;
    let team = support::id(
        &app.team(
            &token,
            json!({"name": "acme", "display_name": "Acme", "type": "O"}),
        )
        .await,
    );
    let channel = app.town_square(&token, &team).await;
    (user, token, team, channel)
}
