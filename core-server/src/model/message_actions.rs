//! Interactive message actions: the buttons and menus of message
//! attachments, kept in a post's `props.attachments[].actions[]` as
//! Mattermost keeps them. Each action carries an `integration` (the URL the
//! server calls when the action is run, and a `context` echoed to it) that
//! only the server may see or change: it is stripped from every post a
//! client receives, and a client's edit cannot replace it.
//!
//! These functions work on the props' JSON as it is, so whatever else an
//! integration put in an attachment reaches the clients unchanged.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::id::new_id;

/// The props key holding message attachments.
pub const ATTACHMENTS: &str = "attachments";
/// The key of an action holding its URL and context.
const INTEGRATION: &str = "integration";

/// `type` of a menu action (anything else runs as a button).
pub const ACTION_TYPE_SELECT: &str = "select";

/// The props that keep their value when an integration replaces a post's
/// props, so it still shows who it came from (Mattermost's
/// `PostActionRetainPropKeys`).
pub const RETAINED_PROPS: &[&str] = &["from_webhook", "override_username", "override_icon_url"];

/// Where a run action is sent, and what is sent with it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionIntegration {
    #[serde(default)]
    pub url: String,
    /// Anything the integration wants back; `selected_option` is added to it
    /// for a menu.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Map<String, Value>>,
}

/// What running an action needs to know of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionTarget {
    /// `button` or `select`.
    pub action_type: String,
    /// `users`, `channels` or empty for a menu of fixed options.
    pub data_source: String,
    /// Absent when the action has none (it cannot be run).
    pub integration: Option<ActionIntegration>,
}

/// Whether an action id can be named in a URL (Mattermost routes only these).
pub fn is_valid_action_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Every action object of the props' attachments, in order.
fn actions_mut(props: &mut Value) -> impl Iterator<Item = &mut Map<String, Value>> {
    props
        .get_mut(ATTACHMENTS)
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(|attachment| attachment.get_mut("actions"))
        .filter_map(Value::as_array_mut)
        .flatten()
        .filter_map(Value::as_object_mut)
}

fn actions(props: &Value) -> impl Iterator<Item = &Map<String, Value>> {
    props
        .get(ATTACHMENTS)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|attachment| attachment.get("actions"))
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(Value::as_object)
}

fn action_id(action: &Map<String, Value>) -> &str {
    action.get("id").and_then(Value::as_str).unwrap_or("")
}

/// Whether the props carry at least one attachment (a post may then have no text).
pub fn has_attachments(props: &Value) -> bool {
    props
        .get(ATTACHMENTS)
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
}

/// Gives every action without an id a new one, as Mattermost does before a
/// post is saved or sent.
pub fn generate_action_ids(props: &mut Value) {
    for action in actions_mut(props) {
        if action_id(action).is_empty() {
            action.insert("id".into(), Value::String(new_id()));
        }
    }
}

/// Removes every action's integration: what a client may see of the props.
pub fn strip_action_integrations(props: &mut Value) {
    for action in actions_mut(props) {
        action.remove(INTEGRATION);
    }
}

/// The props as a client may see them.
pub fn props_for_client(props: &Value) -> Value {
    let mut props = props.clone();
    strip_action_integrations(&mut props);
    props
}

/// The action `id` of the props, if there is one.
pub fn find_action(props: &Value, id: &str) -> Option<ActionTarget> {
    if id.is_empty() {
        return None;
    }
    let action = actions(props).find(|a| action_id(a) == id)?;
    let text = |key: &str| {
        action
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    Some(ActionTarget {
        action_type: text("type"),
        data_source: text("data_source"),
        integration: action
            .get(INTEGRATION)
            .and_then(|v| serde_json::from_value(v.clone()).ok()),
    })
}

/// A client's edit of the props (`edited`) made safe against `stored`: an
/// action that was already there keeps its stored integration whatever the
/// client sent (clients never see it and may not replace it); actions new to
/// the post keep what the editor gave them.
pub fn keep_stored_integrations(edited: &mut Value, stored: &Value) {
    let stored_integrations: std::collections::HashMap<String, Option<Value>> = actions(stored)
        .filter(|a| !action_id(a).is_empty())
        .map(|a| (action_id(a).to_string(), a.get(INTEGRATION).cloned()))
        .collect();
    for action in actions_mut(edited) {
        let Some(kept) = stored_integrations.get(action_id(action)) else {
            continue;
        };
        match kept {
            Some(integration) => action.insert(INTEGRATION.into(), integration.clone()),
            None => action.remove(INTEGRATION),
        };
    }
}

/// Sets `cookie` on every action: what lets a client run an action of a
/// post that is not stored (an ephemeral one). `seal` makes the cookie of
/// one action from what running it needs.
pub fn set_action_cookies(props: &mut Value, mut seal: impl FnMut(&ActionTarget) -> String) {
    for action in actions_mut(props) {
        let target = ActionTarget {
            action_type: action
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            data_source: action
                .get("data_source")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            integration: action
                .get(INTEGRATION)
                .and_then(|v| serde_json::from_value(v.clone()).ok()),
        };
        action.insert("cookie".into(), Value::String(seal(&target)));
    }
}

/// Turns Slack's `<url|text>` links into Markdown links, as Mattermost does
/// with integration text unless told not to.
pub fn slack_links_to_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        // `<url|text>`: the URL without `<` or `|`, the text without `>`.
        let converted = after.find('>').and_then(|end| {
            let inner = &after[..end];
            let (url, label) = inner.split_once('|')?;
            let ok = !url.is_empty() && !label.is_empty() && !url.contains('<');
            ok.then(|| (format!("[{label}]({url})"), end))
        });
        match converted {
            Some((link, end)) => {
                out.push_str(&link);
                rest = &after[end + 1..];
            }
            None => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Value {
        json!({
            "from_bot": "true",
            "attachments": [
                {"text": "deploy?", "actions": [
                    {"name": "Yes", "integration": {"url": "http://hook/yes", "context": {"secret": "context-secret"}}},
                    {"id": "keepme", "name": "No", "type": "button",
                     "integration": {"url": "http://hook/no"}},
                    "not an object"
                ]},
                {"text": "no actions"},
                {"actions": [{"id": "", "name": "Pick", "type": "select",
                    "options": [{"text": "A", "value": "a"}],
                    "integration": {"url": "http://hook/pick"}}]}
            ]
        })
    }

    #[test]
    fn ids_are_given_where_missing_and_kept_where_set() {
        let mut props = sample();
        generate_action_ids(&mut props);
        let ids: Vec<String> = actions(&props).map(|a| action_id(a).to_string()).collect();
        assert_eq!(ids.len(), 3);
        assert_eq!(ids[1], "keepme");
        assert_eq!(ids[0].len(), 26);
        assert_eq!(ids[2].len(), 26);
        assert_ne!(ids[0], ids[2]);
        assert!(ids.iter().all(|id| is_valid_action_id(id)));
        // A second pass changes nothing.
        let again = {
            let mut p = props.clone();
            generate_action_ids(&mut p);
            p
        };
        assert_eq!(again, props);
        // Props without attachments are left alone.
        let mut plain = json!({"x": 1, "attachments": "text"});
        generate_action_ids(&mut plain);
        assert_eq!(plain, json!({"x": 1, "attachments": "text"}));
    }

    #[test]
    fn stripping_removes_every_integration_and_nothing_else() {
        let mut props = sample();
        generate_action_ids(&mut props);
        let stripped = props_for_client(&props);
        let text = stripped.to_string();
        assert!(!text.contains("integration"));
        assert!(!text.contains("http://hook"));
        assert!(!text.contains("context-secret"));
        assert_eq!(stripped["attachments"][0]["text"], "deploy?");
        assert_eq!(stripped["attachments"][0]["actions"][1]["id"], "keepme");
        assert_eq!(stripped["attachments"][0]["actions"][2], "not an object");
        assert_eq!(
            stripped["attachments"][2]["actions"][0]["options"][0]["value"],
            "a"
        );
        // The original is untouched.
        assert!(props.to_string().contains("http://hook/yes"));
    }

    #[test]
    fn actions_are_found_by_id_with_their_integration() {
        let props = sample();
        let found = find_action(&props, "keepme").expect("found");
        assert_eq!(found.action_type, "button");
        assert_eq!(
            found.integration.map(|i| i.url).as_deref(),
            Some("http://hook/no")
        );
        assert!(find_action(&props, "missing").is_none());
        assert!(find_action(&props, "").is_none());
    }

    #[test]
    fn an_edit_cannot_replace_or_remove_a_stored_integration() {
        let mut stored = sample();
        generate_action_ids(&mut stored);
        let mut edited = json!({"attachments": [{"actions": [
            {"id": "keepme", "name": "No!", "integration": {"url": "http://evil/"}},
            {"id": "fresh", "name": "New", "integration": {"url": "http://mine/"}}
        ]}]});
        keep_stored_integrations(&mut edited, &stored);
        assert_eq!(
            edited["attachments"][0]["actions"][0]["integration"]["url"],
            "http://hook/no"
        );
        assert_eq!(edited["attachments"][0]["actions"][0]["name"], "No!");
        assert_eq!(
            edited["attachments"][0]["actions"][1]["integration"]["url"],
            "http://mine/"
        );
        // A client sending the stripped action back keeps the integration.
        let mut resent = props_for_client(&stored);
        keep_stored_integrations(&mut resent, &stored);
        assert_eq!(resent, stored);
    }

    #[test]
    fn cookies_are_set_on_every_action() {
        let mut props = sample();
        set_action_cookies(&mut props, |t| format!("c:{}", t.action_type));
        assert_eq!(props["attachments"][0]["actions"][0]["cookie"], "c:");
        assert_eq!(props["attachments"][0]["actions"][1]["cookie"], "c:button");
        assert_eq!(props["attachments"][2]["actions"][0]["cookie"], "c:select");
    }

    #[test]
    fn action_ids_in_urls_are_letters_and_digits() {
        assert!(is_valid_action_id("abc123"));
        assert!(!is_valid_action_id(""));
        assert!(!is_valid_action_id("a-b"));
        assert!(!is_valid_action_id("../x"));
    }

    #[test]
    fn slack_links_become_markdown() {
        assert_eq!(
            slack_links_to_markdown("see <https://x.io/a|the doc> and <b>"),
            "see [the doc](https://x.io/a) and <b>"
        );
        assert_eq!(slack_links_to_markdown("a < b | c > d"), "a [ c ]( b ) d");
        assert_eq!(slack_links_to_markdown("no links"), "no links");
        assert_eq!(slack_links_to_markdown("<a <u|t>"), "<a [t](u)");
    }
}
