//! An installation upgraded to full-text search finds the posts it already
//! had: the migration before search is applied, posts are stored the old
//! way, then the store opens (the search migration, then the indexing of
//! stored posts) and searches them.

use std::path::Path;

use core_server::search::parse_search;
use core_server::store::{PostSearch, Store};
use sqlx::migrate::Migrator;

#[path = "support/mod.rs"]
mod support;

/// The first migration with full-text search.
const SEARCH_MIGRATION: i64 = 20;

async fn migrator_before_search(dialect: &str) -> Migrator {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../migrations")
        .join(dialect);
    let mut migrator = Migrator::new(dir).await.expect("migrations");
    migrator.migrations = migrator
        .migrations
        .iter()
        .filter(|m| m.version < SEARCH_MIGRATION)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    migrator
}

/// Rows as an installation before search stored them: one user in one
/// channel, 400 posts (two words each, one in five with "kestrel"), an edit
/// history copy and a deleted post that also say "kestrel".
fn old_rows() -> Vec<String> {
    let mut sql = vec![
        "INSERT INTO users (id, create_at, update_at, username, email, roles) \
         VALUES ('u1', 1, 1, 'ann', 'ann@example.com', 'system_user')"
            .to_string(),
        "INSERT INTO channels (id, create_at, update_at, team_id, channel_type, name) \
         VALUES ('c1', 1, 1, '', 'D', 'u1__u1')"
            .to_string(),
        "INSERT INTO channel_members (channel_id, user_id, roles, last_update_at) \
         VALUES ('c1', 'u1', 'channel_user', 1)"
            .to_string(),
    ];
    for i in 0..400 {
        let word = if i % 5 == 0 { "kestrel" } else { "sparrow" };
        sql.push(format!(
            "INSERT INTO posts (id, create_at, update_at, user_id, channel_id, message) \
             VALUES ('p{i:04}', {at}, {at}, 'u1', 'c1', 'a {word}, number {i}')",
            at = 1000 + i
        ));
    }
    sql.push(
        "INSERT INTO posts (id, create_at, update_at, user_id, channel_id, message, original_id) \
         VALUES ('h1', 5000, 5000, 'u1', 'c1', 'kestrel before an edit', 'p0001')"
            .to_string(),
    );
    sql.push(
        "INSERT INTO posts (id, create_at, update_at, user_id, channel_id, message, delete_at) \
         VALUES ('d1', 5001, 5001, 'u1', 'c1', 'kestrel deleted', 5002)"
            .to_string(),
    );
    sql
}

async fn count(store: &dyn Store, query: &str) -> usize {
    let parsed = parse_search(query).expect("query");
    let search = PostSearch {
        user_id: "u1",
        team_id: None,
        terms: &parsed.terms,
        any_term: false,
        excluded: &parsed.excluded,
        from_user_ids: &[],
        channel_ids: &[],
        before: None,
        after: None,
        offset: 0,
        limit: 200,
    };
    store.search_posts(&search).await.expect("search").len()
}

async fn finds_stored_posts(url: &str) {
    let store = core_server::store::open(url, 2).await.expect("upgrade");
    assert_eq!(
        count(&*store, "kestrel").await,
        80,
        "every stored post with the word"
    );
    assert_eq!(
        count(&*store, "sparrow").await,
        200,
        "a page of the other word"
    );
    assert_eq!(count(&*store, "\"number 17\"").await, 1);
    assert_eq!(
        store
            .get_system_value("post_search_backfill")
            .await
            .expect("system"),
        None,
        "the indexing is finished and not done again"
    );
    let reopened = core_server::store::open(url, 2).await.expect("reopen");
    assert_eq!(
        count(&*reopened, "kestrel").await,
        80,
        "reopening indexes nothing twice"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_upgrade_indexes_stored_posts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.expect("sqlite");
    migrator_before_search("sqlite")
        .await
        .run(&pool)
        .await
        .expect("old migrations");
    for sql in old_rows() {
        sqlx::query(&sql).execute(&pool).await.expect("old row");
    }
    pool.close().await;
    finds_stored_posts(&url).await;
}

/// The URL of a new, empty PostgreSQL database, or `None` (with a note)
/// when no server runs. Under `CI=true` a missing server fails the test.
async fn new_postgres_database(prefix: &str) -> Option<String> {
    let base = support::postgres_base();
    let base = base.trim_end_matches('/');
    let admin = match sqlx::PgPool::connect(&format!("{base}/postgres")).await {
        Ok(pool) => pool,
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("PostgreSQL is required under CI=true: {e}")
        }
        Err(e) => {
            eprintln!("SKIPPED: PostgreSQL unavailable: {e}");
            return None;
        }
    };
    let name = format!("{prefix}_{}", core_server::id::new_id());
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .expect("database");
    Some(format!("{base}/{name}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_upgrade_indexes_stored_posts() {
    let Some(url) = new_postgres_database("rustchat_upgrade").await else {
        return;
    };
    let pool = sqlx::PgPool::connect(&url).await.expect("postgres");
    migrator_before_search("postgres")
        .await
        .run(&pool)
        .await
        .expect("old migrations");
    for sql in old_rows() {
        sqlx::query(&sql).execute(&pool).await.expect("old row");
    }
    pool.close().await;
    finds_stored_posts(&url).await;
}

/// The words a bulk import sends with each post (computed by the importer)
/// are the words the database computes for any other write.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_bulk_words_are_the_database_words() {
    let Some(url) = new_postgres_database("rustchat_words").await else {
        return;
    };
    // Migrated by the store, which defines the database's function.
    drop(core_server::store::open(&url, 2).await.expect("store"));
    let pool = sqlx::PgPool::connect(&url).await.expect("postgres");
    let long_word = "x".repeat(3000);
    let messages = [
        "Ship it, ship IT now: 100% done_ish".to_string(),
        "mail ann@example.com or see https://example.com/a-b/c?d=1#frag".to_string(),
        "Café naïve ÉLAN über 日本語 テスト Ωμέγα".to_string(),
        "v1.2.3 1e5 3.14 0042 abc123def #tag @alice ~town-square".to_string(),
        "tabs\tand\nnew lines\r\nand   spaces".to_string(),
        format!("before {long_word} after"),
        (0..300).map(|_| "again").collect::<Vec<_>>().join(" "),
        String::new(),
        "¡¿…—“quotes”„«»».".to_string(),
    ];
    for message in &messages {
        let literal = core_server::search::tsvector_literal(message);
        let (same, ours, theirs): (bool, String, String) = sqlx::query_as(
            "SELECT CAST($1 AS tsvector) = post_search_vector($2), \
             CAST(CAST($1 AS tsvector) AS text), CAST(post_search_vector($2) AS text)",
        )
        .bind(&literal)
        .bind(message)
        .fetch_one(&pool)
        .await
        .expect("compare");
        assert!(same, "{message:?}: importer {ours} / database {theirs}");
    }
}
