// The SQL of both backends. This file is included by `sqlite.rs` and
// `postgres.rs`, each of which defines `Db`, `Backend` and `BACKEND` first;
// everything here is written to the dialect subset the two share.

use async_trait::async_trait;
use sqlx::QueryBuilder;

use super::rows::*;
use super::{ImportBatch, PostCursor, PostSearch, Store};
use crate::model::*;

/// Rows per multi-row `INSERT` of an import: well under both databases'
/// limits on bound parameters (18 columns × 500).
const IMPORT_ROWS_PER_INSERT: usize = 500;

type PushJobRow = (String, String, String, String, i64, i64, i64);

fn push_job((id, user_id, session_id, payload, attempts, next_attempt_at, create_at): PushJobRow) -> PushJob {
    PushJob {
        id,
        user_id,
        session_id,
        payload,
        attempts,
        next_attempt_at,
        create_at,
    }
}

/// A row was expected to exist but did not.
fn missing(entity: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
    move |e| match e {
        sqlx::Error::RowNotFound => Error::not_found(entity),
        other => Error::from(other),
    }
}

async fn insert_channel_member<'c>(
    tx: &mut sqlx::Transaction<'c, Db>,
    m: &ChannelMember,
) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO channel_members ({CHANNEL_MEMBER_COLS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (channel_id, user_id) DO UPDATE SET roles = excluded.roles, \
         notify_props = excluded.notify_props, last_update_at = excluded.last_update_at"
    ))
    .bind(&m.channel_id)
    .bind(&m.user_id)
    .bind(&m.roles)
    .bind(m.last_viewed_at)
    .bind(m.msg_count)
    .bind(m.mention_count)
    .bind(m.mention_count_root)
    .bind(m.urgent_mention_count)
    .bind(m.msg_count_root)
    .bind(to_json(&m.notify_props))
    .bind(m.last_update_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn insert_channel<'c>(tx: &mut sqlx::Transaction<'c, Db>, c: &Channel) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO channels ({CHANNEL_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         $11, $12, $13, $14, $15, $16, $17, $18, $19)"
    ))
    .bind(&c.id)
    .bind(c.create_at)
    .bind(c.update_at)
    .bind(c.delete_at)
    .bind(&c.team_id)
    .bind(&c.channel_type)
    .bind(&c.display_name)
    .bind(&c.name)
    .bind(&c.header)
    .bind(&c.purpose)
    .bind(c.last_post_at)
    .bind(c.last_root_post_at)
    .bind(c.total_msg_count)
    .bind(c.total_msg_count_root)
    .bind(&c.creator_id)
    .bind(to_json(&c.props))
    .bind(c.extra_update_at)
    .bind(c.group_constrained)
    .bind(c.shared)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_team_member<'c>(tx: &mut sqlx::Transaction<'c, Db>, m: &TeamMember) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO team_members ({TEAM_MEMBER_COLS}) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (team_id, user_id) DO UPDATE SET roles = excluded.roles, \
         delete_at = excluded.delete_at, update_at = excluded.update_at"
    ))
    .bind(&m.team_id)
    .bind(&m.user_id)
    .bind(&m.roles)
    .bind(m.delete_at)
    .bind(m.create_at)
    .bind(m.update_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// `INSERT` of a whole post; bind with [`bind_post`].
fn insert_post_sql() -> String {
    format!(
        "INSERT INTO posts ({POST_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
         $12, $13, $14, $15, $16, $17, $18)"
    )
}

/// Binds a post's columns as `$1`–`$18` in [`POST_COLS`] order.
fn bind_post<'q>(
    query: sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>>,
    p: &'q Post,
) -> sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>> {
    query
        .bind(&p.id)
        .bind(p.create_at)
        .bind(p.update_at)
        .bind(p.edit_at)
        .bind(p.delete_at)
        .bind(p.is_pinned)
        .bind(&p.user_id)
        .bind(&p.channel_id)
        .bind(&p.root_id)
        .bind(&p.original_id)
        .bind(&p.message)
        .bind(&p.post_type)
        .bind(to_json(&p.props))
        .bind(&p.hashtags)
        .bind(to_json(&p.file_ids))
        .bind(&p.pending_post_id)
        .bind(p.reply_count)
        .bind(p.last_reply_at)
}

async fn find_pending_post(pool: &sqlx::Pool<Db>, user_id: &str, pending: &str) -> Result<Option<Post>> {
    let row: Option<PostRow> = sqlx::query_as(&format!(
        "SELECT {POST_COLS} FROM posts WHERE user_id = $1 AND pending_post_id = $2"
    ))
    .bind(user_id)
    .bind(pending)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(Post::from))
}

async fn insert_session<'c>(tx: &mut sqlx::Transaction<'c, Db>, s: &Session) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO sessions ({SESSION_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(&s.id)
    .bind(&s.token_hash)
    .bind(&s.user_id)
    .bind(s.create_at)
    .bind(s.expires_at)
    .bind(s.last_activity_at)
    .bind(&s.device_id)
    .bind(&s.roles)
    .bind(to_json(&s.props))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[async_trait]
impl Store for Backend {
    fn backend(&self) -> &'static str {
        BACKEND
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    // ---- server-wide values

    async fn get_system_value(&self, name: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT value FROM systems WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.read)
            .await?)
    }

    async fn init_system_value(&self, name: &str, value: &str) -> Result<String> {
        sqlx::query("INSERT INTO systems (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(value)
            .execute(&self.write)
            .await?;
        Ok(sqlx::query_scalar("SELECT value FROM systems WHERE name = $1")
            .bind(name)
            .fetch_one(&self.write)
            .await?)
    }

    // ---- users

    async fn create_user(&self, u: &User, password_hash: Option<&str>) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO users ({USER_COLS}, password_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, \
             $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)"
        ))
        .bind(&u.id)
        .bind(u.create_at)
        .bind(u.update_at)
        .bind(u.delete_at)
        .bind(&u.username)
        .bind(&u.email)
        .bind(u.email_verified)
        .bind(&u.nickname)
        .bind(&u.first_name)
        .bind(&u.last_name)
        .bind(&u.position)
        .bind(&u.roles)
        .bind(to_json(&u.props))
        .bind(to_json(&u.notify_props))
        .bind(to_json(&u.timezone))
        .bind(&u.locale)
        .bind(u.last_password_update)
        .bind(u.last_picture_update)
        .bind(u.last_activity_at)
        .bind(u.is_bot)
        .bind(&u.bot_description)
        .bind(&u.auth_service)
        .bind(&u.auth_data)
        .bind(u.mfa_active)
        .bind(password_hash)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    async fn get_user(&self, id: &str) -> Result<User> {
        let row: UserRow = sqlx::query_as(&format!("SELECT {USER_COLS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_one(&self.read)
            .await
            .map_err(missing("user"))?;
        Ok(row.into())
    }

    async fn get_user_by_username(&self, username: &str) -> Result<User> {
        let row: UserRow =
            sqlx::query_as(&format!("SELECT {USER_COLS} FROM users WHERE username = $1"))
                .bind(username)
                .fetch_one(&self.read)
                .await
                .map_err(missing("user"))?;
        Ok(row.into())
    }

    async fn get_user_by_email(&self, email: &str) -> Result<User> {
        let row: UserRow = sqlx::query_as(&format!("SELECT {USER_COLS} FROM users WHERE email = $1"))
            .bind(email)
            .fetch_one(&self.read)
            .await
            .map_err(missing("user"))?;
        Ok(row.into())
    }

    async fn get_users_by_ids(&self, ids: &[String]) -> Result<Vec<User>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = QueryBuilder::<Db>::new(format!("SELECT {USER_COLS} FROM users WHERE id IN ("));
        let mut list = query.separated(", ");
        for id in ids {
            list.push_bind(id);
        }
        list.push_unseparated(")");
        let rows: Vec<UserRow> = query.build_query_as().fetch_all(&self.read).await?;
        Ok(rows.into_iter().map(User::from).collect())
    }

    async fn list_users(&self, after_id: Option<&str>, limit: i64) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLS} FROM users WHERE id > $1 ORDER BY id LIMIT $2"
        ))
        .bind(after_id.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(User::from).collect())
    }

    async fn update_user(&self, u: &User) -> Result<()> {
        let done = sqlx::query(
            "UPDATE users SET update_at = $2, delete_at = $3, username = $4, email = $5, \
             email_verified = $6, nickname = $7, first_name = $8, last_name = $9, position = $10, \
             roles = $11, props = $12, notify_props = $13, timezone = $14, locale = $15, \
             last_picture_update = $16, last_activity_at = $17, bot_description = $18, \
             auth_service = $19, auth_data = $20, mfa_active = $21 WHERE id = $1",
        )
        .bind(&u.id)
        .bind(u.update_at)
        .bind(u.delete_at)
        .bind(&u.username)
        .bind(&u.email)
        .bind(u.email_verified)
        .bind(&u.nickname)
        .bind(&u.first_name)
        .bind(&u.last_name)
        .bind(&u.position)
        .bind(&u.roles)
        .bind(to_json(&u.props))
        .bind(to_json(&u.notify_props))
        .bind(to_json(&u.timezone))
        .bind(&u.locale)
        .bind(u.last_picture_update)
        .bind(u.last_activity_at)
        .bind(&u.bot_description)
        .bind(&u.auth_service)
        .bind(&u.auth_data)
        .bind(u.mfa_active)
        .execute(&self.write)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found("user"));
        }
        Ok(())
    }

    async fn get_password_hash(&self, user_id: &str) -> Result<Option<String>> {
        let hash: Option<String> =
            sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_one(&self.read)
                .await
                .map_err(missing("user"))?;
        Ok(hash)
    }

    async fn set_password_hash(&self, user_id: &str, hash: &str, at: i64) -> Result<()> {
        let done = sqlx::query(
            "UPDATE users SET password_hash = $2, last_password_update = $3, update_at = $3 WHERE id = $1",
        )
        .bind(user_id)
        .bind(hash)
        .bind(at)
        .execute(&self.write)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found("user"));
        }
        Ok(())
    }

    async fn count_users(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.read)
            .await?)
    }

    async fn get_users_by_usernames(&self, usernames: &[String]) -> Result<Vec<User>> {
        if usernames.is_empty() {
            return Ok(Vec::new());
        }
        let mut query =
            QueryBuilder::<Db>::new(format!("SELECT {USER_COLS} FROM users WHERE username IN ("));
        let mut list = query.separated(", ");
        for name in usernames {
            list.push_bind(name);
        }
        list.push_unseparated(")");
        let rows: Vec<UserRow> = query.build_query_as().fetch_all(&self.read).await?;
        Ok(rows.into_iter().map(User::from).collect())
    }

    async fn list_team_users(&self, team_id: &str, offset: i64, limit: i64) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLS} FROM users WHERE id IN \
             (SELECT user_id FROM team_members WHERE team_id = $1 AND delete_at = 0) \
             ORDER BY username LIMIT $2 OFFSET $3"
        ))
        .bind(team_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(User::from).collect())
    }

    async fn list_channel_users(&self, channel_id: &str, offset: i64, limit: i64) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLS} FROM users WHERE id IN \
             (SELECT user_id FROM channel_members WHERE channel_id = $1) \
             ORDER BY username LIMIT $2 OFFSET $3"
        ))
        .bind(channel_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(User::from).collect())
    }

    async fn search_users(&self, term: &str, team_id: Option<&str>, limit: i64) -> Result<Vec<User>> {
        // LIKE wildcards in the term are matched literally.
        let escaped = term.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let pattern = format!("{escaped}%");
        let base = format!(
            "SELECT {USER_COLS} FROM users WHERE delete_at = 0 AND (username LIKE $1 ESCAPE '\\' \
             OR LOWER(first_name) LIKE $1 ESCAPE '\\' OR LOWER(last_name) LIKE $1 ESCAPE '\\' \
             OR LOWER(nickname) LIKE $1 ESCAPE '\\')"
        );
        let rows: Vec<UserRow> = match team_id {
            Some(team_id) => {
                sqlx::query_as(&format!(
                    "{base} AND id IN (SELECT user_id FROM team_members WHERE team_id = $3 \
                     AND delete_at = 0) ORDER BY username LIMIT $2"
                ))
                .bind(&pattern)
                .bind(limit)
                .bind(team_id)
                .fetch_all(&self.read)
                .await?
            }
            None => {
                sqlx::query_as(&format!("{base} ORDER BY username LIMIT $2"))
                    .bind(&pattern)
                    .bind(limit)
                    .fetch_all(&self.read)
                    .await?
            }
        };
        Ok(rows.into_iter().map(User::from).collect())
    }

    // ---- sessions

    async fn create_session(&self, s: &Session) -> Result<()> {
        let mut tx = self.write.begin().await?;
        insert_session(&mut tx, s).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_session_with_user(&self, token_hash: &str) -> Result<(Session, User)> {
        let row: SessionUserRow = sqlx::query_as(&format!(
            "SELECT {} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
            session_user_cols()
        ))
        .bind(token_hash)
        .fetch_one(&self.read)
        .await
        .map_err(missing("session"))?;
        Ok(row.into())
    }

    async fn list_sessions(&self, user_id: &str) -> Result<Vec<Session>> {
        let rows: Vec<SessionRow> = sqlx::query_as(&format!(
            "SELECT {SESSION_COLS} FROM sessions WHERE user_id = $1 ORDER BY create_at DESC"
        ))
        .bind(user_id)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(Session::from).collect())
    }

    async fn delete_session(&self, id: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn set_session_device(&self, id: &str, device_id: &str) -> Result<()> {
        sqlx::query("UPDATE sessions SET device_id = $2 WHERE id = $1")
            .bind(id)
            .bind(device_id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn delete_user_sessions(&self, user_id: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    // ---- personal access tokens and bots

    async fn create_access_token(&self, t: &UserAccessToken, session: &Session) -> Result<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query(&format!(
            "INSERT INTO user_access_tokens ({TOKEN_COLS}) VALUES ($1, $2, $3, $4, $5, $6)"
        ))
        .bind(&t.id)
        .bind(&t.token_hash)
        .bind(&t.user_id)
        .bind(&t.description)
        .bind(t.is_active)
        .bind(t.create_at)
        .execute(&mut *tx)
        .await?;
        insert_session(&mut tx, session).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_access_token(&self, id: &str) -> Result<UserAccessToken> {
        let row: TokenRow = sqlx::query_as(&format!(
            "SELECT {TOKEN_COLS} FROM user_access_tokens WHERE id = $1"
        ))
        .bind(id)
        .fetch_one(&self.read)
        .await
        .map_err(missing("access token"))?;
        Ok(row.into())
    }

    async fn get_access_token_by_hash(&self, token_hash: &str) -> Result<Option<UserAccessToken>> {
        let row: Option<TokenRow> = sqlx::query_as(&format!(
            "SELECT {TOKEN_COLS} FROM user_access_tokens WHERE token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.read)
        .await?;
        Ok(row.map(UserAccessToken::from))
    }

    async fn list_access_tokens(&self, user_id: &str) -> Result<Vec<UserAccessToken>> {
        let rows: Vec<TokenRow> = sqlx::query_as(&format!(
            "SELECT {TOKEN_COLS} FROM user_access_tokens WHERE user_id = $1 ORDER BY create_at DESC, id"
        ))
        .bind(user_id)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(UserAccessToken::from).collect())
    }

    async fn set_access_token_active(&self, id: &str, active: bool, session: Option<&Session>) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let hash: Option<String> =
            sqlx::query_scalar("UPDATE user_access_tokens SET is_active = $2 WHERE id = $1 RETURNING token_hash")
                .bind(id)
                .bind(active)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(hash) = hash else {
            return Err(Error::not_found("access token"));
        };
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
        if let (true, Some(s)) = (active, session) {
            insert_session(&mut tx, s).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn delete_access_token(&self, id: &str) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let hash: Option<String> =
            sqlx::query_scalar("DELETE FROM user_access_tokens WHERE id = $1 RETURNING token_hash")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(hash) = hash else {
            return Err(Error::not_found("access token"));
        };
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_bot(&self, u: &User, bot: &Bot) -> Result<()> {
        self.create_user(u, None).await?;
        let saved = sqlx::query(
            "INSERT INTO bots (user_id, display_name, description, owner_id, create_at, update_at, \
             delete_at, last_icon_update) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&bot.user_id)
        .bind(&bot.display_name)
        .bind(&bot.description)
        .bind(&bot.owner_id)
        .bind(bot.create_at)
        .bind(bot.update_at)
        .bind(bot.delete_at)
        .bind(bot.last_icon_update)
        .execute(&self.write)
        .await;
        if let Err(e) = saved {
            // Keep no user without its bot row.
            sqlx::query("DELETE FROM users WHERE id = $1").bind(&u.id).execute(&self.write).await?;
            return Err(e.into());
        }
        Ok(())
    }

    async fn get_bot(&self, user_id: &str) -> Result<Bot> {
        let row: BotRow = sqlx::query_as(&format!(
            "SELECT {BOT_COLS} FROM bots b JOIN users u ON u.id = b.user_id WHERE b.user_id = $1"
        ))
        .bind(user_id)
        .fetch_one(&self.read)
        .await
        .map_err(missing("bot"))?;
        Ok(row.into())
    }

    async fn list_bots(&self, owner_id: Option<&str>, include_deleted: bool, offset: i64, limit: i64) -> Result<Vec<Bot>> {
        let mut q = QueryBuilder::<Db>::new(format!(
            "SELECT {BOT_COLS} FROM bots b JOIN users u ON u.id = b.user_id WHERE 1 = 1"
        ));
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
        let rows: Vec<BotRow> = q.build_query_as().fetch_all(&self.read).await?;
        Ok(rows.into_iter().map(Bot::from).collect())
    }

    async fn update_bot(&self, bot: &Bot) -> Result<()> {
        let done = sqlx::query(
            "UPDATE bots SET display_name = $2, description = $3, owner_id = $4, update_at = $5, \
             delete_at = $6, last_icon_update = $7 WHERE user_id = $1",
        )
        .bind(&bot.user_id)
        .bind(&bot.display_name)
        .bind(&bot.description)
        .bind(&bot.owner_id)
        .bind(bot.update_at)
        .bind(bot.delete_at)
        .bind(bot.last_icon_update)
        .execute(&self.write)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found("bot"));
        }
        Ok(())
    }

    // ---- incoming webhooks

    async fn create_incoming_webhook(&self, h: &IncomingWebhook) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO incoming_webhooks ({HOOK_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        ))
        .bind(&h.id)
        .bind(h.create_at)
        .bind(h.update_at)
        .bind(h.delete_at)
        .bind(&h.user_id)
        .bind(&h.channel_id)
        .bind(&h.team_id)
        .bind(&h.display_name)
        .bind(&h.description)
        .bind(&h.username)
        .bind(&h.icon_url)
        .bind(h.channel_locked)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    async fn get_incoming_webhook(&self, id: &str) -> Result<IncomingWebhook> {
        let row: HookRow = sqlx::query_as(&format!("SELECT {HOOK_COLS} FROM incoming_webhooks WHERE id = $1"))
            .bind(id)
            .fetch_one(&self.read)
            .await
            .map_err(missing("incoming webhook"))?;
        Ok(row.into())
    }

    async fn list_incoming_webhooks(&self, team_id: Option<&str>, offset: i64, limit: i64) -> Result<Vec<IncomingWebhook>> {
        let mut q = QueryBuilder::<Db>::new(format!("SELECT {HOOK_COLS} FROM incoming_webhooks WHERE delete_at = 0"));
        if let Some(team) = team_id {
            q.push(" AND team_id = ");
            q.push_bind(team);
        }
        q.push(" ORDER BY create_at, id LIMIT ");
        q.push_bind(limit);
        q.push(" OFFSET ");
        q.push_bind(offset);
        let rows: Vec<HookRow> = q.build_query_as().fetch_all(&self.read).await?;
        Ok(rows.into_iter().map(IncomingWebhook::from).collect())
    }

    async fn update_incoming_webhook(&self, h: &IncomingWebhook) -> Result<()> {
        let done = sqlx::query(
            "UPDATE incoming_webhooks SET update_at = $2, delete_at = $3, channel_id = $4, display_name = $5, \
             description = $6, username = $7, icon_url = $8, channel_locked = $9 WHERE id = $1",
        )
        .bind(&h.id)
        .bind(h.update_at)
        .bind(h.delete_at)
        .bind(&h.channel_id)
        .bind(&h.display_name)
        .bind(&h.description)
        .bind(&h.username)
        .bind(&h.icon_url)
        .bind(h.channel_locked)
        .execute(&self.write)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found("incoming webhook"));
        }
        Ok(())
    }

    // ---- teams

    async fn create_team(
        &self,
        t: &Team,
        channels: &[Channel],
        member: Option<&TeamMember>,
        channel_members: &[ChannelMember],
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query(&format!(
            "INSERT INTO teams ({TEAM_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
             $12, $13, $14)"
        ))
        .bind(&t.id)
        .bind(t.create_at)
        .bind(t.update_at)
        .bind(t.delete_at)
        .bind(&t.display_name)
        .bind(&t.name)
        .bind(&t.description)
        .bind(&t.email)
        .bind(&t.team_type)
        .bind(&t.company_name)
        .bind(&t.allowed_domains)
        .bind(&t.invite_id)
        .bind(t.allow_open_invite)
        .bind(t.last_team_icon_update)
        .execute(&mut *tx)
        .await?;
        for channel in channels {
            insert_channel(&mut tx, channel).await?;
        }
        if let Some(member) = member {
            upsert_team_member(&mut tx, member).await?;
        }
        for m in channel_members {
            insert_channel_member(&mut tx, m).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn get_team(&self, id: &str) -> Result<Team> {
        let row: TeamRow = sqlx::query_as(&format!("SELECT {TEAM_COLS} FROM teams WHERE id = $1"))
            .bind(id)
            .fetch_one(&self.read)
            .await
            .map_err(missing("team"))?;
        Ok(row.into())
    }

    async fn get_team_by_name(&self, name: &str) -> Result<Team> {
        let row: TeamRow = sqlx::query_as(&format!("SELECT {TEAM_COLS} FROM teams WHERE name = $1"))
            .bind(name)
            .fetch_one(&self.read)
            .await
            .map_err(missing("team"))?;
        Ok(row.into())
    }

    async fn get_team_by_invite(&self, invite_id: &str) -> Result<Team> {
        let row: TeamRow = sqlx::query_as(&format!(
            "SELECT {TEAM_COLS} FROM teams WHERE invite_id = $1 AND delete_at = 0"
        ))
        .bind(invite_id)
        .fetch_one(&self.read)
        .await
        .map_err(missing("team"))?;
        Ok(row.into())
    }

    async fn update_team(&self, t: &Team) -> Result<()> {
        let done = sqlx::query(
            "UPDATE teams SET update_at = $2, delete_at = $3, display_name = $4, description = $5, \
             email = $6, team_type = $7, company_name = $8, allowed_domains = $9, invite_id = $10, \
             allow_open_invite = $11, last_team_icon_update = $12 WHERE id = $1",
        )
        .bind(&t.id)
        .bind(t.update_at)
        .bind(t.delete_at)
        .bind(&t.display_name)
        .bind(&t.description)
        .bind(&t.email)
        .bind(&t.team_type)
        .bind(&t.company_name)
        .bind(&t.allowed_domains)
        .bind(&t.invite_id)
        .bind(t.allow_open_invite)
        .bind(t.last_team_icon_update)
        .execute(&self.write)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found("team"));
        }
        Ok(())
    }

    async fn list_teams(&self, after_id: Option<&str>, limit: i64) -> Result<Vec<Team>> {
        let rows: Vec<TeamRow> = sqlx::query_as(&format!(
            "SELECT {TEAM_COLS} FROM teams WHERE id > $1 AND delete_at = 0 ORDER BY id LIMIT $2"
        ))
        .bind(after_id.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(Team::from).collect())
    }

    async fn list_user_teams(&self, user_id: &str) -> Result<Vec<Team>> {
        let rows: Vec<TeamRow> = sqlx::query_as(&format!(
            "SELECT {TEAM_COLS} FROM teams WHERE delete_at = 0 AND id IN \
             (SELECT team_id FROM team_members WHERE user_id = $1 AND delete_at = 0) \
             ORDER BY display_name, id"
        ))
        .bind(user_id)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(Team::from).collect())
    }

    async fn save_team_member(
        &self,
        member: &TeamMember,
        channel_members: &[ChannelMember],
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        upsert_team_member(&mut tx, member).await?;
        for m in channel_members {
            insert_channel_member(&mut tx, m).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn get_team_member(&self, team_id: &str, user_id: &str) -> Result<TeamMember> {
        let row: TeamMemberRow = sqlx::query_as(&format!(
            "SELECT {TEAM_MEMBER_COLS} FROM team_members WHERE team_id = $1 AND user_id = $2"
        ))
        .bind(team_id)
        .bind(user_id)
        .fetch_one(&self.read)
        .await
        .map_err(missing("team member"))?;
        Ok(row.into())
    }

    async fn list_team_members(
        &self,
        team_id: &str,
        after_user_id: Option<&str>,
        limit: i64,
    ) -> Result<Vec<TeamMember>> {
        let rows: Vec<TeamMemberRow> = sqlx::query_as(&format!(
            "SELECT {TEAM_MEMBER_COLS} FROM team_members WHERE team_id = $1 AND delete_at = 0 \
             AND user_id > $2 ORDER BY user_id LIMIT $3"
        ))
        .bind(team_id)
        .bind(after_user_id.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(TeamMember::from).collect())
    }

    async fn list_user_team_members(&self, user_id: &str) -> Result<Vec<TeamMember>> {
        let rows: Vec<TeamMemberRow> = sqlx::query_as(&format!(
            "SELECT {TEAM_MEMBER_COLS} FROM team_members WHERE user_id = $1 AND delete_at = 0 \
             AND team_id IN (SELECT id FROM teams WHERE delete_at = 0) ORDER BY team_id"
        ))
        .bind(user_id)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(TeamMember::from).collect())
    }

    async fn count_team_members(&self, team_id: &str) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM team_members WHERE team_id = $1 AND delete_at = 0",
        )
        .bind(team_id)
        .fetch_one(&self.read)
        .await?)
    }

    async fn remove_team_member(&self, team_id: &str, user_id: &str, at: i64) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let done = sqlx::query(
            "UPDATE team_members SET delete_at = $3, update_at = $3 \
             WHERE team_id = $1 AND user_id = $2 AND delete_at = 0",
        )
        .bind(team_id)
        .bind(user_id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found("team member"));
        }
        sqlx::query(
            "DELETE FROM channel_members WHERE user_id = $2 AND channel_id IN \
             (SELECT id FROM channels WHERE team_id = $1)",
        )
        .bind(team_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    // ---- channels

    async fn create_channel(&self, channel: &Channel, members: &[ChannelMember]) -> Result<()> {
        let mut tx = self.write.begin().await?;
        insert_channel(&mut tx, channel).await?;
        for m in members {
            insert_channel_member(&mut tx, m).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn get_channel(&self, id: &str) -> Result<Channel> {
        let row: ChannelRow =
            sqlx::query_as(&format!("SELECT {CHANNEL_COLS} FROM channel_view WHERE id = $1"))
                .bind(id)
                .fetch_one(&self.read)
                .await
                .map_err(missing("channel"))?;
        Ok(row.into())
    }

    async fn get_channel_by_name(&self, team_id: &str, name: &str) -> Result<Channel> {
        let row: ChannelRow = sqlx::query_as(&format!(
            "SELECT {CHANNEL_COLS} FROM channel_view WHERE team_id = $1 AND name = $2"
        ))
        .bind(team_id)
        .bind(name)
        .fetch_one(&self.read)
        .await
        .map_err(missing("channel"))?;
        Ok(row.into())
    }

    async fn get_channel_with_member(&self, channel_id: &str, user_id: &str) -> Result<(Channel, Option<ChannelMember>)> {
        let row: ChannelWithMemberRow = sqlx::query_as(&format!(
            "SELECT {} FROM channel_view c LEFT JOIN channel_members m \
             ON m.channel_id = c.id AND m.user_id = $2 WHERE c.id = $1",
            channel_with_member_cols()
        ))
        .bind(channel_id)
        .bind(user_id)
        .fetch_one(&self.read)
        .await
        .map_err(missing("channel"))?;
        Ok(row.into())
    }

    async fn update_channel(&self, c: &Channel) -> Result<()> {
        let done = sqlx::query(
            "UPDATE channels SET update_at = $2, delete_at = $3, channel_type = $4, \
             display_name = $5, name = $6, header = $7, purpose = $8, props = $9, \
             extra_update_at = $10, group_constrained = $11, shared = $12 WHERE id = $1",
        )
        .bind(&c.id)
        .bind(c.update_at)
        .bind(c.delete_at)
        .bind(&c.channel_type)
        .bind(&c.display_name)
        .bind(&c.name)
        .bind(&c.header)
        .bind(&c.purpose)
        .bind(to_json(&c.props))
        .bind(c.extra_update_at)
        .bind(c.group_constrained)
        .bind(c.shared)
        .execute(&self.write)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found("channel"));
        }
        Ok(())
    }

    async fn list_team_channels(&self, team_id: &str, user_id: &str) -> Result<Vec<Channel>> {
        let rows: Vec<ChannelRow> = sqlx::query_as(&format!(
            "SELECT {CHANNEL_COLS} FROM channel_view c WHERE c.team_id = $1 AND (c.channel_type = 'O' \
             OR EXISTS (SELECT 1 FROM channel_members m WHERE m.channel_id = c.id AND m.user_id = $2)) \
             ORDER BY c.display_name, c.id"
        ))
        .bind(team_id)
        .bind(user_id)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(Channel::from).collect())
    }

    async fn list_user_channels(&self, user_id: &str, team_id: Option<&str>) -> Result<Vec<Channel>> {
        let base = format!(
            "SELECT {CHANNEL_COLS} FROM channel_view WHERE id IN \
             (SELECT channel_id FROM channel_members WHERE user_id = $1)"
        );
        let rows: Vec<ChannelRow> = match team_id {
            Some(team_id) => {
                sqlx::query_as(&format!(
                    "{base} AND (team_id = $2 OR team_id = '') ORDER BY display_name, id"
                ))
                .bind(user_id)
                .bind(team_id)
                .fetch_all(&self.read)
                .await?
            }
            None => {
                sqlx::query_as(&format!("{base} ORDER BY display_name, id"))
                    .bind(user_id)
                    .fetch_all(&self.read)
                    .await?
            }
        };
        Ok(rows.into_iter().map(Channel::from).collect())
    }

    async fn save_channel_member(&self, member: &ChannelMember) -> Result<()> {
        let mut tx = self.write.begin().await?;
        insert_channel_member(&mut tx, member).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_channel_member(&self, channel_id: &str, user_id: &str) -> Result<ChannelMember> {
        let row: ChannelMemberRow = sqlx::query_as(&format!(
            "SELECT {CHANNEL_MEMBER_COLS} FROM channel_members WHERE channel_id = $1 AND user_id = $2"
        ))
        .bind(channel_id)
        .bind(user_id)
        .fetch_one(&self.read)
        .await
        .map_err(missing("channel member"))?;
        Ok(row.into())
    }

    async fn delete_channel_member(&self, channel_id: &str, user_id: &str) -> Result<()> {
        let done = sqlx::query("DELETE FROM channel_members WHERE channel_id = $1 AND user_id = $2")
            .bind(channel_id)
            .bind(user_id)
            .execute(&self.write)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found("channel member"));
        }
        Ok(())
    }

    async fn list_channel_members(
        &self,
        channel_id: &str,
        after_user_id: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ChannelMember>> {
        let rows: Vec<ChannelMemberRow> = sqlx::query_as(&format!(
            "SELECT {CHANNEL_MEMBER_COLS} FROM channel_members WHERE channel_id = $1 \
             AND user_id > $2 ORDER BY user_id LIMIT $3"
        ))
        .bind(channel_id)
        .bind(after_user_id.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(ChannelMember::from).collect())
    }

    async fn count_channel_members(&self, channel_id: &str) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM channel_members WHERE channel_id = $1")
                .bind(channel_id)
                .fetch_one(&self.read)
                .await?,
        )
    }

    async fn list_user_channel_members(&self, user_id: &str, team_id: Option<&str>) -> Result<Vec<ChannelMember>> {
        let base = format!(
            "SELECT {CHANNEL_MEMBER_COLS} FROM channel_members WHERE user_id = $1 AND channel_id IN \
             (SELECT id FROM channels WHERE "
        );
        let rows: Vec<ChannelMemberRow> = match team_id {
            Some(team_id) => {
                sqlx::query_as(&format!("{base} team_id = $2 OR team_id = '') ORDER BY channel_id"))
                    .bind(user_id)
                    .bind(team_id)
                    .fetch_all(&self.read)
                    .await?
            }
            None => {
                sqlx::query_as(&format!("{base} 1 = 1) ORDER BY channel_id"))
                    .bind(user_id)
                    .fetch_all(&self.read)
                    .await?
            }
        };
        Ok(rows.into_iter().map(ChannelMember::from).collect())
    }

    async fn view_channel(&self, channel_id: &str, user_id: &str, at: i64) -> Result<ChannelMember> {
        let row: ChannelMemberRow = sqlx::query_as(&format!(
            "UPDATE channel_members SET \
             msg_count = (SELECT total_msg_count FROM channel_view WHERE id = $1), \
             msg_count_root = (SELECT total_msg_count_root FROM channel_view WHERE id = $1), \
             mention_count = 0, mention_count_root = 0, urgent_mention_count = 0, \
             last_viewed_at = $3, last_update_at = $3 \
             WHERE channel_id = $1 AND user_id = $2 RETURNING {CHANNEL_MEMBER_COLS}"
        ))
        .bind(channel_id)
        .bind(user_id)
        .bind(at)
        .fetch_one(&self.write)
        .await
        .map_err(missing("channel member"))?;
        Ok(row.into())
    }

    async fn add_mentions(&self, channel_id: &str, user_ids: &[String], root: bool) -> Result<()> {
        if user_ids.is_empty() {
            return Ok(());
        }
        let mut q = QueryBuilder::<Db>::new(
            "UPDATE channel_members SET mention_count = mention_count + 1, mention_count_root = mention_count_root + ",
        );
        q.push_bind(i64::from(root));
        q.push(" WHERE channel_id = ");
        q.push_bind(channel_id);
        q.push(" AND user_id IN (");
        let mut list = q.separated(", ");
        for id in user_ids {
            list.push_bind(id);
        }
        list.push_unseparated(")");
        q.build().execute(&self.write).await?;
        Ok(())
    }

    async fn list_unreads(&self, user_id: &str, team_id: Option<&str>) -> Result<Vec<ChannelUnread>> {
        let base = "SELECT c.id AS channel_id, c.team_id, c.total_msg_count, c.total_msg_count_root, \
             m.msg_count, m.msg_count_root, m.mention_count, m.mention_count_root, m.last_viewed_at \
             FROM channel_members m JOIN channel_view c ON c.id = m.channel_id \
             WHERE m.user_id = $1 AND c.delete_at = 0";
        let rows: Vec<UnreadRow> = match team_id {
            Some(team_id) => {
                sqlx::query_as(&format!(
                    "{base} AND (c.team_id = $2 OR c.team_id = '') ORDER BY c.id"
                ))
                .bind(user_id)
                .bind(team_id)
                .fetch_all(&self.read)
                .await?
            }
            None => {
                sqlx::query_as(&format!("{base} ORDER BY c.id"))
                    .bind(user_id)
                    .fetch_all(&self.read)
                    .await?
            }
        };
        Ok(rows.into_iter().map(ChannelUnread::from).collect())
    }

    // ---- posts

    async fn create_post(&self, p: &Post) -> Result<Post> {
        if !p.pending_post_id.is_empty() {
            if let Some(existing) = find_pending_post(&self.write, &p.user_id, &p.pending_post_id).await? {
                return Ok(existing);
            }
        }
        if let Err(err) = self.insert_post_and_counters(p).await {
            // Two identical creates raced: the loser answers with the winner's post.
            if matches!(err, Error::Conflict { .. }) && !p.pending_post_id.is_empty() {
                if let Some(existing) =
                    find_pending_post(&self.write, &p.user_id, &p.pending_post_id).await?
                {
                    return Ok(existing);
                }
            }
            return Err(err);
        }
        Ok(p.clone())
    }

    async fn get_post(&self, id: &str) -> Result<Post> {
        let row: PostRow = sqlx::query_as(&format!("SELECT {POST_COLS} FROM posts WHERE id = $1"))
            .bind(id)
            .fetch_one(&self.read)
            .await
            .map_err(missing("post"))?;
        Ok(row.into())
    }

    async fn edit_post(&self, history: &Post, updated: &Post) -> Result<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query(&format!(
            "INSERT INTO posts ({POST_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
             $12, $13, $14, $15, '', 0, 0)"
        ))
        .bind(&history.id)
        .bind(history.create_at)
        .bind(history.update_at)
        .bind(history.edit_at)
        .bind(history.delete_at)
        .bind(history.is_pinned)
        .bind(&history.user_id)
        .bind(&history.channel_id)
        .bind(&history.root_id)
        .bind(&history.original_id)
        .bind(&history.message)
        .bind(&history.post_type)
        .bind(to_json(&history.props))
        .bind(&history.hashtags)
        .bind(to_json(&history.file_ids))
        .execute(&mut *tx)
        .await?;
        let done = sqlx::query(
            "UPDATE posts SET message = $2, hashtags = $3, props = $4, file_ids = $5, \
             edit_at = $6, update_at = $6 WHERE id = $1 AND delete_at = 0",
        )
        .bind(&updated.id)
        .bind(&updated.message)
        .bind(&updated.hashtags)
        .bind(to_json(&updated.props))
        .bind(to_json(&updated.file_ids))
        .bind(updated.edit_at)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found("post"));
        }
        tx.commit().await?;
        Ok(())
    }

    async fn update_post(&self, p: &Post) -> Result<()> {
        let done = sqlx::query(
            "UPDATE posts SET is_pinned = $2, props = $3, update_at = $4 WHERE id = $1",
        )
        .bind(&p.id)
        .bind(p.is_pinned)
        .bind(to_json(&p.props))
        .bind(p.update_at)
        .execute(&self.write)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found("post"));
        }
        Ok(())
    }

    async fn delete_post(&self, p: &Post, at: i64) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let done = sqlx::query(
            "UPDATE posts SET delete_at = $2, update_at = $2 WHERE id = $1 AND delete_at = 0",
        )
        .bind(&p.id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found("post"));
        }
        // Files follow their post (and a root's replies) into deletion.
        sqlx::query(
            "UPDATE file_infos SET delete_at = $2, update_at = $2 WHERE delete_at = 0 \
             AND (post_id = $1 OR post_id IN (SELECT id FROM posts WHERE root_id = $1))",
        )
        .bind(&p.id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if p.root_id.is_empty() {
            sqlx::query(
                "UPDATE posts SET delete_at = $2, update_at = $2 WHERE root_id = $1 AND delete_at = 0",
            )
            .bind(&p.id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query(
                "UPDATE posts SET reply_count = CASE WHEN reply_count > 0 THEN reply_count - 1 \
                 ELSE 0 END, update_at = $2 WHERE id = $1",
            )
            .bind(&p.root_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn list_channel_posts(
        &self,
        channel_id: &str,
        before: Option<PostCursor<'_>>,
        limit: i64,
    ) -> Result<Vec<Post>> {
        let (at, id) = match before {
            Some(c) => (c.create_at, c.id),
            None => (i64::MAX, ""),
        };
        let rows: Vec<PostRow> = sqlx::query_as(&format!(
            "SELECT {POST_COLS} FROM posts WHERE channel_id = $1 AND delete_at = 0 \
             AND (create_at < $2 OR (create_at = $2 AND id < $3)) \
             ORDER BY create_at DESC, id DESC LIMIT $4"
        ))
        .bind(channel_id)
        .bind(at)
        .bind(if before.is_some() { id } else { "~" })
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(Post::from).collect())
    }

    async fn list_thread(&self, root_id: &str) -> Result<Vec<Post>> {
        let rows: Vec<PostRow> = sqlx::query_as(&format!(
            "SELECT {POST_COLS} FROM posts WHERE (id = $1 OR root_id = $1) AND delete_at = 0 \
             ORDER BY create_at, id"
        ))
        .bind(root_id)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(Post::from).collect())
    }

    async fn list_channel_posts_offset(&self, channel_id: &str, offset: i64, limit: i64) -> Result<Vec<Post>> {
        let rows: Vec<PostRow> = sqlx::query_as(&format!(
            "SELECT {POST_COLS} FROM posts WHERE channel_id = $1 AND delete_at = 0 \
             ORDER BY create_at DESC, id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(channel_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(Post::from).collect())
    }

    async fn list_channel_posts_after(&self, channel_id: &str, after: PostCursor<'_>, limit: i64) -> Result<Vec<Post>> {
        let rows: Vec<PostRow> = sqlx::query_as(&format!(
            "SELECT {POST_COLS} FROM posts WHERE channel_id = $1 AND delete_at = 0 \
             AND (create_at > $2 OR (create_at = $2 AND id > $3)) \
             ORDER BY create_at, id LIMIT $4"
        ))
        .bind(channel_id)
        .bind(after.create_at)
        .bind(after.id)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(Post::from).collect())
    }

    async fn list_channel_posts_since(&self, channel_id: &str, since: i64, limit: i64) -> Result<Vec<Post>> {
        let rows: Vec<PostRow> = sqlx::query_as(&format!(
            "SELECT {POST_COLS} FROM posts WHERE channel_id = $1 AND update_at > $2 \
             AND original_id = '' ORDER BY update_at, id LIMIT $3"
        ))
        .bind(channel_id)
        .bind(since)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(Post::from).collect())
    }

    async fn last_post_update(&self, channel_id: &str) -> Result<i64> {
        let at: Option<i64> = sqlx::query_scalar("SELECT MAX(update_at) FROM posts WHERE channel_id = $1")
            .bind(channel_id)
            .fetch_one(&self.read)
            .await?;
        Ok(at.unwrap_or(0))
    }

    async fn list_pinned_posts(&self, channel_id: &str) -> Result<Vec<Post>> {
        let rows: Vec<PostRow> = sqlx::query_as(&format!(
            "SELECT {POST_COLS} FROM posts WHERE channel_id = $1 AND delete_at = 0 \
             AND is_pinned = $2 ORDER BY create_at DESC, id DESC"
        ))
        .bind(channel_id)
        .bind(true)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(Post::from).collect())
    }

    async fn get_posts_by_ids(&self, ids: &[String]) -> Result<Vec<Post>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = QueryBuilder::<Db>::new(format!(
            "SELECT {POST_COLS} FROM posts WHERE delete_at = 0 AND id IN ("
        ));
        let mut list = query.separated(", ");
        for id in ids {
            list.push_bind(id);
        }
        list.push_unseparated(")");
        let rows: Vec<PostRow> = query.build_query_as().fetch_all(&self.read).await?;
        Ok(rows.into_iter().map(Post::from).collect())
    }

    async fn search_posts(&self, search: &PostSearch<'_>) -> Result<Vec<Post>> {
        // Terms match anywhere in the message, case-insensitively; LIKE
        // wildcards in them are matched literally.
        let like = |t: &str| format!("%{}%", t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let mut q = QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM posts p JOIN channel_members m ON m.channel_id = p.channel_id AND m.user_id = ",
            prefixed(POST_COLS, "p")
        ));
        q.push_bind(search.user_id);
        q.push(" JOIN channels c ON c.id = p.channel_id WHERE p.delete_at = 0 AND p.original_id = '' AND (c.team_id = ");
        q.push_bind(search.team_id);
        q.push(" OR c.team_id = '')");
        for term in search.terms {
            q.push(" AND LOWER(p.message) LIKE ");
            q.push_bind(like(term));
            q.push(" ESCAPE '\\'");
        }
        for term in search.excluded {
            q.push(" AND LOWER(p.message) NOT LIKE ");
            q.push_bind(like(term));
            q.push(" ESCAPE '\\'");
        }
        if !search.from_user_ids.is_empty() {
            q.push(" AND p.user_id IN (");
            let mut list = q.separated(", ");
            for id in search.from_user_ids {
                list.push_bind(id);
            }
            list.push_unseparated(")");
        }
        if !search.channel_ids.is_empty() {
            q.push(" AND p.channel_id IN (");
            let mut list = q.separated(", ");
            for id in search.channel_ids {
                list.push_bind(id);
            }
            list.push_unseparated(")");
        }
        if let Some(before) = search.before {
            q.push(" AND p.create_at < ");
            q.push_bind(before);
        }
        if let Some(after) = search.after {
            q.push(" AND p.create_at > ");
            q.push_bind(after);
        }
        q.push(" ORDER BY p.create_at DESC, p.id DESC LIMIT ");
        q.push_bind(search.limit);
        let rows: Vec<PostRow> = q.build_query_as().fetch_all(&self.read).await?;
        Ok(rows.into_iter().map(Post::from).collect())
    }

    async fn list_reactions_for_posts(&self, post_ids: &[String]) -> Result<Vec<Reaction>> {
        if post_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = QueryBuilder::<Db>::new(format!(
            "SELECT {REACTION_COLS} FROM reactions WHERE delete_at = 0 AND post_id IN ("
        ));
        let mut list = query.separated(", ");
        for id in post_ids {
            list.push_bind(id);
        }
        list.push_unseparated(") ORDER BY create_at, user_id, emoji_name");
        let rows: Vec<ReactionRow> = query.build_query_as().fetch_all(&self.read).await?;
        Ok(rows.into_iter().map(Reaction::from).collect())
    }

    // ---- threads

    async fn upsert_thread_member(
        &self,
        post_id: &str,
        user_id: &str,
        following: Option<bool>,
        viewed_at: Option<i64>,
        mentions: i64,
        at: i64,
    ) -> Result<()> {
        // Insert with defaults, or update only what was given.
        sqlx::query(
            "INSERT INTO thread_memberships (post_id, user_id, following, last_viewed, last_updated, unread_mentions) \
             VALUES ($1, $2, $3, $4, $6, $5) \
             ON CONFLICT (post_id, user_id) DO UPDATE SET \
             following = CASE WHEN $7 THEN excluded.following ELSE thread_memberships.following END, \
             last_viewed = CASE WHEN $8 THEN excluded.last_viewed ELSE thread_memberships.last_viewed END, \
             unread_mentions = CASE WHEN $8 THEN 0 ELSE thread_memberships.unread_mentions END + $5, \
             last_updated = excluded.last_updated",
        )
        .bind(post_id)
        .bind(user_id)
        .bind(following.unwrap_or(true))
        .bind(viewed_at.unwrap_or(0))
        .bind(mentions)
        .bind(at)
        .bind(following.is_some())
        .bind(viewed_at.is_some())
        .execute(&self.write)
        .await?;
        Ok(())
    }

    async fn get_thread_member(&self, post_id: &str, user_id: &str) -> Result<Option<ThreadMember>> {
        let row: Option<ThreadMemberRow> = sqlx::query_as(&format!(
            "SELECT {THREAD_MEMBER_COLS} FROM thread_memberships WHERE post_id = $1 AND user_id = $2"
        ))
        .bind(post_id)
        .bind(user_id)
        .fetch_optional(&self.read)
        .await?;
        Ok(row.map(ThreadMember::from))
    }

    async fn list_user_threads(&self, user_id: &str, team_id: &str, before: Option<i64>, limit: i64) -> Result<Vec<ThreadView>> {
        let rows: Vec<ThreadRow> = sqlx::query_as(&format!(
            "SELECT {}, t.user_id AS t_user_id, t.following AS t_following, t.last_viewed AS t_last_viewed, \
             t.last_updated AS t_last_updated, t.unread_mentions AS t_unread_mentions, \
             (SELECT COUNT(*) FROM posts r WHERE r.root_id = p.id AND r.delete_at = 0 \
              AND r.create_at > t.last_viewed AND r.user_id <> t.user_id) AS unread_replies \
             FROM thread_memberships t JOIN posts p ON p.id = t.post_id \
             JOIN channels c ON c.id = p.channel_id \
             JOIN channel_members m ON m.channel_id = p.channel_id AND m.user_id = t.user_id \
             WHERE t.user_id = $1 AND t.following = $2 AND p.delete_at = 0 \
             AND (c.team_id = $3 OR c.team_id = '') AND p.last_reply_at < $4 \
             ORDER BY p.last_reply_at DESC, p.id DESC LIMIT $5",
            prefixed(POST_COLS, "p")
        ))
        .bind(user_id)
        .bind(true)
        .bind(team_id)
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            let root_id = row.root_id().to_string();
            let participants: Vec<String> = sqlx::query_scalar(
                "SELECT user_id FROM posts WHERE root_id = $1 AND delete_at = 0 \
                 GROUP BY user_id ORDER BY MIN(create_at)",
            )
            .bind(&root_id)
            .fetch_all(&self.read)
            .await?;
            views.push(row.into_view(participants));
        }
        Ok(views)
    }

    async fn list_thread_followers(&self, root_id: &str) -> Result<Vec<ThreadView>> {
        let rows: Vec<ThreadRow> = sqlx::query_as(&format!(
            "SELECT {}, t.user_id AS t_user_id, t.following AS t_following, t.last_viewed AS t_last_viewed, \
             t.last_updated AS t_last_updated, t.unread_mentions AS t_unread_mentions, \
             (SELECT COUNT(*) FROM posts r WHERE r.root_id = p.id AND r.delete_at = 0 \
              AND r.create_at > t.last_viewed AND r.user_id <> t.user_id) AS unread_replies \
             FROM thread_memberships t JOIN posts p ON p.id = t.post_id \
             JOIN channel_members m ON m.channel_id = p.channel_id AND m.user_id = t.user_id \
             WHERE t.post_id = $1 AND t.following = $2 AND p.delete_at = 0",
            prefixed(POST_COLS, "p")
        ))
        .bind(root_id)
        .bind(true)
        .fetch_all(&self.read)
        .await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let participants: Vec<String> = sqlx::query_scalar(
            "SELECT user_id FROM posts WHERE root_id = $1 AND delete_at = 0 \
             GROUP BY user_id ORDER BY MIN(create_at)",
        )
        .bind(root_id)
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| row.into_view(participants.clone()))
            .collect())
    }

    // ---- files

    async fn create_file_info(&self, f: &FileInfo) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO file_infos ({FILE_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
        ))
        .bind(&f.id)
        .bind(&f.creator_id)
        .bind(&f.post_id)
        .bind(&f.channel_id)
        .bind(f.create_at)
        .bind(f.update_at)
        .bind(f.delete_at)
        .bind(&f.name)
        .bind(&f.extension)
        .bind(f.size)
        .bind(&f.mime_type)
        .bind(f.width)
        .bind(f.height)
        .bind(f.has_preview_image)
        .bind(f.has_thumbnail)
        .bind(&f.mini_preview)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    async fn get_file_info(&self, id: &str) -> Result<FileInfo> {
        let row: FileRow = sqlx::query_as(&format!("SELECT {FILE_COLS} FROM file_infos WHERE id = $1"))
            .bind(id)
            .fetch_one(&self.read)
            .await
            .map_err(missing("file"))?;
        Ok(row.into())
    }

    async fn list_post_files(&self, post_id: &str, include_deleted: bool) -> Result<Vec<FileInfo>> {
        let rows: Vec<FileRow> = sqlx::query_as(&format!(
            "SELECT {FILE_COLS} FROM file_infos WHERE post_id = $1 AND (delete_at = 0 OR $2) \
             ORDER BY create_at, id"
        ))
        .bind(post_id)
        .bind(include_deleted)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(FileInfo::from).collect())
    }

    async fn list_posts_files(&self, post_ids: &[String]) -> Result<Vec<FileInfo>> {
        if post_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = QueryBuilder::<Db>::new(format!(
            "SELECT {FILE_COLS} FROM file_infos WHERE delete_at = 0 AND post_id IN ("
        ));
        let mut list = q.separated(", ");
        for id in post_ids {
            list.push_bind(id);
        }
        q.push(") ORDER BY create_at, id");
        let rows: Vec<FileRow> = q.build_query_as().fetch_all(&self.read).await?;
        Ok(rows.into_iter().map(FileInfo::from).collect())
    }

    async fn attach_files(&self, post_id: &str, channel_id: &str, creator_id: &str, file_ids: &[String], at: i64) -> Result<u64> {
        let mut attached = 0;
        for id in file_ids {
            // As Mattermost: the poster's unattached files move to the post's channel.
            let done = sqlx::query(
                "UPDATE file_infos SET post_id = $1, channel_id = $4, update_at = $5 \
                 WHERE id = $2 AND creator_id = $3 AND post_id = '' AND delete_at = 0",
            )
            .bind(post_id)
            .bind(id)
            .bind(creator_id)
            .bind(channel_id)
            .bind(at)
            .execute(&self.write)
            .await?;
            attached += done.rows_affected();
        }
        Ok(attached)
    }

    async fn list_orphan_files(&self, before: i64, limit: i64) -> Result<Vec<FileInfo>> {
        let rows: Vec<FileRow> = sqlx::query_as(&format!(
            "SELECT {FILE_COLS} FROM file_infos WHERE post_id = '' AND create_at < $1 \
             ORDER BY create_at LIMIT $2"
        ))
        .bind(before)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(FileInfo::from).collect())
    }

    async fn remove_file_info(&self, id: &str) -> Result<()> {
        sqlx::query("DELETE FROM file_infos WHERE id = $1")
            .bind(id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn search_files(&self, user_id: &str, team_id: &str, terms: &[String], limit: i64) -> Result<Vec<FileInfo>> {
        let mut q = QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM file_infos f JOIN channels c ON c.id = f.channel_id \
             JOIN channel_members m ON m.channel_id = f.channel_id AND m.user_id = ",
            prefixed(FILE_COLS, "f")
        ));
        q.push_bind(user_id);
        q.push(" WHERE f.delete_at = 0 AND f.post_id <> '' AND (c.team_id = ");
        q.push_bind(team_id);
        q.push(" OR c.team_id = '')");
        for term in terms {
            q.push(" AND LOWER(f.name) LIKE ");
            q.push_bind(format!("%{}%", term.to_lowercase().replace(['%', '_'], "")));
        }
        q.push(" ORDER BY f.create_at DESC, f.id LIMIT ");
        q.push_bind(limit);
        let rows: Vec<FileRow> = q.build_query_as().fetch_all(&self.read).await?;
        Ok(rows.into_iter().map(FileInfo::from).collect())
    }

    // ---- resumable uploads

    async fn create_upload(&self, u: &UploadSession) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO upload_sessions ({UPLOAD_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(&u.id)
        .bind(&u.kind)
        .bind(&u.user_id)
        .bind(&u.channel_id)
        .bind(&u.filename)
        .bind(u.file_size)
        .bind(u.file_offset)
        .bind(u.create_at)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    async fn get_upload(&self, id: &str) -> Result<UploadSession> {
        let row: UploadRow = sqlx::query_as(&format!("SELECT {UPLOAD_COLS} FROM upload_sessions WHERE id = $1"))
            .bind(id)
            .fetch_one(&self.write)
            .await
            .map_err(missing("upload"))?;
        Ok(row.into())
    }

    async fn list_user_uploads(&self, user_id: &str) -> Result<Vec<UploadSession>> {
        let rows: Vec<UploadRow> = sqlx::query_as(&format!(
            "SELECT {UPLOAD_COLS} FROM upload_sessions WHERE user_id = $1 ORDER BY create_at, id"
        ))
        .bind(user_id)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(UploadSession::from).collect())
    }

    async fn append_upload_part(&self, upload_id: &str, part: &UploadPart) -> Result<bool> {
        let mut tx = self.write.begin().await?;
        // Compare-and-set on the offset: of two writers racing for the same
        // offset (on any node), exactly one wins.
        let moved = sqlx::query(
            "UPDATE upload_sessions SET file_offset = $1 WHERE id = $2 AND file_offset = $3",
        )
        .bind(part.start_offset + part.size)
        .bind(upload_id)
        .bind(part.start_offset)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO upload_parts (upload_id, start_offset, size, blob_key) VALUES ($1, $2, $3, $4)",
        )
        .bind(upload_id)
        .bind(part.start_offset)
        .bind(part.size)
        .bind(&part.blob_key)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn claim_upload_finish(&self, id: &str, finishing: bool) -> Result<bool> {
        let done = sqlx::query("UPDATE upload_sessions SET finishing = $2 WHERE id = $1 AND finishing <> $2")
            .bind(id)
            .bind(finishing)
            .execute(&self.write)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn list_upload_parts(&self, upload_id: &str) -> Result<Vec<UploadPart>> {
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT start_offset, size, blob_key FROM upload_parts WHERE upload_id = $1 ORDER BY start_offset",
        )
        .bind(upload_id)
        .fetch_all(&self.write)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(start_offset, size, blob_key)| UploadPart { start_offset, size, blob_key })
            .collect())
    }

    async fn delete_upload(&self, id: &str) -> Result<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query("DELETE FROM upload_parts WHERE upload_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM upload_sessions WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn list_stale_uploads(&self, before: i64, limit: i64) -> Result<Vec<UploadSession>> {
        let rows: Vec<UploadRow> = sqlx::query_as(&format!(
            "SELECT {UPLOAD_COLS} FROM upload_sessions WHERE create_at < $1 ORDER BY create_at LIMIT $2"
        ))
        .bind(before)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(UploadSession::from).collect())
    }

    // ---- notifications

    async fn list_channel_recipients(&self, channel_id: &str) -> Result<Vec<ChannelRecipient>> {
        let rows: Vec<RecipientRow> = sqlx::query_as(
            "SELECT u.id AS user_id, u.username, u.first_name, u.is_bot, \
             u.notify_props AS user_notify_props, m.notify_props AS member_notify_props, \
             m.last_viewed_at, s.status, s.manual, s.last_activity_at, s.dnd_end_time, s.prev_status \
             FROM channel_members m JOIN users u ON u.id = m.user_id \
             LEFT JOIN statuses s ON s.user_id = m.user_id \
             WHERE m.channel_id = $1 AND u.delete_at = 0 ORDER BY u.id",
        )
        .bind(channel_id)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(ChannelRecipient::from).collect())
    }

    async fn list_thread_authors(&self, root_id: &str) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT user_id FROM posts WHERE (id = $1 OR root_id = $1) AND delete_at = 0",
        )
        .bind(root_id)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    async fn badge_count(&self, user_id: &str) -> Result<i64> {
        let (count,): (Option<i64>,) = sqlx::query_as(
            "SELECT CAST(SUM(CASE WHEN c.channel_type = 'D' THEN c.total_msg_count - m.msg_count \
             ELSE m.mention_count END) AS BIGINT) \
             FROM channel_members m JOIN channel_view c ON c.id = m.channel_id \
             WHERE m.user_id = $1 AND c.delete_at = 0",
        )
        .bind(user_id)
        .fetch_one(&self.write)
        .await?;
        Ok(count.unwrap_or(0).max(0))
    }

    async fn clear_session_device(&self, session_id: &str, device_id: &str) -> Result<()> {
        sqlx::query("UPDATE sessions SET device_id = '' WHERE id = $1 AND device_id = $2")
            .bind(session_id)
            .bind(device_id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn enqueue_pushes(&self, jobs: &[PushJob]) -> Result<()> {
        if jobs.is_empty() {
            return Ok(());
        }
        let mut tx = self.write.begin().await?;
        for job in jobs {
            sqlx::query(
                "INSERT INTO push_jobs (id, user_id, session_id, payload, attempts, next_attempt_at, lease_until, create_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 0, $7)",
            )
            .bind(&job.id)
            .bind(&job.user_id)
            .bind(&job.session_id)
            .bind(&job.payload)
            .bind(job.attempts)
            .bind(job.next_attempt_at)
            .bind(job.create_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn claim_pushes(&self, now: i64, lease_until: i64, limit: i64) -> Result<Vec<PushJob>> {
        // The outer lease check is evaluated again on a row another node just
        // claimed (PostgreSQL re-reads locked rows), so no job goes out twice.
        let rows: Vec<PushJobRow> = sqlx::query_as(
            "UPDATE push_jobs SET lease_until = $1 \
             WHERE lease_until <= $2 AND next_attempt_at <= $2 AND id IN \
             (SELECT id FROM push_jobs WHERE next_attempt_at <= $2 AND lease_until <= $2 \
              ORDER BY next_attempt_at LIMIT $3) \
             RETURNING id, user_id, session_id, payload, attempts, next_attempt_at, create_at",
        )
        .bind(lease_until)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.write)
        .await?;
        Ok(rows.into_iter().map(push_job).collect())
    }

    async fn list_push_jobs(&self, limit: i64) -> Result<Vec<PushJob>> {
        let rows: Vec<PushJobRow> = sqlx::query_as(
            "SELECT id, user_id, session_id, payload, attempts, next_attempt_at, create_at \
             FROM push_jobs ORDER BY create_at, id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.write)
        .await?;
        Ok(rows.into_iter().map(push_job).collect())
    }

    async fn finish_push(&self, id: &str) -> Result<()> {
        sqlx::query("DELETE FROM push_jobs WHERE id = $1")
            .bind(id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn retry_push(&self, id: &str, attempts: i64, next_attempt_at: i64) -> Result<()> {
        sqlx::query("UPDATE push_jobs SET attempts = $2, next_attempt_at = $3, lease_until = 0 WHERE id = $1")
            .bind(id)
            .bind(attempts)
            .bind(next_attempt_at)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    // ---- e-mail

    async fn save_email_token(&self, t: &EmailToken) -> Result<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query("DELETE FROM email_tokens WHERE user_id = $1 AND kind = $2")
            .bind(&t.user_id)
            .bind(&t.kind)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO email_tokens (token_hash, kind, user_id, email, create_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&t.token_hash)
        .bind(&t.kind)
        .bind(&t.user_id)
        .bind(&t.email)
        .bind(t.create_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn email_token_issued_at(&self, user_id: &str, kind: &str) -> Result<Option<i64>> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT create_at FROM email_tokens WHERE user_id = $1 AND kind = $2 \
             ORDER BY create_at DESC LIMIT 1",
        )
        .bind(user_id)
        .bind(kind)
        .fetch_optional(&self.write)
        .await?;
        Ok(row.map(|(at,)| at))
    }

    async fn take_email_token(&self, token_hash: &str, kind: &str) -> Result<Option<EmailToken>> {
        let row: Option<(String, String, String, String, i64)> = sqlx::query_as(
            "DELETE FROM email_tokens WHERE token_hash = $1 AND kind = $2 \
             RETURNING token_hash, kind, user_id, email, create_at",
        )
        .bind(token_hash)
        .bind(kind)
        .fetch_optional(&self.write)
        .await?;
        Ok(row.map(|(token_hash, kind, user_id, email, create_at)| EmailToken {
            token_hash,
            kind,
            user_id,
            email,
            create_at,
        }))
    }

    async fn queue_digest(&self, entries: &[DigestEntry]) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        // One transaction: one turn at SQLite's single writer.
        let mut tx = self.write.begin().await?;
        for e in entries {
            sqlx::query(
                "INSERT INTO email_digest (user_id, post_id, channel_id, create_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (user_id, post_id) DO NOTHING",
            )
            .bind(&e.user_id)
            .bind(&e.post_id)
            .bind(&e.channel_id)
            .bind(e.create_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn list_digest_users(&self, before: i64, limit: i64) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT user_id FROM email_digest GROUP BY user_id HAVING MIN(create_at) < $1 \
             ORDER BY MIN(create_at) LIMIT $2",
        )
        .bind(before)
        .bind(limit)
        .fetch_all(&self.write)
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    async fn take_digest(&self, user_id: &str) -> Result<Vec<DigestEntry>> {
        let mut rows: Vec<(String, String, String, i64)> = sqlx::query_as(
            "DELETE FROM email_digest WHERE user_id = $1 RETURNING user_id, post_id, channel_id, create_at",
        )
        .bind(user_id)
        .fetch_all(&self.write)
        .await?;
        rows.sort_by_key(|r| r.3);
        Ok(rows
            .into_iter()
            .map(|(user_id, post_id, channel_id, create_at)| DigestEntry {
                user_id,
                post_id,
                channel_id,
                create_at,
            })
            .collect())
    }

    // ---- profile pictures

    async fn save_picture(&self, user_id: &str, content_type: &str, image: &[u8]) -> Result<()> {
        sqlx::query(
            "INSERT INTO user_pictures (user_id, content_type, image) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET content_type = excluded.content_type, image = excluded.image",
        )
        .bind(user_id)
        .bind(content_type)
        .bind(image)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    async fn get_picture(&self, user_id: &str) -> Result<Option<(String, Vec<u8>)>> {
        Ok(sqlx::query_as("SELECT content_type, image FROM user_pictures WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&self.read)
            .await?)
    }

    async fn delete_picture(&self, user_id: &str) -> Result<()> {
        sqlx::query("DELETE FROM user_pictures WHERE user_id = $1")
            .bind(user_id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    // ---- custom emoji

    async fn create_emoji(&self, e: &Emoji, content_type: &str, image: &[u8]) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO emoji ({EMOJI_COLS}, content_type, image) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(&e.id)
        .bind(e.create_at)
        .bind(e.update_at)
        .bind(e.delete_at)
        .bind(&e.creator_id)
        .bind(&e.name)
        .bind(content_type)
        .bind(image)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    async fn get_emoji(&self, key: &str, by_name: bool) -> Result<Emoji> {
        let column = if by_name { "name" } else { "id" };
        let row: EmojiRow = sqlx::query_as(&format!(
            "SELECT {EMOJI_COLS} FROM emoji WHERE {column} = $1 AND delete_at = 0"
        ))
        .bind(key)
        .fetch_one(&self.read)
        .await
        .map_err(missing("emoji"))?;
        Ok(row.into())
    }

    async fn get_emoji_image(&self, id: &str) -> Result<(String, Vec<u8>)> {
        let row: (String, Vec<u8>) =
            sqlx::query_as("SELECT content_type, image FROM emoji WHERE id = $1 AND delete_at = 0")
                .bind(id)
                .fetch_one(&self.read)
                .await
                .map_err(missing("emoji"))?;
        Ok(row)
    }

    async fn list_emoji(&self, prefix: &str, offset: i64, limit: i64) -> Result<Vec<Emoji>> {
        let escaped = prefix.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let rows: Vec<EmojiRow> = sqlx::query_as(&format!(
            "SELECT {EMOJI_COLS} FROM emoji WHERE delete_at = 0 AND name LIKE $1 ESCAPE '\\' \
             ORDER BY name LIMIT $2 OFFSET $3"
        ))
        .bind(format!("{escaped}%"))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(Emoji::from).collect())
    }

    async fn delete_emoji(&self, id: &str, at: i64) -> Result<()> {
        let done = sqlx::query("UPDATE emoji SET delete_at = $2, update_at = $2 WHERE id = $1 AND delete_at = 0")
            .bind(id)
            .bind(at)
            .execute(&self.write)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found("emoji"));
        }
        Ok(())
    }

    // ---- sidebars

    async fn get_sidebar(&self, user_id: &str, team_id: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT doc FROM sidebars WHERE user_id = $1 AND team_id = $2")
            .bind(user_id)
            .bind(team_id)
            .fetch_optional(&self.read)
            .await?)
    }

    async fn save_sidebar(&self, user_id: &str, team_id: &str, doc: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO sidebars (user_id, team_id, doc) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, team_id) DO UPDATE SET doc = excluded.doc",
        )
        .bind(user_id)
        .bind(team_id)
        .bind(doc)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    // ---- reactions

    async fn save_reaction(&self, r: &Reaction) -> Result<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query(&format!(
            "INSERT INTO reactions ({REACTION_COLS}) VALUES ($1, $2, $3, $4, $5, $6, 0) \
             ON CONFLICT (post_id, user_id, emoji_name) DO UPDATE SET delete_at = 0, \
             update_at = excluded.update_at"
        ))
        .bind(&r.user_id)
        .bind(&r.post_id)
        .bind(&r.emoji_name)
        .bind(&r.channel_id)
        .bind(r.create_at)
        .bind(r.update_at)
        .execute(&mut *tx)
        .await?;
        // A post's reactions are part of it: clients syncing by update_at must see them change.
        sqlx::query("UPDATE posts SET update_at = $2 WHERE id = $1 AND update_at < $2")
            .bind(&r.post_id)
            .bind(r.update_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_reaction(&self, post_id: &str, user_id: &str, emoji: &str, at: i64) -> Result<()> {
        let mut tx = self.write.begin().await?;
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
        if done.rows_affected() == 0 {
            return Err(Error::not_found("reaction"));
        }
        sqlx::query("UPDATE posts SET update_at = $2 WHERE id = $1 AND update_at < $2")
            .bind(post_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn list_reactions(&self, post_id: &str) -> Result<Vec<Reaction>> {
        let rows: Vec<ReactionRow> = sqlx::query_as(&format!(
            "SELECT {REACTION_COLS} FROM reactions WHERE post_id = $1 AND delete_at = 0 \
             ORDER BY create_at, user_id, emoji_name"
        ))
        .bind(post_id)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(Reaction::from).collect())
    }

    // ---- preferences

    async fn save_preferences(&self, preferences: &[Preference]) -> Result<()> {
        let mut tx = self.write.begin().await?;
        for p in preferences {
            sqlx::query(
                "INSERT INTO preferences (user_id, category, name, value) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (user_id, category, name) DO UPDATE SET value = excluded.value",
            )
            .bind(&p.user_id)
            .bind(&p.category)
            .bind(&p.name)
            .bind(&p.value)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn delete_preferences(&self, user_id: &str, keys: &[(String, String)]) -> Result<()> {
        let mut tx = self.write.begin().await?;
        for (category, name) in keys {
            sqlx::query("DELETE FROM preferences WHERE user_id = $1 AND category = $2 AND name = $3")
                .bind(user_id)
                .bind(category)
                .bind(name)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn list_preferences(&self, user_id: &str) -> Result<Vec<Preference>> {
        let rows: Vec<PreferenceRow> = sqlx::query_as(
            "SELECT user_id, category, name, value FROM preferences WHERE user_id = $1 \
             ORDER BY category, name",
        )
        .bind(user_id)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(Preference::from).collect())
    }

    // ---- statuses

    async fn save_status(&self, s: &Status) -> Result<()> {
        sqlx::query(
            "INSERT INTO statuses (user_id, status, manual, last_activity_at, dnd_end_time, prev_status) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id) DO UPDATE SET \
             status = excluded.status, manual = excluded.manual, \
             last_activity_at = excluded.last_activity_at, dnd_end_time = excluded.dnd_end_time, \
             prev_status = excluded.prev_status",
        )
        .bind(&s.user_id)
        .bind(&s.status)
        .bind(s.manual)
        .bind(s.last_activity_at)
        .bind(s.dnd_end_time)
        .bind(&s.prev_status)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    async fn list_expired_dnd(&self, now_seconds: i64) -> Result<Vec<Status>> {
        let rows: Vec<StatusRow> = sqlx::query_as(
            "SELECT user_id, status, manual, last_activity_at, dnd_end_time, prev_status \
             FROM statuses WHERE status = 'dnd' AND dnd_end_time > 0 AND dnd_end_time <= $1",
        )
        .bind(now_seconds)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(Status::from).collect())
    }

    async fn list_memberships(&self, user_id: &str) -> Result<Memberships> {
        let channels: Vec<(String, String)> = sqlx::query_as(
            "SELECT c.id, c.team_id FROM channel_members m JOIN channels c ON c.id = m.channel_id \
             WHERE m.user_id = $1",
        )
        .bind(user_id)
        .fetch_all(&self.read)
        .await?;
        let teams: Vec<(String,)> = sqlx::query_as(
            "SELECT team_id FROM team_members WHERE user_id = $1 AND delete_at = 0",
        )
        .bind(user_id)
        .fetch_all(&self.read)
        .await?;
        Ok(Memberships {
            channels,
            teams: teams.into_iter().map(|(t,)| t).collect(),
        })
    }

    async fn get_status(&self, user_id: &str) -> Result<Option<Status>> {
        let row: Option<StatusRow> = sqlx::query_as(
            "SELECT user_id, status, manual, last_activity_at, dnd_end_time, prev_status \
             FROM statuses WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.read)
        .await?;
        Ok(row.map(Status::from))
    }

    async fn import_batch(&self, batch: &ImportBatch) -> Result<u64> {
        let mut tx = self.write.begin().await?;
        let mut new_posts = 0;
        // Roots first, then replies, which go in only where their root is
        // stored (not where it was skipped as already here under another id).
        let (roots, replies): (Vec<&Post>, Vec<&Post>) =
            batch.posts.iter().partition(|p| p.root_id.is_empty());
        for (chunk, are_replies) in roots
            .chunks(IMPORT_ROWS_PER_INSERT)
            .map(|c| (c, false))
            .chain(replies.chunks(IMPORT_ROWS_PER_INSERT).map(|c| (c, true)))
        {
            // A post already here under another id (made before the import,
            // or exported from this server) is recognised by its channel,
            // author and time, and skipped.
            let mut q = QueryBuilder::<Db>::new(format!("WITH v ({POST_COLS}) AS ("));
            q.push_values(chunk, |mut row, p| {
                row.push_bind(&p.id)
                    .push_bind(p.create_at)
                    .push_bind(p.update_at)
                    .push_bind(p.edit_at)
                    .push_bind(p.delete_at)
                    .push_bind(p.is_pinned)
                    .push_bind(&p.user_id)
                    .push_bind(&p.channel_id)
                    .push_bind(&p.root_id)
                    .push_bind(&p.original_id)
                    .push_bind(&p.message)
                    .push_bind(&p.post_type)
                    .push_bind(to_json(&p.props))
                    .push_bind(&p.hashtags)
                    .push_bind(to_json(&p.file_ids))
                    .push_bind(&p.pending_post_id)
                    .push_bind(p.reply_count)
                    .push_bind(p.last_reply_at);
            });
            q.push(format!(
                ") INSERT INTO posts ({POST_COLS}) SELECT {POST_COLS} FROM v WHERE \
                 (SELECT 1 FROM posts p WHERE p.channel_id = v.channel_id \
                  AND p.create_at = v.create_at AND p.user_id = v.user_id AND p.id <> v.id \
                  LIMIT 1) IS NULL{} \
                 ON CONFLICT (id) DO NOTHING",
                if are_replies {
                    " AND (SELECT 1 FROM posts r WHERE r.id = v.root_id LIMIT 1) IS NOT NULL"
                } else {
                    ""
                }
            ));
            new_posts += q.build().execute(&mut *tx).await?.rows_affected();
        }
        // What hangs off a post goes in only where the post did. (The checks
        // are scalar sub-selects with LIMIT 1, not EXISTS: PostgreSQL would
        // turn EXISTS into a join over the whole posts table.)
        for chunk in batch.reactions.chunks(IMPORT_ROWS_PER_INSERT) {
            let mut q = QueryBuilder::<Db>::new(format!("WITH v ({REACTION_COLS}) AS ("));
            q.push_values(chunk, |mut row, r| {
                row.push_bind(&r.user_id)
                    .push_bind(&r.post_id)
                    .push_bind(&r.emoji_name)
                    .push_bind(&r.channel_id)
                    .push_bind(r.create_at)
                    .push_bind(r.update_at)
                    .push_bind(r.delete_at);
            });
            q.push(format!(
                ") INSERT INTO reactions ({REACTION_COLS}) SELECT {REACTION_COLS} FROM v \
                 WHERE (SELECT 1 FROM posts p WHERE p.id = v.post_id LIMIT 1) IS NOT NULL \
                 ON CONFLICT (post_id, user_id, emoji_name) DO NOTHING"
            ));
            q.build().execute(&mut *tx).await?;
        }
        for chunk in batch.files.chunks(IMPORT_ROWS_PER_INSERT) {
            let mut q = QueryBuilder::<Db>::new(format!("WITH v ({FILE_COLS}) AS ("));
            q.push_values(chunk, |mut row, f| {
                row.push_bind(&f.id)
                    .push_bind(&f.creator_id)
                    .push_bind(&f.post_id)
                    .push_bind(&f.channel_id)
                    .push_bind(f.create_at)
                    .push_bind(f.update_at)
                    .push_bind(f.delete_at)
                    .push_bind(&f.name)
                    .push_bind(&f.extension)
                    .push_bind(f.size)
                    .push_bind(&f.mime_type)
                    .push_bind(f.width)
                    .push_bind(f.height)
                    .push_bind(f.has_preview_image)
                    .push_bind(f.has_thumbnail)
                    .push_bind(&f.mini_preview);
            });
            q.push(format!(
                ") INSERT INTO file_infos ({FILE_COLS}) SELECT {FILE_COLS} FROM v \
                 WHERE (SELECT 1 FROM posts p WHERE p.id = v.post_id LIMIT 1) IS NOT NULL \
                 ON CONFLICT (id) DO NOTHING"
            ));
            q.build().execute(&mut *tx).await?;
        }
        for chunk in batch.preferences.chunks(IMPORT_ROWS_PER_INSERT) {
            let mut q = QueryBuilder::<Db>::new("WITH v (user_id, category, name, value) AS (");
            q.push_values(chunk, |mut row, p| {
                row.push_bind(&p.user_id)
                    .push_bind(&p.category)
                    .push_bind(&p.name)
                    .push_bind(&p.value);
            });
            q.push(
                ") INSERT INTO preferences (user_id, category, name, value) \
                 SELECT user_id, category, name, value FROM v \
                 WHERE (SELECT 1 FROM posts p WHERE p.id = v.name LIMIT 1) IS NOT NULL \
                 ON CONFLICT (user_id, category, name) DO NOTHING",
            );
            q.build().execute(&mut *tx).await?;
        }
        for chunk in batch.followers.chunks(IMPORT_ROWS_PER_INSERT) {
            let mut q = QueryBuilder::<Db>::new(format!("WITH v ({THREAD_MEMBER_COLS}) AS ("));
            q.push_values(chunk, |mut row, m| {
                row.push_bind(&m.post_id)
                    .push_bind(&m.user_id)
                    .push_bind(m.following)
                    .push_bind(m.last_viewed)
                    .push_bind(m.last_updated)
                    .push_bind(m.unread_mentions);
            });
            q.push(format!(
                ") INSERT INTO thread_memberships ({THREAD_MEMBER_COLS}) \
                 SELECT {THREAD_MEMBER_COLS} FROM v \
                 WHERE (SELECT 1 FROM posts p WHERE p.id = v.post_id LIMIT 1) IS NOT NULL \
                 ON CONFLICT (post_id, user_id) DO NOTHING"
            ));
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(new_posts)
    }

    async fn settle_imported_channel(&self, channel_id: &str) -> Result<()> {
        let mut tx = self.write.begin().await?;
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

    async fn list_all_channels(&self, after_id: Option<&str>, limit: i64) -> Result<Vec<Channel>> {
        let rows: Vec<ChannelRow> = sqlx::query_as(&format!(
            "SELECT {CHANNEL_COLS} FROM channel_view WHERE id > $1 ORDER BY id LIMIT $2"
        ))
        .bind(after_id.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(Channel::from).collect())
    }

    async fn list_root_posts(&self, channel_id: &str, after: Option<PostCursor<'_>>, limit: i64) -> Result<Vec<Post>> {
        let (at, id) = after.map_or((i64::MIN, ""), |c| (c.create_at, c.id));
        let rows: Vec<PostRow> = sqlx::query_as(&format!(
            "SELECT {POST_COLS} FROM posts WHERE channel_id = $1 AND root_id = '' \
             AND original_id = '' AND delete_at = 0 \
             AND (create_at > $2 OR (create_at = $2 AND id > $3)) \
             ORDER BY create_at, id LIMIT $4"
        ))
        .bind(channel_id)
        .bind(at)
        .bind(id)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(Post::from).collect())
    }

    async fn list_replies(&self, root_ids: &[String]) -> Result<Vec<Post>> {
        if root_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = QueryBuilder::<Db>::new(format!(
            "SELECT {POST_COLS} FROM posts WHERE original_id = '' AND delete_at = 0 AND root_id IN ("
        ));
        let mut list = q.separated(", ");
        for id in root_ids {
            list.push_bind(id);
        }
        q.push(") ORDER BY create_at, id");
        let rows: Vec<PostRow> = q.build_query_as().fetch_all(&self.read).await?;
        Ok(rows.into_iter().map(Post::from).collect())
    }

    async fn list_post_flaggers(&self, post_ids: &[String]) -> Result<Vec<(String, String)>> {
        if post_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = QueryBuilder::<Db>::new(
            "SELECT name, user_id FROM preferences WHERE category = 'flagged_post' AND value = 'true' AND name IN (",
        );
        let mut list = q.separated(", ");
        for id in post_ids {
            list.push_bind(id);
        }
        q.push(") ORDER BY name, user_id");
        Ok(q.build_query_as().fetch_all(&self.read).await?)
    }

    async fn list_thread_members(&self, post_ids: &[String]) -> Result<Vec<ThreadMember>> {
        if post_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = QueryBuilder::<Db>::new(format!(
            "SELECT {THREAD_MEMBER_COLS} FROM thread_memberships WHERE post_id IN ("
        ));
        let mut list = q.separated(", ");
        for id in post_ids {
            list.push_bind(id);
        }
        q.push(") ORDER BY post_id, user_id");
        let rows: Vec<ThreadMemberRow> = q.build_query_as().fetch_all(&self.read).await?;
        Ok(rows.into_iter().map(ThreadMember::from).collect())
    }

    async fn create_job(&self, j: &Job) -> Result<()> {
        sqlx::query(&format!("INSERT INTO jobs ({JOB_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
            .bind(&j.id)
            .bind(&j.job_type)
            .bind(j.priority)
            .bind(j.create_at)
            .bind(j.start_at)
            .bind(j.last_activity_at)
            .bind(&j.status)
            .bind(j.progress)
            .bind(to_json(&j.data))
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn get_job(&self, id: &str) -> Result<Job> {
        let row: JobRow = sqlx::query_as(&format!("SELECT {JOB_COLS} FROM jobs WHERE id = $1"))
            .bind(id)
            .fetch_one(&self.read)
            .await
            .map_err(missing("job"))?;
        Ok(row.into())
    }

    async fn update_job(&self, j: &Job) -> Result<()> {
        sqlx::query(
            "UPDATE jobs SET status = $2, progress = $3, start_at = $4, last_activity_at = $5, \
             data = $6 WHERE id = $1",
        )
        .bind(&j.id)
        .bind(&j.status)
        .bind(j.progress)
        .bind(j.start_at)
        .bind(j.last_activity_at)
        .bind(to_json(&j.data))
        .execute(&self.write)
        .await?;
        Ok(())
    }

    async fn set_job_status(&self, id: &str, from: &str, to: &str, at: i64) -> Result<bool> {
        let done = sqlx::query("UPDATE jobs SET status = $3, last_activity_at = $4 WHERE id = $1 AND status = $2")
            .bind(id)
            .bind(from)
            .bind(to)
            .bind(at)
            .execute(&self.write)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn set_job_progress(&self, id: &str, progress: i64, at: i64) -> Result<()> {
        sqlx::query("UPDATE jobs SET progress = $2, last_activity_at = $3 WHERE id = $1")
            .bind(id)
            .bind(progress)
            .bind(at)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn list_jobs(&self, job_type: Option<&str>, offset: i64, limit: i64) -> Result<Vec<Job>> {
        let rows: Vec<JobRow> = sqlx::query_as(&format!(
            "SELECT {JOB_COLS} FROM jobs WHERE ($1 = '' OR job_type = $1) \
             ORDER BY create_at DESC, id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(job_type.unwrap_or(""))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(Job::from).collect())
    }
}
