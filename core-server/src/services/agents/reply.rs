//! The post that shows an agent's answer: made with its first words and
//! rewritten as more arrive (a streamed answer), at most a few times a
//! second, with the answer's files attached once it is complete.

use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::json;

use super::render::{clip, Rendered};
use crate::error::Result;
use crate::events::{Audience, EventKind};
use crate::model::Post;
use crate::services::posts::PostOrigin;
use crate::services::{Actor, Core, NewPost};
use crate::time::now_ms;

/// How often a growing answer's post is rewritten, at most.
const GROW_EVERY: Duration = Duration::from_millis(300);
/// Files an answer may attach.
const MAX_FILES: usize = 10;

/// An answer's post, as it is being written.
pub struct ReplyPost<'a> {
    pub core: &'a Core,
    pub bot: &'a Actor,
    pub channel_id: &'a str,
    pub root_id: &'a str,
    post: Option<Post>,
    /// What the post shows now.
    pub shown: String,
    last_write: Option<Instant>,
}

/// Text still being streamed, up to its last whole word: a half-written
/// `@name` must not mention somebody else.
fn whole_words(text: &str) -> &str {
    match text.rfind(char::is_whitespace) {
        Some(end) => text[..end].trim_end(),
        None => "",
    }
}

impl<'a> ReplyPost<'a> {
    pub fn new(core: &'a Core, bot: &'a Actor, channel_id: &'a str, root_id: &'a str) -> Self {
        ReplyPost {
            core,
            bot,
            channel_id,
            root_id,
            post: None,
            shown: String::new(),
            last_write: None,
        }
    }

    /// Whether a growing answer may be shown again now.
    pub fn due(&self) -> bool {
        self.last_write.is_none_or(|at| at.elapsed() >= GROW_EVERY)
    }

    /// Shows part of an answer still arriving, if it is time to.
    pub async fn grow(&mut self, rendered: Rendered) -> Result<()> {
        if !self.due() {
            return Ok(());
        }
        let text = whole_words(&rendered.message).to_string();
        if text.is_empty() || text == self.shown {
            return Ok(());
        }
        self.write(text, Vec::new()).await
    }

    /// Shows the whole answer, with its files.
    pub async fn finish(&mut self, rendered: Rendered) -> Result<()> {
        if rendered.message.is_empty() && rendered.files.is_empty() {
            return Ok(());
        }
        let file_ids = self.attach(&rendered).await?;
        if rendered.message == self.shown && file_ids.is_empty() && self.post.is_some() {
            return Ok(());
        }
        self.write(clip(rendered.message), file_ids).await
    }

    async fn write(&mut self, message: String, file_ids: Vec<String>) -> Result<()> {
        // Counted from the attempt: a failing write is not retried every chunk.
        self.last_write = Some(Instant::now());
        match &mut self.post {
            None => {
                let post = self
                    .core
                    .create_post_from(
                        self.bot,
                        self.channel_id,
                        NewPost {
                            message: message.clone(),
                            root_id: self.root_id.to_string(),
                            props: Some(json!({"from_agent": "true"})),
                            file_ids,
                            pending_post_id: String::new(),
                            post_type: String::new(),
                        },
                        PostOrigin::Server,
                    )
                    .await?;
                self.post = Some(post);
            }
            Some(post) => {
                post.message = message.clone();
                post.hashtags = crate::model::parse_hashtags(&post.message);
                if !file_ids.is_empty() {
                    self.core
                        .store
                        .attach_files(
                            &post.id,
                            self.channel_id,
                            self.bot.id(),
                            &file_ids,
                            now_ms(),
                        )
                        .await?;
                    post.file_ids.extend(file_ids);
                }
                post.update_at = now_ms();
                self.core.store.grow_post(post).await?;
                self.core.events.publish(
                    EventKind::PostEdited { post: post.clone() },
                    Audience::Channel(post.channel_id.clone()),
                );
            }
        }
        self.shown = message;
        Ok(())
    }

    /// Stores the files an answer carries, as the bot's uploads to the channel.
    async fn attach(&self, rendered: &Rendered) -> Result<Vec<String>> {
        let mut ids = Vec::new();
        for file in rendered.files.iter().take(MAX_FILES) {
            let bytes = bytes::Bytes::from(file.bytes.clone());
            let body = futures::stream::once(async move { Ok::<_, std::io::Error>(bytes) }).boxed();
            let info = self
                .core
                .upload_file(self.bot, self.channel_id, &file.name, body)
                .await?;
            ids.push(info.id);
        }
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growing_text_is_shown_to_its_last_whole_word() {
        assert_eq!(whole_words("Hello @jo"), "Hello");
        assert_eq!(whole_words("Hello @john "), "Hello @john");
        assert_eq!(whole_words("Hel"), "");
        assert_eq!(whole_words("one two\nthr"), "one two");
    }
}
