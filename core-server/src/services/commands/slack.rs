//! The Slack-compatible rewriting Mattermost applies to an integration's
//! answer unless it sets `skip_slack_parsing`: `<!channel>`-style
//! announcements become mentions, `<@user_id>` becomes `@username`, and
//! `<url|text>` links become Markdown links. Attachments get the same in
//! their text fields, and their field values become strings.

use std::collections::HashMap;

use serde_json::Value;

/// `<!channel>`, `<!here>` and `<!all>` as mentions.
pub(crate) fn expand_announcements(text: &str) -> String {
    text.replace("<!channel>", "@channel")
        .replace("<!here>", "@here")
        .replace("<!all>", "@all")
}

/// The ids written `<@id>` in `text`.
pub(crate) fn mentioned_ids(text: &str, into: &mut Vec<String>) {
    let mut rest = text;
    while let Some(start) = rest.find("<@") {
        let after = &rest[start + 2..];
        let len = after
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(after.len());
        if len > 0 && after[len..].starts_with('>') {
            into.push(after[..len].to_string());
        }
        rest = after;
    }
}

/// `<@id>` replaced by `@username` for the ids in `names`.
pub(crate) fn replace_user_ids(text: &str, names: &HashMap<String, String>) -> String {
    let mut out = text.to_string();
    for (id, name) in names {
        out = out.replace(&format!("<@{id}>"), &format!("@{name}"));
    }
    out
}

/// `<url|text>` as `[text](url)` (Mattermost's `ParseSlackLinksToMarkdown`):
/// the url holds no newline, `<`, `|` or `>`; the text no newline or `>`.
pub(crate) fn links_to_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let inner = &rest[open + 1..];
        let url_len = inner.find(['\n', '<', '|', '>']).unwrap_or(inner.len());
        if url_len > 0 && inner[url_len..].starts_with('|') {
            let label = &inner[url_len + 1..];
            let label_len = label.find(['\n', '>']).unwrap_or(label.len());
            if label_len > 0 && label[label_len..].starts_with('>') {
                out.push_str(&format!("[{}]({})", &label[..label_len], &inner[..url_len]));
                rest = &label[label_len + 1..];
                continue;
            }
        }
        out.push('<');
        rest = inner;
    }
    out.push_str(rest);
    out
}

/// Every string an attachment shows as text, for `f` to rewrite: its
/// pretext, text and title, and each field's value (made a string first).
pub(crate) fn rewrite_attachments(attachments: &mut Value, f: &mut dyn FnMut(&str) -> String) {
    let Some(list) = attachments.as_array_mut() else {
        return;
    };
    list.retain(|a| !a.is_null());
    for attachment in list.iter_mut().filter_map(Value::as_object_mut) {
        for key in ["pretext", "text", "title"] {
            if let Some(Value::String(s)) = attachment.get_mut(key) {
                *s = f(s);
            }
        }
        if let Some(Value::Array(fields)) = attachment.get_mut("fields") {
            fields.retain(|field| !field.is_null());
            for field in fields.iter_mut().filter_map(Value::as_object_mut) {
                let value = match field.get("value") {
                    None | Some(Value::Null) => continue,
                    Some(Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                };
                field.insert("value".into(), Value::String(f(&value)));
            }
        }
    }
}

/// Every string of `attachments` that [`rewrite_attachments`] would touch.
pub(crate) fn attachment_texts(attachments: &Value) -> Vec<String> {
    let mut texts = Vec::new();
    let mut copy = attachments.clone();
    rewrite_attachments(&mut copy, &mut |s| {
        texts.push(s.to_string());
        s.to_string()
    });
    texts
}

/// Links in the text, pretext and field values of attachments as Markdown
/// (Mattermost's `ParseSlackAttachment`).
pub(crate) fn attachment_links_to_markdown(attachments: &mut Value) {
    let Some(list) = attachments.as_array_mut() else {
        return;
    };
    for attachment in list.iter_mut().filter_map(Value::as_object_mut) {
        for key in ["pretext", "text"] {
            if let Some(Value::String(s)) = attachment.get_mut(key) {
                *s = links_to_markdown(s);
            }
        }
        if let Some(Value::Array(fields)) = attachment.get_mut("fields") {
            for field in fields.iter_mut().filter_map(Value::as_object_mut) {
                if let Some(Value::String(s)) = field.get_mut("value") {
                    *s = links_to_markdown(s);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn slack_links_become_markdown() {
        assert_eq!(
            links_to_markdown("see <https://x.io/a|the docs> and <https://y.io>"),
            "see [the docs](https://x.io/a) and <https://y.io>"
        );
        assert_eq!(links_to_markdown("a < b | c > d"), "a [ c ]( b ) d");
        assert_eq!(links_to_markdown("<a|>"), "<a|>");
        assert_eq!(links_to_markdown("x <y|z"), "x <y|z");
        assert_eq!(links_to_markdown("<<u|t>"), "<[t](u)");
    }

    #[test]
    fn announcements_and_user_ids_become_mentions() {
        assert_eq!(
            expand_announcements("<!channel> <!here> <!all> <!other>"),
            "@channel @here @all <!other>"
        );
        let mut ids = Vec::new();
        mentioned_ids("hi <@abc123> and <@bad id> <@x>", &mut ids);
        assert_eq!(ids, ["abc123", "x"]);
        let names = HashMap::from([("abc123".to_string(), "ann".to_string())]);
        assert_eq!(
            replace_user_ids("hi <@abc123>, <@zzz>", &names),
            "hi @ann, <@zzz>"
        );
    }

    #[test]
    fn attachment_texts_are_rewritten_and_field_values_stringified() {
        let mut a = json!([null, {"text": "<!here>", "title": "t", "color": "<!here>",
            "fields": [{"title": "n", "value": 5}, null, {"value": "<u|v>"}]}]);
        rewrite_attachments(&mut a, &mut |s| expand_announcements(s));
        attachment_links_to_markdown(&mut a);
        assert_eq!(
            a,
            json!([{"text": "@here", "title": "t", "color": "<!here>",
                "fields": [{"title": "n", "value": "5"}, {"value": "[v](u)"}]}])
        );
        assert_eq!(attachment_texts(&a), ["@here", "t", "5", "[v](u)"]);
    }
}
