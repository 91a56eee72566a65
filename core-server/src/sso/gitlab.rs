//! GitLab: OAuth 2.0 with PKCE at `<base>/oauth/…`, then its user API
//! (`<base>/api/v4/user`) says who signed in. The account's numeric id is
//! its stable id, as Mattermost keeps it.

use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse, TokenUrl,
};
use serde::Deserialize;

use super::{provider_failed, Authorization, Identity, Provider};
use crate::error::Result;

/// The part of GitLab's user answer that is read.
#[derive(Deserialize)]
struct GitLabUser {
    id: i64,
    #[serde(default)]
    username: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    avatar_url: Option<String>,
    /// When the account confirmed its address (GitLab shows it to the
    /// account itself).
    #[serde(default)]
    confirmed_at: Option<String>,
}

fn endpoint(base: &url::Url, path: &str) -> String {
    format!("{}/{path}", base.as_str().trim_end_matches('/'))
}

macro_rules! client {
    ($provider:expr, $base:expr, $redirect_uri:expr) => {{
        let bad = |e: url::ParseError| provider_failed($provider, "an address is not valid", e);
        BasicClient::new(ClientId::new($provider.client_id.clone()))
            .set_client_secret(ClientSecret::new($provider.client_secret.clone()))
            .set_auth_uri(AuthUrl::new(endpoint($base, "oauth/authorize")).map_err(bad)?)
            .set_token_uri(TokenUrl::new(endpoint($base, "oauth/token")).map_err(bad)?)
            .set_redirect_uri(RedirectUrl::new($redirect_uri.to_string()).map_err(bad)?)
    }};
}

pub(super) fn authorize(
    provider: &Provider,
    base: &url::Url,
    redirect_uri: &str,
) -> Result<Authorization> {
    let client = client!(provider, base, redirect_uri);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state) = client
        .authorize_url(CsrfToken::new_random)
        .add_scope(Scope::new("read_user".into()))
        .set_pkce_challenge(challenge)
        .url();
    Ok(Authorization {
        url: url.to_string(),
        state: state.secret().clone(),
        nonce: String::new(),
        pkce_verifier: verifier.secret().clone(),
    })
}

pub(super) async fn identify(
    provider: &Provider,
    base: &url::Url,
    http: &reqwest::Client,
    redirect_uri: &str,
    code: &str,
    pkce_verifier: &str,
) -> Result<Identity> {
    let client = client!(provider, base, redirect_uri);
    let token = client
        .exchange_code(AuthorizationCode::new(code.to_string()))
        .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_string()))
        .request_async(http)
        .await
        .map_err(|e| provider_failed(provider, "it refused the sign-in code", e))?;
    let response = http
        .get(endpoint(base, "api/v4/user"))
        .bearer_auth(token.access_token().secret())
        .header("accept", "application/json")
        .send()
        .await
        .map_err(|e| provider_failed(provider, "its user API could not be reached", e))?;
    if !response.status().is_success() {
        return Err(provider_failed(
            provider,
            "its user API refused the request",
            response.status(),
        ));
    }
    let user: GitLabUser = response
        .json()
        .await
        .map_err(|e| provider_failed(provider, "its user API answered unreadably", e))?;
    if user.id == 0 || user.email.trim().is_empty() {
        return Err(provider_failed(
            provider,
            "its user API gave no id or e-mail address",
            "id or email missing",
        ));
    }
    let (first_name, last_name) = super::username::split_name(&user.name);
    Ok(Identity {
        subject: user.id.to_string(),
        email: user.email,
        email_verified: Some(user.confirmed_at.is_some_and(|at| !at.is_empty())),
        username: user.username,
        first_name,
        last_name,
        picture: user.avatar_url.filter(|u| !u.is_empty()),
    })
}
