//! Users, passwords, pictures and sessions (compiled once per dialect).

use super::prelude::*;

record!(User in "users" {
    id, create_at, update_at, delete_at, username, email, email_verified, nickname,
    first_name, last_name, position, roles, props: json, notify_props: json,
    timezone: json, locale, last_password_update, last_picture_update, last_activity_at,
    is_bot, bot_description, auth_service, auth_data, mfa_active,
});

record!(SsoGrant in "sso_grants" {
    key_hash, kind, data, expires_at,
});

record!(Session in "sessions" {
    id, token_hash, user_id, create_at, expires_at, last_activity_at, device_id, roles,
    props: json,
});

/// What an update of a user may change: not its id, creation, kind (bot or
/// not) or password time, which have their own paths.
const USER_CHANGES: &[&str] = &[
    "update_at",
    "delete_at",
    "username",
    "email",
    "email_verified",
    "nickname",
    "first_name",
    "last_name",
    "position",
    "roles",
    "props",
    "notify_props",
    "timezone",
    "locale",
    "last_picture_update",
    "last_activity_at",
    "bot_description",
    "auth_service",
    "auth_data",
    "mfa_active",
];

/// Saves a session within a larger write (a token and its session go together).
pub(crate) async fn insert_session(
    tx: &mut sqlx::Transaction<'_, Db>,
    session: &Session,
) -> Result<()> {
    session
        .bind_to(sqlx::query(&Session::TABLE.insert()))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Users matching `filter` (a condition on `users`), by username, paged by offset.
async fn list_users_where(
    conn: &mut DbConnection,
    filter: &str,
    key: &str,
    offset: i64,
    limit: i64,
) -> Result<Vec<User>> {
    Ok(sqlx::query_as(&format!(
        "{} WHERE {filter} ORDER BY username LIMIT $2 OFFSET $3",
        User::TABLE.select()
    ))
    .bind(key)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?)
}

/// `column`'s space-separated role list holds the bound role (`ESCAPE '\'`).
fn push_has_role<'a>(q: &mut QueryBuilder<'a, Db>, column: &str, role: &str) {
    q.push(format!("(' ' || {column} || ' ') LIKE "));
    q.push_bind(like_pattern("% ", role, " %"));
    q.push(" ESCAPE '\\'");
}

/// One role term of a count, over `u` and its joined membership `m`.
fn push_role_term<'a>(q: &mut QueryBuilder<'a, Db>, term: &'a RoleTerm) {
    let column = match term.scope {
        RoleScope::System => "u.roles",
        RoleScope::Team | RoleScope::Channel => "m.roles",
    };
    q.push("(");
    if term.only {
        q.push(format!("{column} = "));
        q.push_bind(term.role.as_str());
    } else {
        push_has_role(q, column, &term.role);
    }
    if let Some(unless) = &term.unless {
        q.push(" AND NOT ");
        push_has_role(q, column, unless);
    }
    if term.scope != RoleScope::System {
        q.push(" AND NOT ");
        push_has_role(q, "u.roles", roles::SYSTEM_ADMIN);
    }
    q.push(")");
}

#[async_trait]
impl UserStore for Backend {
    async fn create_user(&self, u: &User, password_hash: Option<&str>) -> Result<()> {
        u.bind_to(sqlx::query(&User::TABLE.insert_with(&["password_hash"])))
            .bind(password_hash)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn get_user(&self, id: &str) -> Result<User> {
        find(&mut *self.reader().await?, "id = $1", &[id], "user").await
    }

    async fn get_user_by_username(&self, username: &str) -> Result<User> {
        find(
            &mut *self.reader().await?,
            "username = $1",
            &[username],
            "user",
        )
        .await
    }

    async fn get_user_by_email(&self, email: &str) -> Result<User> {
        find(&mut *self.reader().await?, "email = $1", &[email], "user").await
    }

    async fn get_users_by_ids(&self, ids: &[String]) -> Result<Vec<User>> {
        let head = format!("{} WHERE ", User::TABLE.select());
        fetch_in(&mut *self.reader().await?, &head, "id", ids, "").await
    }

    async fn list_users(&self, after_id: Option<&str>, limit: i64) -> Result<Vec<User>> {
        let mut q = QueryBuilder::<Db>::new(format!("{} WHERE ", User::TABLE.select()));
        push_page_after(&mut q, "id", after_id, limit);
        Ok(q.build_query_as()
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn update_user(&self, u: &User) -> Result<()> {
        let sql = User::TABLE.update(&["id"], USER_CHANGES);
        changed(
            u.bind_to(sqlx::query(&sql))
                .execute(&mut *self.writer().await?)
                .await?,
            "user",
        )
    }

    async fn get_password_hash(&self, user_id: &str) -> Result<Option<String>> {
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&mut *self.reader().await?)
            .await
            .map_err(missing("user"))
    }

    async fn set_password_hash(&self, user_id: &str, hash: &str, at: i64) -> Result<()> {
        let done = sqlx::query(
            "UPDATE users SET password_hash = $2, last_password_update = $3, update_at = $3, \
             failed_attempts = 0 WHERE id = $1",
        )
        .bind(user_id)
        .bind(hash)
        .bind(at)
        .execute(&mut *self.writer().await?)
        .await?;
        changed(done, "user")
    }

    async fn failed_logins(&self, user_id: &str) -> Result<i64> {
        sqlx::query_scalar("SELECT failed_attempts FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&mut *self.reader().await?)
            .await
            .map_err(missing("user"))
    }

    async fn count_failed_login(&self, user_id: &str) -> Result<i64> {
        sqlx::query_scalar(
            "UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = $1 \
             RETURNING failed_attempts",
        )
        .bind(user_id)
        .fetch_one(&mut *self.writer().await?)
        .await
        .map_err(missing("user"))
    }

    async fn clear_failed_logins(&self, user_id: &str) -> Result<()> {
        sqlx::query("UPDATE users SET failed_attempts = 0 WHERE id = $1 AND failed_attempts <> 0")
            .bind(user_id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn count_users(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&mut *self.reader().await?)
            .await?)
    }

    async fn count_users_where(&self, f: &UserCount) -> Result<i64> {
        let mut q = QueryBuilder::<Db>::new("SELECT COUNT(*) FROM users u");
        let scope = if let Some(team) = &f.team_id {
            q.push(" JOIN team_members m ON m.user_id = u.id AND m.delete_at = 0 AND m.team_id = ");
            q.push_bind(team.as_str());
            Some(RoleScope::Team)
        } else if let Some(channel) = &f.channel_id {
            q.push(" JOIN channel_members m ON m.user_id = u.id AND m.channel_id = ");
            q.push_bind(channel.as_str());
            Some(RoleScope::Channel)
        } else {
            None
        };
        q.push(" WHERE 1 = 1");
        if !f.include_deleted {
            q.push(" AND u.delete_at = 0");
        }
        if !f.include_bots {
            q.push(" AND NOT u.is_bot");
        }
        let terms: Vec<&RoleTerm> = f
            .roles
            .iter()
            .filter(|t| t.scope == RoleScope::System || Some(t.scope) == scope)
            .collect();
        for (i, term) in terms.iter().enumerate() {
            q.push(if i == 0 { " AND (" } else { " OR " });
            push_role_term(&mut q, term);
        }
        if !terms.is_empty() {
            q.push(")");
        }
        Ok(q.build_query_scalar()
            .fetch_one(&mut *self.reader().await?)
            .await?)
    }

    async fn known_user_ids(&self, user_id: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT o.user_id FROM channel_members m \
             JOIN channel_members o ON o.channel_id = m.channel_id \
             WHERE m.user_id = $1 AND o.user_id <> $1",
        )
        .bind(user_id)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn first_system_admin(&self) -> Result<Option<User>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE delete_at = 0 AND is_bot = $1 AND (' ' || roles || ' ') LIKE $2 \
             ORDER BY create_at, id LIMIT 1",
            User::TABLE.select()
        ))
        .bind(false)
        .bind(format!("% {} %", roles::SYSTEM_ADMIN))
        .fetch_optional(&mut *self.reader().await?)
        .await?)
    }

    async fn get_users_by_usernames(&self, usernames: &[String]) -> Result<Vec<User>> {
        let head = format!("{} WHERE ", User::TABLE.select());
        fetch_in(&mut *self.reader().await?, &head, "username", usernames, "").await
    }

    async fn list_team_users(&self, team_id: &str, offset: i64, limit: i64) -> Result<Vec<User>> {
        let members =
            "id IN (SELECT user_id FROM team_members WHERE team_id = $1 AND delete_at = 0)";
        list_users_where(&mut *self.reader().await?, members, team_id, offset, limit).await
    }

    async fn list_channel_users(
        &self,
        channel_id: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<User>> {
        let members = "id IN (SELECT user_id FROM channel_members WHERE channel_id = $1)";
        list_users_where(
            &mut *self.reader().await?,
            members,
            channel_id,
            offset,
            limit,
        )
        .await
    }

    async fn search_users(
        &self,
        term: &str,
        team_id: Option<&str>,
        limit: i64,
    ) -> Result<Vec<User>> {
        let mut q = QueryBuilder::<Db>::new(format!(
            "{} WHERE delete_at = 0 AND (",
            User::TABLE.select()
        ));
        let pattern = like_pattern("", term, "%");
        for (i, column) in [
            "username",
            "LOWER(first_name)",
            "LOWER(last_name)",
            "LOWER(nickname)",
        ]
        .into_iter()
        .enumerate()
        {
            if i > 0 {
                q.push(" OR ");
            }
            q.push(format!("{column} LIKE "));
            q.push_bind(pattern.clone());
            q.push(" ESCAPE '\\'");
        }
        q.push(")");
        if let Some(team_id) = team_id {
            q.push(
                " AND id IN (SELECT user_id FROM team_members WHERE delete_at = 0 AND team_id = ",
            );
            q.push_bind(team_id);
            q.push(")");
        }
        q.push(" ORDER BY username LIMIT ");
        q.push_bind(limit);
        Ok(q.build_query_as()
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn save_picture(&self, user_id: &str, content_type: &str, image: &[u8]) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO user_pictures (user_id, content_type, image) VALUES ($1, $2, $3) {}",
            on_conflict("user_id", &["content_type", "image"])
        ))
        .bind(user_id)
        .bind(content_type)
        .bind(image)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(())
    }

    async fn get_picture(&self, user_id: &str) -> Result<Option<(String, Vec<u8>)>> {
        Ok(
            sqlx::query_as("SELECT content_type, image FROM user_pictures WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(&mut *self.reader().await?)
                .await?,
        )
    }

    async fn delete_picture(&self, user_id: &str) -> Result<()> {
        sqlx::query("DELETE FROM user_pictures WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn create_session(&self, s: &Session) -> Result<()> {
        let s = s.clone();
        self.write_job(move |c| {
            Box::pin(async move {
                s.bind_to(sqlx::query(&Session::TABLE.insert()))
                    .execute(&mut *c)
                    .await?;
                Ok(())
            })
        })
        .await
    }

    async fn get_session_with_user(&self, token_hash: &str) -> Result<(Session, User)> {
        let row = sqlx::query(&format!(
            "SELECT {}, {} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
            Session::TABLE.columns_of("s"),
            User::TABLE.columns_of("u")
        ))
        .bind(token_hash)
        .fetch_one(&mut *self.reader().await?)
        .await
        .map_err(missing("session"))?;
        let user_at = Session::TABLE.columns.len();
        Ok((Session::decode(&row, 0)?, User::decode(&row, user_at)?))
    }

    async fn list_sessions(&self, user_id: &str) -> Result<Vec<Session>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE user_id = $1 ORDER BY create_at DESC",
            Session::TABLE.select()
        ))
        .bind(user_id)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn delete_session(&self, id: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn set_session_device(&self, id: &str, device_id: &str) -> Result<()> {
        sqlx::query("UPDATE sessions SET device_id = $2 WHERE id = $1")
            .bind(id)
            .bind(device_id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn clear_session_device(&self, session_id: &str, device_id: &str) -> Result<()> {
        sqlx::query("UPDATE sessions SET device_id = '' WHERE id = $1 AND device_id = $2")
            .bind(session_id)
            .bind(device_id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn delete_user_sessions(&self, user_id: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn delete_all_sessions(&self) -> Result<Vec<(String, String)>> {
        Ok(sqlx::query_as("DELETE FROM sessions RETURNING user_id, id")
            .fetch_all(&mut *self.writer().await?)
            .await?)
    }

    async fn clear_password_hash(&self, user_id: &str) -> Result<()> {
        let done =
            sqlx::query("UPDATE users SET password_hash = NULL, failed_attempts = 0 WHERE id = $1")
                .bind(user_id)
                .execute(&mut *self.writer().await?)
                .await?;
        changed(done, "user")
    }

    async fn get_user_by_auth(&self, service: &str, auth_data: &str) -> Result<Option<User>> {
        // Password accounts have neither: they are never found this way.
        if service.is_empty() || auth_data.is_empty() {
            return Ok(None);
        }
        Ok(sqlx::query_as(&format!(
            "{} WHERE auth_service = $1 AND auth_data = $2",
            User::TABLE.select()
        ))
        .bind(service)
        .bind(auth_data)
        .fetch_optional(&mut *self.reader().await?)
        .await?)
    }

    async fn save_sso_grant(&self, grant: &SsoGrant) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        sqlx::query("DELETE FROM sso_grants WHERE expires_at < $1")
            .bind(crate::time::now_ms())
            .execute(&mut *tx)
            .await?;
        grant
            .bind_to(sqlx::query(&SsoGrant::TABLE.insert()))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn take_sso_grant(
        &self,
        key_hash: &str,
        kind: &str,
        now: i64,
    ) -> Result<Option<SsoGrant>> {
        // Taken whether or not it has expired, so an expired one is gone too.
        let grant: Option<SsoGrant> = sqlx::query_as(&format!(
            "DELETE FROM sso_grants WHERE key_hash = $1 AND kind = $2 RETURNING {}",
            SsoGrant::TABLE.columns()
        ))
        .bind(key_hash)
        .bind(kind)
        .fetch_optional(&mut *self.writer().await?)
        .await?;
        Ok(grant.filter(|g| g.expires_at > now))
    }
}
