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
