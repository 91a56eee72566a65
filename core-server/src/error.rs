//! The one error type of the core. Stores and services return it; each API
//! surface turns it into HTTP in exactly one place.

/// Everything that can go wrong in a core call.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The record does not exist, or the caller may not know that it exists.
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    /// The caller is known but lacks the permission for this action.
    #[error("{0}")]
    Forbidden(String),
    /// No valid session: missing, unknown, revoked or expired credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// The account is locked after too many failed logins, until its
    /// password is reset.
    #[error("too many failed logins: reset the password to sign in again")]
    LockedOut,
    /// A field of the input is malformed or out of range; `field` names it.
    #[error("invalid {field}: {reason}")]
    Invalid { field: String, reason: String },
    /// The input clashes with existing data (a taken username, a duplicate name).
    #[error("{field} already exists: {reason}")]
    Conflict { field: String, reason: String },
    /// The body or a field is larger than allowed.
    #[error("{0}")]
    TooLarge(String),
    /// The caller sent too many requests.
    #[error("rate limited")]
    RateLimited,
    /// The feature is not available on this server.
    #[error("{0}")]
    NotImplemented(String),
    /// The server's sign-up rules do not let this account be created.
    #[error("{0}")]
    SignUp(SignUpRefusal),
    /// A system admin marked the server busy: this expensive work is off
    /// until then.
    #[error("the server is busy")]
    Busy,
    /// A backend (database, cache, object store) could not be reached.
    /// An integration the server called failed (unreachable, refused, timed
    /// out, an error status or an unreadable answer); the message says which.
    #[error("{0}")]
    Upstream(String),
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// A bug or an unexpected backend failure; logged, never shown to clients.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Why the sign-up rules refused to create an account; each surface names
/// it in its own words (the v4 bridge with Mattermost's error ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignUpRefusal {
    /// `enable_user_creation` is off: no new accounts but an admin's.
    CreationOff,
    /// Sign-up without an invitation while open sign-up is off.
    InvitationNeeded,
    /// The address's domain is not in `restrict_creation_to_domains`.
    DomainNotAccepted,
    /// The address's domain is not one the invited team accepts.
    TeamDomainNotAccepted,
    /// No active team has this invite id (it may have been regenerated).
    UnknownInvite,
    /// No pending invitation has this token (never sent, or already used).
    UnknownToken,
    /// The invitation is older than its 48 hours.
    ExpiredToken,
    /// The address is not the one the invitation was sent to.
    OtherAddress,
}

impl SignUpRefusal {
    /// The request field at fault, if one is.
    pub fn field(self) -> Option<&'static str> {
        match self {
            SignUpRefusal::DomainNotAccepted
            | SignUpRefusal::TeamDomainNotAccepted
            | SignUpRefusal::OtherAddress => Some("email"),
            SignUpRefusal::UnknownInvite => Some("invite_id"),
            SignUpRefusal::UnknownToken | SignUpRefusal::ExpiredToken => Some("token"),
            SignUpRefusal::CreationOff | SignUpRefusal::InvitationNeeded => None,
        }
    }
}

impl std::fmt::Display for SignUpRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SignUpRefusal::CreationOff => "accounts cannot be created on this server; ask an administrator",
            SignUpRefusal::InvitationNeeded => "this server is invitation-only: sign up with an invitation link, or ask an administrator for an account",
            SignUpRefusal::DomainNotAccepted => "accounts cannot be created with this e-mail domain on this server",
            SignUpRefusal::TeamDomainNotAccepted => "this team accepts only addresses of its listed e-mail domains",
            SignUpRefusal::UnknownInvite => "the invitation link is not valid: it may have been replaced by a new one",
            SignUpRefusal::UnknownToken => "the invitation is not valid: it may have been used already",
            SignUpRefusal::ExpiredToken => "the invitation has expired: ask for a new one",
            SignUpRefusal::OtherAddress => "the e-mail address is not the one the invitation was sent to",
        })
    }
}

/// Shorthand for core results.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An [`Error::Invalid`] naming `field`.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// An [`Error::Conflict`] naming `field`.
    pub fn conflict(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Conflict {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// An [`Error::Forbidden`] with a message.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Error::Forbidden(message.into())
    }

    /// An [`Error::NotFound`] for `entity`.
    pub fn not_found(entity: &'static str) -> Self {
        Error::NotFound { entity }
    }
}

impl From<sqlx::Error> for Error {
    fn from(err: sqlx::Error) -> Self {
        if crate::store::connectivity::is_connection_error(&err) {
            crate::store::connectivity::note_connection_error();
            return Error::Unavailable(format!("database: {err}"));
        }
        match &err {
            sqlx::Error::RowNotFound => Error::NotFound { entity: "record" },
            sqlx::Error::Database(db) if db.is_unique_violation() => Error::conflict(
                unique_field(db.message()),
                "a record with this value exists",
            ),
            // PostgreSQL refuses a NUL character in text (22021) or in JSON
            // (22P05): bad input that validation did not name, never a 500.
            sqlx::Error::Database(db)
                if matches!(db.code().as_deref(), Some("22021") | Some("22P05")) =>
            {
                Error::invalid("text", "must not contain a NUL character")
            }
            _ => Error::Internal(err.to_string()),
        }
    }
}

/// Best guess at the column a unique violation is about, from the backend's message.
fn unique_field(message: &str) -> String {
    // SQLite: "UNIQUE constraint failed: users.username"; PostgreSQL names the index,
    // which we name "<table>_<column>_key" or "<table>_<column>_idx".
    if let Some(rest) = message.strip_prefix("UNIQUE constraint failed: ") {
        // For a composite key the last column is the one users choose (a name within a team).
        let last = rest.split(',').next_back().unwrap_or(rest).trim();
        return last.rsplit('.').next().unwrap_or(last).to_string();
    }
    if let Some(start) = message.find('"') {
        let name = message[start + 1..].split('"').next().unwrap_or("");
        let parts: Vec<&str> = name.split('_').collect();
        if parts.len() >= 3 {
            return parts[1..parts.len() - 1].join("_");
        }
    }
    "record".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_field_reads_sqlite_and_postgres_messages() {
        assert_eq!(
            unique_field("UNIQUE constraint failed: users.username"),
            "username"
        );
        assert_eq!(
            unique_field("duplicate key value violates unique constraint \"users_email_key\""),
            "email"
        );
        assert_eq!(
            unique_field("UNIQUE constraint failed: channels.team_id, channels.name"),
            "name"
        );
        assert_eq!(unique_field("something else"), "record");
    }
}
