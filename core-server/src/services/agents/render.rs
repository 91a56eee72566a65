//! An agent's answer as a chat post: text as written, structured data as a
//! JSON code block, files sent inline as attachments of the post and files
//! sent by address as links.

use super::wire::Part;

/// Longest message a post holds (Mattermost's limit, in characters).
const MAX_MESSAGE_CHARS: usize = 16_383;

/// A file an agent sent inline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What a post shows of an answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub message: String,
    pub files: Vec<InlineFile>,
}

/// The post for `parts`, in order.
pub fn render(parts: &[&Part]) -> Rendered {
    let mut blocks: Vec<String> = Vec::new();
    let mut files = Vec::new();
    for part in parts {
        match part {
            Part::Text(text) if text.trim().is_empty() => {}
            Part::Text(text) => blocks.push(text.clone()),
            Part::Data(data) => {
                let pretty = serde_json::to_string_pretty(data).unwrap_or_default();
                blocks.push(format!("```json\n{pretty}\n```"));
            }
            Part::File {
                name,
                bytes: Some(bytes),
                ..
            } => files.push(InlineFile {
                name: if name.trim().is_empty() {
                    "answer".to_string()
                } else {
                    name.clone()
                },
                bytes: bytes.clone(),
            }),
            Part::File {
                name,
                url: Some(url),
                ..
            } => blocks.push(if name.trim().is_empty() {
                url.clone()
            } else {
                format!("[{}]({url})", name.replace(['[', ']'], ""))
            }),
            Part::File { .. } => {}
        }
    }
    let mut message = blocks.join("\n\n");
    if message.chars().count() > MAX_MESSAGE_CHARS {
        message = message.chars().take(MAX_MESSAGE_CHARS - 1).collect();
        message.push('…');
    }
    Rendered { message, files }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parts_become_text_code_blocks_links_and_files() {
        let parts = [
            Part::Text("Here:".into()),
            Part::Data(json!({"status": "ok"})),
            Part::File {
                name: "r.txt".into(),
                media_type: "text/plain".into(),
                bytes: Some(b"x".to_vec()),
                url: None,
            },
            Part::File {
                name: "site".into(),
                media_type: String::new(),
                bytes: None,
                url: Some("https://e.example/a".into()),
            },
        ];
        let shown = render(&parts.iter().collect::<Vec<_>>());
        assert_eq!(
            shown.message,
            "Here:\n\n```json\n{\n  \"status\": \"ok\"\n}\n```\n\n[site](https://e.example/a)"
        );
        assert_eq!(
            shown.files,
            vec![InlineFile {
                name: "r.txt".into(),
                bytes: b"x".to_vec()
            }]
        );
    }

    #[test]
    fn a_long_answer_is_cut_to_what_a_post_holds() {
        let long = Part::Text("é".repeat(MAX_MESSAGE_CHARS + 10));
        let shown = render(&[&long]);
        assert_eq!(shown.message.chars().count(), MAX_MESSAGE_CHARS);
        assert!(shown.message.ends_with('…'));
    }
}
