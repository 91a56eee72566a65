//! A list of posts read from SQLite as one JSON value instead of one row per
//! post. The driver copies every value of every row out of SQLite on the
//! connection's thread and hands the rows over one at a time, waking the
//! reading task for each; a listing of 150 posts paid that 150 times, for
//! 18 values each. One array of arrays crosses once.

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::model::Post;
use crate::store::json::JsonColumn;

/// A post as `json_array` of its columns gives it: serde reads an array
/// into these fields by position, so they stand in `Post::TABLE` order (the
/// store test `listings_return_every_column_as_stored` lists a post whose
/// every column differs).
#[derive(Deserialize)]
struct PostColumns {
    id: String,
    create_at: i64,
    update_at: i64,
    edit_at: i64,
    delete_at: i64,
    is_pinned: SqlBool,
    user_id: String,
    channel_id: String,
    root_id: String,
    original_id: String,
    message: String,
    post_type: String,
    props: String,
    hashtags: String,
    file_ids: String,
    pending_post_id: String,
    reply_count: i64,
    last_reply_at: i64,
}

/// A boolean as SQLite stores it: 0 or 1.
#[derive(Deserialize)]
#[serde(from = "i64")]
struct SqlBool(bool);

impl From<i64> for SqlBool {
    fn from(v: i64) -> Self {
        SqlBool(v != 0)
    }
}

/// The posts of a `json_group_array` of `json_array`s of their columns.
pub(crate) fn posts_from_json(text: &str) -> Result<Vec<Post>> {
    let rows: Vec<PostColumns> = serde_json::from_str(text)
        .map_err(|e| Error::Internal(format!("a list of posts did not decode: {e}")))?;
    Ok(rows.into_iter().map(post).collect())
}

fn post(c: PostColumns) -> Post {
    Post {
        id: c.id,
        create_at: c.create_at,
        update_at: c.update_at,
        edit_at: c.edit_at,
        delete_at: c.delete_at,
        is_pinned: c.is_pinned.0,
        user_id: c.user_id,
        channel_id: c.channel_id,
        root_id: c.root_id,
        original_id: c.original_id,
        message: c.message,
        post_type: c.post_type,
        props: JsonColumn::from_column(&c.props),
        hashtags: c.hashtags,
        file_ids: JsonColumn::from_column(&c.file_ids),
        pending_post_id: c.pending_post_id,
        reply_count: c.reply_count,
        last_reply_at: c.last_reply_at,
    }
}
