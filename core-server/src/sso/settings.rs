//! The sign-in settings of the configuration, turned into providers. A
//! provider is on when its client id is set; its secret (and, for the
//! generic provider, its discovery document) must then be set too.

use super::Service;
use crate::config::{check_url, config_error, Config, ConfigError};

/// How a provider is spoken to.
#[derive(Debug, Clone)]
pub enum Protocol {
    /// OpenID Connect, with endpoints and keys from a discovery document.
    OpenId { discovery_url: String },
    /// GitLab's OAuth 2.0 and its user API, under a base address.
    GitLab { base: url::Url },
}

/// One enabled provider.
#[derive(Clone)]
pub struct Provider {
    pub service: Service,
    pub client_id: String,
    pub client_secret: String,
    pub protocol: Protocol,
    pub button_text: String,
    pub button_color: String,
}

impl std::fmt::Debug for Provider {
    // The secret never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider")
            .field("service", &self.service)
            .field("client_id", &self.client_id)
            .field("protocol", &self.protocol)
            .finish_non_exhaustive()
    }
}

fn env_name(key: &str) -> String {
    format!("RUSTCHAT_{}", key.to_ascii_uppercase())
}

/// A set value, or an error naming `key` when the provider needs it.
fn required(key: &str, value: Option<&String>) -> Result<String, ConfigError> {
    match value.map(|v| v.trim()).filter(|v| !v.is_empty()) {
        Some(v) => Ok(v.to_string()),
        None => Err(config_error(
            &env_name(key),
            "must be set when its provider's client id is set",
        )),
    }
}

/// The client id, if the provider is on (an empty value is off).
fn client_id(value: Option<&String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn discovery(key: &str, url: &str) -> Result<String, ConfigError> {
    check_url(&env_name(key), Some(url), &["http", "https"])?;
    if !url.ends_with("/.well-known/openid-configuration") {
        return Err(config_error(
            &env_name(key),
            "must end with /.well-known/openid-configuration",
        ));
    }
    Ok(url.to_string())
}

/// The enabled providers, in the order the sign-in page shows them.
pub(super) fn providers(config: &Config) -> Result<Vec<Provider>, ConfigError> {
    let mut list = Vec::new();
    if let Some(id) = client_id(config.gitlab_client_id.as_ref()) {
        check_url(
            "RUSTCHAT_GITLAB_URL",
            Some(&config.gitlab_url),
            &["http", "https"],
        )?;
        let base = url::Url::parse(config.gitlab_url.trim_end_matches('/'))
            .map_err(|e| config_error("RUSTCHAT_GITLAB_URL", e.to_string()))?;
        list.push(Provider {
            service: Service::GitLab,
            client_id: id,
            client_secret: required("gitlab_client_secret", config.gitlab_client_secret.as_ref())?,
            protocol: Protocol::GitLab { base },
            button_text: config.gitlab_button_text.clone(),
            button_color: config.gitlab_button_color.clone(),
        });
    }
    if let Some(id) = client_id(config.google_client_id.as_ref()) {
        list.push(Provider {
            service: Service::Google,
            client_id: id,
            client_secret: required("google_client_secret", config.google_client_secret.as_ref())?,
            protocol: Protocol::OpenId {
                discovery_url: discovery("google_discovery_url", &config.google_discovery_url)?,
            },
            button_text: "Google".into(),
            button_color: String::new(),
        });
    }
    if let Some(id) = client_id(config.office365_client_id.as_ref()) {
        let url = match (
            &config.office365_discovery_url,
            &config.office365_directory_id,
        ) {
            (Some(url), _) => discovery("office365_discovery_url", url)?,
            (None, Some(tenant)) if is_tenant(tenant) => format!(
                "https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration"
            ),
            (None, Some(_)) => {
                return Err(config_error(
                    "RUSTCHAT_OFFICE365_DIRECTORY_ID",
                    "must be the tenant's id, a GUID such as 00000000-0000-0000-0000-000000000000 (a domain, `common` or `organizations` names no single issuer)",
                ))
            }
            (None, None) => {
                return Err(config_error(
                    "RUSTCHAT_OFFICE365_DIRECTORY_ID",
                    "must be set when its provider's client id is set",
                ))
            }
        };
        list.push(Provider {
            service: Service::Office365,
            client_id: id,
            client_secret: required(
                "office365_client_secret",
                config.office365_client_secret.as_ref(),
            )?,
            protocol: Protocol::OpenId { discovery_url: url },
            button_text: "Entra ID".into(),
            button_color: String::new(),
        });
    }
    if let Some(id) = client_id(config.openid_client_id.as_ref()) {
        let url = required("openid_discovery_url", config.openid_discovery_url.as_ref())?;
        list.push(Provider {
            service: Service::OpenId,
            client_id: id,
            client_secret: required("openid_client_secret", config.openid_client_secret.as_ref())?,
            protocol: Protocol::OpenId {
                discovery_url: discovery("openid_discovery_url", &url)?,
            },
            button_text: config.openid_button_text.clone(),
            button_color: config.openid_button_color.clone(),
        });
    }
    Ok(list)
}

/// A tenant id: a GUID. Microsoft's discovery document of a tenant names its
/// issuer by id, so a domain (or `common`) would never match it.
fn is_tenant(tenant: &str) -> bool {
    let groups: Vec<&str> = tenant.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let env = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::load_from(None, &env)
    }

    #[test]
    fn no_client_id_means_no_provider() {
        let c = Config::default();
        assert!(providers(&c).expect("valid").is_empty());
    }

    #[test]
    fn a_client_id_without_its_secret_names_the_secret() {
        let c = Config {
            openid_client_id: Some("rustchat".into()),
            openid_discovery_url: Some(
                "https://id.example.com/.well-known/openid-configuration".into(),
            ),
            ..Config::default()
        };
        let e = providers(&c).expect_err("the secret is missing");
        assert_eq!(e.key, "RUSTCHAT_OPENID_CLIENT_SECRET");
    }

    #[test]
    fn a_discovery_url_must_name_the_discovery_document() {
        let c = Config {
            openid_client_id: Some("rustchat".into()),
            openid_client_secret: Some("s".into()),
            openid_discovery_url: Some("https://id.example.com/".into()),
            ..Config::default()
        };
        let e = providers(&c).expect_err("not a discovery document");
        assert_eq!(e.key, "RUSTCHAT_OPENID_DISCOVERY_URL");
    }

    #[test]
    fn microsoft_is_found_by_its_tenant() {
        let c = Config {
            office365_client_id: Some("app".into()),
            office365_client_secret: Some("s".into()),
            office365_directory_id: Some("72f988bf-86f1-41af-91ab-2d7cd011db47".into()),
            ..Config::default()
        };
        let list = providers(&c).expect("valid");
        match &list[0].protocol {
            Protocol::OpenId { discovery_url } => assert_eq!(
                discovery_url,
                "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0/.well-known/openid-configuration"
            ),
            other => panic!("unexpected {other:?}"),
        }
        for tenant in ["contoso.onmicrosoft.com", "common", "a/../b", ""] {
            let bad = Config {
                office365_directory_id: Some(tenant.into()),
                ..c.clone()
            };
            assert_eq!(
                providers(&bad).expect_err(tenant).key,
                "RUSTCHAT_OFFICE365_DIRECTORY_ID",
                "{tenant}"
            );
        }
    }

    #[test]
    fn environment_turns_providers_on_in_order() {
        let c = config(&[
            ("RUSTCHAT_GITLAB_CLIENT_ID", "g"),
            ("RUSTCHAT_GITLAB_CLIENT_SECRET", "gs"),
            ("RUSTCHAT_GITLAB_URL", "https://gitlab.example.com/"),
            ("RUSTCHAT_GOOGLE_CLIENT_ID", "go"),
            ("RUSTCHAT_GOOGLE_CLIENT_SECRET", "gos"),
        ])
        .expect("valid");
        let list = providers(&c).expect("valid");
        let names: Vec<_> = list.iter().map(|p| p.service.name()).collect();
        assert_eq!(names, ["gitlab", "google"]);
        assert!(!format!("{:?}", list[0]).contains("gs"));
    }
}
