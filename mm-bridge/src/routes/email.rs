//! Password resets and address checks by e-mail (no session needed):
//! `POST /users/password/reset/send`, `/users/password/reset`,
//! `/users/email/verify/send` and `/users/email/verify`; and the test mail
//! of the e-mail settings, `POST /email/test`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

use core_server::email::{EXPIRED_LINK, INVALID_LINK};
use core_server::services::Core;
use core_server::Error;

use crate::error::{MmError, MmResult};
use crate::extract::{status_ok, MmAuth, MmJson, StatusOk};

#[derive(Deserialize)]
pub struct EmailBody {
    #[serde(default)]
    email: String,
}

#[derive(Deserialize)]
pub struct ResetBody {
    #[serde(default)]
    token: String,
    #[serde(default)]
    new_password: String,
}

#[derive(Deserialize)]
pub struct TokenBody {
    #[serde(default)]
    token: String,
}

fn mail_error(id: &str, e: Error) -> MmError {
    match e {
        Error::NotImplemented(_) => MmError::new(
            StatusCode::NOT_IMPLEMENTED,
            id,
            "E-mail is not set up on this server.",
        ),
        Error::Unavailable(reason) => {
            tracing::warn!(%reason, "mail not sent");
            MmError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                id,
                "The e-mail could not be sent.",
            )
        }
        other => other.into(),
    }
}

/// `POST /api/v4/users/password/reset/send`
pub async fn send_reset(
    State(core): State<Core>,
    MmJson(body): MmJson<EmailBody>,
) -> MmResult<Json<StatusOk>> {
    if body.email.trim().is_empty() {
        return Err(MmError::invalid_body("email"));
    }
    core.send_password_reset(&body.email)
        .await
        .map_err(|e| mail_error("api.user.send_password_reset.send.app_error", e))?;
    Ok(status_ok())
}

/// `POST /api/v4/users/password/reset`
pub async fn reset(
    State(core): State<Core>,
    MmJson(body): MmJson<ResetBody>,
) -> MmResult<Json<StatusOk>> {
    match core.reset_password(&body.token, &body.new_password).await {
        Ok(()) => Ok(status_ok()),
        Err(Error::Invalid { field, reason }) if field == "token" => Err(match reason.as_str() {
            INVALID_LINK => MmError::new(
                StatusCode::BAD_REQUEST,
                "api.user.reset_password.invalid_link.app_error",
                "The reset link does not appear to be valid.",
            ),
            EXPIRED_LINK => MmError::new(
                StatusCode::BAD_REQUEST,
                "api.user.reset_password.link_expired.app_error",
                "The password reset link has expired.",
            ),
            _ => MmError::invalid_param("token"),
        }),
        Err(e) => Err(e.into()),
    }
}

/// `POST /api/v4/users/email/verify/send`: always OK, so nobody learns
/// which addresses have accounts.
pub async fn send_verification(
    State(core): State<Core>,
    MmJson(body): MmJson<EmailBody>,
) -> MmResult<Json<StatusOk>> {
    if body.email.trim().is_empty() {
        return Err(MmError::invalid_body("email"));
    }
    if let Err(e) = core.send_email_verification(&body.email).await {
        tracing::warn!(error = %e, "verification e-mail not sent");
    }
    Ok(status_ok())
}

/// `POST /api/v4/users/email/verify`
pub async fn verify(
    State(core): State<Core>,
    MmJson(body): MmJson<TokenBody>,
) -> MmResult<Json<StatusOk>> {
    match core.verify_email(&body.token).await {
        Ok(()) => Ok(status_ok()),
        Err(Error::Invalid { field, reason })
            if field == "token" && reason != INVALID_LINK && reason != EXPIRED_LINK =>
        {
            Err(MmError::invalid_param("token"))
        }
        Err(Error::Invalid { .. } | Error::NotFound { .. }) => Err(MmError::new(
            StatusCode::BAD_REQUEST,
            "api.user.verify_email.bad_link.app_error",
            "Bad verify email link.",
        )),
        Err(e) => Err(e.into()),
    }
}

/// `POST /api/v4/email/test`: mails the calling admin through the
/// configured SMTP server. The body (settings to try, on Mattermost) is
/// ignored: rustchat's mail settings come from its configuration.
pub async fn test(State(core): State<Core>, MmAuth(actor): MmAuth) -> MmResult<Json<StatusOk>> {
    match core.send_test_email(&actor).await {
        Ok(()) => Ok(status_ok()),
        Err(Error::NotImplemented(_)) => Err(MmError::new(
            StatusCode::BAD_REQUEST,
            "api.admin.test_email.missing_server",
            "No SMTP server is configured (smtp_url).",
        )),
        Err(Error::Unavailable(reason)) => {
            tracing::warn!(%reason, "test e-mail not sent");
            let mut e = MmError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "app.admin.test_email.failure",
                "The test e-mail could not be sent: check the SMTP settings.",
            );
            e.detailed_error = reason;
            Err(e)
        }
        Err(e) => Err(e.into()),
    }
}
