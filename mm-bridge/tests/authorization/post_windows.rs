//! Windows of a channel's posts past their first page, and around the last
//! read post: the posts just outside them (`next_post_id`, `prev_post_id`),
//! and the channel header's pinned count, on both databases.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::{id, App, Backend};

crate::on_both_backends!(neighbours_of_later_pages_and_of_the_unread_window);

/// A channel as its reader sees it; its writer posts.
struct Channel<'a> {
    app: &'a App,
    token: String,
    writer: String,
    id: String,
}

impl Channel<'_> {
    async fn get(&self, path: &str) -> Value {
        let (status, body, _) = self
            .app
            .call(&Method::GET, path, Some(&self.token), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        body
    }

    async fn posts(&self, query: &str) -> (Vec<String>, String, String) {
        let list = self
            .get(&format!("/api/v4/channels/{}/posts?{query}", self.id))
            .await;
        shape(&list)
    }

    async fn post(&self, message: &str) -> String {
        let (status, post, _) = self
            .app
            .call(
                &Method::POST,
                "/api/v4/posts",
                Some(&self.writer),
                Some(&json!({"channel_id": self.id, "message": message})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{post}");
        // Posts a few milliseconds apart, so their times order them.
        tokio::time::sleep(Duration::from_millis(3)).await;
        id(&post)
    }
}

/// A post list's order (newest first) and its next and previous post ids.
fn shape(list: &Value) -> (Vec<String>, String, String) {
    let order = list["order"]
        .as_array()
        .map(|ids| {
            ids.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let text = |key: &str| list[key].as_str().unwrap_or("missing").to_string();
    (order, text("next_post_id"), text("prev_post_id"))
}

async fn neighbours_of_later_pages_and_of_the_unread_window(backend: Backend) {
    let Some(app) = backend.app(crate::support::open_config()).await else {
        return;
    };
    let (_, writer) = app.user("writer").await;
    let (user_id, token) = app.user("reader").await;
    let team = id(&app
        .team(&writer, json!({"name": "pages", "display_name": "Pages"}))
        .await);
    let (status, channel, _) = app
        .call(
            &Method::POST,
            "/api/v4/channels",
            Some(&writer),
            Some(&json!({"team_id": team, "name": "paged", "display_name": "Paged", "type": "O"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{channel}");
    let channel_id = id(&channel);
    for (path, body) in [
        (
            format!("/api/v4/teams/{team}/members"),
            json!({"team_id": team, "user_id": user_id}),
        ),
        (
            format!("/api/v4/channels/{channel_id}/members"),
            json!({"user_id": user_id}),
        ),
    ] {
        let (status, reply, _) = app
            .call(&Method::POST, &path, Some(&writer), Some(&body))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{path}: {reply}");
    }
    let channel = Channel {
        app: &app,
        token: token.clone(),
        writer: writer.clone(),
        id: channel_id,
    };
    // System messages (joins) come first; p[0] is the oldest of ours.
    let mut p = Vec::new();
    for n in 1..=3 {
        p.push(channel.post(&format!("read {n}")).await);
    }
    let (status, _, _) = app
        .call(
            &Method::POST,
            "/api/v4/channels/members/me/view",
            Some(&token),
            Some(&json!({"channel_id": channel.id})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(3)).await;
    for n in 4..=7 {
        p.push(channel.post(&format!("unread {n}")).await);
    }
    let s = |ids: &[usize]| ids.iter().map(|&i| p[i].clone()).collect::<Vec<_>>();

    // Later pages: their neighbours are the posts on either side.
    assert_eq!(
        channel.posts("page=1&per_page=2").await,
        (s(&[4, 3]), p[5].clone(), p[2].clone())
    );
    assert_eq!(
        channel
            .posts(&format!("before={}&page=1&per_page=2", p[5]))
            .await,
        (s(&[2, 1]), p[3].clone(), p[0].clone())
    );
    assert_eq!(
        channel
            .posts(&format!("after={}&page=1&per_page=2", p[1]))
            .await,
        (s(&[5, 4]), p[6].clone(), p[3].clone())
    );
    // The newest page has nothing newer; the first page after or before a
    // post names that post, even when it is empty.
    assert_eq!(
        channel.posts("page=0&per_page=2").await,
        (s(&[6, 5]), String::new(), p[4].clone())
    );
    assert_eq!(
        channel
            .posts(&format!("after={}&page=0&per_page=2", p[6]))
            .await,
        (Vec::new(), String::new(), p[6].clone())
    );
    // Past the end, a later page is empty and has no neighbours.
    assert_eq!(
        channel
            .posts(&format!("after={}&page=5&per_page=2", p[1]))
            .await,
        (Vec::new(), String::new(), String::new())
    );

    // Around the last read post: two read, two unread, and the posts just
    // outside that window.
    let unread = |before: u32, after: u32| {
        format!(
            "/api/v4/users/{user_id}/channels/{}/posts/unread?limit_before={before}&limit_after={after}",
            channel.id
        )
    };
    assert_eq!(
        shape(&channel.get(&unread(2, 2)).await),
        (s(&[4, 3, 2, 1]), p[5].clone(), p[0].clone())
    );
    // Only unread ones: the window's older neighbour is the last read post.
    assert_eq!(
        shape(&channel.get(&unread(0, 4)).await),
        (s(&[6, 5, 4, 3]), String::new(), p[2].clone())
    );
    // Only read ones: the newer neighbour is the first unread post.
    assert_eq!(
        shape(&channel.get(&unread(1, 0)).await),
        (s(&[2]), p[3].clone(), p[1].clone())
    );
    assert_eq!(
        shape(&channel.get(&unread(0, 0)).await),
        (Vec::new(), String::new(), String::new())
    );

    // The header's pinned count: pinned live posts only.
    for post in [&p[1], &p[2]] {
        let (status, _, _) = app
            .call(
                &Method::POST,
                &format!("/api/v4/posts/{post}/pin"),
                Some(&writer),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _, _) = app
        .call(
            &Method::DELETE,
            &format!("/api/v4/posts/{}", p[2]),
            Some(&writer),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let stats = channel
        .get(&format!("/api/v4/channels/{}/stats", channel.id))
        .await;
    assert_eq!(
        (
            stats["member_count"].as_i64(),
            stats["pinnedpost_count"].as_i64()
        ),
        (Some(2), Some(1)),
        "{stats}"
    );
}
