//! Sign-up rules, as Mattermost's `createUser`: who may make an account on
//! their own, and how invitations let people in while open sign-up is off —
//! a team's invite id (the link a member shares) or a mailed invitation's
//! token (single use, 48 hours, for the invited address).

use super::{validate, Actor, Core, NewUser};
use crate::email::EXPIRED_LINK;
use crate::error::{Error, Result, SignUpRefusal};
use crate::model::*;

/// What lets a visitor make an account while open sign-up is off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignUpInvitation {
    /// A team's invite id: joins that team.
    InviteId(String),
    /// A mailed invitation's token: joins its team and channels, for the
    /// invited address only.
    Token(String),
}

impl SignUpInvitation {
    /// The invitation of a sign-up request: the token wins over the invite
    /// id, as on Mattermost; empty values count as absent.
    pub fn from_parts(invite_id: Option<&str>, token: Option<&str>) -> Option<Self> {
        let given = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(String::from);
        given(token)
            .map(SignUpInvitation::Token)
            .or_else(|| given(invite_id).map(SignUpInvitation::InviteId))
    }
}

fn refused(refusal: SignUpRefusal) -> Error {
    Error::SignUp(refusal)
}

impl Core {
    /// Whether the server has no account yet, so that its first account
    /// (which becomes the admin) can be made whatever the rules: clients
    /// show the sign-up form then, and every path that makes an account
    /// asks. Once there is an account the database is not asked again.
    pub async fn no_accounts(&self) -> Result<bool> {
        if self.has_accounts.get().is_some() {
            return Ok(false);
        }
        let none = self.store.count_users().await? == 0;
        if !none {
            let _ = self.has_accounts.set(());
        }
        Ok(none)
    }

    /// Refuses new accounts when `enable_user_creation` is off.
    pub(crate) fn check_user_creation(&self) -> Result<()> {
        if self.config().enable_user_creation {
            Ok(())
        } else {
            Err(refused(SignUpRefusal::CreationOff))
        }
    }

    /// Refuses a sign-up without an invitation unless open sign-up is on.
    pub(crate) fn check_open_sign_up(&self) -> Result<()> {
        self.check_user_creation()?;
        if self.config().enable_open_signup {
            Ok(())
        } else {
            Err(refused(SignUpRefusal::InvitationNeeded))
        }
    }

    /// Refuses an address outside `restrict_creation_to_domains`, on every
    /// path that makes an account (a bulk import keeps its data as it is).
    pub(crate) fn check_creation_domain(&self, email: &str) -> Result<()> {
        let domains = validate::domain_list(&self.config().restrict_creation_to_domains);
        if validate::email_in_domains(email, &domains) {
            Ok(())
        } else {
            Err(refused(SignUpRefusal::DomainNotAccepted))
        }
    }

    /// Makes an account with an invitation and joins the invitation's
    /// team (and, for a mailed one, its channels the sender may still add
    /// members to). Works while open sign-up is off; not while account
    /// creation is.
    pub async fn sign_up_invited(
        &self,
        input: NewUser,
        invitation: SignUpInvitation,
    ) -> Result<User> {
        self.check_user_creation()?;
        match invitation {
            SignUpInvitation::InviteId(invite_id) => {
                self.sign_up_by_invite_id(input, &invite_id).await
            }
            SignUpInvitation::Token(token) => self.sign_up_by_token(input, &token).await,
        }
    }

    async fn sign_up_by_invite_id(&self, input: NewUser, invite_id: &str) -> Result<User> {
        if validate::id("invite_id", invite_id).is_err() {
            return Err(refused(SignUpRefusal::UnknownInvite));
        }
        let team = match self.store.get_team_by_invite(invite_id).await {
            Ok(team) => team,
            Err(Error::NotFound { .. }) => return Err(refused(SignUpRefusal::UnknownInvite)),
            Err(e) => return Err(e),
        };
        let email = input.email.trim().to_lowercase();
        if !validate::email_in_domains(&email, &validate::domain_list(&team.allowed_domains)) {
            return Err(refused(SignUpRefusal::TeamDomainNotAccepted));
        }
        let user = self.insert_account(input, false, false).await?;
        self.join_team(&team.id, &user.id, roles::TEAM_USER).await?;
        tracing::info!(user_id = %user.id, team_id = %team.id, "account made with a team's invitation link");
        Ok(user)
    }

    async fn sign_up_by_token(&self, input: NewUser, token: &str) -> Result<User> {
        let invitation = match self.team_invitation(token).await {
            Ok(found) => found,
            Err(Error::Invalid { field, reason }) if field == "token" => {
                // A malformed token is as unknown as a used one.
                return Err(refused(if reason == EXPIRED_LINK {
                    SignUpRefusal::ExpiredToken
                } else {
                    SignUpRefusal::UnknownToken
                }));
            }
            Err(e) => return Err(e),
        };
        if input.email.trim().to_lowercase() != invitation.email {
            return Err(refused(SignUpRefusal::OtherAddress));
        }
        // The mailed link proves the address. The token goes once the
        // account exists: a second use finds the address taken.
        let user = self.insert_account(input, false, true).await?;
        self.spend_team_invitation(token).await?;
        self.join_team(&invitation.team_id, &user.id, roles::TEAM_USER)
            .await?;
        self.join_invited_channels(&user, &invitation.sender_id, &invitation.channel_ids)
            .await;
        tracing::info!(user_id = %user.id, team_id = %invitation.team_id, "account made with a mailed invitation");
        Ok(user)
    }

    /// Adds the new member to the invitation's channels with the sender's
    /// rights of now: a channel the sender may no longer add members to,
    /// or that is gone, is left out (logged), never an error.
    async fn join_invited_channels(&self, user: &User, sender_id: &str, channel_ids: &[String]) {
        if channel_ids.is_empty() {
            return;
        }
        let sender = match self.store.get_user(sender_id).await {
            Ok(sender) if !sender.is_deleted() => Actor::on_behalf_of(sender),
            Ok(_) | Err(_) => {
                tracing::info!(user_id = %user.id, "invitation's channels skipped: its sender is gone");
                return;
            }
        };
        for channel_id in channel_ids {
            if let Err(e) = self.add_channel_member(&sender, channel_id, &user.id).await {
                tracing::info!(user_id = %user.id, channel_id = %channel_id, error = %e, "invitation's channel skipped");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_wins_and_empty_values_are_absent() {
        assert_eq!(SignUpInvitation::from_parts(None, None), None);
        assert_eq!(SignUpInvitation::from_parts(Some(" "), Some("")), None);
        assert_eq!(
            SignUpInvitation::from_parts(Some("abc"), None),
            Some(SignUpInvitation::InviteId("abc".into()))
        );
        assert_eq!(
            SignUpInvitation::from_parts(Some("abc"), Some("tok")),
            Some(SignUpInvitation::Token("tok".into()))
        );
    }

    #[test]
    fn domains_are_whole_and_listed_as_mattermost_writes_them() {
        let domains = validate::domain_list("Example.com, @corp.example");
        assert!(validate::email_in_domains("a@corp.example", &domains));
        assert!(validate::email_in_domains("a@EXAMPLE.com", &domains));
        assert!(!validate::email_in_domains("a@evil.com", &domains));
        assert!(!validate::email_in_domains("a@sub.example.com", &domains));
        assert!(!validate::email_in_domains("a@evil-example.com", &domains));
        assert!(validate::email_in_domains("a@anything.org", &[]));
    }
}
