//! Bulk import (compiled once per dialect): batches of rows in multi-row
//! inserts that skip what is already stored, and the recount of a channel
//! once its history is in.

use super::prelude::*;

/// Rows per multi-row `INSERT`: well under both databases' limits on bound
/// parameters (18 columns × 500).
const ROWS_PER_INSERT: usize = 500;

// What hangs off a post goes in only where the post did. (The checks are
// scalar sub-selects with LIMIT 1, not EXISTS: PostgreSQL would turn EXISTS
// into a join over the whole posts table.)
const POST_STORED: &str = "(SELECT 1 FROM posts p WHERE p.id = v.post_id LIMIT 1) IS NOT NULL";

/// A post already here under another id (made before the import, or
/// exported from this server) is recognised by its channel, author and time.
const NOT_STORED_UNDER_ANOTHER_ID: &str = "(SELECT 1 FROM posts p WHERE \
     p.channel_id = v.channel_id AND p.create_at = v.create_at AND p.user_id = v.user_id \
     AND p.id <> v.id LIMIT 1) IS NULL";

/// Replies go in only where their root is stored (not where it was skipped
/// as already here under another id).
const ROOT_STORED: &str = "(SELECT 1 FROM posts r WHERE r.id = v.root_id LIMIT 1) IS NOT NULL";

/// Inserts `records` in chunks, returning how many rows were new.
async fn insert_chunks<M: Record + Sync>(
    tx: &mut sqlx::Transaction<'_, Db>,
    records: &[&M],
    filter: &str,
    keys: &str,
) -> Result<u64> {
    let mut inserted = 0;
    for chunk in records.chunks(ROWS_PER_INSERT) {
        let mut q = insert_new(chunk.iter().copied(), filter, keys);
        inserted += q.build().execute(&mut **tx).await?.rows_affected();
    }
    Ok(inserted)
}

/// Inserts posts in chunks like `insert_chunks`; where the dialect stores
/// words the importer computes (`BULK_POST_WORDS`), with them.
async fn insert_post_chunks(
    tx: &mut sqlx::Transaction<'_, Db>,
    posts: &[&Post],
    filter: &str,
) -> Result<u64> {
    if !super::super::BULK_POST_WORDS {
        return insert_chunks(tx, posts, filter, "id").await;
    }
    let mut inserted = 0;
    for chunk in posts.chunks(ROWS_PER_INSERT) {
        let mut q = insert_new_posts_with_words(chunk.iter().copied(), filter, "id");
        inserted += q.build().execute(&mut **tx).await?.rows_affected();
    }
    Ok(inserted)
}

fn refs<T>(items: &[T]) -> Vec<&T> {
    items.iter().collect()
}

#[async_trait]
impl BulkStore for Backend {
    async fn import_batch(&self, batch: &ImportBatch) -> Result<u64> {
        let (roots, replies): (Vec<&Post>, Vec<&Post>) =
            batch.posts.iter().partition(|p| p.root_id.is_empty());
        let reply_filter = format!("{NOT_STORED_UNDER_ANOTHER_ID} AND {ROOT_STORED}");
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        let mut new_posts =
            insert_post_chunks(&mut tx, &roots, NOT_STORED_UNDER_ANOTHER_ID).await?;
        new_posts += insert_post_chunks(&mut tx, &replies, &reply_filter).await?;
        let reactions = "post_id, user_id, emoji_name";
        insert_chunks(&mut tx, &refs(&batch.reactions), POST_STORED, reactions).await?;
        insert_chunks(&mut tx, &refs(&batch.files), POST_STORED, "id").await?;
        // Flags are preferences named by the flagged post's id.
        let flag_stored = "(SELECT 1 FROM posts p WHERE p.id = v.name LIMIT 1) IS NOT NULL";
        let preference_keys = "user_id, category, name";
        insert_chunks(
            &mut tx,
            &refs(&batch.preferences),
            flag_stored,
            preference_keys,
        )
        .await?;
        insert_chunks(
            &mut tx,
            &refs(&batch.followers),
            POST_STORED,
            "post_id, user_id",
        )
        .await?;
        tx.commit().await?;
        Ok(new_posts)
    }

    async fn refresh_statistics(&self) -> Result<()> {
        let mut writer = self.writer().await?;
        sqlx::Executor::execute(
            &mut *writer,
            sqlx::raw_sql(super::super::REFRESH_STATISTICS),
        )
        .await?;
        Ok(())
    }

    async fn settle_imported_channel(&self, channel_id: &str) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        sqlx::query(&format!(
            "UPDATE posts SET reply_count = t.n, last_reply_at = t.last, \
             update_at = {GREATEST}(posts.update_at, t.last) \
             FROM (SELECT root_id, COUNT(*) AS n, MAX(create_at) AS last FROM posts \
                   WHERE channel_id = $1 AND root_id <> '' AND original_id = '' AND delete_at = 0 \
                   GROUP BY root_id) AS t \
             WHERE posts.id = t.root_id"
        ))
        .bind(channel_id)
        .execute(&mut *tx)
        .await?;
        // Every post ever made counts (deleting one does not uncount it), as
        // when posts are made one by one.
        sqlx::query(
            "UPDATE channels SET \
             total_msg_count = (SELECT COUNT(*) FROM posts WHERE channel_id = $1 AND original_id = ''), \
             total_msg_count_root = (SELECT COUNT(*) FROM posts WHERE channel_id = $1 \
                 AND original_id = '' AND root_id = ''), \
             last_post_at = (SELECT COALESCE(MAX(create_at), 0) FROM posts \
                 WHERE channel_id = $1 AND original_id = ''), \
             last_root_post_at = (SELECT COALESCE(MAX(create_at), 0) FROM posts \
                 WHERE channel_id = $1 AND original_id = '' AND root_id = '') \
             WHERE id = $1",
        )
        .bind(channel_id)
        .execute(&mut *tx)
        .await?;
        clear_counter_shards(&mut tx, channel_id).await?;
        sqlx::query(&format!(
            "UPDATE channel_members SET msg_count = c.total_msg_count, \
             msg_count_root = c.total_msg_count_root, mention_count = 0, mention_count_root = 0, \
             urgent_mention_count = 0, \
             last_viewed_at = {GREATEST}(channel_members.last_viewed_at, c.last_post_at) \
             FROM channels AS c WHERE c.id = $1 AND channel_members.channel_id = $1"
        ))
        .bind(channel_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
