//! Notification reads, the push queue, mailed tokens and digests (compiled
//! once per dialect). Queue rows are claimed with a conditional `UPDATE …
//! RETURNING` or taken with `DELETE … RETURNING`, so two nodes (or two
//! requests) never get the same one.

use super::prelude::*;

record!(PushJob in "push_jobs" {
    id, user_id, session_id, payload, attempts, next_attempt_at, create_at,
});

record!(EmailToken in "email_tokens" {
    token_hash, kind, user_id, email, create_at, team_id, channel_ids: json,
});

record!(DigestEntry in "email_digest" {
    user_id, post_id, channel_id, create_at,
});

/// A channel member with their settings, read by position.
fn recipient(row: &DbRow) -> Result<ChannelRecipient> {
    use sqlx::Row as _;
    Ok(ChannelRecipient {
        user_id: row.try_get(0)?,
        username: row.try_get(1)?,
        first_name: row.try_get(2)?,
        is_bot: row.try_get(3)?,
        user_notify_props: std::sync::Arc::new(JsonColumn::from_column(row.try_get(4)?)),
        member_notify_props: std::sync::Arc::new(JsonColumn::from_column(row.try_get(5)?)),
    })
}

/// A member's last view and (when they have one) status: the member's
/// columns first, then the status's, whose names (`user_id`, …) repeat the
/// member's.
fn presence(row: &DbRow) -> Result<RecipientPresence> {
    use sqlx::Row as _;
    const STATUS_AT: usize = 2;
    // Without a status the joined columns are null.
    let status = match row.try_get::<Option<&str>, _>(STATUS_AT)? {
        Some(_) => Some(Status::decode(row, STATUS_AT)?),
        None => None,
    };
    Ok(RecipientPresence {
        user_id: row.try_get(0)?,
        last_viewed_at: row.try_get(1)?,
        status,
    })
}

/// Ids per statement when reading presence: under every database's limit
/// of bound parameters.
const PRESENCE_CHUNK: usize = 500;

#[async_trait]
impl NotifyStore for Backend {
    async fn list_channel_recipients(&self, channel_id: &str) -> Result<Vec<ChannelRecipient>> {
        let rows = sqlx::query(
            "SELECT u.id, u.username, u.first_name, u.is_bot, u.notify_props, m.notify_props \
             FROM channel_members m JOIN users u ON u.id = m.user_id \
             WHERE m.channel_id = $1 AND u.delete_at = 0 ORDER BY u.id",
        )
        .bind(channel_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        rows.iter().map(recipient).collect()
    }

    async fn channel_recipients_version(&self, channel_id: &str) -> Result<i64> {
        let version: Option<i64> = sqlx::query_scalar(
            "SELECT version FROM channel_recipient_versions WHERE channel_id = $1",
        )
        .bind(channel_id)
        .fetch_optional(&mut *self.reader().await?)
        .await?;
        Ok(version.unwrap_or(0))
    }

    async fn recipient_presence(
        &self,
        channel_id: &str,
        user_ids: &[String],
    ) -> Result<Vec<RecipientPresence>> {
        let mut found = Vec::with_capacity(user_ids.len());
        for chunk in user_ids.chunks(PRESENCE_CHUNK) {
            let mut q = QueryBuilder::<Db>::new(format!(
                "SELECT m.user_id, m.last_viewed_at, {} \
                 FROM channel_members m LEFT JOIN statuses s ON s.user_id = m.user_id \
                 WHERE m.channel_id = ",
                Status::TABLE.columns_of("s")
            ));
            q.push_bind(channel_id);
            q.push(" AND m.user_id IN ");
            push_list(&mut q, chunk);
            for row in q.build().fetch_all(&mut *self.reader().await?).await? {
                found.push(presence(&row)?);
            }
        }
        Ok(found)
    }

    async fn online_channel_members(&self, channel_id: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT m.user_id FROM channel_members m JOIN statuses s ON s.user_id = m.user_id \
             WHERE m.channel_id = $1 AND s.status = 'online'",
        )
        .bind(channel_id)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn badge_count(&self, user_id: &str) -> Result<i64> {
        let count: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(SUM(CASE WHEN c.channel_type = 'D' THEN c.total_msg_count - m.msg_count \
             ELSE m.mention_count END) AS BIGINT) \
             FROM channel_members m JOIN channel_view c ON c.id = m.channel_id \
             WHERE m.user_id = $1 AND c.delete_at = 0",
        )
        .bind(user_id)
        .fetch_one(&mut *self.writer().await?)
        .await?;
        Ok(count.unwrap_or(0).max(0))
    }

    async fn enqueue_pushes(&self, jobs: &[PushJob]) -> Result<()> {
        if jobs.is_empty() {
            return Ok(());
        }
        let sql = PushJob::TABLE.insert();
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        for job in jobs {
            job.bind_to(sqlx::query(&sql)).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn claim_pushes(&self, now: i64, lease_until: i64, limit: i64) -> Result<Vec<PushJob>> {
        // The outer lease check is evaluated again on a row another node just
        // claimed (PostgreSQL re-reads locked rows), so no job goes out twice.
        Ok(sqlx::query_as(&format!(
            "UPDATE push_jobs SET lease_until = $1 \
             WHERE lease_until <= $2 AND next_attempt_at <= $2 AND id IN \
             (SELECT id FROM push_jobs WHERE next_attempt_at <= $2 AND lease_until <= $2 \
              ORDER BY next_attempt_at LIMIT $3) \
             RETURNING {}",
            PushJob::TABLE.columns()
        ))
        .bind(lease_until)
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *self.writer().await?)
        .await?)
    }

    async fn finish_push(&self, id: &str) -> Result<()> {
        sqlx::query("DELETE FROM push_jobs WHERE id = $1")
            .bind(id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn list_push_jobs(&self, limit: i64) -> Result<Vec<PushJob>> {
        Ok(sqlx::query_as(&format!(
            "{} ORDER BY create_at, id LIMIT $1",
            PushJob::TABLE.select()
        ))
        .bind(limit)
        .fetch_all(&mut *self.writer().await?)
        .await?)
    }

    async fn queue_depths(&self) -> Result<(i64, i64)> {
        Ok(sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM push_jobs), (SELECT COUNT(*) FROM email_digest)",
        )
        .fetch_one(&mut *self.reader().await?)
        .await?)
    }

    async fn retry_push(&self, id: &str, attempts: i64, next_attempt_at: i64) -> Result<()> {
        sqlx::query(
            "UPDATE push_jobs SET attempts = $2, next_attempt_at = $3, lease_until = 0 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(attempts)
        .bind(next_attempt_at)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(())
    }

    async fn save_email_token(&self, t: &EmailToken) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        sqlx::query("DELETE FROM email_tokens WHERE user_id = $1 AND kind = $2")
            .bind(&t.user_id)
            .bind(&t.kind)
            .execute(&mut *tx)
            .await?;
        t.bind_to(sqlx::query(&EmailToken::TABLE.insert()))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn email_token_issued_at(&self, user_id: &str, kind: &str) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT create_at FROM email_tokens WHERE user_id = $1 AND kind = $2 \
             ORDER BY create_at DESC LIMIT 1",
        )
        .bind(user_id)
        .bind(kind)
        .fetch_optional(&mut *self.writer().await?)
        .await?)
    }

    async fn take_email_token(&self, token_hash: &str, kind: &str) -> Result<Option<EmailToken>> {
        Ok(sqlx::query_as(&format!(
            "DELETE FROM email_tokens WHERE token_hash = $1 AND kind = $2 RETURNING {}",
            EmailToken::TABLE.columns()
        ))
        .bind(token_hash)
        .bind(kind)
        .fetch_optional(&mut *self.writer().await?)
        .await?)
    }

    async fn add_email_tokens(&self, tokens: &[EmailToken], purge_before: i64) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        let mut kinds: Vec<&str> = tokens.iter().map(|t| t.kind.as_str()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        for kind in kinds {
            sqlx::query("DELETE FROM email_tokens WHERE kind = $1 AND create_at < $2")
                .bind(kind)
                .bind(purge_before)
                .execute(&mut *tx)
                .await?;
        }
        let sql = EmailToken::TABLE.insert();
        for t in tokens {
            t.bind_to(sqlx::query(&sql)).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn get_email_token(&self, token_hash: &str, kind: &str) -> Result<Option<EmailToken>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE token_hash = $1 AND kind = $2",
            EmailToken::TABLE.select()
        ))
        .bind(token_hash)
        .bind(kind)
        .fetch_optional(&mut *self.writer().await?)
        .await?)
    }

    async fn delete_email_token(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM email_tokens WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn delete_email_tokens_of_kind(&self, kind: &str) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM email_tokens WHERE kind = $1")
            .bind(kind)
            .execute(&mut *self.writer().await?)
            .await?
            .rows_affected())
    }

    async fn queue_digest(&self, entries: &[DigestEntry]) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let sql = DigestEntry::TABLE.upsert("user_id, post_id", &[]);
        // One transaction: one turn at SQLite's single writer.
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        for e in entries {
            e.bind_to(sqlx::query(&sql)).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn list_digest_users(&self, before: i64, limit: i64) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT user_id FROM email_digest GROUP BY user_id HAVING MIN(create_at) < $1 \
             ORDER BY MIN(create_at) LIMIT $2",
        )
        .bind(before)
        .bind(limit)
        .fetch_all(&mut *self.writer().await?)
        .await?)
    }

    async fn take_digest(&self, user_id: &str) -> Result<Vec<DigestEntry>> {
        let mut entries: Vec<DigestEntry> = sqlx::query_as(&format!(
            "DELETE FROM email_digest WHERE user_id = $1 RETURNING {}",
            DigestEntry::TABLE.columns()
        ))
        .bind(user_id)
        .fetch_all(&mut *self.writer().await?)
        .await?;
        entries.sort_by_key(|e| e.create_at);
        Ok(entries)
    }
}
