//! The walk's anonymous caller: only the public routes answer without a 401.

use axum::http::{Method, StatusCode};

use super::Walk;

/// Routes anyone may call without a session.
pub const PUBLIC: &[&str] = &[
    "/api/v4/system/ping",
    // Authenticates by header, cookie or a challenge frame after the upgrade.
    "/api/v4/websocket",
    "/api/v4/config/client",
    "/api/v4/license/client",
    "/api/v4/plugins/webapp",
    "/api/v4/users/login",
    "/api/v4/users/logout",
    // The one-time code and its PKCE verifier are the credential.
    "/api/v4/users/login/sso/code-exchange",
    // The password is the credential.
    "/api/v4/users/login/switch",
    "/hooks/{hook_id}",
    // The trigger id an integration was just given is the credential.
    "/api/v4/actions/dialogs/open",
    // A command run's response URL: its id is the credential.
    "/hooks/commands/{hook_id}",
    // The hash in the link is the credential.
    "/files/{file_id}/public",
    "/api/v4/teams/invite/{invite_id}",
    // The mailed token is the credential.
    "/api/v4/users/password/reset/send",
    "/api/v4/users/password/reset",
    "/api/v4/users/email/verify/send",
    "/api/v4/users/email/verify",
];

/// Every route without a session: a 401 of Mattermost's "session expired",
/// except on the public routes and sign-up.
pub async fn only_public_routes_answer(walk: &Walk) {
    let Walk { app, owner_id, .. } = walk;
    for (method, path) in mm_bridge::ROUTES {
        let m = Method::from_bytes(method.as_bytes()).expect("method");
        let (status, body, _) = app
            .call(
                &m,
                &format!("{}?format=old", walk.fill(path, owner_id)),
                None,
                walk.body_for(method, path, owner_id).as_ref(),
            )
            .await;
        if PUBLIC.contains(path) || (*path == "/api/v4/users" && *method == "POST") {
            // (A failed login is a 401 too, but never a "session expired" one.)
            assert_ne!(
                body["id"], "api.context.session_expired.app_error",
                "anonymous {method} {path}: {status} {body}"
            );
        } else {
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "anonymous {method} {path}: {body}"
            );
            assert_eq!(
                body["id"], "api.context.session_expired.app_error",
                "{method} {path}"
            );
        }
    }
}
