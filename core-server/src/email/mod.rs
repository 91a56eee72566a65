//! E-mail: the SMTP mailer, the messages rustchat sends, the single-use
//! tokens of password resets, address checks and team invitations, the
//! digests of mentions a user missed while away, and the test mail of the
//! settings page.

mod digest;
mod invitations;
mod mailer;
mod messages;
mod test_mail;
mod tokens;

pub(crate) use invitations::invitation_limiter;
pub use invitations::{
    Invitations, InviteMode, InviteOutcome, InviteRefusal, TeamInvitation, INVITATION_LIFETIME_MS,
    TEAM_INVITATION,
};
pub use mailer::Mailer;
pub use tokens::{EXPIRED_LINK, INVALID_LINK, TOKEN_LENGTH, TOKEN_LIFETIME_MS};
