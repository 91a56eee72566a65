//! Reactions and custom emoji (compiled once per dialect).

use super::prelude::*;

record!(Reaction in "reactions" {
    user_id, post_id, emoji_name, channel_id, create_at, update_at, delete_at,
});

record!(Emoji in "emoji" {
    id, create_at, update_at, delete_at, creator_id, name,
});

/// A post's reactions are part of it: clients syncing by `update_at` must
/// see the post change when they do.
async fn touch_post(tx: &mut sqlx::Transaction<'_, Db>, post_id: &str, at: i64) -> Result<()> {
    sqlx::query("UPDATE posts SET update_at = $2 WHERE id = $1 AND update_at < $2")
        .bind(post_id)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[async_trait]
impl ReactionStore for Backend {
    async fn save_reaction(&self, r: &Reaction) -> Result<()> {
        // Saving a reaction that was taken back brings it back.
        let live = Reaction {
            delete_at: 0,
            ..r.clone()
        };
        let sql =
            Reaction::TABLE.upsert("post_id, user_id, emoji_name", &["delete_at", "update_at"]);
        self.write_job(move |writer| {
            Box::pin(async move {
                let mut tx = writer.begin().await?;
                live.bind_to(sqlx::query(&sql)).execute(&mut *tx).await?;
                touch_post(&mut tx, &live.post_id, live.update_at).await?;
                tx.commit().await?;
                Ok(())
            })
        })
        .await
    }

    async fn delete_reaction(
        &self,
        post_id: &str,
        user_id: &str,
        emoji: &str,
        at: i64,
    ) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        let done = sqlx::query(
            "UPDATE reactions SET delete_at = $4, update_at = $4 \
             WHERE post_id = $1 AND user_id = $2 AND emoji_name = $3 AND delete_at = 0",
        )
        .bind(post_id)
        .bind(user_id)
        .bind(emoji)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        changed(done, "reaction")?;
        touch_post(&mut tx, post_id, at).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn list_reactions(&self, post_id: &str) -> Result<Vec<Reaction>> {
        self.list_reactions_for_posts(&[post_id.to_string()]).await
    }

    async fn list_reactions_for_posts(&self, post_ids: &[String]) -> Result<Vec<Reaction>> {
        let head = format!("{} WHERE delete_at = 0 AND ", Reaction::TABLE.select());
        let order = "ORDER BY create_at, user_id, emoji_name";
        fetch_in(
            &mut *self.reader().await?,
            &head,
            "post_id",
            post_ids,
            order,
        )
        .await
    }

    async fn create_emoji(&self, e: &Emoji, content_type: &str, image: &[u8]) -> Result<()> {
        e.bind_to(sqlx::query(
            &Emoji::TABLE.insert_with(&["content_type", "image"]),
        ))
        .bind(content_type)
        .bind(image)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(())
    }

    async fn get_emoji(&self, key: &str, by_name: bool) -> Result<Emoji> {
        let condition = if by_name {
            "name = $1 AND delete_at = 0"
        } else {
            "id = $1 AND delete_at = 0"
        };
        find(&mut *self.reader().await?, condition, &[key], "emoji").await
    }

    async fn get_emoji_image(&self, id: &str) -> Result<(String, Vec<u8>)> {
        sqlx::query_as("SELECT content_type, image FROM emoji WHERE id = $1 AND delete_at = 0")
            .bind(id)
            .fetch_one(&mut *self.reader().await?)
            .await
            .map_err(missing("emoji"))
    }

    async fn list_emoji(&self, prefix: &str, offset: i64, limit: i64) -> Result<Vec<Emoji>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE delete_at = 0 AND name LIKE $1 ESCAPE '\\' ORDER BY name LIMIT $2 OFFSET $3",
            Emoji::TABLE.select()
        ))
        .bind(like_pattern("", prefix, "%"))
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn delete_emoji(&self, id: &str, at: i64) -> Result<()> {
        let done = sqlx::query(
            "UPDATE emoji SET delete_at = $2, update_at = $2 WHERE id = $1 AND delete_at = 0",
        )
        .bind(id)
        .bind(at)
        .execute(&mut *self.writer().await?)
        .await?;
        changed(done, "emoji")
    }
}
