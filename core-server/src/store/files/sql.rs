//! File records and resumable uploads (compiled once per dialect).

use super::prelude::*;

record!(FileInfo in "file_infos" {
    id, creator_id, post_id, channel_id, create_at, update_at, delete_at, name, extension,
    size, mime_type, width, height, has_preview_image, has_thumbnail, mini_preview,
});

record!(UploadSession in "upload_sessions" {
    id, kind, user_id, channel_id, filename, file_size, file_offset, create_at,
});

record!(UploadPart in "upload_parts" {
    start_offset, size, blob_key,
});

#[async_trait]
impl FileStore for Backend {
    async fn create_file_info(&self, f: &FileInfo) -> Result<()> {
        f.bind_to(sqlx::query(&FileInfo::TABLE.insert()))
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn get_file_info(&self, id: &str) -> Result<FileInfo> {
        find(&mut *self.reader().await?, "id = $1", &[id], "file").await
    }

    async fn list_post_files(&self, post_id: &str, include_deleted: bool) -> Result<Vec<FileInfo>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE post_id = $1 AND (delete_at = 0 OR $2) ORDER BY create_at, id",
            FileInfo::TABLE.select()
        ))
        .bind(post_id)
        .bind(include_deleted)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn list_posts_files(&self, post_ids: &[String]) -> Result<Vec<FileInfo>> {
        let head = format!("{} WHERE delete_at = 0 AND ", FileInfo::TABLE.select());
        fetch_in(
            &mut *self.reader().await?,
            &head,
            "post_id",
            post_ids,
            "ORDER BY create_at, id",
        )
        .await
    }

    async fn list_files_by_ids(&self, ids: &[String]) -> Result<Vec<FileInfo>> {
        let head = format!("{} WHERE delete_at = 0 AND ", FileInfo::TABLE.select());
        fetch_in(
            &mut *self.reader().await?,
            &head,
            "id",
            ids,
            "ORDER BY create_at, id",
        )
        .await
    }

    async fn attach_files(
        &self,
        post_id: &str,
        channel_id: &str,
        creator_id: &str,
        file_ids: &[String],
        at: i64,
    ) -> Result<u64> {
        // Most posts have no files: no turn at the writer for them.
        if file_ids.is_empty() {
            return Ok(0);
        }
        let mut attached = 0;
        let mut writer = self.writer().await?;
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
            .execute(&mut *writer)
            .await?;
            attached += done.rows_affected();
        }
        Ok(attached)
    }

    async fn list_orphan_files(&self, before: i64, limit: i64) -> Result<Vec<FileInfo>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE post_id = '' AND create_at < $1 AND NOT EXISTS \
             (SELECT 1 FROM scheduled_posts s WHERE s.user_id = file_infos.creator_id \
              AND s.file_ids LIKE '%\"' || file_infos.id || '\"%') \
             ORDER BY create_at LIMIT $2",
            FileInfo::TABLE.select()
        ))
        .bind(before)
        .bind(limit)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn remove_file_info(&self, id: &str) -> Result<()> {
        sqlx::query("DELETE FROM file_infos WHERE id = $1")
            .bind(id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn search_files(
        &self,
        user_id: &str,
        team_id: Option<&str>,
        terms: &[String],
        limit: i64,
    ) -> Result<Vec<FileInfo>> {
        let mut q = QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM file_infos f JOIN channels c ON c.id = f.channel_id \
             JOIN channel_members m ON m.channel_id = f.channel_id AND m.user_id = ",
            FileInfo::TABLE.columns_of("f")
        ));
        q.push_bind(user_id);
        q.push(" WHERE f.delete_at = 0 AND f.post_id <> ''");
        if let Some(team_id) = team_id {
            q.push(" AND (c.team_id = ");
            q.push_bind(team_id);
            q.push(" OR c.team_id = '')");
        }
        for term in terms {
            q.push(" AND LOWER(f.name) LIKE ");
            q.push_bind(format!("%{}%", term.to_lowercase().replace(['%', '_'], "")));
        }
        q.push(" ORDER BY f.create_at DESC, f.id LIMIT ");
        q.push_bind(limit);
        Ok(q.build_query_as()
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn create_upload(&self, u: &UploadSession) -> Result<()> {
        u.bind_to(sqlx::query(&UploadSession::TABLE.insert()))
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn get_upload(&self, id: &str) -> Result<UploadSession> {
        // From the writer: a part just recorded must be seen at once.
        find(&mut *self.writer().await?, "id = $1", &[id], "upload").await
    }

    async fn list_user_uploads(&self, user_id: &str) -> Result<Vec<UploadSession>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE user_id = $1 ORDER BY create_at, id",
            UploadSession::TABLE.select()
        ))
        .bind(user_id)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn append_upload_part(&self, upload_id: &str, part: &UploadPart) -> Result<bool> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
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
        part.bind_to(sqlx::query(&UploadPart::TABLE.insert_with(&["upload_id"])))
            .bind(upload_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn claim_upload_finish(&self, id: &str, at: i64, stale_before: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE upload_sessions SET finishing = TRUE, finishing_at = $2 \
             WHERE id = $1 AND (finishing = FALSE OR finishing_at < $3)",
        )
        .bind(id)
        .bind(at)
        .bind(stale_before)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn release_upload_finish(&self, id: &str) -> Result<()> {
        sqlx::query("UPDATE upload_sessions SET finishing = FALSE, finishing_at = 0 WHERE id = $1")
            .bind(id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn list_upload_parts(&self, upload_id: &str) -> Result<Vec<UploadPart>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE upload_id = $1 ORDER BY start_offset",
            UploadPart::TABLE.select()
        ))
        .bind(upload_id)
        .fetch_all(&mut *self.writer().await?)
        .await?)
    }

    async fn delete_upload(&self, id: &str) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
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
        Ok(sqlx::query_as(&format!(
            "{} WHERE create_at < $1 ORDER BY create_at LIMIT $2",
            UploadSession::TABLE.select()
        ))
        .bind(before)
        .bind(limit)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }
}
