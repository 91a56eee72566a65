//! Reloading the configuration while the server runs (SIGHUP): which
//! settings take the new value at once, and which wait for a restart.

use super::{config_error, Config, ConfigError, KEYS};

/// The settings a running server takes from a reloaded configuration
/// (SIGHUP): each is read where it is used, so the new value applies to the
/// next request. Every other setting shapes something built at start (the
/// listeners, the database, the file store, the identity providers, the
/// limits) and changes at the next restart.
pub const RELOADABLE: &[&str] = &[
    "log",
    "enable_open_signup",
    "enable_user_creation",
    "restrict_creation_to_domains",
    "password_min_length",
    "maximum_login_attempts",
    "session_length_hours",
    "enable_public_link",
    "max_file_size",
    "enable_commands",
    "enable_outgoing_webhooks",
    "enable_post_username_override",
    "enable_post_icon_override",
    "push_contents",
    "max_notifications_per_channel",
    "away_after_seconds",
    "agent_timeout_seconds",
];

/// What reloading the configuration changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reloaded {
    /// Settings whose new value is in force now.
    pub applied: Vec<String>,
    /// Settings whose new value waits for a restart.
    pub need_restart: Vec<String>,
}

impl Config {
    /// This configuration with the [`RELOADABLE`] settings of `fresh`, and
    /// which settings differ (applied now, or at the next restart).
    pub fn reloaded(&self, fresh: &Config) -> Result<(Config, Reloaded), ConfigError> {
        let table = |c: &Config| {
            toml::Table::try_from(c).map_err(|e| config_error("configuration", e.to_string()))
        };
        let (mut merged, new) = (table(self)?, table(fresh)?);
        let mut outcome = Reloaded::default();
        for (key, _) in KEYS {
            let before = merged.get(*key).cloned();
            let after = new.get(*key).cloned();
            if before == after {
                continue;
            }
            if RELOADABLE.contains(key) {
                match after {
                    Some(value) => merged.insert((*key).to_string(), value),
                    None => merged.remove(*key),
                };
                outcome.applied.push((*key).to_string());
            } else {
                outcome.need_restart.push((*key).to_string());
            }
        }
        let config: Config = toml::Value::Table(merged)
            .try_into()
            .map_err(|e: toml::de::Error| config_error("configuration", e.message().to_string()))?;
        config.validate()?;
        Ok((config, outcome))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::env;
    use super::*;

    #[test]
    fn a_reload_applies_the_reloadable_settings_and_names_the_others() {
        let running = Config::load_from(None, &env(&[])).expect("valid");
        let fresh = Config::load_from(
            None,
            &env(&[
                ("RUSTCHAT_ENABLE_OPEN_SIGNUP", "true"),
                ("RUSTCHAT_MAX_FILE_SIZE", "1000"),
                ("RUSTCHAT_LISTEN", "127.0.0.1:9999"),
                ("RUSTCHAT_SITE_URL", "https://chat.example.com"),
            ]),
        )
        .expect("valid");
        let (reloaded, outcome) = running.reloaded(&fresh).expect("reload");
        assert!(reloaded.enable_open_signup);
        assert_eq!(reloaded.max_file_size, 1000);
        // Built at start: kept until a restart.
        assert_eq!(reloaded.listen, running.listen);
        assert_eq!(reloaded.site_url, None);
        assert_eq!(outcome.applied, vec!["max_file_size", "enable_open_signup"]);
        assert_eq!(outcome.need_restart, vec!["listen", "site_url"]);
        // Nothing changed: nothing to say.
        let (_, same) = running.reloaded(&running).expect("reload");
        assert_eq!(same, Reloaded::default());
    }
}
