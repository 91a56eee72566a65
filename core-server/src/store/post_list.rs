//! A list of posts read from SQLite as one JSON value instead of one row per
//! post. The driver copies every value of every row out of SQLite on the
//! connection's thread and hands the rows over one at a time, waking the
//! reading task for each; a listing of 150 posts paid that 150 times, for
//! 18 values each. One array of arrays crosses once.

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::model::Post;
use crate::store::json::JsonColumn;

/// A post as `json_array` of its columns gives it, in `Post::TABLE` order
/// (a test in `store::tests` lists a post whose every column differs).
#[derive(Deserialize)]
struct PostColumns(
    String,
    i64,
    i64,
    i64,
    i64,
    SqlBool,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
);

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
    let PostColumns(
        id,
        create_at,
        update_at,
        edit_at,
        delete_at,
        SqlBool(is_pinned),
        user_id,
        channel_id,
        root_id,
        original_id,
        message,
        post_type,
        props,
        hashtags,
        file_ids,
        pending_post_id,
        reply_count,
        last_reply_at,
    ) = c;
    Post {
        id,
        create_at,
        update_at,
        edit_at,
        delete_at,
        is_pinned,
        user_id,
        channel_id,
        root_id,
        original_id,
        message,
        post_type,
        props: JsonColumn::from_column(&props),
        hashtags,
        file_ids: JsonColumn::from_column(&file_ids),
        pending_post_id,
        reply_count,
        last_reply_at,
    }
}
