//! A channel's posts as the apps page through them: a window of posts and
//! the posts just outside it (Mattermost's `next_post_id` and
//! `prev_post_id`), read with one access check. Each listing reads one row
//! more on each side it has a neighbour on, so the neighbours cost no
//! statement of their own.

use super::{Actor, Core};
use crate::error::{Error, Result};
use crate::model::*;
use crate::store::{ChannelPosts, PostCursor};

/// A channel the actor was found allowed to read, as it was read then: the
/// listings below take it instead of checking again.
pub struct ReadableChannel {
    channel: Channel,
}

impl ReadableChannel {
    pub fn id(&self) -> &str {
        &self.channel.id
    }

    fn posts(&self, roots_only: bool) -> ChannelPosts<'_> {
        ChannelPosts {
            channel_id: &self.channel.id,
            roots_only,
        }
    }
}

/// A slice of a channel's posts in the order it was listed, with the posts
/// just outside it (`""` when there is none, and both `""` for an empty
/// window).
#[derive(Debug, Default)]
pub struct PostWindow {
    pub posts: Vec<Post>,
    /// The oldest post newer than every post of the window.
    pub newer: String,
    /// The newest post older than every post of the window.
    pub older: String,
}

impl PostWindow {
    fn new(posts: Vec<Post>, newer: String, older: String) -> PostWindow {
        if posts.is_empty() {
            return PostWindow::default();
        }
        PostWindow {
            posts,
            newer,
            older,
        }
    }
}

/// Rows listed away from a start: `skip` rows, the window's `limit`, and
/// one more. Returns the row before the window, the window, and the row
/// after it.
fn split(mut rows: Vec<Post>, skip: usize, limit: usize) -> (String, Vec<Post>, String) {
    if rows.len() <= skip {
        return (String::new(), Vec::new(), String::new());
    }
    let past_end = if rows.len() > skip + limit {
        rows.truncate(skip + limit + 1);
        rows.pop().map(|p| p.id).unwrap_or_default()
    } else {
        String::new()
    };
    let window = rows.split_off(skip);
    let before_start = rows.pop().map(|p| p.id).unwrap_or_default();
    (before_start, window, past_end)
}

/// Which way a listing goes from its cursor.
#[derive(Clone, Copy)]
enum Towards {
    Older,
    Newer,
}

/// A count from the request as a length (negative counts are none).
fn count(n: i64) -> usize {
    usize::try_from(n.max(0)).unwrap_or(usize::MAX)
}

impl Core {
    /// Checks that the actor may read the channel's posts.
    pub async fn readable_channel(
        &self,
        actor: &Actor,
        channel_id: &str,
    ) -> Result<ReadableChannel> {
        let (channel, _) = self.channel_for_read(actor, channel_id).await?;
        Ok(ReadableChannel { channel })
    }

    /// A value that changes whenever any post of the channel changes (for ETags).
    pub async fn channel_posts_version(&self, channel: &ReadableChannel) -> Result<i64> {
        self.store.last_post_update(channel.id()).await
    }

    /// A page of a channel's posts, newest first, skipping `offset`.
    pub async fn posts_page(
        &self,
        channel: &ReadableChannel,
        roots_only: bool,
        offset: i64,
        limit: i64,
    ) -> Result<PostWindow> {
        let offset = offset.max(0);
        // From the post before the page when there is one.
        let skip = i64::from(offset > 0);
        let rows = self
            .store
            .list_channel_posts_offset(
                channel.posts(roots_only),
                offset - skip,
                limit.saturating_add(skip + 1),
            )
            .await?;
        let (newer, posts, older) = split(rows, count(skip), count(limit));
        Ok(PostWindow::new(posts, newer, older))
    }

    /// Posts of a channel older than the post `before`, newest first,
    /// skipping `offset`. A first window (`offset` 0) names no newer
    /// neighbour: it is `before`, which the caller has.
    pub async fn posts_before(
        &self,
        channel: &ReadableChannel,
        roots_only: bool,
        before: &str,
        offset: i64,
        limit: i64,
    ) -> Result<PostWindow> {
        self.posts_from(channel, roots_only, before, Towards::Older, offset, limit)
            .await
    }

    /// Posts of a channel newer than the post `after`, oldest first,
    /// skipping `offset`. A first window (`offset` 0) names no older
    /// neighbour: it is `after`, which the caller has.
    pub async fn posts_after(
        &self,
        channel: &ReadableChannel,
        roots_only: bool,
        after: &str,
        offset: i64,
        limit: i64,
    ) -> Result<PostWindow> {
        self.posts_from(channel, roots_only, after, Towards::Newer, offset, limit)
            .await
    }

    /// The posts on one side of the post `from`, listed away from it.
    async fn posts_from(
        &self,
        channel: &ReadableChannel,
        roots_only: bool,
        from: &str,
        towards: Towards,
        offset: i64,
        limit: i64,
    ) -> Result<PostWindow> {
        let cursor = self.cursor_post(channel, from).await?;
        let Some(wanted) = window_size(channel, offset, limit) else {
            return Ok(PostWindow::default());
        };
        let start = PostCursor {
            create_at: cursor.create_at,
            id: &cursor.id,
        };
        let posts = channel.posts(roots_only);
        let rows = match towards {
            Towards::Older => {
                self.store
                    .list_channel_posts(posts, Some(start), wanted)
                    .await?
            }
            Towards::Newer => {
                self.store
                    .list_channel_posts_after(posts, start, wanted)
                    .await?
            }
        };
        // The row before the window is on the cursor's side.
        let (near, posts, far) = split(rows, count(offset), count(limit));
        Ok(match towards {
            Towards::Older => PostWindow::new(posts, near, far),
            Towards::Newer => PostWindow::new(posts, far, near),
        })
    }

    /// The posts around where the actor stopped reading a channel: up to
    /// `before` read ones and `after` unread ones, oldest first.
    pub async fn posts_around_unread(
        &self,
        actor: &Actor,
        posts: ChannelPosts<'_>,
        before: i64,
        after: i64,
    ) -> Result<PostWindow> {
        let (_, member) = self.channel_for_member(actor, posts.channel_id).await?;
        let seen = member.last_viewed_at;
        let (before, after) = (before.clamp(0, 200), after.clamp(0, 200));
        let read = self
            .store
            .list_channel_posts(
                posts,
                Some(PostCursor {
                    create_at: seen.saturating_add(1),
                    id: "",
                }),
                before + 1,
            )
            .await?;
        let unread = self
            .store
            .list_channel_posts_after(
                posts,
                PostCursor {
                    create_at: seen,
                    id: "~",
                },
                after + 1,
            )
            .await?;
        let (_, mut read, older) = split(read, 0, count(before));
        let (_, unread, newer) = split(unread, 0, count(after));
        read.reverse();
        read.extend(unread);
        Ok(PostWindow::new(read, newer, older))
    }

    /// The post a listing starts from, which must be one of the channel's.
    async fn cursor_post(&self, channel: &ReadableChannel, id: &str) -> Result<Post> {
        super::validate::id("post_id", id)?;
        match self.store.get_post(id).await {
            Ok(p) if p.channel_id == channel.id() => Ok(p),
            Ok(_) | Err(Error::NotFound { .. }) => {
                Err(Error::invalid("post_id", "is not a post of this channel"))
            }
            Err(e) => Err(e),
        }
    }
}

/// How many rows to read for a window of `limit` after skipping `offset`,
/// with its older or newer neighbour; `None` when the window lies past every
/// post the channel ever had (or past what a number can hold), which is
/// then empty.
fn window_size(channel: &ReadableChannel, offset: i64, limit: i64) -> Option<i64> {
    offset
        .checked_add(limit)
        .and_then(|n| n.checked_add(1))
        .filter(|_| offset >= 0 && offset < channel.channel.total_msg_count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(ids: &[&str]) -> Vec<Post> {
        ids.iter()
            .map(|id| Post {
                id: id.to_string(),
                ..Post::default()
            })
            .collect()
    }

    fn ids(posts: &[Post]) -> Vec<&str> {
        posts.iter().map(|p| p.id.as_str()).collect()
    }

    #[test]
    fn a_window_names_the_rows_on_both_sides() {
        let (before, window, after) = split(rows(&["a", "b", "c", "d", "e"]), 1, 3);
        assert_eq!((before.as_str(), after.as_str()), ("a", "e"));
        assert_eq!(ids(&window), ["b", "c", "d"]);
    }

    #[test]
    fn a_short_window_has_nothing_past_its_end() {
        let (before, window, after) = split(rows(&["a", "b"]), 1, 3);
        assert_eq!((before.as_str(), after.as_str()), ("a", ""));
        assert_eq!(ids(&window), ["b"]);
    }

    #[test]
    fn an_empty_window_has_no_neighbours() {
        let (before, window, after) = split(rows(&["a", "b"]), 2, 3);
        assert!(window.is_empty());
        assert_eq!((before.as_str(), after.as_str()), ("", ""));
    }

    #[test]
    fn a_window_of_nothing_still_names_the_next_row() {
        let (before, window, after) = split(rows(&["a"]), 0, 0);
        assert!(window.is_empty());
        assert_eq!((before.as_str(), after.as_str()), ("", "a"));
    }
}
