//! Posts, threads and search (compiled once per dialect). A new post also
//! bumps its channel's counters: how is the dialect's business
//! (`insert_post_statement` in `sqlite.rs` and `postgres.rs`).

use std::collections::HashMap;

use super::super::{
    insert_post_statement, push_index_match, search_shape, POSTS_AS_JSON, SEARCH_LANGUAGE,
    SEARCH_PROBE,
};
use super::prelude::*;
use super::record::Query;
use crate::search::SearchTerm;
use crate::store::SearchPlan;

record!(Post in "posts" {
    id, create_at, update_at, edit_at, delete_at, is_pinned, user_id, channel_id, root_id,
    original_id, message, post_type, props: json, hashtags, file_ids: json, pending_post_id,
    reply_count, last_reply_at,
});

record!(ThreadMember in "thread_memberships" {
    post_id, user_id, following, last_viewed, last_updated, unread_mentions,
});

// The indexes on `root_id` and `pending_post_id` cover only non-empty values,
// and the planners use them only when a statement says so in those words:
// every lookup by either column repeats `<> ''` (or scans every post).

/// The post a user already made with this `pending_post_id`, if any.
async fn find_pending_post(
    conn: &mut DbConnection,
    user_id: &str,
    pending: &str,
) -> Result<Option<Post>> {
    Ok(sqlx::query_as(&format!(
        "{} WHERE user_id = $1 AND pending_post_id = $2 AND pending_post_id <> ''",
        Post::TABLE.select()
    ))
    .bind(user_id)
    .bind(pending)
    .fetch_optional(conn)
    .await?)
}

/// A thread membership: inserted with defaults, or updated in only what
/// was given (`$7`: following was given, `$8`: a view time was given).
const UPSERT_THREAD_MEMBER: &str = "INSERT INTO thread_memberships \
     (post_id, user_id, following, last_viewed, last_updated, unread_mentions) \
     VALUES ($1, $2, $3, $4, $6, $5) \
     ON CONFLICT (post_id, user_id) DO UPDATE SET \
     following = CASE WHEN $7 THEN excluded.following \
       ELSE thread_memberships.following END, \
     last_viewed = CASE WHEN $8 THEN excluded.last_viewed \
       ELSE thread_memberships.last_viewed END, \
     unread_mentions = CASE WHEN $8 THEN 0 \
       ELSE thread_memberships.unread_mentions END + $5, \
     last_updated = excluded.last_updated";

/// The search's words, through the full-text index (`push_index_match` of
/// the dialect), plus the check of the message for terms typed with more than
/// their words (see `crate::search::terms`).
fn push_text_conditions<'a>(q: &mut QueryBuilder<'a, Db>, search: &PostSearch<'a>, per_row: bool) {
    let lang = SEARCH_LANGUAGE;
    let excluded_words: Vec<String> = search
        .excluded
        .iter()
        .filter(|t| !t.needs_text_check())
        .filter_map(|t| lang.term(t))
        .collect();
    let push_like = |q: &mut QueryBuilder<'a, Db>, term: &SearchTerm, negate: bool| {
        q.push(if negate {
            "LOWER(p.message) NOT LIKE "
        } else {
            "LOWER(p.message) LIKE "
        });
        q.push_bind(like_pattern("%", &term.text, "%"));
        q.push(" ESCAPE '\\'");
    };
    // Excluded words go into the index query of an "and" search; otherwise
    // they are a condition of their own.
    let mut excluded_pending = !excluded_words.is_empty();
    if search.any_term {
        if !search.terms.is_empty() {
            q.push(" AND (");
            for (i, term) in search.terms.iter().enumerate() {
                q.push(if i == 0 { "(" } else { " OR (" });
                let indexed = lang.term(term);
                let has_index = indexed.is_some();
                if let Some(expr) = indexed {
                    push_index_match(q, expr, per_row);
                }
                if term.needs_text_check() {
                    if has_index {
                        q.push(" AND ");
                    }
                    push_like(q, term, false);
                }
                q.push(")");
            }
            q.push(")");
        }
    } else {
        let wanted: Vec<String> = search.terms.iter().filter_map(|t| lang.term(t)).collect();
        if !wanted.is_empty() {
            let mut expr = lang.all(&wanted);
            if excluded_pending {
                expr = lang.without(expr, &excluded_words);
                excluded_pending = false;
            }
            q.push(" AND ");
            push_index_match(q, expr, per_row);
        }
        for term in search.terms.iter().filter(|t| t.needs_text_check()) {
            q.push(" AND ");
            push_like(q, term, false);
        }
    }
    if excluded_pending {
        q.push(" AND NOT (");
        push_index_match(q, lang.any(&excluded_words), per_row);
        q.push(")");
    }
    for term in search.excluded.iter().filter(|t| t.needs_text_check()) {
        q.push(" AND ");
        push_like(q, term, true);
    }
}

/// The index query for what every result must have: all the words of an
/// "and" search, any of an "or" search; `None` when some term cannot be
/// looked up (then the database scans anyway).
fn positive_index_expr(search: &PostSearch<'_>) -> Option<String> {
    let exprs: Option<Vec<String>> = if search.any_term {
        search
            .terms
            .iter()
            .map(|t| SEARCH_LANGUAGE.term(t))
            .collect()
    } else {
        Some(
            search
                .terms
                .iter()
                .filter_map(|t| SEARCH_LANGUAGE.term(t))
                .collect(),
        )
    };
    let exprs = exprs.filter(|e| !e.is_empty())?;
    Some(if search.any_term {
        SEARCH_LANGUAGE.any(&exprs)
    } else {
        SEARCH_LANGUAGE.all(&exprs)
    })
}

/// Matches counted at most by the probe: past this, walking posts newest
/// first reaches a page of results sooner than reading every match
/// (measured with `scripts/bench-search`). `RUSTCHAT_SEARCH_PROBE_CAP`
/// changes it, for tests of both shapes.
fn probe_cap() -> i64 {
    std::env::var("RUSTCHAT_SEARCH_PROBE_CAP")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|cap: &i64| *cap > 0)
        .unwrap_or(20_000)
}

/// How the search query is shaped: the dialect's probe, when it has one,
/// counts the matches of the words (up to `probe_cap`).
async fn plan_search(conn: &mut DbConnection, search: &PostSearch<'_>) -> Result<SearchPlan> {
    let (Some(probe), Some(expr)) = (SEARCH_PROBE, positive_index_expr(search)) else {
        return Ok(SearchPlan::Planner);
    };
    let cap = probe_cap();
    let found: i64 = sqlx::query_scalar(probe)
        .bind(expr)
        .bind(cap)
        .fetch_one(conn)
        .await?;
    Ok(if found < cap {
        SearchPlan::FromIndex
    } else {
        SearchPlan::NewestFirst
    })
}

/// The condition that keeps a listing to thread roots when asked to.
fn roots_filter(posts: ChannelPosts<'_>) -> &'static str {
    if posts.roots_only {
        " AND root_id = ''"
    } else {
        ""
    }
}

/// Opens a statement for a list of posts: what follows selects the posts'
/// columns (`Post::TABLE.select()`, with its `ORDER BY` and `LIMIT`), then
/// [`post_list_close`]; [`read_post_list`] runs it. Where the dialect reads
/// lists as JSON (`POSTS_AS_JSON`), the selection becomes a subquery of one
/// `json_group_array` of each post's columns.
fn post_list_open() -> String {
    if POSTS_AS_JSON {
        format!(
            "SELECT json_group_array(json_array({})) FROM (",
            Post::TABLE.columns()
        )
    } else {
        String::new()
    }
}

/// Closes what [`post_list_open`] opened.
fn post_list_close() -> &'static str {
    if POSTS_AS_JSON {
        ")"
    } else {
        ""
    }
}

/// The statement of a list of posts: those matching `filter`, in `order`,
/// then `tail` (its `LIMIT`), opened and closed as [`post_list_open`] says.
fn post_list_statement(filter: &str, order: PostOrder, tail: &str) -> String {
    format!(
        "{}{} WHERE {filter} ORDER BY {}{tail}{}",
        post_list_open(),
        Post::TABLE.select(),
        order.sql(),
        post_list_close()
    )
}

/// The posts of a statement of [`post_list_open`], in `order` (the order of
/// its `ORDER BY`). An aggregate's input order is not one SQL promises, and
/// sorting a page here costs less than the sort SQLite would make for an
/// `ORDER BY` inside the aggregate.
async fn read_post_list(
    query: Query<'_>,
    conn: &mut DbConnection,
    order: PostOrder,
) -> Result<Vec<Post>> {
    if POSTS_AS_JSON {
        let row = query.fetch_one(conn).await?;
        let mut posts =
            crate::store::post_list::posts_from_json(sqlx::Row::try_get::<&str, _>(&row, 0)?)?;
        order.sort(&mut posts);
        Ok(posts)
    } else {
        let rows = query.fetch_all(conn).await?;
        rows.iter().map(|row| Ok(Post::decode(row, 0)?)).collect()
    }
}

/// A page of a channel's live posts, in `towards` order from `cursor`.
async fn channel_page(
    conn: &mut DbConnection,
    posts: ChannelPosts<'_>,
    cursor: Option<PostCursor<'_>>,
    towards: Towards,
    limit: i64,
) -> Result<Vec<Post>> {
    let mut q = QueryBuilder::<Db>::new(format!(
        "{}{} WHERE delete_at = 0{} AND channel_id = ",
        post_list_open(),
        Post::TABLE.select(),
        roots_filter(posts)
    ));
    q.push_bind(posts.channel_id);
    push_post_page(&mut q, cursor, towards, limit);
    q.push(post_list_close());
    read_post_list(q.build(), conn, towards.into()).await
}

/// Followed threads of members of their channel, with each follower's
/// unread replies; conditions on `t` (the membership), `p` (the root) and
/// `c` (its channel) follow.
fn thread_views<'a>(include_deleted: bool) -> QueryBuilder<'a, Db> {
    let live = if include_deleted {
        ""
    } else {
        "p.delete_at = 0 AND "
    };
    let mut q = QueryBuilder::<Db>::new(format!(
        "SELECT {}, {}, \
         (SELECT COUNT(*) FROM posts r WHERE r.root_id = p.id AND r.root_id <> '' AND r.delete_at = 0 \
          AND r.create_at > t.last_viewed AND r.user_id <> t.user_id) AS unread_replies \
         FROM thread_memberships t JOIN posts p ON p.id = t.post_id \
         JOIN channels c ON c.id = p.channel_id \
         JOIN channel_members m ON m.channel_id = p.channel_id AND m.user_id = t.user_id \
         WHERE {live}t.following = ",
        Post::TABLE.columns_of("p"),
        ThreadMember::TABLE.columns_of("t"),
    ));
    q.push_bind(true);
    q
}

/// A thread view without its participants, from a row of [`thread_views`].
fn thread_view(row: &DbRow) -> Result<ThreadView> {
    Ok(ThreadView {
        root: Post::decode(row, 0)?,
        member: ThreadMember::decode(row, Post::TABLE.columns.len())?,
        unread_replies: sqlx::Row::try_get(row, "unread_replies")?,
        participants: Vec::new(),
    })
}

#[async_trait]
impl PostStore for Backend {
    async fn create_post(&self, p: &Post) -> Result<Post> {
        let p = p.clone();
        // One turn at the writer for the check and the insert.
        self.write_job(move |writer| {
            Box::pin(async move {
                if !p.pending_post_id.is_empty() {
                    if let Some(existing) =
                        find_pending_post(writer, &p.user_id, &p.pending_post_id).await?
                    {
                        return Ok(existing);
                    }
                }
                let sql = insert_post_statement(&Post::TABLE.insert());
                if let Err(err) = p.bind_to(sqlx::query(&sql)).execute(&mut *writer).await {
                    let err = Error::from(err);
                    // Two identical creates raced: the loser answers with the winner's post.
                    if matches!(err, Error::Conflict { .. }) && !p.pending_post_id.is_empty() {
                        if let Some(existing) =
                            find_pending_post(writer, &p.user_id, &p.pending_post_id).await?
                        {
                            return Ok(existing);
                        }
                    }
                    return Err(err);
                }
                Ok(p)
            })
        })
        .await
    }

    async fn get_post(&self, id: &str) -> Result<Post> {
        find(&mut *self.reader().await?, "id = $1", &[id], "post").await
    }

    async fn edit_post(&self, history: &Post, updated: &Post) -> Result<()> {
        // The old version is kept as a post of its own that nothing counts,
        // threads under or sends again.
        let history = Post {
            pending_post_id: String::new(),
            reply_count: 0,
            last_reply_at: 0,
            ..history.clone()
        };
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        history
            .bind_to(sqlx::query(&Post::TABLE.insert()))
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query(
            "UPDATE posts SET message = $2, hashtags = $3, props = $4, file_ids = $5, \
             edit_at = $6, update_at = $6 WHERE id = $1 AND delete_at = 0",
        )
        .bind(&updated.id)
        .bind(&updated.message)
        .bind(&updated.hashtags)
        .bind(to_column(&updated.props))
        .bind(to_column(&updated.file_ids))
        .bind(updated.edit_at)
        .execute(&mut *tx)
        .await?;
        changed(done, "post")?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_post(&self, p: &Post) -> Result<()> {
        let sql = Post::TABLE.update(&["id"], &["is_pinned", "props", "update_at"]);
        changed(
            p.bind_to(sqlx::query(&sql))
                .execute(&mut *self.writer().await?)
                .await?,
            "post",
        )
    }

    async fn grow_post(&self, p: &Post) -> Result<()> {
        let sql = Post::TABLE.update(&["id"], &["message", "hashtags", "file_ids", "update_at"]);
        changed(
            p.bind_to(sqlx::query(&sql))
                .execute(&mut *self.writer().await?)
                .await?,
            "post",
        )
    }

    async fn delete_post(&self, p: &Post, at: i64) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        let done = sqlx::query(
            "UPDATE posts SET delete_at = $2, update_at = $2 WHERE id = $1 AND delete_at = 0",
        )
        .bind(&p.id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        changed(done, "post")?;
        // Files follow their post (and a root's replies) into deletion.
        sqlx::query(
            "UPDATE file_infos SET delete_at = $2, update_at = $2 WHERE delete_at = 0 \
             AND (post_id = $1 OR post_id IN (SELECT id FROM posts WHERE root_id = $1 AND root_id <> ''))",
        )
        .bind(&p.id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        let thread = if p.root_id.is_empty() {
            // A root takes its replies along.
            "UPDATE posts SET delete_at = $2, update_at = $2 WHERE root_id = $1 AND root_id <> '' \
             AND delete_at = 0"
        } else {
            // A reply leaves its root one reply shorter.
            "UPDATE posts SET reply_count = CASE WHEN reply_count > 0 THEN reply_count - 1 \
             ELSE 0 END, update_at = $2 WHERE id = $1"
        };
        let thread_id = if p.root_id.is_empty() {
            &p.id
        } else {
            &p.root_id
        };
        sqlx::query(thread)
            .bind(thread_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn list_channel_posts(
        &self,
        posts: ChannelPosts<'_>,
        before: Option<PostCursor<'_>>,
        limit: i64,
    ) -> Result<Vec<Post>> {
        channel_page(
            &mut *self.reader().await?,
            posts,
            before,
            Towards::Older,
            limit,
        )
        .await
    }

    async fn list_thread(&self, root_id: &str) -> Result<Vec<Post>> {
        let order = PostOrder::Created;
        let sql = post_list_statement(
            "(id = $1 OR (root_id = $1 AND root_id <> '')) AND delete_at = 0",
            order,
            "",
        );
        read_post_list(
            sqlx::query(&sql).bind(root_id),
            &mut *self.reader().await?,
            order,
        )
        .await
    }

    async fn list_channel_posts_offset(
        &self,
        posts: ChannelPosts<'_>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Post>> {
        let order = PostOrder::NewestFirst;
        let sql = post_list_statement(
            &format!("channel_id = $1 AND delete_at = 0{}", roots_filter(posts)),
            order,
            " LIMIT $2 OFFSET $3",
        );
        read_post_list(
            sqlx::query(&sql)
                .bind(posts.channel_id)
                .bind(limit)
                .bind(offset),
            &mut *self.reader().await?,
            order,
        )
        .await
    }

    async fn list_channel_posts_after(
        &self,
        posts: ChannelPosts<'_>,
        after: PostCursor<'_>,
        limit: i64,
    ) -> Result<Vec<Post>> {
        channel_page(
            &mut *self.reader().await?,
            posts,
            Some(after),
            Towards::Newer,
            limit,
        )
        .await
    }

    async fn list_channel_posts_since(
        &self,
        posts: ChannelPosts<'_>,
        since: i64,
        limit: i64,
    ) -> Result<Vec<Post>> {
        let order = PostOrder::Updated;
        let sql = post_list_statement(
            &format!(
                "channel_id = $1 AND update_at > $2 AND original_id = ''{}",
                roots_filter(posts)
            ),
            order,
            " LIMIT $3",
        );
        read_post_list(
            sqlx::query(&sql)
                .bind(posts.channel_id)
                .bind(since)
                .bind(limit),
            &mut *self.reader().await?,
            order,
        )
        .await
    }

    async fn last_post_update(&self, channel_id: &str) -> Result<i64> {
        let at: Option<i64> =
            sqlx::query_scalar("SELECT MAX(update_at) FROM posts WHERE channel_id = $1")
                .bind(channel_id)
                .fetch_one(&mut *self.reader().await?)
                .await?;
        Ok(at.unwrap_or(0))
    }

    async fn list_pinned_posts(&self, channel_id: &str) -> Result<Vec<Post>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE channel_id = $1 AND is_pinned = TRUE AND delete_at = 0 \
             ORDER BY create_at DESC, id DESC",
            Post::TABLE.select()
        ))
        .bind(channel_id)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn get_posts_by_ids(&self, ids: &[String]) -> Result<Vec<Post>> {
        let head = format!("{} WHERE delete_at = 0 AND ", Post::TABLE.select());
        fetch_in(&mut *self.reader().await?, &head, "id", ids, "").await
    }

    async fn list_root_posts(
        &self,
        channel_id: &str,
        after: Option<PostCursor<'_>>,
        limit: i64,
    ) -> Result<Vec<Post>> {
        // Edit history never has a live row, so roots are only real roots.
        channel_page(
            &mut *self.reader().await?,
            ChannelPosts::roots(channel_id),
            after,
            Towards::Newer,
            limit,
        )
        .await
    }

    async fn list_replies(&self, root_ids: &[String]) -> Result<Vec<Post>> {
        let head = format!(
            "{} WHERE original_id = '' AND delete_at = 0 AND root_id <> '' AND ",
            Post::TABLE.select()
        );
        fetch_in(
            &mut *self.reader().await?,
            &head,
            "root_id",
            root_ids,
            "ORDER BY create_at, id",
        )
        .await
    }

    async fn list_thread_authors(&self, root_id: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT user_id FROM posts WHERE (id = $1 OR (root_id = $1 AND root_id <> '')) AND delete_at = 0",
        )
        .bind(root_id)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn list_channel_posts_from(
        &self,
        channel_id: &str,
        from: i64,
        limit: i64,
    ) -> Result<Vec<Post>> {
        let order = PostOrder::Created;
        let sql = post_list_statement(
            "channel_id = $1 AND create_at >= $2 AND delete_at = 0 AND original_id = ''",
            order,
            " LIMIT $3",
        );
        read_post_list(
            sqlx::query(&sql).bind(channel_id).bind(from).bind(limit),
            &mut *self.reader().await?,
            order,
        )
        .await
    }

    async fn search_posts(&self, search: &PostSearch<'_>) -> Result<Vec<Post>> {
        let plan = plan_search(&mut *self.reader().await?, search).await?;
        let shape = search_shape(plan, search.channel_ids.len() == 1);
        let mut q = QueryBuilder::<Db>::new(format!(
            "SELECT {columns} FROM {from} JOIN channel_members m \
             ON m.channel_id = {channel} AND m.user_id = ",
            columns = Post::TABLE.columns_of("p"),
            from = shape.from,
            channel = shape.post_channel,
        ));
        q.push_bind(search.user_id);
        q.push(format!(
            " JOIN channels c ON c.id = {} WHERE p.delete_at = 0 AND p.original_id = ''",
            shape.post_channel
        ));
        if let Some(team_id) = search.team_id {
            q.push(" AND (c.team_id = ");
            q.push_bind(team_id);
            q.push(" OR c.team_id = '')");
        }
        push_text_conditions(&mut q, search, shape.per_row);
        for (column, ids) in [
            ("p.user_id", search.from_user_ids),
            ("p.channel_id", search.channel_ids),
        ] {
            if !ids.is_empty() {
                q.push(format!(" AND {column} IN "));
                push_list(&mut q, ids);
            }
        }
        for (op, at) in [("<", search.before), (">", search.after)] {
            if let Some(at) = at {
                q.push(format!(" AND p.create_at {op} "));
                q.push_bind(at);
            }
        }
        q.push(" ORDER BY p.create_at DESC, p.id DESC LIMIT ");
        q.push_bind(search.limit);
        q.push(" OFFSET ");
        q.push_bind(search.offset);
        Ok(q.build_query_as()
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn upsert_thread_member(
        &self,
        post_id: &str,
        user_id: &str,
        following: Option<bool>,
        viewed_at: Option<i64>,
        mentions: i64,
        at: i64,
    ) -> Result<()> {
        let (post_id, user_id) = (post_id.to_string(), user_id.to_string());
        self.write_job(move |c| {
            Box::pin(async move {
                sqlx::query(UPSERT_THREAD_MEMBER)
                    .bind(post_id)
                    .bind(user_id)
                    .bind(following.unwrap_or(true))
                    .bind(viewed_at.unwrap_or(0))
                    .bind(mentions)
                    .bind(at)
                    .bind(following.is_some())
                    .bind(viewed_at.is_some())
                    .execute(&mut *c)
                    .await?;
                Ok(())
            })
        })
        .await
    }

    async fn get_thread_member(
        &self,
        post_id: &str,
        user_id: &str,
    ) -> Result<Option<ThreadMember>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE post_id = $1 AND user_id = $2",
            ThreadMember::TABLE.select()
        ))
        .bind(post_id)
        .bind(user_id)
        .fetch_optional(&mut *self.reader().await?)
        .await?)
    }

    async fn list_thread_participants(&self, root_ids: &[String]) -> Result<Vec<(String, String)>> {
        fetch_in(
            &mut *self.reader().await?,
            "SELECT root_id, user_id FROM posts WHERE delete_at = 0 AND root_id <> '' AND ",
            "root_id",
            root_ids,
            "GROUP BY root_id, user_id ORDER BY MIN(create_at), user_id",
        )
        .await
    }

    async fn list_thread_members(&self, post_ids: &[String]) -> Result<Vec<ThreadMember>> {
        let head = format!("{} WHERE ", ThreadMember::TABLE.select());
        fetch_in(
            &mut *self.reader().await?,
            &head,
            "post_id",
            post_ids,
            "ORDER BY post_id, user_id",
        )
        .await
    }

    async fn list_user_thread_members(
        &self,
        user_id: &str,
        post_ids: &[String],
    ) -> Result<Vec<ThreadMember>> {
        if post_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut q =
            QueryBuilder::<Db>::new(format!("{} WHERE user_id = ", ThreadMember::TABLE.select()));
        q.push_bind(user_id);
        q.push(" AND post_id IN ");
        push_list(&mut q, post_ids);
        Ok(q.build_query_as()
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn list_user_threads(
        &self,
        user_id: &str,
        team_id: &str,
        include_deleted: bool,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<ThreadView>> {
        let mut q = thread_views(include_deleted);
        q.push(" AND t.user_id = ");
        q.push_bind(user_id);
        q.push(" AND (c.team_id = ");
        q.push_bind(team_id);
        q.push(" OR c.team_id = '') AND p.last_reply_at < ");
        q.push_bind(before.unwrap_or(i64::MAX));
        q.push(" ORDER BY p.last_reply_at DESC, p.id DESC LIMIT ");
        q.push_bind(limit);
        let rows = q.build().fetch_all(&mut *self.reader().await?).await?;
        let mut views = rows.iter().map(thread_view).collect::<Result<Vec<_>>>()?;
        // Every thread's participants in one query.
        let roots: Vec<String> = views.iter().map(|v| v.root.id.clone()).collect();
        let mut by_root: HashMap<String, Vec<String>> = HashMap::new();
        for (root, user) in self.list_thread_participants(&roots).await? {
            by_root.entry(root).or_default().push(user);
        }
        for view in &mut views {
            view.participants = by_root.remove(&view.root.id).unwrap_or_default();
        }
        Ok(views)
    }

    async fn list_thread_followers(&self, root_id: &str) -> Result<Vec<ThreadView>> {
        let mut q = thread_views(false);
        q.push(" AND t.post_id = ");
        q.push_bind(root_id);
        let rows = q.build().fetch_all(&mut *self.reader().await?).await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let participants: Vec<String> = self
            .list_thread_participants(&[root_id.to_string()])
            .await?
            .into_iter()
            .map(|(_, user)| user)
            .collect();
        rows.iter()
            .map(|row| {
                let mut view = thread_view(row)?;
                view.participants = participants.clone();
                Ok(view)
            })
            .collect()
    }
}
