//! E-mail: the SMTP mailer, the messages rustchat sends, the single-use
//! tokens of password resets and address checks, and the digests of
//! mentions a user missed while away.

mod digest;
mod mailer;
mod messages;
mod tokens;

pub use mailer::Mailer;
pub use tokens::{EXPIRED_LINK, INVALID_LINK, TOKEN_LENGTH, TOKEN_LIFETIME_MS};
