//! OpenID Connect: discovery, the authorization request (PKCE and a nonce)
//! and the code's redemption, with the ID token checked by `openidconnect`.

use base64::Engine as _;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreUserInfoClaims,
};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, TokenResponse,
};

use super::{provider_failed, Authorization, Identity, Protocol, Provider, Service};
use crate::error::{Error, Result};

pub(super) type Metadata = CoreProviderMetadata;

const DISCOVERY_SUFFIX: &str = "/.well-known/openid-configuration";

/// Fetches the provider's discovery document and its keys; the document
/// must name the issuer it was found under.
pub(super) async fn discover(provider: &Provider, http: &reqwest::Client) -> Result<Metadata> {
    let Protocol::OpenId { discovery_url } = &provider.protocol else {
        return Err(Error::Internal("not an OpenID Connect provider".into()));
    };
    let issuer = discovery_url
        .strip_suffix(DISCOVERY_SUFFIX)
        .unwrap_or(discovery_url);
    let issuer = IssuerUrl::new(issuer.to_string())
        .map_err(|e| provider_failed(provider, "its issuer address is not valid", e))?;
    CoreProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(|e| provider_failed(provider, "its discovery document could not be read", e))
}

fn redirect_url(provider: &Provider, redirect_uri: &str) -> Result<RedirectUrl> {
    RedirectUrl::new(redirect_uri.to_string())
        .map_err(|e| provider_failed(provider, "this server's return address is not valid", e))
}

/// The discovered provider as this server's client of it: its endpoints
/// (the token and user-info ones as the document names them) and keys.
type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

fn client(provider: &Provider, metadata: &Metadata, redirect_uri: &str) -> Result<Client> {
    Ok(CoreClient::from_provider_metadata(
        metadata.clone(),
        ClientId::new(provider.client_id.clone()),
        Some(ClientSecret::new(provider.client_secret.clone())),
    )
    .set_redirect_uri(redirect_url(provider, redirect_uri)?))
}

pub(super) fn authorize(
    provider: &Provider,
    metadata: &Metadata,
    redirect_uri: &str,
) -> Result<Authorization> {
    let client = client(provider, metadata, redirect_uri)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    Ok(Authorization {
        url: url.to_string(),
        state: state.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
    })
}

pub(super) async fn identify(
    provider: &Provider,
    metadata: &Metadata,
    http: &reqwest::Client,
    redirect_uri: &str,
    code: &str,
    pkce_verifier: &str,
    nonce: &str,
) -> Result<Identity> {
    let client = client(provider, metadata, redirect_uri)?;
    let token = client
        .exchange_code(AuthorizationCode::new(code.to_string()))
        .map_err(|e| provider_failed(provider, "it has no token endpoint", e))?
        .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_string()))
        .request_async(http)
        .await
        .map_err(|e| provider_failed(provider, "it refused the sign-in code", e))?;
    let id_token = token
        .id_token()
        .ok_or_else(|| provider_failed(provider, "it sent no ID token", "no id_token"))?;
    let claims = id_token
        .claims(&client.id_token_verifier(), &Nonce::new(nonce.to_string()))
        .map_err(|e| {
            tracing::warn!(service = provider.service.name(), error = %e, "single sign-on: ID token refused");
            Error::Unauthorized(format!("the identity provider's ID token is not valid: {e}"))
        })?;
    if claims.email_verified() == Some(false) {
        return Err(Error::Forbidden(
            "the identity provider has not verified this account's e-mail address".into(),
        ));
    }
    let mut identity = Identity {
        subject: claims.subject().as_str().to_string(),
        email: claims
            .email()
            .map(|e| e.as_str().to_string())
            .unwrap_or_default(),
        email_verified: claims.email_verified(),
        username: claims
            .preferred_username()
            .map(|u| u.as_str().to_string())
            .unwrap_or_default(),
        first_name: claims
            .given_name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_string())
            .unwrap_or_default(),
        last_name: claims
            .family_name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_string())
            .unwrap_or_default(),
        picture: claims
            .picture()
            .and_then(|p| p.get(None))
            .map(|p| p.to_string()),
    };
    if identity.first_name.is_empty() && identity.last_name.is_empty() {
        if let Some(name) = claims.name().and_then(|n| n.get(None)) {
            (identity.first_name, identity.last_name) = super::username::split_name(name.as_str());
        }
    }
    if provider.service == Service::Office365 {
        // Microsoft's `sub` differs per application; the object id is the
        // user's one id in the tenant (what Mattermost keys accounts on).
        if let Some(oid) = verified_claim(&id_token.to_string(), "oid") {
            identity.subject = oid;
        }
    }
    if identity.email.is_empty() {
        // Some providers put the address in the user-info answer only.
        let request = client
            .user_info(token.access_token().clone(), Some(claims.subject().clone()))
            .map_err(|e| provider_failed(provider, "it sent no e-mail address", e))?;
        let info: CoreUserInfoClaims = request
            .request_async(http)
            .await
            .map_err(|e| provider_failed(provider, "its user information could not be read", e))?;
        if info.email_verified() == Some(false) {
            return Err(Error::Forbidden(
                "the identity provider has not verified this account's e-mail address".into(),
            ));
        }
        identity.email = info
            .email()
            .map(|e| e.as_str().to_string())
            .unwrap_or_default();
        identity.email_verified = info.email_verified();
        if identity.username.is_empty() {
            identity.username = info
                .preferred_username()
                .map(|u| u.as_str().to_string())
                .unwrap_or_default();
        }
    }
    if identity.email.is_empty()
        && provider.service == Service::Office365
        && identity.username.contains('@')
    {
        // A Microsoft account without a mailbox: its sign-in name (UPN) is
        // its address, as Mattermost takes it.
        identity.email = identity.username.clone();
    }
    if identity.email.is_empty() {
        return Err(provider_failed(
            provider,
            "it gave no e-mail address for this account",
            "no email claim",
        ));
    }
    Ok(identity)
}

/// A string claim of an ID token that `openidconnect` has already verified
/// (its standard claims type does not carry provider-specific ones).
fn verified_claim(jwt: &str, name: &str) -> Option<String> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    value.get(name)?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_is_read_from_the_payload() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"sub":"pairwise","oid":"00000000-0000-0000-0000-000000000001"}"#);
        let jwt = format!("e30.{payload}.sig");
        assert_eq!(
            verified_claim(&jwt, "oid").as_deref(),
            Some("00000000-0000-0000-0000-000000000001")
        );
        assert_eq!(verified_claim(&jwt, "missing"), None);
        assert_eq!(verified_claim("garbage", "oid"), None);
    }
}
