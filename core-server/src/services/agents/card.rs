//! Reading an A2A agent card: what the agent is called, what it can do,
//! where its JSON-RPC endpoint is, which protocol version that endpoint
//! speaks, whether it streams and how it wants calls authenticated.
//!
//! Both card shapes are read: A2A 1.0 lists `supportedInterfaces` (each with
//! its binding and protocol version) and nests each security scheme under
//! its kind; 0.3 has one `url` with `preferredTransport` and
//! `additionalInterfaces`, and tags schemes with `type`. When a card offers
//! both versions over JSON-RPC, 1.0 is used.

use serde_json::Value;

use crate::model::{agent_auth, AgentSkill};

/// The protocol versions spoken, as stored.
pub const V1: &str = "1.0";
pub const V03: &str = "0.3";

/// What a card says, in the server's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardInfo {
    pub name: String,
    pub description: String,
    pub icon_url: String,
    pub endpoint_url: String,
    pub protocol_version: &'static str,
    pub streaming: bool,
    pub skills: Vec<AgentSkill>,
    pub auth_scheme: &'static str,
    pub auth_header: String,
}

/// Why a card cannot be used; the text is shown to the admin.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CardError(pub String);

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_string()
}

fn strings(value: &Value, key: &str) -> Vec<String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The JSON-RPC endpoint and its protocol version, 1.0 preferred.
fn endpoint(card: &Value) -> Option<(String, &'static str)> {
    let version_of = |v: &str| {
        if v.starts_with("0.3") {
            Some(V03)
        } else if v.starts_with('1') {
            Some(V1)
        } else {
            None
        }
    };
    let mut found: Vec<(String, &'static str)> = Vec::new();
    // 1.0: supportedInterfaces; 0.3: additionalInterfaces (transport, not binding).
    for key in ["supportedInterfaces", "additionalInterfaces"] {
        for interface in card
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let binding = match text(interface, "protocolBinding") {
                b if b.is_empty() => text(interface, "transport"),
                b => b,
            };
            if !binding.eq_ignore_ascii_case("JSONRPC") {
                continue;
            }
            let url = text(interface, "url");
            let declared = match text(interface, "protocolVersion") {
                v if v.is_empty() && key == "additionalInterfaces" => text(card, "protocolVersion"),
                v if v.is_empty() => V1.to_string(),
                v => v,
            };
            if let (false, Some(version)) = (url.is_empty(), version_of(&declared)) {
                found.push((url, version));
            }
        }
    }
    // 0.3's main interface.
    let url = text(card, "url");
    let transport = match text(card, "preferredTransport") {
        t if t.is_empty() => "JSONRPC".to_string(),
        t => t,
    };
    if !url.is_empty() && transport.eq_ignore_ascii_case("JSONRPC") {
        let declared = text(card, "protocolVersion");
        if let Some(version) = version_of(if declared.is_empty() { V03 } else { &declared }) {
            found.push((url, version));
        }
    }
    found
        .iter()
        .find(|(_, v)| *v == V1)
        .or_else(|| found.first())
        .cloned()
}

/// The scheme an agent's calls need: the first security requirement the
/// server can meet (an API key in a header, or a bearer token), or none.
fn authentication(card: &Value) -> Result<(&'static str, String), CardError> {
    let schemes = card.get("securitySchemes").and_then(Value::as_object);
    let Some(schemes) = schemes.filter(|s| !s.is_empty()) else {
        return Ok((agent_auth::NONE, String::new()));
    };
    // Requirements name schemes: 1.0 `securityRequirements[{schemes:{name:…}}]`, 0.3 `security[{name:[]}]`.
    let mut required: Vec<String> = Vec::new();
    for requirement in card
        .get("securityRequirements")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(names) = requirement.get("schemes").and_then(Value::as_object) {
            required.extend(names.keys().cloned());
        }
    }
    for requirement in card
        .get("security")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(names) = requirement.as_object() {
            required.extend(names.keys().cloned());
        }
    }
    if required.is_empty() {
        return Ok((agent_auth::NONE, String::new()));
    }
    for name in &required {
        let Some(scheme) = schemes.get(name) else {
            continue;
        };
        if let Some(key) = scheme.get("apiKeySecurityScheme") {
            if text(key, "location").eq_ignore_ascii_case("header")
                || text(key, "location").is_empty()
            {
                return Ok((agent_auth::API_KEY, text(key, "name")));
            }
        }
        if text(scheme, "type") == "apiKey" && text(scheme, "in").eq_ignore_ascii_case("header") {
            return Ok((agent_auth::API_KEY, text(scheme, "name")));
        }
        let http = scheme.get("httpAuthSecurityScheme").unwrap_or(scheme);
        if (scheme.get("httpAuthSecurityScheme").is_some() || text(scheme, "type") == "http")
            && text(http, "scheme").eq_ignore_ascii_case("bearer")
        {
            return Ok((agent_auth::BEARER, String::new()));
        }
    }
    Err(CardError(
        "the agent requires an authentication this server cannot provide (only an API key in a header or a bearer token)".into(),
    ))
}

fn skills(card: &Value) -> Vec<AgentSkill> {
    card.get("skills")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|skill| AgentSkill {
            id: text(skill, "id"),
            name: text(skill, "name"),
            description: text(skill, "description"),
            tags: strings(skill, "tags"),
            examples: strings(skill, "examples"),
        })
        .filter(|s| !s.name.is_empty() || !s.id.is_empty())
        .take(64)
        .collect()
}

/// Reads a card; the error says what is missing.
pub fn parse(card: &Value) -> Result<CardInfo, CardError> {
    if !card.is_object() {
        return Err(CardError("the agent card is not a JSON object".into()));
    }
    let name = text(card, "name");
    if name.is_empty() {
        return Err(CardError("the agent card has no name".into()));
    }
    let (endpoint_url, protocol_version) = endpoint(card).ok_or_else(|| {
        CardError("the agent card offers no JSON-RPC interface of A2A 1.0 or 0.3".into())
    })?;
    crate::outbound::Outbound::check_url(&endpoint_url)
        .map_err(|e| CardError(format!("the agent card's endpoint: {e}")))?;
    let (auth_scheme, auth_header) = authentication(card)?;
    if auth_scheme == agent_auth::API_KEY && auth_header.is_empty() {
        return Err(CardError(
            "the agent card's API key scheme names no header".into(),
        ));
    }
    let streaming = card
        .get("capabilities")
        .and_then(|c| c.get("streaming"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Ok(CardInfo {
        name,
        description: text(card, "description"),
        icon_url: text(card, "iconUrl"),
        endpoint_url,
        protocol_version,
        streaming,
        skills: skills(card),
        auth_scheme,
        auth_header,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_one_point_zero_card_is_read() {
        let card = json!({
            "name": "Echo Agent",
            "description": "Says it back",
            "iconUrl": "https://example.com/i.png",
            "supportedInterfaces": [
                {"url": "http://a.example/rpc03", "protocolBinding": "JSONRPC", "protocolVersion": "0.3"},
                {"url": "http://a.example/grpc", "protocolBinding": "GRPC", "protocolVersion": "1.0"},
                {"url": "http://a.example/rpc", "protocolBinding": "JSONRPC", "protocolVersion": "1.0"}
            ],
            "capabilities": {"streaming": true},
            "skills": [{"id": "echo", "name": "Echo", "description": "d", "tags": ["t"], "examples": ["hi"]}],
            "securitySchemes": {"key": {"apiKeySecurityScheme": {"location": "header", "name": "X-API-Key"}}},
            "securityRequirements": [{"schemes": {"key": {"list": []}}}]
        });
        let info = parse(&card).expect("parsed");
        assert_eq!(info.endpoint_url, "http://a.example/rpc");
        assert_eq!(info.protocol_version, V1);
        assert!(info.streaming);
        assert_eq!(info.skills[0].tags, vec!["t"]);
        assert_eq!(
            (info.auth_scheme, info.auth_header.as_str()),
            (agent_auth::API_KEY, "X-API-Key")
        );
    }

    #[test]
    fn a_zero_point_three_card_is_read() {
        let card = json!({
            "name": "Old", "url": "http://a.example/", "preferredTransport": "JSONRPC",
            "protocolVersion": "0.3.0", "capabilities": {},
            "securitySchemes": {"b": {"type": "http", "scheme": "bearer"}},
            "security": [{"b": []}]
        });
        let info = parse(&card).expect("parsed");
        assert_eq!(
            (info.endpoint_url.as_str(), info.protocol_version),
            ("http://a.example/", V03)
        );
        assert!(!info.streaming);
        assert_eq!(info.auth_scheme, agent_auth::BEARER);
    }

    #[test]
    fn unusable_cards_say_why() {
        for (card, says) in [
            (json!([]), "not a JSON object"),
            (json!({"url": "http://a.example"}), "no name"),
            (
                json!({"name": "x", "supportedInterfaces": [{"url": "http://a", "protocolBinding": "GRPC"}]}),
                "no JSON-RPC",
            ),
            (
                json!({"name": "x", "url": "ftp://a.example", "protocolVersion": "0.3.0"}),
                "endpoint",
            ),
            (
                json!({"name": "x", "url": "http://a.example", "protocolVersion": "0.3.0",
                    "securitySchemes": {"o": {"type": "oauth2"}}, "security": [{"o": []}]}),
                "cannot provide",
            ),
        ] {
            let err = parse(&card).expect_err("refused");
            assert!(err.0.contains(says), "{card}: {err}");
        }
    }
}
