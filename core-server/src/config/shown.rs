//! The settings as an admin may see them: every value, with secrets and the
//! credentials inside URLs hidden.

use serde::Serialize;

use super::{field_docs, Config, KEYS};

/// One setting as the admin console shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ShownSetting {
    pub key: String,
    /// The environment variable that sets it.
    pub variable: String,
    /// Its effective value; a secret's is `"********"` when set, and a URL's
    /// password is masked the same way.
    pub value: serde_json::Value,
    pub secret: bool,
    pub description: String,
}

/// What stands in for a hidden value.
const HIDDEN: &str = "********";

/// Whether a setting holds a secret outright.
fn is_secret_key(key: &str) -> bool {
    key.ends_with("_secret") || key.ends_with("_password")
}

/// Query parameters that carry credentials (sqlx reads `password` from a
/// PostgreSQL URL's query, for one).
fn is_secret_parameter(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["password", "pass", "secret", "token", "key"]
        .iter()
        .any(|word| name.contains(word))
}

/// A URL with its credentials masked, for messages and the admin console:
/// the password, a user name standing alone (often a token), and query
/// parameters named like secrets. A value that is not a URL but names a
/// user (`…@…`) is hidden whole.
pub fn mask_url_credentials(value: &str) -> String {
    let Ok(mut url) = url::Url::parse(value) else {
        return if value.contains('@') {
            HIDDEN.to_string()
        } else {
            value.to_string()
        };
    };
    if url.password().is_some() {
        let _ = url.set_password(Some(HIDDEN));
    } else if !url.username().is_empty() {
        let _ = url.set_username(HIDDEN);
    }
    if url
        .query_pairs()
        .any(|(name, _)| is_secret_parameter(&name))
    {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(name, v)| {
                let shown = if is_secret_parameter(&name) {
                    HIDDEN.to_string()
                } else {
                    v.into_owned()
                };
                (name.into_owned(), shown)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

impl Config {
    /// Every setting with its effective value, secrets hidden: what an admin
    /// may read without learning a credential.
    pub fn shown_settings(&self) -> Vec<ShownSetting> {
        let values = toml::Table::try_from(self).unwrap_or_default();
        let docs = field_docs();
        KEYS.iter()
            .map(|(key, var)| {
                let secret = is_secret_key(key);
                let value = match values.get(*key) {
                    None => serde_json::Value::Null,
                    Some(_) if secret => serde_json::Value::String(HIDDEN.into()),
                    Some(toml::Value::String(s)) => {
                        serde_json::Value::String(mask_url_credentials(s))
                    }
                    Some(other) => serde_json::to_value(other).unwrap_or(serde_json::Value::Null),
                };
                ShownSetting {
                    key: (*key).to_string(),
                    variable: (*var).to_string(),
                    value,
                    secret,
                    description: docs.get(key).copied().unwrap_or("").to_string(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::env;
    use super::*;

    #[test]
    fn shown_settings_hide_secrets_and_url_passwords() {
        let c = Config::load_from(
            None,
            &env(&[
                (
                    "RUSTCHAT_DATABASE_URL",
                    "postgres://chat:hunter2@db.example.com/chat",
                ),
                ("RUSTCHAT_OPENID_CLIENT_SECRET", "s3cr3t-value"),
                ("RUSTCHAT_OPENID_CLIENT_ID", "rustchat"),
                (
                    "RUSTCHAT_OPENID_DISCOVERY_URL",
                    "https://id.example.com/.well-known/openid-configuration",
                ),
            ]),
        )
        .expect("valid");
        let shown = c.shown_settings();
        let text = serde_json::to_string(&shown).expect("json");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(!text.contains("s3cr3t-value"), "{text}");
        let get = |key: &str| {
            shown
                .iter()
                .find(|s| s.key == key)
                .unwrap_or_else(|| panic!("{key} is shown"))
                .clone()
        };
        assert_eq!(
            get("database_url").value,
            "postgres://chat:********@db.example.com/chat"
        );
        assert_eq!(get("openid_client_secret").value, "********");
        assert!(get("openid_client_secret").secret);
        assert_eq!(get("openid_client_id").value, "rustchat");
        assert_eq!(get("listen").value, "0.0.0.0:8065");
        assert_eq!(
            get("gitlab_client_secret").value,
            serde_json::Value::Null,
            "unset stays unset"
        );
        assert_eq!(shown.len(), KEYS.len(), "every setting");
    }

    #[test]
    fn url_credentials_are_masked_wherever_they_sit() {
        assert_eq!(
            mask_url_credentials(
                "postgres://db.example.com/chat?user=chat&password=hunter2&sslmode=require"
            ),
            "postgres://db.example.com/chat?user=chat&password=********&sslmode=require"
        );
        assert_eq!(
            mask_url_credentials("https://abc123token@push.example.com/"),
            "https://********@push.example.com/"
        );
        assert_eq!(
            mask_url_credentials("not a url but user:pw@host"),
            "********"
        );
        assert_eq!(
            mask_url_credentials("redis://127.0.0.1:6379/0"),
            "redis://127.0.0.1:6379/0"
        );
    }
}
