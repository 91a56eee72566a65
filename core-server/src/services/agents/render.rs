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
            } => blocks.extend(link(name, url)),
            Part::File { .. } => {}
        }
    }
    Rendered {
        message: clip(blocks.join("\n\n")),
        files,
    }
}

/// A message cut to what a post holds.
pub fn clip(message: String) -> String {
    if message.chars().count() <= MAX_MESSAGE_CHARS {
        return message;
    }
    let mut cut: String = message.chars().take(MAX_MESSAGE_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// A link to what an agent sent by address: http(s) only, written so that
/// the address cannot end the Markdown link early.
fn link(name: &str, url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return None;
    }
    let address = parsed
        .as_str()
        .replace('(', "%28")
        .replace(')', "%29")
        .replace(' ', "%20");
    let name = name.replace(['[', ']', '\n'], " ");
    Some(if name.trim().is_empty() {
        format!("<{address}>")
    } else {
        format!("[{}]({address})", name.trim())
    })
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
    fn only_web_addresses_become_links_and_cannot_break_out() {
        assert_eq!(link("a", "javascript:alert(1)"), None);
        assert_eq!(
            link("", "https://e.example/x"),
            Some("<https://e.example/x>".into())
        );
        assert_eq!(
            link("r [1]", "https://e.example/a(b) c"),
            Some("[r  1](https://e.example/a%28b%29%20c)".into())
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
