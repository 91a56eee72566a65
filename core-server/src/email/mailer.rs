//! The SMTP connection (lettre), from `smtp_url`: `smtp://host:port` (plain,
//! for a local relay), `smtp://…?tls=required` (STARTTLS) or `smtps://…`
//! (TLS), with `user:password@` when the server asks for it.

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::error::{Error, Result};

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// A message in both forms: plain text, and HTML for mail apps that show it.
pub struct Email {
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Mailer {
    /// The mailer a configuration asks for; `None` without `smtp_url`.
    pub fn from_config(smtp_url: Option<&str>, from: &str) -> Result<Option<Mailer>> {
        let Some(url) = smtp_url else {
            return Ok(None);
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| Error::invalid("smtp_url", e.to_string()))?
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| Error::invalid("email_from", e.to_string()))?;
        Ok(Some(Mailer { transport, from }))
    }

    /// Sends one message; a refusing or unreachable server is `Unavailable`.
    pub async fn send(&self, to: &str, email: Email) -> Result<()> {
        let to = to
            .parse::<Mailbox>()
            .map_err(|e| Error::invalid("email", e.to_string()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject)
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(email.text),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(email.html),
                    ),
            )
            .map_err(|e| Error::Internal(format!("cannot build an e-mail: {e}")))?;
        let sent = self.transport.send(message).await;
        crate::metrics::email_sent(sent.is_ok());
        sent.map_err(|e| Error::Unavailable(format!("mail server: {e}")))?;
        Ok(())
    }
}
