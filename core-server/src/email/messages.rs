//! The messages rustchat mails, each as text and as HTML. User-written text
//! is escaped in the HTML.

use super::mailer::Email;

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn page(site: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><body style=\"font-family:sans-serif;color:#222\">\
         {body}<p style=\"color:#888;font-size:12px\">Sent by {}</p></body></html>",
        escape(site)
    )
}

pub fn password_reset(site: &str, link: &str, hours: i64) -> Email {
    Email {
        subject: format!("[{site}] Reset your password"),
        text: format!(
            "Someone asked to reset the password of your account on {site}.\n\n\
             To choose a new password, open this link:\n{link}\n\n\
             The link works once and expires in {hours} hours. If you did not ask for this, \
             ignore this message: your password stays as it is.\n"
        ),
        html: page(
            site,
            &format!(
                "<p>Someone asked to reset the password of your account on {}.</p>\
                 <p><a href=\"{}\">Choose a new password</a></p>\
                 <p>The link works once and expires in {hours} hours. If you did not ask for \
                 this, ignore this message: your password stays as it is.</p>",
                escape(site),
                escape(link)
            ),
        ),
    }
}

pub fn password_changed(site: &str) -> Email {
    Email {
        subject: format!("[{site}] Your password was changed"),
        text: format!(
            "The password of your account on {site} was just changed, and every session \
             was signed out. If this was not you, reset your password at once.\n"
        ),
        html: page(
            site,
            &format!(
                "<p>The password of your account on {} was just changed, and every session \
                 was signed out. If this was not you, reset your password at once.</p>",
                escape(site)
            ),
        ),
    }
}

pub fn verify_address(site: &str, link: &str) -> Email {
    Email {
        subject: format!("[{site}] Confirm your e-mail address"),
        text: format!("To confirm this address for your account on {site}, open:\n{link}\n"),
        html: page(
            site,
            &format!(
                "<p>To confirm this address for your account on {}:</p>\
                 <p><a href=\"{}\">Confirm my address</a></p>",
                escape(site),
                escape(link)
            ),
        ),
    }
}

/// What an invitation to a team says.
pub struct Invitation<'a> {
    pub sender: &'a str,
    pub team: &'a str,
    /// Display names of the channels the invitee joins besides the team's own.
    pub channels: &'a [String],
    /// The sender's own words, if any.
    pub note: &'a str,
    pub link: &'a str,
    pub hours: i64,
}

pub fn team_invitation(site: &str, invite: &Invitation<'_>) -> Email {
    let Invitation {
        sender,
        team,
        channels,
        note,
        link,
        hours,
    } = invite;
    let mut text = format!("{sender} invited you to the team {team} on {site}.\n");
    let mut html = format!(
        "<p>{} invited you to the team <strong>{}</strong> on {}.</p>",
        escape(sender),
        escape(team),
        escape(site)
    );
    if !channels.is_empty() {
        text.push_str(&format!("You will also join: {}.\n", channels.join(", ")));
        html.push_str(&format!(
            "<p>You will also join: {}.</p>",
            escape(&channels.join(", "))
        ));
    }
    if !note.is_empty() {
        text.push_str(&format!("\nTheir note:\n{note}\n"));
        html.push_str(&format!(
            "<p>Their note:</p><blockquote>{}</blockquote>",
            escape(note)
        ));
    }
    text.push_str(&format!(
        "\nTo accept, open this link and create your account:\n{link}\n\n\
         The link works once and expires in {hours} hours. If you do not know {sender}, \
         ignore this message.\n"
    ));
    html.push_str(&format!(
        "<p><a href=\"{}\">Join {}</a></p>\
         <p>The link works once and expires in {hours} hours. If you do not know {}, \
         ignore this message.</p>",
        escape(link),
        escape(team),
        escape(sender)
    ));
    Email {
        subject: format!("[{site}] {sender} invited you to {team}"),
        text,
        html: page(site, &html),
    }
}

pub fn test_email(site: &str) -> Email {
    Email {
        subject: format!("[{site}] Test e-mail"),
        text: format!(
            "This message checks the e-mail settings of {site}. It arrived, so the server \
             can send e-mail.\n"
        ),
        html: page(
            site,
            &format!(
                "<p>This message checks the e-mail settings of {}. It arrived, so the \
                 server can send e-mail.</p>",
                escape(site)
            ),
        ),
    }
}

/// One mention in a digest.
pub struct Missed {
    pub sender: String,
    pub channel: String,
    pub message: String,
    pub link: String,
}

pub fn digest(site: &str, missed: &[Missed]) -> Email {
    let count = missed.len();
    let noun = if count == 1 { "message" } else { "messages" };
    let mut text = format!("You have {count} new {noun} on {site}:\n\n");
    let mut html = format!(
        "<p>You have {count} new {noun} on {}:</p><ul>",
        escape(site)
    );
    for m in missed {
        text.push_str(&format!(
            "{} in {}:\n{}\n{}\n\n",
            m.sender, m.channel, m.message, m.link
        ));
        html.push_str(&format!(
            "<li><strong>{}</strong> in <strong>{}</strong>: {} (<a href=\"{}\">open</a>)</li>",
            escape(&m.sender),
            escape(&m.channel),
            escape(&m.message),
            escape(&m.link)
        ));
    }
    html.push_str("</ul>");
    Email {
        subject: format!("[{site}] {count} new {noun}"),
        text,
        html: page(site, &html),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_escapes_the_senders_words_in_html() {
        let mail = team_invitation(
            "chat",
            &Invitation {
                sender: "Eve <eve>",
                team: "Ops & Co",
                channels: &["Deploys".to_string()],
                note: "<b>hi</b>",
                link: "http://x/signup_user_complete/?d=1&t=2",
                hours: 48,
            },
        );
        assert_eq!(mail.subject, "[chat] Eve <eve> invited you to Ops & Co");
        assert!(mail.text.contains("<b>hi</b>"));
        assert!(mail.text.contains("http://x/signup_user_complete/?d=1&t=2"));
        assert!(mail.text.contains("You will also join: Deploys."));
        assert!(mail.html.contains("&lt;b&gt;hi&lt;/b&gt;"));
        assert!(mail.html.contains("Ops &amp; Co"));
        assert!(mail.html.contains("?d=1&amp;t=2"));
        assert!(!mail.html.contains("<b>hi"));
    }

    #[test]
    fn user_text_is_escaped_in_html_only() {
        let mail = digest(
            "chat",
            &[Missed {
                sender: "@eve".into(),
                channel: "Ops".into(),
                message: "<script>alert(1)</script> & more".into(),
                link: "http://x/pl/1".into(),
            }],
        );
        assert!(mail
            .html
            .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
        assert!(!mail.html.contains("<script>"));
        assert!(mail.text.contains("<script>alert(1)</script> & more"));
        assert_eq!(mail.subject, "[chat] 1 new message");
    }
}
