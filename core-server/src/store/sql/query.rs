//! The shapes of reading and writing that every area shares (compiled once
//! per dialect): one record by key, records by a list of ids, keyset pages,
//! and multi-row inserts that skip what is already stored.

use sqlx::{FromRow, QueryBuilder};

use super::super::{Db, DbRow};
use super::record::Record;
use crate::error::{Error, Result};
use crate::model::Post;
use crate::store::PostCursor;

/// Maps "no row" to `entity` not found; other failures pass through.
pub(crate) fn missing(entity: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
    move |e| match e {
        sqlx::Error::RowNotFound => Error::not_found(entity),
        other => Error::from(other),
    }
}

/// Fails with `entity` not found when a write changed no row.
pub(crate) fn changed(
    done: <Db as sqlx::Database>::QueryResult,
    entity: &'static str,
) -> Result<()> {
    if done.rows_affected() == 0 {
        return Err(Error::not_found(entity));
    }
    Ok(())
}

/// The record matching `condition` (on `$1`, `$2`, … bound to `keys` in
/// order), or `entity` not found.
pub(crate) async fn find<'e, M: Record>(
    from: impl sqlx::Executor<'e, Database = Db>,
    condition: &str,
    keys: &[&str],
    entity: &'static str,
) -> Result<M> {
    let sql = format!("{} WHERE {condition}", M::TABLE.select());
    let mut query = sqlx::query_as(&sql);
    for key in keys {
        query = query.bind(*key);
    }
    query.fetch_one(from).await.map_err(missing(entity))
}

/// Rows of `head` (a statement up to its `WHERE`, and any conditions
/// joined by a trailing `AND`) whose `column` is one of `values`, followed by
/// `tail` (an `ORDER BY`, or nothing); none without values.
pub(crate) async fn fetch_in<'e, R>(
    from: impl sqlx::Executor<'e, Database = Db>,
    head: &str,
    column: &str,
    values: &[String],
    tail: &str,
) -> Result<Vec<R>>
where
    R: Send + Unpin + for<'r> FromRow<'r, DbRow>,
{
    if values.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::<Db>::new(format!("{head}{column} IN "));
    push_list(&mut q, values);
    if !tail.is_empty() {
        q.push(" ");
        q.push(tail);
    }
    Ok(q.build_query_as().fetch_all(from).await?)
}

/// Appends `($1, $2, …)` binding each value: the right side of an `IN`.
pub(crate) fn push_list<'a>(q: &mut QueryBuilder<'a, Db>, values: &'a [String]) {
    q.push("(");
    let mut list = q.separated(", ");
    for value in values {
        list.push_bind(value);
    }
    list.push_unseparated(")");
}

/// Keyset paging over one unique column: appends `<column> > after ORDER
/// BY <column> LIMIT limit` (from the start when `after` is `None`) to a
/// statement that ends in `WHERE` or `AND`.
pub(crate) fn push_page_after<'a>(
    q: &mut QueryBuilder<'a, Db>,
    column: &str,
    after: Option<&'a str>,
    limit: i64,
) {
    q.push(format!("{column} > "));
    q.push_bind(after.unwrap_or(""));
    q.push(format!(" ORDER BY {column} LIMIT "));
    q.push_bind(limit);
}

/// Which way a page of posts runs from its cursor.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Towards {
    /// Older posts, newest first.
    Older,
    /// Newer posts, oldest first.
    Newer,
}

/// The orders lists of posts are read in.
#[derive(Clone, Copy)]
pub(crate) enum PostOrder {
    /// Oldest first: `create_at, id`.
    Created,
    /// Newest first: `create_at DESC, id DESC`.
    NewestFirst,
    /// Least recently changed first: `update_at, id`.
    Updated,
}

impl PostOrder {
    pub(crate) fn sql(self) -> &'static str {
        match self {
            PostOrder::Created => "create_at, id",
            PostOrder::NewestFirst => "create_at DESC, id DESC",
            PostOrder::Updated => "update_at, id",
        }
    }

    /// Sorts posts into this order (for lists read unordered).
    pub(crate) fn sort(self, posts: &mut [Post]) {
        match self {
            PostOrder::Created => {
                posts.sort_unstable_by(|a, b| (a.create_at, &a.id).cmp(&(b.create_at, &b.id)))
            }
            PostOrder::NewestFirst => {
                posts.sort_unstable_by(|a, b| (b.create_at, &b.id).cmp(&(a.create_at, &a.id)))
            }
            PostOrder::Updated => {
                posts.sort_unstable_by(|a, b| (a.update_at, &a.id).cmp(&(b.update_at, &b.id)))
            }
        }
    }
}

impl From<Towards> for PostOrder {
    fn from(towards: Towards) -> Self {
        match towards {
            Towards::Older => PostOrder::NewestFirst,
            Towards::Newer => PostOrder::Created,
        }
    }
}

/// Keyset paging over posts by (`create_at`, `id`): the posts strictly
/// beyond `cursor` (all when `None`) in direction `towards`, at most `limit`,
/// appended to a statement whose `WHERE` clause is complete.
pub(crate) fn push_post_page<'a>(
    q: &mut QueryBuilder<'a, Db>,
    cursor: Option<PostCursor<'a>>,
    towards: Towards,
    limit: i64,
) {
    let op = match towards {
        Towards::Older => "<",
        Towards::Newer => ">",
    };
    let order = PostOrder::from(towards).sql();
    if let Some(c) = cursor {
        q.push(format!(" AND (create_at {op} "));
        q.push_bind(c.create_at);
        q.push(" OR (create_at = ");
        q.push_bind(c.create_at);
        q.push(format!(" AND id {op} "));
        q.push_bind(c.id);
        q.push("))");
    }
    q.push(format!(" ORDER BY {order} LIMIT "));
    q.push_bind(limit);
}

/// A multi-row insert of `records` that keeps only the incoming rows (`v`)
/// passing `filter` and skips those conflicting on `keys`: stored rows are
/// never overwritten, so running it twice adds nothing.
pub(crate) fn insert_new<'a, M: Record + 'a>(
    records: impl IntoIterator<Item = &'a M>,
    filter: &str,
    keys: &str,
) -> QueryBuilder<'a, Db> {
    let table = M::TABLE;
    let columns = table.columns();
    let mut q = QueryBuilder::<Db>::new(format!("WITH v ({columns}) AS ("));
    q.push_values(records, |mut row, record| {
        record.bind_to(&mut row);
    });
    q.push(format!(
        ") INSERT INTO {} ({columns}) SELECT {columns} FROM v WHERE {filter} \
         ON CONFLICT ({keys}) DO NOTHING",
        table.name
    ));
    q
}

/// `insert_new` for posts, each with its words bound as `search_vector` (a
/// `tsvector` literal, see `crate::search::tsvector_literal`): the database
/// stores them instead of computing them (PostgreSQL only).
pub(crate) fn insert_new_posts_with_words<'a>(
    posts: impl IntoIterator<Item = &'a Post>,
    filter: &str,
    keys: &str,
) -> QueryBuilder<'a, Db> {
    let columns = Post::TABLE.columns();
    let mut q = QueryBuilder::<Db>::new(format!("WITH v ({columns}, search_vector) AS ("));
    q.push_values(posts, |mut row, post| {
        let row = post.bind_to(&mut row);
        let words = post
            .original_id
            .is_empty()
            .then(|| crate::search::tsvector_literal(&post.message));
        row.push_bind(words);
    });
    q.push(format!(
        ") INSERT INTO posts ({columns}, search_vector) \
         SELECT {columns}, CAST(search_vector AS tsvector) FROM v WHERE {filter} \
         ON CONFLICT ({keys}) DO NOTHING"
    ));
    q
}
