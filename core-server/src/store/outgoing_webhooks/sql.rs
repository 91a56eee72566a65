//! Outgoing webhooks (compiled once per dialect). Trigger words and
//! callback URLs are JSON text; hooks are always read by team, channel or
//! creator, never searched by word.

use super::prelude::*;

record!(OutgoingWebhook in "outgoing_webhooks" {
    id, token, create_at, update_at, delete_at, creator_id, channel_id, team_id,
    trigger_words: json, trigger_when, callback_urls: json, display_name, description,
    content_type, username, icon_url,
});

#[async_trait]
impl OutgoingWebhookStore for Backend {
    async fn create_outgoing_webhook(&self, h: &OutgoingWebhook) -> Result<()> {
        h.bind_to(sqlx::query(&OutgoingWebhook::TABLE.insert()))
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn get_outgoing_webhook(&self, id: &str) -> Result<OutgoingWebhook> {
        find(
            &mut *self.reader().await?,
            "id = $1 AND delete_at = 0",
            &[id],
            "outgoing webhook",
        )
        .await
    }

    async fn list_outgoing_webhooks(
        &self,
        filter: OutgoingHookFilter<'_>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<OutgoingWebhook>> {
        let mut q = QueryBuilder::<Db>::new(format!(
            "{} WHERE delete_at = 0",
            OutgoingWebhook::TABLE.select()
        ));
        for (column, value) in [
            ("team_id", filter.team_id),
            ("channel_id", filter.channel_id),
            ("creator_id", filter.creator_id),
        ] {
            if let Some(value) = value {
                q.push(format!(" AND {column} = "));
                q.push_bind(value);
            }
        }
        q.push(" ORDER BY create_at, id LIMIT ");
        q.push_bind(limit);
        q.push(" OFFSET ");
        q.push_bind(offset);
        Ok(q.build_query_as()
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn outgoing_webhooks_for_channel(
        &self,
        team_id: &str,
        channel_id: &str,
    ) -> Result<Vec<OutgoingWebhook>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE team_id = $1 AND channel_id IN ('', $2) AND delete_at = 0 \
             ORDER BY create_at, id",
            OutgoingWebhook::TABLE.select()
        ))
        .bind(team_id)
        .bind(channel_id)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn update_outgoing_webhook(&self, h: &OutgoingWebhook) -> Result<()> {
        let sql = OutgoingWebhook::TABLE.update(
            &["id"],
            &[
                "token",
                "update_at",
                "delete_at",
                "creator_id",
                "channel_id",
                "trigger_words",
                "trigger_when",
                "callback_urls",
                "display_name",
                "description",
                "content_type",
                "username",
                "icon_url",
            ],
        );
        changed(
            h.bind_to(sqlx::query(&sql))
                .execute(&mut *self.writer().await?)
                .await?,
            "outgoing webhook",
        )
    }
}
