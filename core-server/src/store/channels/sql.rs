//! Channels, channel members and read state (compiled once per dialect).
//! Channels are read through `channel_view`, which adds the counter shards
//! that posting bumps on PostgreSQL (see the migrations).

use super::prelude::*;

record!(Channel in "channels" via "channel_view" {
    id, create_at, update_at, delete_at, team_id, channel_type, display_name, name, header,
    purpose, last_post_at, last_root_post_at, total_msg_count, total_msg_count_root,
    creator_id, props: json, extra_update_at, group_constrained, shared,
});

record!(ChannelMember in "channel_members" {
    channel_id, user_id, roles, last_viewed_at, msg_count, mention_count, mention_count_root,
    urgent_mention_count, msg_count_root, notify_props: json, last_update_at,
});

from_row!(ChannelUnread {
    channel_id,
    team_id,
    msg_count,
    msg_count_root,
    mention_count,
    mention_count_root,
    last_viewed_at,
});

/// Saves a new channel within a larger write (a team and its default channels).
pub(crate) async fn insert_channel(tx: &mut sqlx::Transaction<'_, Db>, c: &Channel) -> Result<()> {
    c.bind_to(sqlx::query(&Channel::TABLE.insert()))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Adds memberships, or for members already there replaces their roles and
/// notify props (their read state stays).
pub(crate) async fn save_channel_members(
    tx: &mut sqlx::Transaction<'_, Db>,
    members: &[ChannelMember],
) -> Result<()> {
    let sql = ChannelMember::TABLE.upsert(
        "channel_id, user_id",
        &["roles", "notify_props", "last_update_at"],
    );
    for m in members {
        m.bind_to(sqlx::query(&sql)).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Limits a listing of the user's channels to one team's (plus the DMs and
/// GMs, whose team is `''`) when a team is given.
fn push_team_filter<'a>(q: &mut QueryBuilder<'a, Db>, column: &str, team_id: Option<&'a str>) {
    if let Some(team_id) = team_id {
        q.push(format!(" AND ({column} = "));
        q.push_bind(team_id);
        q.push(format!(" OR {column} = '')"));
    }
}

#[async_trait]
impl ChannelStore for Backend {
    async fn create_channel(&self, channel: &Channel, members: &[ChannelMember]) -> Result<()> {
        let (channel, members) = (channel.clone(), members.to_vec());
        // Opening a direct message makes its channel: often, so a job.
        self.write_job(move |writer| {
            Box::pin(async move {
                let mut tx = writer.begin().await?;
                insert_channel(&mut tx, &channel).await?;
                save_channel_members(&mut tx, &members).await?;
                tx.commit().await?;
                Ok(())
            })
        })
        .await
    }

    async fn get_channel(&self, id: &str) -> Result<Channel> {
        find(&mut *self.reader().await?, "id = $1", &[id], "channel").await
    }

    async fn get_channel_by_name(&self, team_id: &str, name: &str) -> Result<Channel> {
        let condition = "team_id = $1 AND name = $2";
        find(
            &mut *self.reader().await?,
            condition,
            &[team_id, name],
            "channel",
        )
        .await
    }

    async fn get_channel_with_member(
        &self,
        channel_id: &str,
        user_id: &str,
    ) -> Result<(Channel, Option<ChannelMember>)> {
        let row = sqlx::query(&format!(
            "SELECT {}, {} FROM channel_view c LEFT JOIN channel_members m \
             ON m.channel_id = c.id AND m.user_id = $2 WHERE c.id = $1",
            Channel::TABLE.columns_of("c"),
            ChannelMember::TABLE.columns_of("m")
        ))
        .bind(channel_id)
        .bind(user_id)
        .fetch_one(&mut *self.reader().await?)
        .await
        .map_err(missing("channel"))?;
        // Without a membership the joined columns are null.
        let member_at = Channel::TABLE.columns.len();
        let member = match sqlx::Row::try_get::<Option<&str>, _>(&row, member_at)? {
            Some(_) => Some(ChannelMember::decode(&row, member_at)?),
            None => None,
        };
        Ok((Channel::decode(&row, 0)?, member))
    }

    async fn update_channel(&self, c: &Channel) -> Result<()> {
        let sql = Channel::TABLE.update(
            &["id"],
            &[
                "update_at",
                "team_id",
                "delete_at",
                "channel_type",
                "display_name",
                "name",
                "header",
                "purpose",
                "props",
                "extra_update_at",
                "group_constrained",
                "shared",
            ],
        );
        changed(
            c.bind_to(sqlx::query(&sql))
                .execute(&mut *self.writer().await?)
                .await?,
            "channel",
        )
    }

    async fn list_team_channels(&self, team_id: &str, user_id: &str) -> Result<Vec<Channel>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE team_id = $1 AND (channel_type = 'O' OR EXISTS (SELECT 1 FROM \
             channel_members m WHERE m.channel_id = channel_view.id AND m.user_id = $2)) \
             ORDER BY display_name, id",
            Channel::TABLE.select()
        ))
        .bind(team_id)
        .bind(user_id)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn list_user_channels(
        &self,
        user_id: &str,
        team_id: Option<&str>,
    ) -> Result<Vec<Channel>> {
        let mut q = QueryBuilder::<Db>::new(format!(
            "{} WHERE id IN (SELECT channel_id FROM channel_members WHERE user_id = ",
            Channel::TABLE.select()
        ));
        q.push_bind(user_id);
        q.push(")");
        push_team_filter(&mut q, "team_id", team_id);
        q.push(" ORDER BY display_name, id");
        Ok(q.build_query_as()
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn list_all_channels(&self, after_id: Option<&str>, limit: i64) -> Result<Vec<Channel>> {
        let mut q = QueryBuilder::<Db>::new(format!("{} WHERE ", Channel::TABLE.select()));
        push_page_after(&mut q, "id", after_id, limit);
        Ok(q.build_query_as()
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn save_channel_member(&self, member: &ChannelMember) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        save_channel_members(&mut tx, std::slice::from_ref(member)).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_channel_read_state(&self, m: &ChannelMember) -> Result<()> {
        let sql = ChannelMember::TABLE.update(
            &["channel_id", "user_id"],
            &[
                "last_viewed_at",
                "msg_count",
                "msg_count_root",
                "mention_count",
                "mention_count_root",
                "urgent_mention_count",
                "last_update_at",
            ],
        );
        let done = m
            .bind_to(sqlx::query(&sql))
            .execute(&mut *self.writer().await?)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found("channel member"));
        }
        Ok(())
    }

    async fn get_channel_member(&self, channel_id: &str, user_id: &str) -> Result<ChannelMember> {
        let condition = "channel_id = $1 AND user_id = $2";
        find(
            &mut *self.reader().await?,
            condition,
            &[channel_id, user_id],
            "channel member",
        )
        .await
    }

    async fn delete_channel_member(&self, channel_id: &str, user_id: &str) -> Result<()> {
        let done =
            sqlx::query("DELETE FROM channel_members WHERE channel_id = $1 AND user_id = $2")
                .bind(channel_id)
                .bind(user_id)
                .execute(&mut *self.writer().await?)
                .await?;
        changed(done, "channel member")
    }

    async fn list_channel_members(
        &self,
        channel_id: &str,
        after_user_id: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ChannelMember>> {
        let mut q = QueryBuilder::<Db>::new(format!(
            "{} WHERE channel_id = ",
            ChannelMember::TABLE.select()
        ));
        q.push_bind(channel_id);
        q.push(" AND ");
        push_page_after(&mut q, "user_id", after_user_id, limit);
        Ok(q.build_query_as()
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn count_channel_members(&self, channel_id: &str) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM channel_members WHERE channel_id = $1")
                .bind(channel_id)
                .fetch_one(&mut *self.reader().await?)
                .await?,
        )
    }

    async fn count_members_and_pinned(&self, channel_id: &str) -> Result<(i64, i64)> {
        Ok(sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM channel_members WHERE channel_id = $1), \
             (SELECT COUNT(*) FROM posts WHERE channel_id = $1 AND is_pinned = TRUE \
             AND delete_at = 0)",
        )
        .bind(channel_id)
        .fetch_one(&mut *self.reader().await?)
        .await?)
    }

    async fn channel_member_timezones(&self, channel_id: &str) -> Result<Vec<StringMap>> {
        let texts: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT u.timezone FROM channel_members m \
             JOIN users u ON u.id = m.user_id \
             WHERE m.channel_id = $1 AND u.delete_at = 0",
        )
        .bind(channel_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(texts.iter().map(|t| StringMap::from_column(t)).collect())
    }

    async fn list_user_channel_members(
        &self,
        user_id: &str,
        team_id: Option<&str>,
    ) -> Result<Vec<ChannelMember>> {
        let mut q = QueryBuilder::<Db>::new(format!(
            "{} WHERE user_id = ",
            ChannelMember::TABLE.select()
        ));
        q.push_bind(user_id);
        q.push(" AND channel_id IN (SELECT id FROM channels WHERE 1 = 1");
        push_team_filter(&mut q, "team_id", team_id);
        q.push(") ORDER BY channel_id");
        Ok(q.build_query_as()
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn list_memberships(&self, user_id: &str) -> Result<Memberships> {
        let channels: Vec<(String, String)> = sqlx::query_as(
            "SELECT c.id, c.team_id FROM channel_members m JOIN channels c ON c.id = m.channel_id \
             WHERE m.user_id = $1",
        )
        .bind(user_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        let teams: Vec<String> = sqlx::query_scalar(
            "SELECT team_id FROM team_members WHERE user_id = $1 AND delete_at = 0",
        )
        .bind(user_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(Memberships { channels, teams })
    }

    async fn view_channel(
        &self,
        channel_id: &str,
        user_id: &str,
        at: i64,
    ) -> Result<ChannelMember> {
        let sql = format!(
            "UPDATE channel_members SET \
             msg_count = (SELECT total_msg_count FROM channel_view WHERE id = $1), \
             msg_count_root = (SELECT total_msg_count_root FROM channel_view WHERE id = $1), \
             mention_count = 0, mention_count_root = 0, urgent_mention_count = 0, \
             last_viewed_at = $3, last_update_at = $3 \
             WHERE channel_id = $1 AND user_id = $2 RETURNING {}",
            ChannelMember::TABLE.columns()
        );
        let (channel_id, user_id) = (channel_id.to_string(), user_id.to_string());
        // Every channel switch writes this: a job, so its turn stays short.
        self.write_job(move |c| {
            Box::pin(async move {
                sqlx::query_as(&sql)
                    .bind(channel_id)
                    .bind(user_id)
                    .bind(at)
                    .fetch_one(&mut *c)
                    .await
                    .map_err(missing("channel member"))
            })
        })
        .await
    }

    async fn add_mentions(&self, channel_id: &str, user_ids: &[String], root: bool) -> Result<()> {
        if user_ids.is_empty() {
            return Ok(());
        }
        let mut q = QueryBuilder::<Db>::new(
            "UPDATE channel_members SET mention_count = mention_count + 1, \
             mention_count_root = mention_count_root + ",
        );
        q.push_bind(i64::from(root));
        q.push(" WHERE channel_id = ");
        q.push_bind(channel_id);
        q.push(" AND user_id IN ");
        push_list(&mut q, user_ids);
        q.build().execute(&mut *self.writer().await?).await?;
        Ok(())
    }

    async fn list_unreads(
        &self,
        user_id: &str,
        team_id: Option<&str>,
    ) -> Result<Vec<ChannelUnread>> {
        // Unread counts are what the channel has that the member has seen;
        // never below zero.
        let mut q = QueryBuilder::<Db>::new(
            "SELECT c.id AS channel_id, c.team_id, \
             CASE WHEN c.total_msg_count > m.msg_count \
               THEN c.total_msg_count - m.msg_count ELSE 0 END AS msg_count, \
             CASE WHEN c.total_msg_count_root > m.msg_count_root \
               THEN c.total_msg_count_root - m.msg_count_root ELSE 0 END AS msg_count_root, \
             m.mention_count, m.mention_count_root, m.last_viewed_at \
             FROM channel_members m JOIN channel_view c ON c.id = m.channel_id \
             WHERE c.delete_at = 0 AND m.user_id = ",
        );
        q.push_bind(user_id);
        push_team_filter(&mut q, "c.team_id", team_id);
        q.push(" ORDER BY c.id");
        Ok(q.build_query_as()
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }
}
