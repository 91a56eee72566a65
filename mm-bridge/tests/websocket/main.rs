//! The v4 and v1 WebSockets over real TCP: hello and seq, the permission
//! filter, resumption (replay and the fresh-hello fallback), limits, session
//! ends, and two nodes sharing events through Redis. The servers and
//! helpers both parts use are here; `node` holds the single-node tests and
//! `cluster` the ones with two nodes over Redis.

#[path = "../support/mod.rs"]
mod support;

mod cluster;
mod node;

use std::time::Duration;

use core_server::config::Config;
use core_server::services::{Actor, Core, NewPost};
use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use support::{
    create_channel, create_team, create_user, log_in, next_frame, post, postgres_base, sqlite_core,
    unavailable, unused_addr, ws_connect, Socket,
};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

/// A server on an ephemeral loopback port.
struct Node {
    core: Core,
    addr: std::net::SocketAddr,
    _dir: Option<tempfile::TempDir>,
}

impl Node {
    async fn sqlite(config: Config) -> Node {
        let (core, dir) = sqlite_core(config).await;
        Node::serve(core, Some(dir)).await
    }

    async fn serve(core: Core, dir: Option<tempfile::TempDir>) -> Node {
        core_server::realtime::cluster::connect(&core).expect("cluster");
        let addr = support::serve(&core).await;
        Node {
            core,
            addr,
            _dir: dir,
        }
    }

    async fn user(&self, name: &str) -> (Actor, String) {
        let fields = json!({
            "username": name, "email": format!("{name}@example.com"), "password": "password1"
        });
        // Users may already exist when nodes share a database.
        let _ = create_user(&self.core, fields).await;
        log_in(&self.core, name, "").await
    }

    async fn socket(&self, token: &str, query: &str) -> Socket {
        let path = format!("/api/v4/websocket{query}");
        ws_connect(self.addr, &path, Some(token), &[])
            .await
            .expect("connect")
    }
}

/// Events until one named `name` arrives; all of them, in order.
async fn events_until(socket: &mut Socket, name: &str) -> Vec<Value> {
    let mut seen = Vec::new();
    loop {
        let event = next_frame(socket, Duration::from_secs(5))
            .await
            .unwrap_or_else(|| panic!("no {name} event; saw {seen:?}"));
        let done = event["event"] == name;
        seen.push(event);
        if done {
            return seen;
        }
    }
}

/// The connection id a fresh socket's `hello` gives.
async fn hello_connection_id(socket: &mut Socket) -> String {
    let hello = next_frame(socket, Duration::from_secs(5))
        .await
        .expect("hello");
    hello["data"]["connection_id"]
        .as_str()
        .expect("id")
        .to_string()
}

/// Reads a resumed socket until the posts `missed 0` to `missed 4` are back:
/// no new hello, the posts in order, and every event from `next` on without
/// a gap (a status change sent after the last event read is replayed too).
/// Returns the `seq` the next event gets.
async fn expect_missed_posts(socket: &mut Socket, next: i64) -> i64 {
    let mut replayed: Vec<Value> = Vec::new();
    while replayed.iter().filter(|e| e["event"] == "posted").count() < 5 {
        let event = next_frame(socket, Duration::from_secs(5))
            .await
            .unwrap_or_else(|| panic!("no replayed event after {replayed:?}"));
        assert_ne!(
            event["event"], "hello",
            "a resumed connection got a new hello"
        );
        replayed.push(event);
    }
    let messages: Vec<String> = replayed
        .iter()
        .filter(|e| e["event"] == "posted")
        .map(posted_message)
        .collect();
    assert_eq!(
        messages,
        (0..5).map(|i| format!("missed {i}")).collect::<Vec<_>>()
    );
    let seqs: Vec<i64> = replayed.iter().filter_map(|e| e["seq"].as_i64()).collect();
    let end = next + seqs.len() as i64;
    assert_eq!(seqs, (next..end).collect::<Vec<_>>());
    end
}

fn posted_message(event: &Value) -> String {
    let post: Value = serde_json::from_str(
        event["data"]["post"]
            .as_str()
            .expect("post is a JSON string"),
    )
    .expect("post JSON");
    post["message"].as_str().unwrap_or_default().to_string()
}

/// A team with alice, bob and carol; a private channel with alice and bob.
struct World {
    node: Node,
    alice: Actor,
    bob_token: String,
    carol_token: String,
    town_square: String,
    private: String,
}

async fn world(config: Config) -> World {
    let node = Node::sqlite(config).await;
    let (alice, _) = node.user("alice").await;
    let (bob, bob_token) = node.user("bob").await;
    let (carol, carol_token) = node.user("carol").await;
    let team = create_team(&node.core, &alice, "team").await;
    for user in [&bob, &carol] {
        node.core
            .add_team_member(&alice, &team.id, user.id())
            .await
            .expect("join");
    }
    let private = create_channel(&node.core, &alice, &team.id, "secret", "Secret", "P").await;
    node.core
        .add_channel_member(&alice, &private.id, bob.id())
        .await
        .expect("add bob");
    let town_square = node
        .core
        .get_channel_by_name(&alice, &team.id, "town-square")
        .await
        .expect("town square")
        .id;
    World {
        node,
        alice,
        bob_token,
        carol_token,
        town_square,
        private: private.id,
    }
}
