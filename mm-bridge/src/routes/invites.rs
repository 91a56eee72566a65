//! Team invitations by e-mail: `POST /teams/{team_id}/invite/email` (all or
//! nothing, or per address with `graceful`) and
//! `DELETE /teams/invites/email` (void every pending one).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use core_server::email::{Invitations, InviteMode, InviteOutcome, InviteRefusal};
use core_server::services::Core;
use core_server::Error;

use crate::error::{MmError, MmResult};
use crate::extract::{check_id, status_ok, MmAuth, MmBytes, MmPath, MmQuery};

/// Mattermost's `MemberInvite`: a bare list of addresses, or the addresses
/// with channels to join and a note.
#[derive(Deserialize)]
#[serde(untagged)]
enum InviteBody {
    Addresses(Vec<String>),
    Full {
        #[serde(default)]
        emails: Vec<String>,
        #[serde(default, rename = "channelIds")]
        channel_ids: Vec<String>,
        #[serde(default)]
        message: String,
    },
}

#[derive(Deserialize)]
pub struct InviteQuery {
    #[serde(default)]
    graceful: String,
}

/// Mattermost's `EmailInviteWithError`: one address's result.
#[derive(Serialize)]
pub struct EmailResult {
    email: String,
    error: Option<MmError>,
}

fn invalid_body(detail: String) -> MmError {
    let mut e = MmError::new(
        StatusCode::BAD_REQUEST,
        "api.team.invite_members_to_team_and_channels.invalid_body.app_error",
        "The invitation could not be read: send a list of addresses, or an object with emails.",
    );
    e.detailed_error = detail;
    e
}

/// The body as Mattermost reads it; `null` is an empty invitation.
fn read_body(bytes: &[u8]) -> MmResult<Invitations> {
    let body: Option<InviteBody> =
        serde_json::from_slice(bytes).map_err(|e| invalid_body(e.to_string()))?;
    Ok(match body {
        None => Invitations::default(),
        Some(InviteBody::Addresses(emails)) => Invitations {
            emails,
            ..Invitations::default()
        },
        Some(InviteBody::Full {
            emails,
            channel_ids,
            message,
        }) => Invitations {
            emails,
            channel_ids,
            note: message,
        },
    })
}

/// The error Mattermost reports for addresses that may not be invited.
fn refused(addresses: &[&str]) -> MmError {
    MmError::new(
        StatusCode::BAD_REQUEST,
        "api.team.invite_members.invalid_email.app_error",
        format!(
            "These addresses are not valid or not of a domain this team accepts: {}.",
            addresses.join(", ")
        ),
    )
}

fn not_sent() -> MmError {
    MmError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "api.team.invite_members.unable_to_send_email.app_error",
        "The invitation e-mails could not be sent.",
    )
}

fn invite_error(e: Error) -> MmError {
    match e {
        Error::RateLimited => MmError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "app.email.rate_limit_exceeded.app_error",
            "Too many invitations: at most 20 an hour may be sent. Try again later.",
        ),
        Error::Invalid { field, .. } if field == "channel_ids" => MmError::new(
            StatusCode::BAD_REQUEST,
            "api.team.invite_guests.channel_in_invalid_team.app_error",
            "The channels of an invitation must belong to its team.",
        ),
        other => other.into(),
    }
}

/// `POST /api/v4/teams/{team_id}/invite/email`: without `graceful`, any
/// refused address refuses the whole request (and the channels and note are
/// ignored, as on Mattermost); with any `graceful` value, one result per address.
pub async fn invite_by_email(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(team_id): MmPath<String>,
    MmQuery(q): MmQuery<InviteQuery>,
    MmBytes(body): MmBytes,
) -> MmResult<Response> {
    check_id("team_id", &team_id)?;
    let graceful = !q.graceful.is_empty();
    let mut input = read_body(&body)?;
    let mode = if graceful {
        InviteMode::EachAlone
    } else {
        input.channel_ids.clear();
        input.note.clear();
        InviteMode::AllOrNothing
    };
    let outcomes = core
        .invite_by_email(&actor, &team_id, input, mode)
        .await
        .map_err(invite_error)?;
    if graceful {
        let results: Vec<EmailResult> = outcomes.into_iter().map(email_result).collect();
        return Ok(Json(results).into_response());
    }
    let bad: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.refused.is_some())
        .map(|o| o.email.as_str())
        .collect();
    if !bad.is_empty() {
        return Err(refused(&bad));
    }
    Ok(status_ok().into_response())
}

fn email_result(outcome: InviteOutcome) -> EmailResult {
    let error = match outcome.refused {
        None => None,
        Some(InviteRefusal::Malformed | InviteRefusal::DomainNotAllowed) => {
            Some(refused(&[outcome.email.as_str()]))
        }
        Some(InviteRefusal::NotSent) => Some(not_sent()),
    };
    EmailResult {
        email: outcome.email,
        error,
    }
}

/// `DELETE /api/v4/teams/invites/email`: voids every pending invitation of
/// the server (system admins).
pub async fn invalidate_all(State(core): State<Core>, MmAuth(actor): MmAuth) -> MmResult<Response> {
    let voided = core.invalidate_email_invitations(&actor).await?;
    tracing::info!(voided, "pending team invitations voided");
    Ok(status_ok().into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_body_shapes_and_null_are_read() {
        let list = read_body(br#"["A@x.io","b@y.io"]"#).expect("list");
        assert_eq!(list.emails, vec!["A@x.io", "b@y.io"]);
        let full = read_body(br#"{"emails":["a@x.io"],"channelIds":["c"],"message":"hi"}"#)
            .expect("object");
        assert_eq!(full.emails, vec!["a@x.io"]);
        assert_eq!(full.channel_ids, vec!["c"]);
        assert_eq!(full.note, "hi");
        assert!(read_body(b"null").expect("null").emails.is_empty());
        let err = read_body(b"{not json").expect_err("refused");
        assert_eq!(
            err.id,
            "api.team.invite_members_to_team_and_channels.invalid_body.app_error"
        );
        assert!(
            read_body(b"").is_err(),
            "an empty body is not an invitation"
        );
    }
}
