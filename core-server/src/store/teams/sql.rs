//! Teams and team members (compiled once per dialect).

use super::channels::{insert_channel, save_channel_members};
use super::prelude::*;

record!(Team in "teams" {
    id, create_at, update_at, delete_at, display_name, name, description, email, team_type,
    company_name, allowed_domains, invite_id, allow_open_invite, last_team_icon_update,
});

record!(TeamMember in "team_members" {
    team_id, user_id, roles, delete_at, create_at, update_at,
});

/// Adds a member, or brings a removed one back with new roles.
async fn upsert_team_member(tx: &mut sqlx::Transaction<'_, Db>, m: &TeamMember) -> Result<()> {
    let sql = TeamMember::TABLE.upsert("team_id, user_id", &["roles", "delete_at", "update_at"]);
    m.bind_to(sqlx::query(&sql)).execute(&mut **tx).await?;
    Ok(())
}

#[async_trait]
impl TeamStore for Backend {
    async fn create_team(
        &self,
        t: &Team,
        channels: &[Channel],
        member: Option<&TeamMember>,
        channel_members: &[ChannelMember],
    ) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        t.bind_to(sqlx::query(&Team::TABLE.insert()))
            .execute(&mut *tx)
            .await?;
        for channel in channels {
            insert_channel(&mut tx, channel).await?;
        }
        if let Some(member) = member {
            upsert_team_member(&mut tx, member).await?;
        }
        save_channel_members(&mut tx, channel_members).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_team(&self, id: &str) -> Result<Team> {
        find(&mut *self.reader().await?, "id = $1", &[id], "team").await
    }

    async fn get_team_by_name(&self, name: &str) -> Result<Team> {
        find(&mut *self.reader().await?, "name = $1", &[name], "team").await
    }

    async fn get_team_by_invite(&self, invite_id: &str) -> Result<Team> {
        let condition = "invite_id = $1 AND delete_at = 0";
        find(&mut *self.reader().await?, condition, &[invite_id], "team").await
    }

    async fn update_team(&self, t: &Team) -> Result<()> {
        let sql = Team::TABLE.update(
            &["id"],
            &[
                "update_at",
                "delete_at",
                "display_name",
                "description",
                "email",
                "team_type",
                "company_name",
                "allowed_domains",
                "invite_id",
                "allow_open_invite",
                "last_team_icon_update",
            ],
        );
        changed(
            t.bind_to(sqlx::query(&sql))
                .execute(&mut *self.writer().await?)
                .await?,
            "team",
        )
    }

    async fn list_teams(&self, after_id: Option<&str>, limit: i64) -> Result<Vec<Team>> {
        let mut q =
            QueryBuilder::<Db>::new(format!("{} WHERE delete_at = 0 AND ", Team::TABLE.select()));
        push_page_after(&mut q, "id", after_id, limit);
        Ok(q.build_query_as()
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn list_user_teams(&self, user_id: &str) -> Result<Vec<Team>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE delete_at = 0 AND id IN \
             (SELECT team_id FROM team_members WHERE user_id = $1 AND delete_at = 0) \
             ORDER BY display_name, id",
            Team::TABLE.select()
        ))
        .bind(user_id)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn save_team_member(
        &self,
        member: &TeamMember,
        channel_members: &[ChannelMember],
    ) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        upsert_team_member(&mut tx, member).await?;
        save_channel_members(&mut tx, channel_members).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_team_member(&self, team_id: &str, user_id: &str) -> Result<TeamMember> {
        let condition = "team_id = $1 AND user_id = $2";
        find(
            &mut *self.reader().await?,
            condition,
            &[team_id, user_id],
            "team member",
        )
        .await
    }

    async fn list_team_members(
        &self,
        team_id: &str,
        after_user_id: Option<&str>,
        limit: i64,
    ) -> Result<Vec<TeamMember>> {
        let mut q = QueryBuilder::<Db>::new(format!(
            "{} WHERE delete_at = 0 AND team_id = ",
            TeamMember::TABLE.select()
        ));
        q.push_bind(team_id);
        q.push(" AND ");
        push_page_after(&mut q, "user_id", after_user_id, limit);
        Ok(q.build_query_as()
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn list_user_team_members(&self, user_id: &str) -> Result<Vec<TeamMember>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE user_id = $1 AND delete_at = 0 \
             AND team_id IN (SELECT id FROM teams WHERE delete_at = 0) ORDER BY team_id",
            TeamMember::TABLE.select()
        ))
        .bind(user_id)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn count_team_members(&self, team_id: &str) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM team_members WHERE team_id = $1 AND delete_at = 0",
        )
        .bind(team_id)
        .fetch_one(&mut *self.reader().await?)
        .await?)
    }

    async fn remove_team_member(&self, team_id: &str, user_id: &str, at: i64) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        let done = sqlx::query(
            "UPDATE team_members SET delete_at = $3, update_at = $3 \
             WHERE team_id = $1 AND user_id = $2 AND delete_at = 0",
        )
        .bind(team_id)
        .bind(user_id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        changed(done, "team member")?;
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
}
