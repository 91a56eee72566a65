//! E-mail against a real SMTP server (aiosmtpd, started by the test script,
//! delivering into a maildir these tests read): password reset end to end,
//! single use and expiry of its token, address verification, digests of
//! missed mentions, and a mail server that cannot be reached.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use core_server::config::Config;
use core_server::model::EmailToken;
use core_server::services::{Actor, Core};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use support::{
    create_channel, create_team, create_user, join, log_in, post, sqlite_core, unavailable,
    unused_addr, App,
};

/// The SMTP server and its maildir, or `None` (skipped) outside the test script.
fn smtp() -> Option<(String, PathBuf)> {
    match (
        std::env::var("RUSTCHAT_TEST_SMTP_URL"),
        std::env::var("RUSTCHAT_TEST_MAILDIR"),
    ) {
        (Ok(url), Ok(dir)) if !url.is_empty() => Some((url, PathBuf::from(dir))),
        _ => unavailable(
            "an SMTP server",
            "RUSTCHAT_TEST_SMTP_URL and RUSTCHAT_TEST_MAILDIR are not set",
        ),
    }
}

struct Rig {
    core: Core,
    app: App,
    maildir: PathBuf,
    /// Makes this run's addresses unique in a maildir shared by all runs.
    tag: String,
}

async fn rig(config: Config) -> Option<Rig> {
    let (url, maildir) = smtp()?;
    let (core, dir) = sqlite_core(Config {
        smtp_url: Some(url),
        site_url: Some("https://chat.example.com".into()),
        ..config
    })
    .await;
    Some(Rig {
        app: App::over(core.clone(), Some(dir)),
        core,
        maildir,
        tag: core_server::id::new_id()[..8].to_string(),
    })
}

impl Rig {
    fn email(&self, name: &str) -> String {
        format!("{name}-{}@example.com", self.tag)
    }

    async fn user(&self, name: &str) -> (Actor, String) {
        let fields = json!({
            "username": format!("{name}{}", self.tag), "email": self.email(name), "password": "password1"
        });
        create_user(&self.core, fields).await.expect("create user");
        log_in(&self.core, &self.email(name), "").await
    }

    /// A JSON call to the application; returns the status and the body.
    async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> (StatusCode, Value) {
        let (status, body, _) = self.app.call(&method, path, token, Some(&body)).await;
        (status, body)
    }

    /// The messages delivered to an address, decoded, waiting up to 5 s for `count`.
    async fn mail_to(&self, address: &str, count: usize) -> Vec<String> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        loop {
            let mut found = Vec::new();
            for sub in ["new", "cur"] {
                let Ok(entries) = std::fs::read_dir(self.maildir.join(sub)) else {
                    continue;
                };
                for entry in entries.flatten() {
                    let raw = std::fs::read_to_string(entry.path()).unwrap_or_default();
                    let to_line = raw
                        .lines()
                        .find(|l| l.to_ascii_lowercase().starts_with("to:"));
                    if to_line.is_some_and(|l| l.contains(address)) {
                        found.push(decode_quoted_printable(&raw));
                    }
                }
            }
            if found.len() >= count || tokio::time::Instant::now() > deadline {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Enough of quoted-printable for these tests: soft line breaks and `=XX`.
fn decode_quoted_printable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn token_in(mail: &str) -> String {
    let start = mail.find("token=").expect("a token link") + "token=".len();
    mail[start..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect()
}

#[tokio::test]
async fn a_password_reset_works_once_with_the_mailed_token_only() {
    let Some(rig) = rig(crate::support::open_config()).await else {
        return;
    };
    let (alice, old_session) = rig.user("alice").await;
    let address = rig.email("alice");
    let (status, body) = rig
        .call(
            Method::POST,
            "/api/v4/users/password/reset/send",
            None,
            json!({"email": address.to_uppercase()}),
        )
        .await;
    assert_eq!((status, body), (StatusCode::OK, json!({"status": "OK"})));
    // Unknown addresses answer the same, and nothing is sent.
    let nobody = rig.email("nobody");
    let (status, _) = rig
        .call(
            Method::POST,
            "/api/v4/users/password/reset/send",
            None,
            json!({"email": nobody}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = rig
        .call(
            Method::POST,
            "/api/v4/users/password/reset/send",
            None,
            json!({"email": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("email")),
        "{body}"
    );

    let mail = rig.mail_to(&address, 1).await;
    assert_eq!(mail.len(), 1, "one message to alice");
    let mail = &mail[0];
    assert!(mail.contains("Reset your password"));
    assert!(
        mail.contains("text/plain") && mail.contains("text/html"),
        "text and HTML bodies"
    );
    assert!(mail.contains("https://chat.example.com/reset_password_complete?token="));
    let token = token_in(mail);
    assert_eq!(token.len(), 64);
    assert!(rig.mail_to(&nobody, 0).await.is_empty());

    let reset = |token: String, password: &str| {
        let body = json!({"token": token, "new_password": password});
        async {
            rig.call(Method::POST, "/api/v4/users/password/reset", None, body)
                .await
        }
    };
    // A guess of the right shape, a malformed token, a refused password.
    let guess: String = token.chars().rev().collect();
    let (status, body) = reset(guess, "new-password-1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["id"], "api.user.reset_password.invalid_link.app_error");
    let (status, _) = reset("short".into(), "new-password-1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = reset(token.clone(), "x").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "too short a password");

    // The real one: works (the refused password did not use it up) ...
    let (status, body) = reset(token.clone(), "new-password-1").await;
    assert_eq!((status, body), (StatusCode::OK, json!({"status": "OK"})));
    assert!(
        rig.core.authenticate(&old_session).await.is_err(),
        "sessions are signed out"
    );
    assert!(rig.core.login(&address, "password1", "").await.is_err());
    assert!(rig.core.login(&address, "new-password-1", "").await.is_ok());
    // ... once.
    let (status, body) = reset(token, "new-password-2").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["id"], "api.user.reset_password.invalid_link.app_error");
    let notices = rig.mail_to(&address, 2).await;
    assert!(
        notices
            .iter()
            .any(|m| m.contains("Your password was changed")),
        "the owner is told"
    );

    // A token older than a day has expired.
    let old = "A".repeat(64);
    rig.core
        .store
        .save_email_token(&EmailToken {
            token_hash: hex::encode(Sha256::digest(old.as_bytes())),
            kind: "password_recovery".into(),
            user_id: alice.id().to_string(),
            email: address.clone(),
            create_at: core_server::time::now_ms() - core_server::email::TOKEN_LIFETIME_MS - 1000,
            team_id: String::new(),
            channel_ids: Vec::new(),
        })
        .await
        .expect("token");
    let (status, body) = reset(old, "new-password-3").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["id"], "api.user.reset_password.link_expired.app_error");
}

#[tokio::test]
async fn an_address_is_verified_with_its_mailed_link() {
    let Some(rig) = rig(crate::support::open_config()).await else {
        return;
    };
    let (bob, token) = rig.user("bob").await;
    let address = rig.email("bob");
    let (status, _) = rig
        .call(
            Method::POST,
            "/api/v4/users/email/verify/send",
            None,
            json!({"email": address}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let mail = rig.mail_to(&address, 1).await;
    assert_eq!(mail.len(), 1);
    assert!(mail[0].contains("/do_verify_email?token="));
    let link_token = token_in(&mail[0]);
    let (status, body) = rig
        .call(
            Method::POST,
            "/api/v4/users/email/verify",
            None,
            json!({"token": link_token}),
        )
        .await;
    assert_eq!((status, body), (StatusCode::OK, json!({"status": "OK"})));
    let user = rig.core.store.get_user(bob.id()).await.expect("user");
    assert!(user.email_verified);
    let (status, body) = rig
        .call(
            Method::POST,
            "/api/v4/users/email/verify",
            None,
            json!({"token": link_token}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["id"], "api.user.verify_email.bad_link.app_error");
    // Verified addresses get no more links.
    rig.call(
        Method::POST,
        "/api/v4/users/email/verify/send",
        Some(&token),
        json!({"email": address}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(rig.mail_to(&address, 1).await.len(), 1);
}

#[tokio::test]
async fn mentions_missed_while_away_arrive_as_one_digest() {
    let Some(rig) = rig(Config {
        email_digest_seconds: 0,
        ..crate::support::open_config()
    })
    .await
    else {
        return;
    };
    let (alice, _) = rig.user("alice").await;
    let (carol, _) = rig.user("carol").await;
    let (dave, _) = rig.user("dave").await;
    let (erin, _) = rig.user("erin").await;
    let team_name = format!("t{}", rig.tag.to_lowercase());
    let team = create_team(&rig.core, &alice, &team_name).await;
    let channel = create_channel(&rig.core, &alice, &team.id, "ops", "Ops", "O").await;
    for user in [&carol, &dave, &erin] {
        join(&rig.core, &alice, &team.id, &channel.id, user).await;
    }
    rig.core
        .set_status(&erin, erin.id(), "online", None)
        .await
        .expect("online");
    let (c, d, e) = (
        carol.user.username.clone(),
        dave.user.username.clone(),
        erin.user.username.clone(),
    );
    post(
        &rig.core,
        &alice,
        &channel.id,
        &format!("@{c} the <b>deploy</b> failed"),
    )
    .await;
    post(
        &rig.core,
        &alice,
        &channel.id,
        &format!("@{c} @{d} @{e} it works again"),
    )
    .await;
    // Dave reads the channel before the digest goes out.
    rig.core
        .view_channel(&dave, &channel.id)
        .await
        .expect("view");
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(
        rig.core.send_due_digests().await.expect("digests"),
        1,
        "carol only"
    );

    let mail = rig.mail_to(&rig.email("carol"), 1).await;
    assert_eq!(mail.len(), 1, "one digest for two mentions");
    assert!(mail[0].contains("2 new messages"));
    assert!(
        mail[0].contains("the <b>deploy</b> failed"),
        "the text part as written"
    );
    assert!(
        mail[0].contains("&lt;b&gt;deploy&lt;/b&gt;"),
        "the HTML part escaped"
    );
    assert!(mail[0].contains("https://chat.example.com/_redirect/pl/"));
    assert!(
        rig.mail_to(&rig.email("dave"), 0).await.is_empty(),
        "read in time"
    );
    assert!(
        rig.mail_to(&rig.email("erin"), 0).await.is_empty(),
        "online users get no mail"
    );
    assert_eq!(
        rig.core.send_due_digests().await.expect("digests"),
        0,
        "sent once"
    );
}

#[tokio::test]
async fn an_unreachable_mail_server_reveals_nothing_about_accounts() {
    if smtp().is_none() {
        return;
    }
    // Nothing listens there.
    let addr = unused_addr();
    let (core, dir) = sqlite_core(Config {
        smtp_url: Some(format!("smtp://{addr}")),
        ..crate::support::open_config()
    })
    .await;
    let rig = Rig {
        app: App::over(core.clone(), Some(dir)),
        core,
        maildir: PathBuf::new(),
        tag: "down".into(),
    };
    rig.user("frank").await;
    // Known and unknown addresses answer alike, at once; the failure is logged.
    for name in ["frank", "nobody"] {
        let started = std::time::Instant::now();
        let (status, body) = rig
            .call(
                Method::POST,
                "/api/v4/users/password/reset/send",
                None,
                json!({"email": rig.email(name)}),
            )
            .await;
        assert_eq!(
            (status, body),
            (StatusCode::OK, json!({"status": "OK"})),
            "{name}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "no waiting on the mail server"
        );
    }
}

#[tokio::test]
async fn changing_ones_own_address_takes_the_password() {
    let Some(rig) = rig(crate::support::open_config()).await else {
        return;
    };
    let (gina, token) = rig.user("gina").await;
    let path = format!("/api/v4/users/{}/patch", gina.id());
    let moved = rig.email("elsewhere");
    let (status, body) = rig
        .call(Method::PUT, &path, Some(&token), json!({"email": moved}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("password")),
        "{body}"
    );
    let (status, _) = rig
        .call(
            Method::PUT,
            &path,
            Some(&token),
            json!({"email": moved, "password": "wrong-password"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = rig
        .call(
            Method::PUT,
            &path,
            Some(&token),
            json!({"email": moved, "password": "password1"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["email"], moved.as_str());
    let user = rig.core.store.get_user(gina.id()).await.expect("user");
    assert!(!user.email_verified, "a new address is not verified yet");
    // Other fields need no password.
    let (status, _) = rig
        .call(Method::PUT, &path, Some(&token), json!({"nickname": "gg"}))
        .await;
    assert_eq!(status, StatusCode::OK);
}
