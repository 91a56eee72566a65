//! Team invitations by e-mail: a team member mails a sign-up link to
//! addresses the team accepts; each link carries a single-use token kept
//! (hashed) with the team, the sender and the channels to join. Tokens expire
//! after 48 hours; senders are limited to 20 addresses an hour, as on
//! Mattermost. Signing up with a token ([`crate::services::SignUpInvitation`])
//! starts with [`Core::team_invitation`]'s check.

use super::messages::{self, Invitation};
use super::tokens::{check_shape, hash, new_token};
use super::{EXPIRED_LINK, INVALID_LINK};
use crate::error::{Error, Result};
use crate::model::*;
use crate::ratelimit::RateLimiter;
use crate::services::{validate, Actor, Core};
use crate::time::now_ms;

/// The kind of an invitation's token, as Mattermost names it.
pub const TEAM_INVITATION: &str = "team_invitation";
/// How long an invitation works, as on Mattermost.
pub const INVITATION_LIFETIME_MS: i64 = 48 * 60 * 60 * 1000;
/// Longest note a sender may add to an invitation.
const MAX_NOTE_CHARS: usize = 4000;

/// Invitations per sender: 20 an hour. Mattermost's limiter lets one more
/// than its burst of 20 through at once, so a fresh sender may invite 21.
pub(crate) fn invitation_limiter() -> RateLimiter {
    RateLimiter::per_hour(20, 21)
}

/// Whom to invite, and to what.
#[derive(Debug, Clone, Default)]
pub struct Invitations {
    pub emails: Vec<String>,
    /// Channels of the team to join with it; those the sender may not add
    /// members to are left out.
    pub channel_ids: Vec<String>,
    /// The sender's note, shown in the mail.
    pub note: String,
}

/// What to do when some addresses may not be invited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteMode {
    /// Invite nobody when any address is refused.
    AllOrNothing,
    /// Invite those that may be, and report on each.
    EachAlone,
}

/// Why an address was not invited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteRefusal {
    /// Not an e-mail address.
    Malformed,
    /// Its domain is not one the team accepts.
    DomainNotAllowed,
    /// The mail server could not take the invitations.
    NotSent,
}

/// One address's invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteOutcome {
    pub email: String,
    pub refused: Option<InviteRefusal>,
}

/// An invitation read back from its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamInvitation {
    pub email: String,
    pub team_id: String,
    pub sender_id: String,
    pub channel_ids: Vec<String>,
    pub create_at: i64,
}

/// Whether an address may be invited, and if not why.
fn refusal(email: &str, domains: &[String]) -> Option<InviteRefusal> {
    if validate::email(email).is_err() {
        return Some(InviteRefusal::Malformed);
    }
    (!validate::email_in_domains(email, domains)).then_some(InviteRefusal::DomainNotAllowed)
}

/// The sign-up page an invitation opens, as Mattermost's web app reads it:
/// `d` says which team and address, `t` is the token.
fn signup_link(site_url: &str, team: &Team, email: &str, token: &str) -> String {
    let data = serde_json::json!({
        "display_name": team.display_name,
        "email": email,
        "name": team.name,
    });
    let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    format!(
        "{site_url}/signup_user_complete/?d={}&t={}",
        encode(&data.to_string()),
        encode(token)
    )
}

/// How a user is named to others in a mail: full name, else username.
fn display_name(user: &User) -> String {
    let full = format!("{} {}", user.first_name, user.last_name);
    match full.trim() {
        "" => user.username.clone(),
        name => name.to_string(),
    }
}

impl Core {
    /// Mails invitations to a team: with `invite_user` and `add_user_to_team`
    /// there (every member has both). Addresses are lower-cased and must be
    /// of a domain the team accepts; in [`InviteMode::AllOrNothing`] one
    /// refused address stops all. Without e-mail set up nothing is mailed,
    /// and the answer is the same (as on Mattermost).
    pub async fn invite_by_email(
        &self,
        actor: &Actor,
        team_id: &str,
        input: Invitations,
        mode: InviteMode,
    ) -> Result<Vec<InviteOutcome>> {
        let team = self.team_to_invite_to(actor, team_id, &input).await?;
        let channels = match mode {
            InviteMode::EachAlone => self.channels_to_invite_to(actor, &team, &input).await?,
            InviteMode::AllOrNothing => Vec::new(),
        };
        let domains = validate::domain_list(&team.allowed_domains);
        let mut outcomes: Vec<InviteOutcome> = input
            .emails
            .iter()
            .map(|e| {
                let email = e.to_lowercase();
                let refused = refusal(&email, &domains);
                InviteOutcome { email, refused }
            })
            .collect();
        if mode == InviteMode::AllOrNothing && outcomes.iter().any(|o| o.refused.is_some()) {
            return Ok(outcomes);
        }
        let invited: Vec<&str> = outcomes
            .iter()
            .filter(|o| o.refused.is_none())
            .map(|o| o.email.as_str())
            .collect();
        if !self
            .invitations
            .take(actor.id(), u32::try_from(invited.len()).unwrap_or(u32::MAX))
        {
            return Err(Error::RateLimited);
        }
        let tokens = self
            .store_invitations(actor, &team, &invited, &channels)
            .await?;
        let names: Vec<String> = channels.into_iter().map(|c| c.display_name).collect();
        let mails = tokens.iter().map(|(token, email)| {
            let link = signup_link(&self.site_url(), &team, email, token);
            let mail = messages::team_invitation(
                &self.site_name(),
                &Invitation {
                    sender: &display_name(&actor.user),
                    team: &team.display_name,
                    channels: &names,
                    note: input.note.trim(),
                    link: &link,
                    hours: INVITATION_LIFETIME_MS / 3_600_000,
                },
            );
            (email.clone(), mail)
        });
        match (mode, self.mailer.as_deref()) {
            // Mattermost does not wait for these mails: failures are logged.
            (InviteMode::AllOrNothing, _) | (_, None) => {
                mails.for_each(|(to, mail)| self.send_later(to, mail));
            }
            (InviteMode::EachAlone, Some(mailer)) => {
                for (to, mail) in mails {
                    if let Err(e) = mailer.send(&to, mail).await {
                        tracing::warn!(error = %e, "team invitations not sent");
                        // As Mattermost: the first failure stops the sending
                        // and every invitation is reported unsent.
                        for o in outcomes.iter_mut().filter(|o| o.refused.is_none()) {
                            o.refused = Some(InviteRefusal::NotSent);
                        }
                        break;
                    }
                }
            }
        }
        Ok(outcomes)
    }

    /// The team, when the actor may invite to it (`invite_user` and
    /// `add_user_to_team`, reported as the first) and the input is usable.
    async fn team_to_invite_to(
        &self,
        actor: &Actor,
        team_id: &str,
        input: &Invitations,
    ) -> Result<Team> {
        validate::id("team_id", team_id)?;
        self.require_team_permission(actor, team_id, Permission::InviteUser)
            .await?;
        if !self
            .has_team_permission(actor, team_id, Permission::AddUserToTeam)
            .await?
        {
            return Err(Error::forbidden(
                "you do not have the invite_user permission here",
            ));
        }
        if input.emails.is_empty() {
            return Err(Error::invalid("user_email", "name at least one address"));
        }
        if input.note.chars().count() > MAX_NOTE_CHARS {
            return Err(Error::invalid(
                "message",
                format!("must be at most {MAX_NOTE_CHARS} characters"),
            ));
        }
        let team = self.store.get_team(team_id).await?;
        if team.delete_at != 0 {
            return Err(Error::not_found("team"));
        }
        Ok(team)
    }

    /// Stores one token per invited address; returns each token (the
    /// secret, mailed and never stored) with its address.
    async fn store_invitations(
        &self,
        actor: &Actor,
        team: &Team,
        invited: &[&str],
        channels: &[Channel],
    ) -> Result<Vec<(String, String)>> {
        let now = now_ms();
        let channel_ids: Vec<String> = channels.iter().map(|c| c.id.clone()).collect();
        let mut tokens = Vec::with_capacity(invited.len());
        let mut records = Vec::with_capacity(invited.len());
        for email in invited {
            let token = new_token();
            records.push(EmailToken {
                token_hash: hash(&token),
                kind: TEAM_INVITATION.into(),
                user_id: actor.id().to_string(),
                email: (*email).to_string(),
                create_at: now,
                team_id: team.id.clone(),
                channel_ids: channel_ids.clone(),
            });
            tokens.push((token, (*email).to_string()));
        }
        self.store
            .add_email_tokens(&records, now - INVITATION_LIFETIME_MS)
            .await?;
        Ok(tokens)
    }

    /// The channels an invitation may add its invitee to: those of the
    /// team, public or private, whose members the sender may manage.
    /// Unknown and unmanageable ones (and direct messages) are left out; a
    /// channel of another team is an error, as on Mattermost.
    async fn channels_to_invite_to(
        &self,
        actor: &Actor,
        team: &Team,
        input: &Invitations,
    ) -> Result<Vec<Channel>> {
        let mut kept: Vec<Channel> = Vec::new();
        for id in &input.channel_ids {
            if validate::id("channel_ids", id).is_err() || kept.iter().any(|c| &c.id == id) {
                continue;
            }
            let (channel, member) = match self.store.get_channel_with_member(id, actor.id()).await {
                Ok(found) => found,
                Err(Error::NotFound { .. }) => continue,
                Err(e) => return Err(e),
            };
            let needed = match channel.channel_type.as_str() {
                channel_types::OPEN => Permission::ManagePublicChannelMembers,
                channel_types::PRIVATE => Permission::ManagePrivateChannelMembers,
                _ => continue,
            };
            if channel.delete_at != 0
                || !self
                    .has_channel_permission(actor, &channel, member.as_ref(), needed)
                    .await?
            {
                continue;
            }
            if channel.team_id != team.id {
                return Err(Error::invalid(
                    "channel_ids",
                    "a channel belongs to another team",
                ));
            }
            kept.push(channel);
        }
        Ok(kept)
    }

    /// The invitation a mailed token stands for, checked: a team invitation,
    /// not expired (an expired one is removed), its team still active. The
    /// token stays usable; the account's creation will take it.
    pub async fn team_invitation(&self, token: &str) -> Result<TeamInvitation> {
        check_shape(token)?;
        let hashed = hash(token);
        let Some(stored) = self.store.get_email_token(&hashed, TEAM_INVITATION).await? else {
            return Err(Error::invalid("token", INVALID_LINK));
        };
        if now_ms() - stored.create_at > INVITATION_LIFETIME_MS {
            self.store.delete_email_token(&hashed).await?;
            return Err(Error::invalid("token", EXPIRED_LINK));
        }
        match self.store.get_team(&stored.team_id).await {
            Ok(team) if team.delete_at == 0 => {}
            Ok(_) | Err(Error::NotFound { .. }) => {
                return Err(Error::invalid("token", INVALID_LINK))
            }
            Err(e) => return Err(e),
        }
        Ok(TeamInvitation {
            email: stored.email,
            team_id: stored.team_id,
            sender_id: stored.user_id,
            channel_ids: stored.channel_ids,
            create_at: stored.create_at,
        })
    }

    /// Removes an invitation once its account exists: it works once.
    pub(crate) async fn spend_team_invitation(&self, token: &str) -> Result<()> {
        self.store.delete_email_token(&hash(token)).await
    }

    /// Voids every pending team invitation of the server (system admins:
    /// `invalidate_email_invite`). Returns how many there were.
    pub async fn invalidate_email_invitations(&self, actor: &Actor) -> Result<u64> {
        self.require_team_permission(actor, "", Permission::InvalidateEmailInvite)
            .await?;
        self.store
            .delete_email_tokens_of_kind(TEAM_INVITATION)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_read_as_mattermost_writes_them() {
        assert!(validate::domain_list("").is_empty());
        assert_eq!(
            validate::domain_list(" Example.com,@corp.org  x.io"),
            vec!["example.com", "corp.org", "x.io"]
        );
        let domains = validate::domain_list("example.com");
        assert_eq!(refusal("a@example.com", &domains), None);
        assert_eq!(
            refusal("a@evil-example.com", &domains),
            Some(InviteRefusal::DomainNotAllowed),
            "the whole domain must match"
        );
        assert_eq!(
            refusal("a@sub.example.com", &domains),
            Some(InviteRefusal::DomainNotAllowed)
        );
        assert_eq!(refusal("a@anything.net", &[]), None);
        assert_eq!(
            refusal("not-an-address", &[]),
            Some(InviteRefusal::Malformed)
        );
    }

    #[test]
    fn the_link_carries_the_team_the_address_and_the_token() {
        let team = Team {
            id: "t".into(),
            create_at: 0,
            update_at: 0,
            delete_at: 0,
            display_name: "Ops & Co".into(),
            name: "ops".into(),
            description: String::new(),
            email: String::new(),
            team_type: "O".into(),
            company_name: String::new(),
            allowed_domains: String::new(),
            invite_id: String::new(),
            allow_open_invite: true,
            last_team_icon_update: 0,
        };
        let link = signup_link("https://chat.example.com", &team, "a+b@x.io", "TOKEN");
        let (base, query) = link.split_once('?').expect("a query");
        assert_eq!(base, "https://chat.example.com/signup_user_complete/");
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        assert_eq!(pairs[0].0, "d");
        assert_eq!(
            pairs[0].1,
            r#"{"display_name":"Ops & Co","email":"a+b@x.io","name":"ops"}"#
        );
        assert_eq!(pairs[1], ("t".to_string(), "TOKEN".to_string()));
    }
}
