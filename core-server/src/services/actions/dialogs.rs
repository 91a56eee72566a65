//! Interactive dialogs: an integration opens one in a user's client with a
//! trigger id it was just given (by an action or a command); the client
//! submits the filled-in form, which the server forwards to the dialog's URL
//! and answers with the integration's verdict.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::super::{Actor, Core};
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::model::Dialog;

/// Mattermost's `OpenDialogRequest`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct OpenDialog {
    /// A trigger id from an action or a command: it names the user.
    pub trigger_id: String,
    /// Where the submission goes.
    pub url: String,
    pub dialog: Dialog,
}

/// A filled-in (or cancelled) dialog, as a client submits it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DialogSubmission {
    /// The dialog's `url`, from the `open_dialog` event.
    pub url: String,
    pub callback_id: String,
    pub state: String,
    /// Where the dialog was used from.
    pub channel_id: String,
    pub team_id: String,
    /// Element name → value.
    #[schema(value_type = Object)]
    pub submission: Map<String, Value>,
    pub cancelled: bool,
}

/// What the integration sent back (Mattermost's `SubmitDialogResponse`);
/// everything empty when it accepted the submission.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct DialogAnswer {
    /// A message for the whole form.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub error: String,
    /// Element name → what is wrong with its value.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub errors: BTreeMap<String, String>,
    /// A message to show.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text: String,
}

/// What the integration is sent (Mattermost's `SubmitDialogRequest`).
#[derive(Serialize)]
struct SubmitRequest<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    callback_id: &'a str,
    state: &'a str,
    user_id: &'a str,
    channel_id: &'a str,
    team_id: &'a str,
    submission: &'a Map<String, Value>,
    cancelled: bool,
}

impl Core {
    /// Opens a dialog in the clients of the user the trigger id was issued
    /// to (Mattermost serves this without a session: the trigger id is the
    /// credential). A dialog that breaks Mattermost's rules is still sent,
    /// as Mattermost does, with a warning in the log.
    pub async fn open_dialog(&self, request: OpenDialog) -> Result<()> {
        if request.url.trim().is_empty() {
            return Err(Error::invalid("url", "is required"));
        }
        crate::outbound::Outbound::check_url(&request.url)
            .map_err(|e| Error::invalid("url", e.to_string()))?;
        let trigger = self.verify_trigger_id(&request.trigger_id).await?;
        let problems = request.dialog.problems();
        if !problems.is_empty() {
            tracing::warn!(
                problems = problems.len(),
                first = %problems[0],
                "an integration opened a dialog that breaks the dialog rules"
            );
        }
        self.events.publish(
            EventKind::OpenDialog {
                trigger_id: trigger.client_id,
                url: request.url,
                dialog: request.dialog,
            },
            Audience::User(trigger.user_id),
        );
        Ok(())
    }

    /// Forwards a dialog's submission (or its cancellation) to its URL as
    /// the actor, who must be able to read the channel and belong to the
    /// team it was used in, and returns the integration's answer.
    pub async fn submit_dialog(
        &self,
        actor: &Actor,
        submission: DialogSubmission,
    ) -> Result<DialogAnswer> {
        if submission.url.trim().is_empty() {
            return Err(Error::invalid("url", "is required"));
        }
        crate::outbound::Outbound::check_url(&submission.url)
            .map_err(|e| Error::invalid("url", e.to_string()))?;
        self.channel_for_read(actor, &submission.channel_id).await?;
        self.team_for_member(actor, &submission.team_id).await?;
        let request = SubmitRequest {
            kind: "dialog_submission",
            callback_id: &submission.callback_id,
            state: &submission.state,
            user_id: actor.id(),
            channel_id: &submission.channel_id,
            team_id: &submission.team_id,
            submission: &submission.submission,
            cancelled: submission.cancelled,
        };
        let body = serde_json::to_value(&request)
            .map_err(|e| Error::Internal(format!("dialog submission: {e}")))?;
        let reply = self.post_to_integration(&submission.url, body).await?;
        // As Mattermost: an answer that is not the expected JSON counts as empty.
        Ok(reply.json().unwrap_or_default())
    }
}
