//! The unauthenticated probes the apps make before login, and client config.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use core_server::services::Core;

use crate::context::{BUILD_NUMBER, VERSION};
use crate::error::{MmError, MmResult};
use crate::extract::MmQuery;

/// Changes whenever the client configuration would; part of `X-Version-Id`.
pub fn config_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        // FNV-1a over what the config depends on at build time.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in format!("{VERSION}/{BUILD_NUMBER}/{}", env!("CARGO_PKG_VERSION")).bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{h:016x}")
    })
}

#[derive(Deserialize)]
pub struct PingQuery {
    get_server_status: Option<String>,
}

/// `GET /api/v4/system/ping`
pub async fn ping(State(core): State<Core>, MmQuery(q): MmQuery<PingQuery>) -> Json<Value> {
    let mut body = json!({
        "status": "OK",
        "AndroidLatestVersion": "",
        "AndroidMinVersion": "",
        "IosLatestVersion": "",
        "IosMinVersion": "",
        "ActiveSearchBackend": "database",
    });
    if q.get_server_status.as_deref() == Some("true") {
        let db = if core.store.ping().await.is_ok() {
            "OK"
        } else {
            "UNHEALTHY"
        };
        body["database_status"] = json!(db);
        let files = if core_server::files::probe(&*core.blobs).await {
            "OK"
        } else {
            "UNHEALTHY"
        };
        body["filestore_status"] = json!(files);
    }
    Json(body)
}

#[derive(Deserialize)]
pub struct FormatQuery {
    format: Option<String>,
}

fn check_format(format: Option<&str>) -> MmResult<()> {
    match format {
        Some("old") => Ok(()),
        None => Err(MmError::not_implemented()),
        Some(_) => Err(MmError::invalid_param("format")),
    }
}

/// The client configuration: every key the apps read, all values strings.
async fn config_map(core: &Core, logged_in: bool) -> MmResult<BTreeMap<&'static str, String>> {
    let site_url = core.config().site_url.clone().unwrap_or_default();
    let diagnostic_id = core.server_id().await?;
    let t = |b: bool| {
        if b {
            "true".to_string()
        } else {
            "false".to_string()
        }
    };
    let mut m: BTreeMap<&'static str, String> = BTreeMap::new();
    let mut set = |k: &'static str, v: String| {
        m.insert(k, v);
    };
    set("Version", VERSION.into());
    set("BuildNumber", BUILD_NUMBER.into());
    set("BuildDate", String::new());
    set("BuildHash", env!("CARGO_PKG_VERSION").into());
    set("BuildHashEnterprise", "none".into());
    set("BuildEnterpriseReady", t(false));
    set("DiagnosticId", diagnostic_id);
    set("DiagnosticsEnabled", t(false));
    set("SiteURL", site_url);
    set("SiteName", "rustchat".into());
    set("WebsocketURL", String::new());
    set("WebsocketPort", "80".into());
    set("WebsocketSecurePort", "443".into());
    set("EnableSignInWithEmail", t(true));
    set("EnableSignInWithUsername", t(true));
    // E-mail accounts can be made (by invitation at least) while creation
    // is on; strangers only on an open server.
    set(
        "EnableSignUpWithEmail",
        t(core.config().enable_user_creation),
    );
    set("EnableUserCreation", t(core.config().enable_user_creation));
    set(
        "EnableOpenServer",
        t(core.config().enable_user_creation && core.config().enable_open_signup),
    );
    set("EnableLdap", t(false));
    set("LdapLoginFieldName", String::new());
    set("EnableSaml", t(false));
    set("SamlLoginButtonText", String::new());
    // One sign-in button per enabled provider (the apps read these before login).
    use core_server::sso::Service;
    set(
        "EnableSignUpWithGitLab",
        t(core.sso_enabled(Service::GitLab)),
    );
    set(
        "EnableSignUpWithGoogle",
        t(core.sso_enabled(Service::Google)),
    );
    set(
        "EnableSignUpWithOffice365",
        t(core.sso_enabled(Service::Office365)),
    );
    set(
        "EnableSignUpWithOpenId",
        t(core.sso_enabled(Service::OpenId)),
    );
    let button = |service: Service| {
        core.sso_buttons()
            .into_iter()
            .find(|b| b.service == service.name())
    };
    let (gitlab, openid) = (button(Service::GitLab), button(Service::OpenId));
    set(
        "GitLabButtonText",
        gitlab.as_ref().map(|b| b.text.clone()).unwrap_or_default(),
    );
    set(
        "GitLabButtonColor",
        gitlab.map(|b| b.color).unwrap_or_default(),
    );
    set(
        "OpenIdButtonText",
        openid.as_ref().map(|b| b.text.clone()).unwrap_or_default(),
    );
    set(
        "OpenIdButtonColor",
        openid.map(|b| b.color).unwrap_or_default(),
    );
    // The mobile app's PKCE sign-in: a one-time code instead of a session
    // in the redirect to the app.
    set("FeatureFlagMobileSSOCodeExchange", t(true));
    set("EnableMultifactorAuthentication", t(false));
    set("EnforceMultifactorAuthentication", t(false));
    set("PasswordEnableForgotLink", t(false));
    set("ForgotPasswordLink", String::new());
    set(
        "PasswordMinimumLength",
        core.config().password_min_length.to_string(),
    );
    for k in [
        "PasswordRequireLowercase",
        "PasswordRequireUppercase",
        "PasswordRequireNumber",
        "PasswordRequireSymbol",
    ] {
        set(k, t(false));
    }
    set("MobileJailbreakProtection", t(false));
    set("MobileEnableBiometrics", t(false));
    set("MobilePreventScreenCapture", t(false));
    set("EnableCustomTermsOfService", t(false));
    set("HelpLink", String::new());
    set("ReportAProblemLink", String::new());
    set("TermsOfServiceLink", String::new());
    set("PrivacyPolicyLink", String::new());
    set("AboutLink", String::new());
    set("SupportEmail", String::new());
    set("EnableCustomEmoji", t(true));
    set("HasImageProxy", t(false));
    set("EnableGuestAccounts", t(false));
    set("HideGuestTags", t(false));
    set("NoAccounts", t(core.no_accounts().await?));
    set("CustomBrandText", String::new());
    set("CustomDescriptionText", String::new());
    set("EnableCustomBrand", t(false));
    set("DefaultClientLocale", "en".into());
    set("AvailableLocales", String::new());
    set("TelemetryId", String::new());
    set("ServiceEnvironment", "production".into());
    if logged_in {
        // The apps then list channels by root posts and show their Threads view.
        set("CollapsedThreads", "default_on".into());
        set("FeatureFlagCollapsedThreads", t(true));
        set("TeammateNameDisplay", "username".into());
        set("LockTeammateNameDisplay", t(false));
        set("ExperimentalPrimaryTeam", String::new());
        set("MaxFileSize", core.config().max_file_size.to_string());
        set(
            "MaxPostSize",
            core_server::model::MAX_MESSAGE_CHARS.to_string(),
        );
        set("MaxNotificationsPerChannel", "1000".into());
        set("EnablePublicLink", t(core.config().enable_public_link));
        // The apps offer invitations by e-mail when mail can go out.
        set(
            "EnableEmailInvitations",
            t(core.config().smtp_url.is_some()),
        );
        set("EnableFileAttachments", t(true));
        set("EnableMobileFileUpload", t(true));
        set("EnableMobileFileDownload", t(true));
        set("EnableCustomUserStatuses", t(true));
        // Users may always deactivate their own account here.
        set("EnableUserDeactivation", t(true));
        set(
            "EnablePostUsernameOverride",
            t(core.config().enable_post_username_override),
        );
        set(
            "EnablePostIconOverride",
            t(core.config().enable_post_icon_override),
        );
        set("EnableLinkPreviews", t(false));
        set("EnablePermalinkPreviews", t(false));
        set("ExperimentalViewArchivedChannels", t(true));
        set("ExperimentalTownSquareIsReadOnly", t(false));
        set("RestrictDirectMessage", "any".into());
        set("TimeBetweenUserTypingUpdatesMilliseconds", "5000".into());
        set("EnableUserTypingMessages", t(true));
        set("PostEditTimeLimit", "-1".into());
        set("AllowEditPost", "always".into());
        set("DataRetentionEnableMessageDeletion", t(false));
        set("DataRetentionEnableFileDeletion", t(false));
        set("PostPriority", t(false));
        set("PostAcknowledgements", t(false));
        set("ScheduledPosts", t(true));
        set("EnableCrossTeamSearch", t(false));
        set("MinimumHashtagLength", "3".into());
        set("EnableLatex", t(false));
        set("EnableInlineLatex", t(false));
        set("EnableSVGs", t(false));
        set(
            "SendPushNotifications",
            t(core.config().push_proxy_url.is_some()),
        );
        set("FeatureFlagAppsEnabled", t(false));
        set("ShowEmailAddress", t(false));
        set("ShowFullName", t(true));
        set("EnableChannelViewedMessages", t(true));
        set("EnableUserStatuses", t(true));
        set("EnableEmojiPicker", t(true));
        set("EnableCommands", t(core.config().enable_commands));
        set("EnableOnlyAdminIntegrations", t(true));
        set("EnableIncomingWebhooks", t(true));
        set(
            "EnableOutgoingWebhooks",
            t(core.config().enable_outgoing_webhooks),
        );
        set("EnableBotAccountCreation", t(true));
        set("EnableUserAccessTokens", t(true));
        set("EnableConfirmNotificationsToChannel", t(true));
        set("ExperimentalEnableAutomaticReplies", t(false));
        set("SchemaVersion", "1".into());
        set("InstallationDate", String::new());
        set("UpgradedFromTE", t(false));
    }
    Ok(m)
}

fn logged_in(headers: &HeaderMap) -> bool {
    headers.contains_key("authorization")
        || headers
            .get_all("cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|c| c.contains("MMAUTHTOKEN="))
}

/// `GET /api/v4/config/client?format=old`
pub async fn client_config(
    State(core): State<Core>,
    headers: HeaderMap,
    MmQuery(q): MmQuery<FormatQuery>,
) -> MmResult<Json<BTreeMap<&'static str, String>>> {
    check_format(q.format.as_deref())?;
    // The full map only for a caller with a valid session.
    let mut full = false;
    if logged_in(&headers) {
        let token = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' ').map(|(_, t)| t.trim().to_string()));
        if let Some(token) = token {
            full = core.authenticate(&token).await.is_ok();
        } else {
            full = true;
        }
    }
    Ok(Json(config_map(&core, full).await?))
}

/// Tells every connected client the client configuration changed
/// (`config_changed`, with the new configuration, as Mattermost sends it
/// after its settings are saved): every socket belongs to a signed-in user,
/// so the full map goes out.
pub async fn publish_config_changed(core: &Core) -> MmResult<()> {
    let config = config_map(core, true)
        .await?
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    core.events.publish(
        core_server::events::EventKind::ConfigChanged { config },
        core_server::events::Audience::All,
    );
    Ok(())
}

/// `GET /api/v4/license/client?format=old`
pub async fn client_license(MmQuery(q): MmQuery<FormatQuery>) -> MmResult<Json<Value>> {
    match q.format.as_deref() {
        Some("old") => Ok(Json(json!({"IsLicensed": "false"}))),
        _ => Err(MmError::invalid_param("format")),
    }
}

/// `GET /api/v4/agents`: the AI agents a user may talk to. rustchat runs no
/// AI plugin, so there are none (the apps then hide their AI features).
pub async fn agents(_auth: crate::extract::MmAuth) -> Json<Vec<Value>> {
    Json(Vec::new())
}

/// `GET /api/v4/agents/status`: whether AI agents are available. They are
/// not (no AI plugin), said with the reason Mattermost gives when its AI
/// plugin is not active, so the apps hide their agent features.
pub async fn agents_status(_auth: crate::extract::MmAuth) -> Json<Value> {
    Json(serde_json::json!({
        "available": false,
        "reason": "app.agents.bridge.not_available.plugin_not_active",
    }))
}

/// `GET /api/v4/system/timezones`: the IANA time zone names the server
/// knows, for the apps' manual zone picker.
pub async fn timezones(_auth: crate::extract::MmAuth) -> Json<Vec<&'static str>> {
    Json(core_server::time::zone_names())
}

/// `GET /api/v4/plugins/webapp`: no web plugins.
pub async fn webapp_plugins() -> Json<Vec<Value>> {
    Json(Vec::new())
}
