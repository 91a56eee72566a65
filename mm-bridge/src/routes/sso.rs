//! Single sign-on in Mattermost's shape: `/oauth/{service}/login`,
//! `/signup` and `/mobile_login` send the browser to the provider, which
//! sends it back to `/signup/{service}/complete`; the mobile app then gets
//! `mmauth://callback?MMAUTHTOKEN=…&MMCSRF=…` (or a `login_code` it redeems
//! at `/api/v4/users/login/sso/code-exchange`), the web app a one-time code
//! on its sign-in page. The rules are the core's.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use core_server::server::{cookie_value, sso_cookie, ClientAddr, SSO_COOKIE};
use core_server::services::{is_mobile_browser_key, Core, SsoAction, SsoFinish, SsoStart};

use crate::error::{MmError, MmResult};
use crate::extract::MmJson;

use super::users::str_field;

/// The query of every step: the start's and the way back's parameters.
#[derive(Deserialize, Default)]
pub struct SsoQuery {
    redirect_to: Option<String>,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    code: Option<String>,
    error: Option<String>,
}

fn redirect(location: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

fn with_cookie(mut response: Response, cookie: String) -> Response {
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A page for the app's sign-in browser: it goes on to `target` at once,
/// or shows `message` (Mattermost answers the app this way, with 200).
fn app_page(title: &str, message: &str, target: Option<&str>) -> Response {
    let (refresh, link) = match target {
        Some(t) => {
            let t = escape_html(t);
            (
                format!(r#"<meta http-equiv="refresh" content="0; url={t}">"#),
                format!(r#"<p><a href="{t}">Continue</a></p>"#),
            )
        }
        None => (String::new(), String::new()),
    };
    let body = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{}</title>{refresh}</head>\
         <body><h1>{}</h1><p>{}</p>{link}</body></html>",
        escape_html(title),
        escape_html(title),
        escape_html(message)
    );
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A failed sign-in in a browser: back to the sign-in page, which shows why.
fn web_error(message: &str) -> Response {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("sso_error", message)
        .finish();
    redirect(&format!("/login?{query}"))
}

/// `redirect_to` with query parameters added.
fn with_params(target: &str, params: &[(&str, &str)]) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        query.append_pair(k, v);
    }
    let sep = if target.contains('?') { '&' } else { '?' };
    format!("{target}{sep}{}", query.finish())
}

async fn start(
    core: &Core,
    headers: &HeaderMap,
    service: String,
    action: SsoAction,
    q: SsoQuery,
) -> Response {
    let mobile = action == SsoAction::Mobile;
    let begun = core
        .sso_begin(SsoStart {
            service,
            action,
            redirect_to: q.redirect_to,
            app_state: q.state,
            code_challenge: q.code_challenge,
            code_challenge_method: q.code_challenge_method,
            user_id: None,
        })
        .await;
    match begun {
        Ok(begun) => with_cookie(
            redirect(&begun.url),
            sso_cookie(&core.config(), headers, &begun.browser_key),
        ),
        // A bad request (a parameter, a service that is not on) is
        // Mattermost's JSON error with its status, for the app and the web;
        // a provider that fails is told the way the sign-in would end.
        Err(e @ (core_server::Error::Invalid { .. } | core_server::Error::NotImplemented(_))) => {
            MmError::from(e).into_response()
        }
        Err(e) if mobile => app_page("Sign-in failed", &e.to_string(), None),
        Err(e) => web_error(&e.to_string()),
    }
}

/// `GET /oauth/{service}/login` and `/signup` (the web sign-in),
/// `/mobile_login` (the mobile app's) and `/complete` (the way back).
pub async fn oauth_step(
    State(core): State<Core>,
    headers: HeaderMap,
    Path((service, step)): Path<(String, String)>,
    Query(q): Query<SsoQuery>,
) -> Response {
    match step.as_str() {
        "login" | "signup" => start(&core, &headers, service, SsoAction::Login, q).await,
        "mobile_login" => start(&core, &headers, service, SsoAction::Mobile, q).await,
        "complete" => finish(&core, &headers, service, q).await,
        _ => MmError::not_implemented().into_response(),
    }
}

/// `GET /signup/{service}/complete` (and `/login/…`): the provider's way back.
pub async fn complete(
    State(core): State<Core>,
    headers: HeaderMap,
    Path(service): Path<String>,
    Query(q): Query<SsoQuery>,
) -> Response {
    finish(&core, &headers, service, q).await
}

async fn finish(core: &Core, headers: &HeaderMap, service: String, q: SsoQuery) -> Response {
    let key = cookie_value(headers, SSO_COOKIE).map(str::to_string);
    let mobile = key.as_deref().is_some_and(is_mobile_browser_key);
    let fail = |message: &str| {
        let response = if mobile {
            app_page("Sign-in failed", message, None)
        } else {
            web_error(message)
        };
        with_cookie(response, sso_cookie(&core.config(), headers, ""))
    };
    if let Some(error) = q.error.as_deref() {
        // Only an OAuth error code is repeated, never free text from the link.
        let code_like =
            error.len() <= 40 && error.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        let message = match error {
            "access_denied" => {
                "the identity provider did not sign you in (access denied)".to_string()
            }
            _ if code_like => format!("the identity provider answered with an error ({error})"),
            _ => "the identity provider answered with an error".to_string(),
        };
        return fail(&message);
    }
    let finished = core
        .sso_finish(
            &service,
            q.code.as_deref().unwrap_or_default(),
            q.state.as_deref().unwrap_or_default(),
            key.as_deref(),
        )
        .await;
    let site = core.site_url();
    match finished {
        Ok(SsoFinish::Web {
            login_code,
            redirect_to,
        }) => {
            // The key stays: the same browser redeems the code with it.
            let mut params = vec![("sso_code", login_code.as_str())];
            if let Some(target) = redirect_to.as_deref() {
                params.push(("redirect_to", target));
            }
            redirect(&with_params("/login", &params))
        }
        Ok(SsoFinish::MobileSession { login, redirect_to }) => {
            let csrf = login.session.props.get("csrf").cloned().unwrap_or_default();
            let target = with_params(
                &redirect_to,
                &[
                    ("MMAUTHTOKEN", login.token.as_str()),
                    ("MMCSRF", csrf.as_str()),
                    ("srv", site.as_str()),
                ],
            );
            with_cookie(
                app_page("Signed in", "Going back to the app…", Some(&target)),
                sso_cookie(&core.config(), headers, ""),
            )
        }
        Ok(SsoFinish::MobileCode {
            login_code,
            redirect_to,
        }) => {
            let target = with_params(
                &redirect_to,
                &[("login_code", login_code.as_str()), ("srv", site.as_str())],
            );
            with_cookie(
                app_page("Signed in", "Going back to the app…", Some(&target)),
                sso_cookie(&core.config(), headers, ""),
            )
        }
        Ok(SsoFinish::Switched) => with_cookie(
            redirect("/login?extra=signin_change"),
            sso_cookie(&core.config(), headers, ""),
        ),
        Err(e) => {
            tracing::info!(service, error = %e, "single sign-on refused");
            fail(&e.to_string())
        }
    }
}

/// `POST /api/v4/users/login/sso/code-exchange`: the mobile app redeems its
/// `login_code` with its PKCE verifier and state.
pub async fn code_exchange(
    State(core): State<Core>,
    MmJson(body): MmJson<Map<String, Value>>,
) -> MmResult<Response> {
    let field = |k: &str| str_field(&body, k);
    for required in ["login_code", "code_verifier", "state"] {
        if field(required).is_empty() {
            return Err(MmError::invalid_body(required));
        }
    }
    // An unknown, used, expired or mismatched code is a 400, as Mattermost
    // documents this endpoint (not a lapsed session).
    let login = core
        .sso_redeem_mobile(
            &field("login_code"),
            &field("code_verifier"),
            &field("state"),
        )
        .await
        .map_err(|e| match e {
            core_server::Error::Unauthorized(message) => MmError::new(
                StatusCode::BAD_REQUEST,
                "api.user.login_sso_code_exchange.invalid.app_error",
                &message,
            ),
            other => other.into(),
        })?;
    let csrf = login.session.props.get("csrf").cloned().unwrap_or_default();
    let mut response = Json(json!({"token": login.token, "csrf": csrf})).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `POST /api/v4/users/login/switch`: a password account's owner moves it
/// to a provider (the other way, and LDAP or SAML, are not offered).
pub async fn switch(
    State(core): State<Core>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    MmJson(body): MmJson<Map<String, Value>>,
) -> MmResult<Response> {
    let field = |k: &str| str_field(&body, k);
    let (current, new) = (field("current_service"), field("new_service"));
    if current.is_empty() {
        return Err(MmError::invalid_body("current_service"));
    }
    if current != "email" {
        return Err(MmError::not_implemented());
    }
    if new.is_empty() {
        return Err(MmError::invalid_body("new_service"));
    }
    if new == "ldap" || new == "saml" {
        return Err(MmError::not_implemented());
    }
    let email = field("email");
    if email.is_empty() {
        return Err(MmError::invalid_body("email"));
    }
    let begun = core
        .sso_switch_from_email(&client, &email, &field("password"), &new)
        .await?;
    let response = Json(json!({ "follow_link": begun.url })).into_response();
    Ok(with_cookie(
        response,
        sso_cookie(&core.config(), &headers, &begun.browser_key),
    ))
}
