//! Single sign-on, as Mattermost does it: a sign-in starts at
//! `/oauth/{service}/login` (web), `/signup` or `/mobile_login` (the mobile
//! app), goes through the provider and comes back to
//! `{site}/signup/{service}/complete`. The state the provider carries is
//! single use, expires, and is bound to the browser that started the sign-in
//! by a cookie only that browser holds. The account is found by the
//! provider's id of the user, made on first sign-in, and never taken over by
//! e-mail address: a password account with the same address must switch its
//! sign-in method itself.
//!
//! What the sign-in yields: for the mobile app, a session in the
//! `mmauth://` redirect, or (when the app sent a PKCE challenge) a one-time
//! `login_code` it redeems with its verifier; for the web app, a one-time
//! code redeemed by the same browser.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::auth::{hash_token, Actor, LoginResult};
use super::Core;
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::id::new_id;
use crate::model::*;
use crate::sso::{username, Identity, Service};
use crate::time::now_ms;

/// How long a sign-in may stay at the provider.
const STATE_LIFETIME_MS: i64 = 10 * 60 * 1000;
/// How long an app has to redeem its one-time code.
const LOGIN_CODE_LIFETIME_MS: i64 = 2 * 60 * 1000;
/// Redirect targets the mobile apps register (Mattermost's defaults).
const APP_SCHEMES: [&str; 2] = ["mmauth://", "mmauthbeta://"];
const STATE: &str = "state";
const LOGIN_CODE: &str = "login_code";

/// Why a sign-in was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SsoAction {
    /// The web app's sign-in (or sign-up: the same for a provider).
    Login,
    /// The mobile app's sign-in.
    Mobile,
    /// A password account's owner moving it to the provider.
    EmailToSso,
}

/// A sign-in to start.
#[derive(Debug, Clone)]
pub struct SsoStart {
    pub service: String,
    pub action: SsoAction,
    /// Where to go afterwards: a path of this site (web), or the app's
    /// `mmauth://` address (mobile).
    pub redirect_to: Option<String>,
    /// The mobile app's own `state` and PKCE `code_challenge` (S256), which
    /// ask for a `login_code` instead of a session in the redirect.
    pub app_state: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    /// For [`SsoAction::EmailToSso`]: the account that switches.
    pub user_id: Option<String>,
}

/// A started sign-in: where to send the browser, and the secret to keep
/// in its cookie until it comes back.
#[derive(Debug, Clone)]
pub struct SsoBegun {
    pub url: String,
    pub browser_key: String,
}

/// Whether a browser key is the mobile app's (its errors are shown as a
/// page the app's browser can close).
pub fn is_mobile_browser_key(key: &str) -> bool {
    key.starts_with('m')
}

/// How a finished sign-in is handed over.
#[derive(Debug)]
pub enum SsoFinish {
    /// To the web app: a one-time code for the same browser.
    Web {
        login_code: String,
        redirect_to: Option<String>,
    },
    /// To the mobile app: its session.
    MobileSession {
        login: Box<LoginResult>,
        redirect_to: String,
    },
    /// To the mobile app: a one-time code it redeems with its PKCE verifier.
    MobileCode {
        login_code: String,
        redirect_to: String,
    },
    /// A password account now signs in with the provider.
    Switched,
}

/// What is kept while the user is at the provider.
#[derive(Serialize, Deserialize)]
struct PendingSignIn {
    service: Service,
    action: SsoAction,
    redirect_to: Option<String>,
    nonce: String,
    pkce_verifier: String,
    app_state: Option<String>,
    code_challenge: Option<String>,
    user_id: Option<String>,
}

/// What a one-time code stands for.
#[derive(Serialize, Deserialize)]
struct PendingLogin {
    user_id: String,
    mobile: bool,
    /// Mobile: the app's state and PKCE challenge.
    app_state: Option<String>,
    code_challenge: Option<String>,
}

fn unknown_service(name: &str) -> Error {
    Error::NotImplemented(format!(
        "sign-in with `{name}` is not offered by this server"
    ))
}

fn failed_state() -> Error {
    Error::Unauthorized(
        "this sign-in is not valid (it was used already, has expired, or was started in another browser); start it again".into(),
    )
}

/// The stored key of a secret that only works together with a browser's
/// key (its cookie).
fn bound_key(secret: &str, browser_key: &str) -> String {
    hash_token(&format!("{secret}:{browser_key}"))
}

/// S256 of a PKCE verifier, as the app computed its challenge.
fn pkce_challenge(verifier: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn is_app_redirect(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    APP_SCHEMES.iter().any(|s| lower.starts_with(s))
}

/// A web `redirect_to` kept only when it stays on this site.
fn local_redirect(site: &str, target: &str) -> Result<String> {
    let bad = || Error::invalid("redirect_to", "must be a path of this site");
    if target.contains('\\') || target.chars().any(char::is_control) {
        return Err(bad());
    }
    if let Some(rest) = target.strip_prefix(site) {
        if rest.is_empty() || rest.starts_with('/') && !rest.starts_with("//") {
            return Ok(if rest.is_empty() {
                "/".into()
            } else {
                rest.into()
            });
        }
        return Err(bad());
    }
    if target.starts_with('/') && !target.starts_with("//") {
        return Ok(target.to_string());
    }
    Err(bad())
}

impl Core {
    /// The sign-in buttons to show, one per enabled provider.
    pub fn sso_buttons(&self) -> Vec<crate::sso::ProviderButton> {
        self.sso.buttons()
    }

    /// Whether a service's sign-in is on.
    pub fn sso_enabled(&self, service: Service) -> bool {
        self.sso.enabled(service)
    }

    /// The address providers send users back to (register it with them).
    pub fn sso_redirect_uri(&self, service: Service) -> String {
        format!("{}/signup/{}/complete", self.site_url(), service.name())
    }

    /// Starts a sign-in: checks the request, keeps what the way back needs,
    /// and answers with the provider's address.
    pub async fn sso_begin(&self, start: SsoStart) -> Result<SsoBegun> {
        let service =
            Service::parse(&start.service).ok_or_else(|| unknown_service(&start.service))?;
        let redirect_to = match (start.action, start.redirect_to.as_deref()) {
            (_, None) | (_, Some("")) => None,
            (SsoAction::Mobile, Some(target)) if is_app_redirect(target) => {
                Some(target.to_string())
            }
            (SsoAction::Mobile, Some(_)) => {
                return Err(Error::invalid(
                    "redirect_to",
                    "must be the app's address (mmauth:// or mmauthbeta://)",
                ))
            }
            (_, Some(target)) => Some(local_redirect(&self.site_url(), target)?),
        };
        if start.action == SsoAction::Mobile && redirect_to.is_none() {
            return Err(Error::invalid(
                "redirect_to",
                "is required for the mobile app",
            ));
        }
        let (app_state, code_challenge) = match (start.app_state, start.code_challenge) {
            (Some(state), Some(challenge)) if start.action == SsoAction::Mobile => {
                if start.code_challenge_method.as_deref().unwrap_or("S256") != "S256" {
                    return Err(Error::invalid("code_challenge_method", "must be S256"));
                }
                super::validate::length("state", &state, 1, 256)?;
                super::validate::length("code_challenge", &challenge, 43, 128)?;
                (Some(state), Some(challenge))
            }
            _ => (None, None),
        };
        let authorization = self
            .sso
            .authorize(service, &self.sso_redirect_uri(service))
            .await?;
        // The first letter tells the way back, before anything is read,
        // whether to answer as to the app (`m`) or to a browser (`w`).
        let kind = if start.action == SsoAction::Mobile {
            "m"
        } else {
            "w"
        };
        let browser_key = format!("{kind}{}{}", new_id(), new_id());
        let pending = PendingSignIn {
            service,
            action: start.action,
            redirect_to,
            nonce: authorization.nonce,
            pkce_verifier: authorization.pkce_verifier,
            app_state,
            code_challenge,
            user_id: start.user_id,
        };
        self.store
            .save_sso_grant(&SsoGrant {
                key_hash: bound_key(&authorization.state, &browser_key),
                kind: STATE.into(),
                data: serde_json::to_string(&pending)
                    .map_err(|e| Error::Internal(e.to_string()))?,
                expires_at: now_ms() + STATE_LIFETIME_MS,
            })
            .await?;
        Ok(SsoBegun {
            url: authorization.url,
            browser_key,
        })
    }

    /// Finishes a sign-in the provider sent back: the state must be this
    /// browser's and unused, the code good at the provider, the ID token
    /// valid; then the account is found, linked or made.
    pub async fn sso_finish(
        &self,
        service_name: &str,
        code: &str,
        state: &str,
        browser_key: Option<&str>,
    ) -> Result<SsoFinish> {
        let service = Service::parse(service_name).ok_or_else(|| unknown_service(service_name))?;
        if code.is_empty() {
            return Err(Error::invalid(
                "code",
                "is missing: the provider did not sign the user in",
            ));
        }
        let Some(browser_key) = browser_key.filter(|k| !k.is_empty() && k.len() <= 128) else {
            return Err(failed_state());
        };
        if state.is_empty() || state.len() > 512 {
            return Err(failed_state());
        }
        // Found only with the cookie of the browser that started it: a
        // copied link cannot use (or spend) another browser's sign-in.
        let grant = self
            .store
            .take_sso_grant(&bound_key(state, browser_key), STATE, now_ms())
            .await?
            .ok_or_else(failed_state)?;
        let pending: PendingSignIn =
            serde_json::from_str(&grant.data).map_err(|e| Error::Internal(e.to_string()))?;
        if pending.service != service {
            return Err(failed_state());
        }
        let identity = self
            .sso
            .identify(
                service,
                &self.sso_redirect_uri(service),
                code,
                &pending.pkce_verifier,
                &pending.nonce,
            )
            .await?;
        if pending.action == SsoAction::EmailToSso {
            let user_id = pending.user_id.as_deref().ok_or_else(failed_state)?;
            self.switch_to_provider(user_id, service, &identity).await?;
            return Ok(SsoFinish::Switched);
        }
        let user = self.user_for_identity(service, &identity).await?;
        match (pending.action, pending.redirect_to) {
            (SsoAction::Mobile, Some(redirect_to)) => match pending.code_challenge {
                Some(challenge) => Ok(SsoFinish::MobileCode {
                    login_code: self
                        .issue_login_code(
                            PendingLogin {
                                user_id: user.id,
                                mobile: true,
                                app_state: pending.app_state,
                                code_challenge: Some(challenge),
                            },
                            None,
                        )
                        .await?,
                    redirect_to,
                }),
                None => Ok(SsoFinish::MobileSession {
                    login: Box::new(self.sso_session(user, true).await?),
                    redirect_to,
                }),
            },
            (_, redirect_to) => Ok(SsoFinish::Web {
                login_code: self
                    .issue_login_code(
                        PendingLogin {
                            user_id: user.id,
                            mobile: false,
                            app_state: None,
                            code_challenge: None,
                        },
                        Some(browser_key),
                    )
                    .await?,
                redirect_to,
            }),
        }
    }

    /// Redeems a web sign-in's one-time code, in the browser that signed in.
    pub async fn sso_redeem_web(
        &self,
        code: &str,
        browser_key: Option<&str>,
    ) -> Result<LoginResult> {
        let Some(browser_key) = browser_key.filter(|k| !k.is_empty() && k.len() <= 128) else {
            return Err(failed_state());
        };
        let pending = self.take_login_code(code, Some(browser_key)).await?;
        if pending.mobile {
            return Err(failed_state());
        }
        let user = self.store.get_user(&pending.user_id).await?;
        self.sso_session(user, false).await
    }

    /// Redeems the mobile app's one-time code with its PKCE verifier and
    /// state (Mattermost's SSO code exchange).
    pub async fn sso_redeem_mobile(
        &self,
        code: &str,
        code_verifier: &str,
        state: &str,
    ) -> Result<LoginResult> {
        if code.is_empty() {
            return Err(Error::invalid("login_code", "must not be empty"));
        }
        super::validate::length("code_verifier", code_verifier, 43, 128)?;
        if state.is_empty() {
            return Err(Error::invalid("state", "must not be empty"));
        }
        let pending = self.take_login_code(code, None).await?;
        let matches = pending.mobile
            && pending.app_state.as_deref() == Some(state)
            && pending.code_challenge.as_deref() == Some(pkce_challenge(code_verifier).as_str());
        if !matches {
            return Err(failed_state());
        }
        let user = self.store.get_user(&pending.user_id).await?;
        self.sso_session(user, true).await
    }

    /// A one-time code for `pending`; with a browser key, only that
    /// browser can redeem it.
    async fn issue_login_code(
        &self,
        pending: PendingLogin,
        browser_key: Option<&str>,
    ) -> Result<String> {
        let code = new_id() + &new_id();
        let key_hash = match browser_key {
            Some(key) => bound_key(&code, key),
            None => hash_token(&code),
        };
        self.store
            .save_sso_grant(&SsoGrant {
                key_hash,
                kind: LOGIN_CODE.into(),
                data: serde_json::to_string(&pending)
                    .map_err(|e| Error::Internal(e.to_string()))?,
                expires_at: now_ms() + LOGIN_CODE_LIFETIME_MS,
            })
            .await?;
        Ok(code)
    }

    async fn take_login_code(&self, code: &str, browser_key: Option<&str>) -> Result<PendingLogin> {
        if code.is_empty() || code.len() > 128 {
            return Err(failed_state());
        }
        let key_hash = match browser_key {
            Some(key) => bound_key(code, key),
            None => hash_token(code),
        };
        let grant = self
            .store
            .take_sso_grant(&key_hash, LOGIN_CODE, now_ms())
            .await?
            .ok_or_else(failed_state)?;
        serde_json::from_str(&grant.data).map_err(|e| Error::Internal(e.to_string()))
    }

    /// A session for an account that signed in at its provider.
    async fn sso_session(&self, user: User, mobile: bool) -> Result<LoginResult> {
        if user.is_deleted() {
            return Err(Error::Unauthorized("this account is deactivated".into()));
        }
        // The props Mattermost's sessions of a provider's sign-in carry.
        let mut props = StringMap::new();
        props.insert("isOAuthUser".into(), "true".into());
        props.insert("isMobile".into(), mobile.to_string());
        self.create_session_with(user, "", props).await
    }

    /// The account of a provider's user: found by the provider's id (its
    /// profile brought up to date), linked when an admin moved a password
    /// account to this provider, or made. A password account with the same
    /// e-mail address is never taken over.
    async fn user_for_identity(&self, service: Service, identity: &Identity) -> Result<User> {
        let email = identity.email.trim().to_lowercase();
        super::validate::email(&email)?;
        if let Some(user) = self
            .store
            .get_user_by_auth(service.name(), &identity.subject)
            .await?
        {
            if user.is_deleted() {
                return Err(Error::Unauthorized("this account is deactivated".into()));
            }
            if user.is_bot {
                return Err(Error::forbidden("bots cannot sign in"));
            }
            return self.refresh_profile(user, identity, &email).await;
        }
        match self.store.get_user_by_email(&email).await {
            Ok(user) if user.auth_service == service.name() && user.auth_data.is_empty() => {
                // Moved to this provider by an admin: bound at its first
                // sign-in, by an address the provider vouches for only.
                if identity.email_verified != Some(true) {
                    return Err(Error::forbidden(
                        "this account waits for a sign-in whose e-mail address the provider has verified; this provider does not say so",
                    ));
                }
                if user.is_deleted() {
                    return Err(Error::Unauthorized("this account is deactivated".into()));
                }
                let user = User {
                    auth_data: identity.subject.clone(),
                    email_verified: true,
                    update_at: now_ms(),
                    ..user
                };
                self.save_user(&user).await?;
                return Ok(user);
            }
            Ok(user) => {
                let method = if user.auth_service.is_empty() {
                    "an e-mail address and password".to_string()
                } else {
                    user.auth_service.clone()
                };
                return Err(Error::conflict(
                    "email",
                    format!(
                        "an account with this e-mail address already signs in with {method}; sign in that way, or switch that account's sign-in method to {}",
                        service.name()
                    ),
                ));
            }
            Err(Error::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        let first = self.no_accounts().await?;
        self.check_provider_may_create(service, identity, &email, first)?;
        let user = self
            .create_provider_account(service, identity, &email, first)
            .await?;
        self.adopt_picture(user, identity).await
    }

    /// The provider's picture for an account that has none yet, fetched
    /// through the guarded outbound client (a provider's address is the
    /// user's to choose). A picture that cannot be had leaves the default.
    async fn adopt_picture(&self, user: User, identity: &Identity) -> Result<User> {
        let Some(url) = identity.picture.as_deref().filter(|u| !u.is_empty()) else {
            return Ok(user);
        };
        if user.last_picture_update != 0 {
            return Ok(user);
        }
        let fetched = self
            .outbound
            .send(crate::outbound::Call::get(url, Vec::new()))
            .await
            .and_then(crate::outbound::Reply::success);
        let image = match fetched {
            Ok(reply) => reply.body,
            Err(e) => {
                // The address is not logged: it may carry a token.
                tracing::info!(user_id = %user.id, error = %e, "single sign-on: the provider's picture could not be fetched");
                return Ok(user);
            }
        };
        let actor = Actor::on_behalf_of(user.clone());
        match self.set_picture(&actor, &user.id, &image).await {
            Ok(()) => self.store.get_user(&user.id).await,
            Err(e) => {
                tracing::info!(user_id = %user.id, error = %e, "single sign-on: the provider's picture is not usable");
                Ok(user)
            }
        }
    }

    /// Whether a provider may make an account for this person. The
    /// server's first account always; otherwise account creation must be
    /// on, and either open sign-up is (anyone the provider knows gets in),
    /// or the server lists its e-mail domains (only verified addresses of
    /// those domains get in), or the provider is Microsoft's, bound to one
    /// tenant (whose directory decides who signs in). A provider such as
    /// Google knows everyone, so a closed server with no listed domains
    /// lets nobody in by it.
    fn check_provider_may_create(
        &self,
        service: Service,
        identity: &Identity,
        email: &str,
        first: bool,
    ) -> Result<()> {
        let domains = super::validate::domain_list(&self.config().restrict_creation_to_domains);
        if !first {
            self.check_user_creation()?;
            let vouched = service == Service::Office365 || !domains.is_empty();
            if !self.config().enable_open_signup && !vouched {
                return Err(Error::forbidden(
                    "sign-up is closed on this server: an admin must create your account (or move it to this provider)",
                ));
            }
        }
        if !domains.is_empty() && identity.email_verified != Some(true) {
            return Err(Error::forbidden(
                "accounts are made only for e-mail domains this server lists, and the provider does not say this address is verified",
            ));
        }
        self.check_creation_domain(email)
    }

    async fn create_provider_account(
        &self,
        service: Service,
        identity: &Identity,
        email: &str,
        first: bool,
    ) -> Result<User> {
        let base = username::from_suggestion(&identity.username, email);
        let mut roles = roles::SYSTEM_USER.to_string();
        if first {
            roles.push(' ');
            roles.push_str(roles::SYSTEM_ADMIN);
        }
        let trimmed = |s: &str| s.chars().take(64).collect::<String>();
        for n in 0..100 {
            let candidate = username::alternative(&base, n);
            if super::validate::username(&candidate).is_err() {
                continue;
            }
            match self.store.get_user_by_username(&candidate).await {
                Ok(_) => continue,
                Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
            let now = now_ms();
            let user = User {
                first_name: trimmed(&identity.first_name),
                last_name: trimmed(&identity.last_name),
                roles: roles.clone(),
                email_verified: true,
                auth_service: service.name().to_string(),
                auth_data: identity.subject.clone(),
                ..User::new_account(new_id(), candidate, email.to_string(), now)
            };
            match self.store.create_user(&user, None).await {
                Ok(()) => {
                    tracing::info!(user_id = %user.id, service = service.name(), "account made at its first single sign-on");
                    self.events
                        .publish(EventKind::UserCreated { user: user.clone() }, Audience::All);
                    return Ok(user);
                }
                // Taken in the meantime: try the next name.
                Err(Error::Conflict { field, .. }) if field == "username" => continue,
                Err(e) => return Err(e),
            }
        }
        Err(Error::conflict(
            "username",
            "no free username could be made from the provider's",
        ))
    }

    /// Brings the profile up to date with the provider's: names always, the
    /// e-mail address when no other account has it.
    async fn refresh_profile(&self, user: User, identity: &Identity, email: &str) -> Result<User> {
        let mut updated = user.clone();
        if !identity.first_name.is_empty() || !identity.last_name.is_empty() {
            updated.first_name = identity.first_name.chars().take(64).collect();
            updated.last_name = identity.last_name.chars().take(64).collect();
        }
        // A changed address is taken only when the provider vouches for it.
        if updated.email != email && identity.email_verified == Some(true) {
            match self.store.get_user_by_email(email).await {
                Err(Error::NotFound { .. }) => {
                    updated.email = email.to_string();
                    updated.email_verified = true;
                }
                Ok(_) => {}
                Err(e) => return Err(e),
            }
        }
        if updated == user {
            return Ok(user);
        }
        updated.update_at = now_ms();
        self.save_user(&updated).await?;
        self.user_updated(&updated);
        Ok(updated)
    }

    /// A password account's owner (already checked) moves it to a provider:
    /// its password stops working and every session ends.
    async fn switch_to_provider(
        &self,
        user_id: &str,
        service: Service,
        identity: &Identity,
    ) -> Result<()> {
        if let Some(other) = self
            .store
            .get_user_by_auth(service.name(), &identity.subject)
            .await?
        {
            if other.id != user_id {
                return Err(Error::conflict(
                    "auth_data",
                    "this provider account already signs in to another account",
                ));
            }
        }
        let user = self.store.get_user(user_id).await?;
        // Still what it was when its owner proved the password.
        if user.is_deleted() || !user.auth_service.is_empty() {
            return Err(failed_state());
        }
        let user = User {
            auth_service: service.name().to_string(),
            auth_data: identity.subject.clone(),
            update_at: now_ms(),
            ..user
        };
        self.save_user(&user).await?;
        self.store.clear_password_hash(user_id).await?;
        self.end_sessions(user_id, None).await?;
        tracing::info!(
            user_id,
            service = service.name(),
            "account switched to single sign-on"
        );
        Ok(())
    }

    /// Starts moving a password account to a provider: its owner proves the
    /// password first (Mattermost's `POST /users/login/switch`).
    pub async fn sso_switch_from_email(
        &self,
        client: &str,
        email: &str,
        password: &str,
        service: &str,
    ) -> Result<SsoBegun> {
        let user = self.check_password(client, email, password).await?;
        self.sso_begin(SsoStart {
            service: service.to_string(),
            action: SsoAction::EmailToSso,
            redirect_to: None,
            app_state: None,
            code_challenge: None,
            code_challenge_method: None,
            user_id: Some(user.id),
        })
        .await
    }

    /// An admin moves password accounts to a provider by e-mail address:
    /// each is bound to the provider's account at its first sign-in there.
    pub async fn migrate_auth_to_sso(
        &self,
        actor: Option<&Actor>,
        service: &str,
        emails: &[String],
    ) -> Result<Vec<User>> {
        if actor.is_some_and(|a| !a.is_admin()) {
            return Err(Error::forbidden(
                "only system admins move accounts to single sign-on",
            ));
        }
        let service = Service::parse(service).ok_or_else(|| unknown_service(service))?;
        // Every address is checked before any account changes.
        let mut found = Vec::new();
        for email in emails {
            let user = match self
                .store
                .get_user_by_email(&email.trim().to_lowercase())
                .await
            {
                Ok(user) => user,
                Err(Error::NotFound { .. }) => {
                    return Err(Error::invalid(
                        "email",
                        format!("no account has the address {email}"),
                    ))
                }
                Err(e) => return Err(e),
            };
            if user.is_bot {
                return Err(Error::invalid(
                    "email",
                    format!("{email} is a bot's address"),
                ));
            }
            found.push(user);
        }
        let mut moved = Vec::new();
        for user in found {
            if user.auth_service == service.name() {
                continue;
            }
            let user = User {
                auth_service: service.name().to_string(),
                auth_data: String::new(),
                update_at: now_ms(),
                ..user
            };
            self.save_user(&user).await?;
            self.store.clear_password_hash(&user.id).await?;
            self.end_sessions(&user.id, None).await?;
            moved.push(user);
        }
        Ok(moved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_redirects_stay_on_the_site() {
        let site = "https://chat.example.com";
        assert_eq!(
            local_redirect(site, "/team/channels/x").as_deref().ok(),
            Some("/team/channels/x")
        );
        assert_eq!(
            local_redirect(site, "https://chat.example.com/a")
                .as_deref()
                .ok(),
            Some("/a")
        );
        assert_eq!(
            local_redirect(site, "https://chat.example.com")
                .as_deref()
                .ok(),
            Some("/")
        );
        for bad in [
            "//evil.example.com/x",
            "https://evil.example.com/",
            "https://chat.example.com.evil.com/",
            "/\\evil.example.com",
            "javascript:alert(1)",
            "https://chat.example.com//evil.com",
        ] {
            assert!(local_redirect(site, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_the_apps_schemes_are_app_redirects() {
        assert!(is_app_redirect("mmauth://callback"));
        assert!(is_app_redirect("MMAUTHBETA://callback"));
        assert!(!is_app_redirect("https://evil.example.com"));
        assert!(!is_app_redirect("mmauthx://callback"));
    }

    #[test]
    fn the_pkce_challenge_is_s256_as_the_oauth2_crate_makes_it() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gXFG8jXFM";
        let expected = oauth2::PkceCodeChallenge::from_code_verifier_sha256(
            &oauth2::PkceCodeVerifier::new(verifier.to_string()),
        );
        assert_eq!(pkce_challenge(verifier), expected.as_str());
        assert_eq!(
            pkce_challenge(verifier),
            "KeKjy-3sVuji6jkfDPYVmmdTF1gP6GCfBnHw7G2fEqc"
        );
    }
}
