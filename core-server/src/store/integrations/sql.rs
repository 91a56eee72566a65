//! Personal access tokens, bots and incoming webhooks (compiled once per dialect).

use super::prelude::*;
use super::users::insert_session;

record!(UserAccessToken in "user_access_tokens" {
    id, token_hash, user_id, description, is_active, create_at,
});

record!(IncomingWebhook in "incoming_webhooks" {
    id, create_at, update_at, delete_at, user_id, channel_id, team_id, display_name,
    description, username, icon_url, channel_locked,
});

// A bot is its `bots` row and its user's name.
from_row!(Bot {
    user_id,
    username,
    display_name,
    description,
    owner_id,
    create_at,
    update_at,
    delete_at,
    last_icon_update,
});

/// The columns of [`Bot`], from `bots b JOIN users u ON u.id = b.user_id`.
const BOT_SELECT: &str = "SELECT b.user_id, u.username, b.display_name, b.description, \
     b.owner_id, b.create_at, b.update_at, b.delete_at, b.last_icon_update \
     FROM bots b JOIN users u ON u.id = b.user_id";

/// Drops the session of a token (by the token's hash), within a larger write.
async fn insert_bot(tx: &mut sqlx::Transaction<'_, Db>, bot: &Bot) -> Result<()> {
    sqlx::query(
        "INSERT INTO bots (user_id, display_name, description, owner_id, create_at, \
         update_at, delete_at, last_icon_update) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&bot.user_id)
    .bind(&bot.display_name)
    .bind(&bot.description)
    .bind(&bot.owner_id)
    .bind(bot.create_at)
    .bind(bot.update_at)
    .bind(bot.delete_at)
    .bind(bot.last_icon_update)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn delete_token_session(tx: &mut sqlx::Transaction<'_, Db>, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[async_trait]
impl IntegrationStore for Backend {
    async fn create_access_token(&self, t: &UserAccessToken, session: &Session) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        t.bind_to(sqlx::query(&UserAccessToken::TABLE.insert()))
            .execute(&mut *tx)
            .await?;
        insert_session(&mut tx, session).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_access_token(&self, id: &str) -> Result<UserAccessToken> {
        find(&mut *self.reader().await?, "id = $1", &[id], "access token").await
    }

    async fn get_access_token_by_hash(&self, token_hash: &str) -> Result<Option<UserAccessToken>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE token_hash = $1",
            UserAccessToken::TABLE.select()
        ))
        .bind(token_hash)
        .fetch_optional(&mut *self.reader().await?)
        .await?)
    }

    async fn list_access_tokens(&self, user_id: &str) -> Result<Vec<UserAccessToken>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE user_id = $1 ORDER BY create_at DESC, id",
            UserAccessToken::TABLE.select()
        ))
        .bind(user_id)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn list_all_access_tokens(
        &self,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<UserAccessToken>> {
        Ok(sqlx::query_as(&format!(
            "{} ORDER BY id LIMIT $1 OFFSET $2",
            UserAccessToken::TABLE.select()
        ))
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn search_access_tokens(&self, term: &str) -> Result<Vec<UserAccessToken>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {} FROM user_access_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.id = $1 OR t.user_id = $1 OR u.username = $1 ORDER BY t.id",
            UserAccessToken::TABLE.columns_of("t")
        ))
        .bind(term)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn set_access_token_active(
        &self,
        id: &str,
        active: bool,
        session: Option<&Session>,
    ) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        let hash: Option<String> = sqlx::query_scalar(
            "UPDATE user_access_tokens SET is_active = $2 WHERE id = $1 RETURNING token_hash",
        )
        .bind(id)
        .bind(active)
        .fetch_optional(&mut *tx)
        .await?;
        let hash = hash.ok_or_else(|| Error::not_found("access token"))?;
        delete_token_session(&mut tx, &hash).await?;
        if let (true, Some(s)) = (active, session) {
            insert_session(&mut tx, s).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn delete_access_token(&self, id: &str) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        let hash: Option<String> =
            sqlx::query_scalar("DELETE FROM user_access_tokens WHERE id = $1 RETURNING token_hash")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let hash = hash.ok_or_else(|| Error::not_found("access token"))?;
        delete_token_session(&mut tx, &hash).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_bot(&self, u: &User, bot: &Bot) -> Result<()> {
        // The bot's user and its bot row go in together or not at all.
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        u.bind_to(sqlx::query(&User::TABLE.insert()))
            .execute(&mut *tx)
            .await?;
        insert_bot(&mut tx, bot).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_account_kind(&self, user_id: &str, bot: Option<&Bot>, at: i64) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        let done = sqlx::query("UPDATE users SET is_bot = $2, update_at = $3 WHERE id = $1")
            .bind(user_id)
            .bind(bot.is_some())
            .bind(at)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found("user"));
        }
        match bot {
            Some(bot) => insert_bot(&mut tx, bot).await?,
            None => {
                sqlx::query("DELETE FROM bots WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn get_bot(&self, user_id: &str) -> Result<Bot> {
        sqlx::query_as(&format!("{BOT_SELECT} WHERE b.user_id = $1"))
            .bind(user_id)
            .fetch_one(&mut *self.reader().await?)
            .await
            .map_err(missing("bot"))
    }

    async fn list_bots(
        &self,
        owner_id: Option<&str>,
        include_deleted: bool,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Bot>> {
        let mut q = QueryBuilder::<Db>::new(format!("{BOT_SELECT} WHERE 1 = 1"));
        if let Some(owner) = owner_id {
            q.push(" AND b.owner_id = ");
            q.push_bind(owner);
        }
        if !include_deleted {
            q.push(" AND b.delete_at = 0");
        }
        q.push(" ORDER BY u.username LIMIT ");
        q.push_bind(limit);
        q.push(" OFFSET ");
        q.push_bind(offset);
        Ok(q.build_query_as()
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn update_bot(&self, bot: &Bot) -> Result<()> {
        let done = sqlx::query(
            "UPDATE bots SET display_name = $2, description = $3, owner_id = $4, \
             update_at = $5, delete_at = $6, last_icon_update = $7 WHERE user_id = $1",
        )
        .bind(&bot.user_id)
        .bind(&bot.display_name)
        .bind(&bot.description)
        .bind(&bot.owner_id)
        .bind(bot.update_at)
        .bind(bot.delete_at)
        .bind(bot.last_icon_update)
        .execute(&mut *self.writer().await?)
        .await?;
        changed(done, "bot")
    }

    async fn create_incoming_webhook(&self, h: &IncomingWebhook) -> Result<()> {
        h.bind_to(sqlx::query(&IncomingWebhook::TABLE.insert()))
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn get_incoming_webhook(&self, id: &str) -> Result<IncomingWebhook> {
        find(
            &mut *self.reader().await?,
            "id = $1",
            &[id],
            "incoming webhook",
        )
        .await
    }

    async fn list_incoming_webhooks(
        &self,
        team_id: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<IncomingWebhook>> {
        let mut q = QueryBuilder::<Db>::new(format!(
            "{} WHERE delete_at = 0",
            IncomingWebhook::TABLE.select()
        ));
        if let Some(team) = team_id {
            q.push(" AND team_id = ");
            q.push_bind(team);
        }
        q.push(" ORDER BY create_at, id LIMIT ");
        q.push_bind(limit);
        q.push(" OFFSET ");
        q.push_bind(offset);
        Ok(q.build_query_as()
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn update_incoming_webhook(&self, h: &IncomingWebhook) -> Result<()> {
        let sql = IncomingWebhook::TABLE.update(
            &["id"],
            &[
                "update_at",
                "delete_at",
                "channel_id",
                "display_name",
                "description",
                "username",
                "icon_url",
                "channel_locked",
            ],
        );
        changed(
            h.bind_to(sqlx::query(&sql))
                .execute(&mut *self.writer().await?)
                .await?,
            "incoming webhook",
        )
    }
}
