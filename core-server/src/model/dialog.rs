//! Interactive dialogs: a form an integration opens in one user's client
//! (with a trigger id it got from an action or a command), and the answer
//! the client submits back to it. Shapes and rules as Mattermost's.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Longest dialog title, in bytes.
pub const DIALOG_TITLE_MAX: usize = 24;
const DISPLAY_NAME_MAX: usize = 24;
const NAME_MAX: usize = 300;
const HELP_TEXT_MAX: usize = 150;
const TEXT_MAX: usize = 150;
const TEXTAREA_MAX: usize = 3000;
const SELECT_MAX: usize = 3000;
const BOOL_PLACEHOLDER_MAX: usize = 150;

/// A choice of a menu or of radio buttons.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DialogOption {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub value: String,
}

/// One input of a dialog.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct DialogElement {
    /// The label shown.
    pub display_name: String,
    /// The key of the value in the submission.
    pub name: String,
    /// `text`, `textarea`, `select`, `bool` or `radio`.
    #[serde(rename = "type")]
    pub element_type: String,
    /// For `text` and `textarea`: `text`, `email`, `number`, `tel`, `url` or `password`.
    pub subtype: String,
    pub default: String,
    pub placeholder: String,
    pub help_text: String,
    pub optional: bool,
    pub min_length: i64,
    pub max_length: i64,
    /// For `select`: `users` or `channels` instead of `options`.
    pub data_source: String,
    pub options: Option<Vec<DialogOption>>,
    /// For `select`: whether several options may be chosen.
    pub multiselect: bool,
}

/// A form to fill in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct Dialog {
    /// Sent back with the submission.
    pub callback_id: String,
    pub title: String,
    /// Markdown shown above the elements.
    pub introduction_text: String,
    pub icon_url: String,
    pub elements: Option<Vec<DialogElement>>,
    pub submit_label: String,
    /// Whether the integration hears of a cancelled dialog.
    pub notify_on_cancel: bool,
    /// Sent back with the submission.
    pub state: String,
}

fn is_http_url(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
}

fn too_long(problems: &mut Vec<String>, what: &str, value: &str, max: usize) {
    if value.len() > max {
        problems.push(format!("{what} is longer than {max} characters"));
    }
}

fn default_in(options: &Option<Vec<DialogOption>>, default: &str) -> bool {
    default.is_empty()
        || options
            .iter()
            .flatten()
            .any(|option| option.value == default)
}

impl DialogElement {
    /// What is wrong with the element by Mattermost's rules.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let field = |p: &str| format!("{:?}: {p}", self.name);
        let mut own = Vec::new();
        if self.min_length < 0 {
            own.push("min_length is negative".to_string());
        }
        if self.min_length > self.max_length {
            own.push("min_length is greater than max_length".to_string());
        }
        if self.display_name.is_empty() {
            own.push("display_name is empty".to_string());
        }
        if self.name.is_empty() {
            own.push("name is empty".to_string());
        }
        too_long(
            &mut own,
            "display_name",
            &self.display_name,
            DISPLAY_NAME_MAX,
        );
        too_long(&mut own, "name", &self.name, NAME_MAX);
        too_long(&mut own, "help_text", &self.help_text, HELP_TEXT_MAX);
        if self.multiselect && self.element_type != "select" {
            own.push("multiselect is only for select elements".to_string());
        }
        let text_subtype = matches!(
            self.subtype.as_str(),
            "" | "text" | "email" | "number" | "tel" | "url" | "password"
        );
        match self.element_type.as_str() {
            "text" | "textarea" => {
                let max = if self.element_type == "text" {
                    TEXT_MAX
                } else {
                    TEXTAREA_MAX
                };
                too_long(&mut own, "default", &self.default, max);
                too_long(&mut own, "placeholder", &self.placeholder, max);
                if !text_subtype {
                    own.push(format!("subtype {:?} is not known", self.subtype));
                }
            }
            "select" => {
                too_long(&mut own, "default", &self.default, SELECT_MAX);
                too_long(&mut own, "placeholder", &self.placeholder, SELECT_MAX);
                match self.data_source.as_str() {
                    "" => {
                        let defaults_known = if self.multiselect {
                            self.default
                                .split(',')
                                .map(str::trim)
                                .filter(|v| !v.is_empty())
                                .all(|v| default_in(&self.options, v))
                        } else {
                            default_in(&self.options, &self.default)
                        };
                        if !defaults_known {
                            own.push("default is not one of the options".to_string());
                        }
                    }
                    "users" | "channels" => {}
                    other => own.push(format!("data_source {other:?} is not users or channels")),
                }
            }
            "bool" => {
                if !matches!(self.default.as_str(), "" | "true" | "false") {
                    own.push("default of a bool is not true or false".to_string());
                }
                too_long(
                    &mut own,
                    "placeholder",
                    &self.placeholder,
                    BOOL_PLACEHOLDER_MAX,
                );
            }
            "radio" => {
                if !default_in(&self.options, &self.default) {
                    own.push("default is not one of the options".to_string());
                }
            }
            other => own.push(format!("type {other:?} is not known")),
        }
        problems.extend(own.iter().map(|p| field(p)));
        problems
    }
}

impl Dialog {
    /// What is wrong with the dialog by Mattermost's rules (`Dialog.IsValid`);
    /// empty when nothing is.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.title.is_empty() || self.title.len() > DIALOG_TITLE_MAX {
            problems.push(format!("title must be 1 to {DIALOG_TITLE_MAX} characters"));
        }
        if !self.icon_url.is_empty() && !is_http_url(&self.icon_url) {
            problems.push("icon_url is not an http(s) URL".to_string());
        }
        let mut names = std::collections::HashSet::new();
        for element in self.elements.iter().flatten() {
            if !names.insert(element.name.as_str()) {
                problems.push(format!("element {:?} appears twice", element.name));
            }
            problems.extend(element.problems());
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dialog(value: serde_json::Value) -> Dialog {
        serde_json::from_value(value).expect("a dialog")
    }

    #[test]
    fn a_well_formed_dialog_has_no_problems() {
        let d = dialog(json!({
            "callback_id": "cb", "title": "Deploy", "icon_url": "https://x.io/i.png",
            "elements": [
                {"display_name": "Env", "name": "env", "type": "select",
                 "options": [{"text": "Prod", "value": "prod"}], "default": "prod"},
                {"display_name": "Why", "name": "why", "type": "textarea", "max_length": 500},
                {"display_name": "Now", "name": "now", "type": "bool", "default": "true"},
                {"display_name": "Who", "name": "who", "type": "select", "data_source": "users"},
                {"display_name": "Size", "name": "size", "type": "radio",
                 "options": [{"text": "S", "value": "s"}]},
                {"display_name": "Tags", "name": "tags", "type": "select", "multiselect": true,
                 "options": [{"text": "A", "value": "a"}, {"text": "B", "value": "b"}],
                 "default": "a, b"}
            ]
        }));
        assert_eq!(d.problems(), Vec::<String>::new());
    }

    #[test]
    fn mattermosts_rules_are_applied() {
        let d = dialog(json!({
            "title": "A title that is far too long for a dialog",
            "icon_url": "ftp://x",
            "elements": [
                {"display_name": "", "name": "a", "type": "text", "subtype": "colour"},
                {"display_name": "A", "name": "a", "type": "select", "default": "zz",
                 "options": [{"text": "Y", "value": "y"}]},
                {"display_name": "B", "name": "b", "type": "select", "data_source": "teams"},
                {"display_name": "C", "name": "c", "type": "bool", "default": "yes"},
                {"display_name": "D", "name": "d", "type": "date"},
                {"display_name": "E", "name": "e", "type": "text", "min_length": 5, "max_length": 2},
                {"display_name": "F", "name": "f", "type": "text", "multiselect": true}
            ]
        }));
        let problems = d.problems().join("\n");
        for expected in [
            "title must be",
            "icon_url",
            "\"a\": display_name is empty",
            "subtype \"colour\"",
            "element \"a\" appears twice",
            "default is not one of the options",
            "data_source \"teams\"",
            "default of a bool",
            "type \"date\" is not known",
            "min_length is greater",
            "multiselect is only for select",
        ] {
            assert!(
                problems.contains(expected),
                "{expected} missing in:\n{problems}"
            );
        }
    }

    #[test]
    fn a_dialog_round_trips_with_mattermosts_field_names() {
        let d = dialog(json!({"title": "T", "elements": [
            {"display_name": "N", "name": "n", "type": "text", "subtype": "email"}
        ], "notify_on_cancel": true, "state": "s"}));
        let v = serde_json::to_value(&d).expect("json");
        assert_eq!(v["elements"][0]["type"], "text");
        assert_eq!(v["elements"][0]["subtype"], "email");
        assert_eq!(v["notify_on_cancel"], true);
        assert_eq!(v["state"], "s");
        assert_eq!(v["callback_id"], "");
    }
}
