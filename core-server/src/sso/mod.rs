//! Single sign-on: the identity providers users may sign in with, and the
//! protocol steps with each. OpenID Connect providers (a generic one by
//! discovery, Google, Microsoft) go through the `openidconnect` crate, which
//! checks the ID token's issuer, audience, nonce, expiry and signature against
//! the provider's published keys; GitLab through the `oauth2` crate and its
//! user API. Both use PKCE. What a sign-in means for accounts and sessions is
//! the services' business (`services/sso.rs`).

mod gitlab;
mod oidc;
mod settings;
pub mod username;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use settings::{Protocol, Provider};

/// How long a fetched discovery document (and the keys it names) is used
/// before it is fetched again: short, so a provider's new signing keys are
/// seen within minutes of a rotation.
const DISCOVERY_LIFETIME: Duration = Duration::from_secs(300);
/// How long the server waits for an identity provider.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(15);

/// The sign-in services, named as Mattermost names them in its paths and
/// in `auth_service`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    #[serde(rename = "gitlab")]
    GitLab,
    Google,
    Office365,
    #[serde(rename = "openid")]
    OpenId,
}

impl Service {
    pub const ALL: [Service; 4] = [
        Service::GitLab,
        Service::Google,
        Service::Office365,
        Service::OpenId,
    ];

    /// The path segment and `auth_service` value.
    pub fn name(self) -> &'static str {
        match self {
            Service::GitLab => "gitlab",
            Service::Google => "google",
            Service::Office365 => "office365",
            Service::OpenId => "openid",
        }
    }

    /// The service a path segment names, if any.
    pub fn parse(name: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// Who the provider says signed in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// The provider's stable id of the user (stored as `auth_data`).
    pub subject: String,
    pub email: String,
    /// Whether the provider says it verified the address (`None`: it does
    /// not say).
    pub email_verified: Option<bool>,
    /// A username the provider suggests (not yet made valid or unique).
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    /// A profile picture's address, when the provider gives one.
    pub picture: Option<String>,
}

/// What the provider's sign-in page must be told, and what must be kept
/// until the user comes back.
#[derive(Debug, Clone)]
pub struct Authorization {
    /// Where to send the browser.
    pub url: String,
    /// The `state` parameter the provider sends back.
    pub state: String,
    /// The ID token's expected nonce (empty for plain OAuth 2.0).
    pub nonce: String,
    /// The PKCE verifier the code is redeemed with.
    pub pkce_verifier: String,
}

/// The providers this server is configured for.
pub struct Providers {
    list: Vec<Provider>,
    http: reqwest::Client,
    discovered: Mutex<HashMap<Service, (Instant, std::sync::Arc<oidc::Metadata>)>>,
}

/// What the sign-in page shows for one provider.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProviderButton {
    /// `gitlab`, `google`, `office365` or `openid`.
    pub service: String,
    pub text: String,
    pub color: String,
}

impl Providers {
    /// The enabled providers of a configuration (checked by [`Providers::check`]).
    pub fn from_config(config: &crate::config::Config) -> Providers {
        let http = reqwest::Client::builder()
            // Never follow a redirect the provider answers with: the
            // endpoints are the ones its documents name.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(PROVIDER_TIMEOUT)
            .build()
            .unwrap_or_default();
        Providers {
            list: settings::providers(config).unwrap_or_default(),
            http,
            discovered: Mutex::new(HashMap::new()),
        }
    }

    /// Checks the sign-in settings, naming the first bad one.
    pub fn check(config: &crate::config::Config) -> Result<(), crate::config::ConfigError> {
        settings::providers(config).map(|_| ())
    }

    /// The enabled provider of a service.
    pub fn get(&self, service: Service) -> Option<&Provider> {
        self.list.iter().find(|p| p.service == service)
    }

    /// The enabled providers' buttons, in a fixed order.
    pub fn buttons(&self) -> Vec<ProviderButton> {
        self.list
            .iter()
            .map(|p| ProviderButton {
                service: p.service.name().to_string(),
                text: p.button_text.clone(),
                color: p.button_color.clone(),
            })
            .collect()
    }

    /// Whether a service is enabled.
    pub fn enabled(&self, service: Service) -> bool {
        self.get(service).is_some()
    }

    fn provider(&self, service: Service) -> Result<&Provider> {
        self.get(service).ok_or_else(|| {
            Error::NotImplemented(format!(
                "sign-in with {} is not enabled on this server",
                service.name()
            ))
        })
    }

    /// The address of the provider's sign-in page for this server's
    /// `redirect_uri`, with a fresh state, nonce and PKCE challenge.
    pub async fn authorize(&self, service: Service, redirect_uri: &str) -> Result<Authorization> {
        let provider = self.provider(service)?;
        match &provider.protocol {
            Protocol::OpenId { .. } => {
                let metadata = self.metadata(provider).await?;
                oidc::authorize(provider, &metadata, redirect_uri)
            }
            Protocol::GitLab { base } => gitlab::authorize(provider, base, redirect_uri),
        }
    }

    /// Redeems the code the provider sent back and says who signed in.
    pub async fn identify(
        &self,
        service: Service,
        redirect_uri: &str,
        code: &str,
        pkce_verifier: &str,
        nonce: &str,
    ) -> Result<Identity> {
        let provider = self.provider(service)?;
        match &provider.protocol {
            Protocol::OpenId { .. } => {
                let metadata = self.metadata(provider).await?;
                oidc::identify(
                    provider,
                    &metadata,
                    &self.http,
                    redirect_uri,
                    code,
                    pkce_verifier,
                    nonce,
                )
                .await
            }
            Protocol::GitLab { base } => {
                gitlab::identify(
                    provider,
                    base,
                    &self.http,
                    redirect_uri,
                    code,
                    pkce_verifier,
                )
                .await
            }
        }
    }

    /// The provider's discovery document and keys, fetched at most every five minutes.
    async fn metadata(&self, provider: &Provider) -> Result<std::sync::Arc<oidc::Metadata>> {
        let cached = self
            .discovered
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&provider.service)
            .filter(|(at, _)| at.elapsed() < DISCOVERY_LIFETIME)
            .map(|(_, m)| m.clone());
        if let Some(metadata) = cached {
            return Ok(metadata);
        }
        let metadata = std::sync::Arc::new(oidc::discover(provider, &self.http).await?);
        self.discovered
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(provider.service, (Instant::now(), metadata.clone()));
        Ok(metadata)
    }
}

/// A provider that could not be reached or answered wrongly: logged in
/// full, shown to the user in general terms.
fn provider_failed(provider: &Provider, what: &str, detail: impl std::fmt::Display) -> Error {
    tracing::warn!(service = provider.service.name(), error = %detail, "single sign-on: {what}");
    Error::Upstream(format!(
        "the identity provider ({}) could not complete the sign-in: {what}",
        provider.service.name()
    ))
}
