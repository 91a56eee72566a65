//! Two nodes on one PostgreSQL database sharing events through Redis:
//! order across nodes, resumption on the other node, session ends, and a
//! Redis outage.

use super::*;

fn redis_url() -> String {
    std::env::var("RUSTCHAT_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// Two nodes on one new PostgreSQL database, sharing a Redis channel.
async fn cluster(redis: &str) -> Option<(Node, Node)> {
    let db = format!(
        "{}/rustchat_ws_{}",
        postgres_base(),
        core_server::id::new_id()
    );
    let channel = format!("rustchat-test:{}", core_server::id::new_id());
    let config = Config {
        redis_url: Some(redis.to_string()),
        redis_channel: channel,
        ..crate::support::open_config()
    };
    let a = match core_server::store::open(&db, 4).await {
        Ok(store) => Core::new(store, config.clone()),
        Err(e) => return unavailable("PostgreSQL", e),
    };
    let b = Core::new(
        core_server::store::open(&db, 4).await.expect("second pool"),
        config,
    );
    Some((Node::serve(a, None).await, Node::serve(b, None).await))
}

async fn redis_reachable(url: &str) -> Result<(), String> {
    let client = redis::Client::open(url).map_err(|e| e.to_string())?;
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .map_err(|e| e.to_string())?;
    redis::cmd("PING")
        .query_async::<String>(&mut conn)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Waits until a post made on `a` shows up on `socket` (the link is up).
async fn until_linked(a: &Node, alice: &Actor, channel: &str, socket: &mut Socket) {
    for attempt in 0..60 {
        post(&a.core, alice, channel, &format!("probe {attempt}")).await;
        if let Some(e) = next_frame(socket, Duration::from_millis(500)).await {
            if e["event"] == "posted" {
                // Drain other probes that may still arrive.
                while next_frame(socket, Duration::from_millis(300))
                    .await
                    .is_some()
                {}
                return;
            }
        }
    }
    panic!("the nodes never linked through redis");
}

async fn shared_channel(a: &Node, b: &Node) -> (Actor, String, String) {
    let (alice, _) = a.user("alice").await;
    let (bob, bob_token) = a.user("bob").await;
    let team = create_team(&a.core, &alice, "team").await;
    a.core
        .add_team_member(&alice, &team.id, bob.id())
        .await
        .expect("join");
    let channel = b
        .core
        .get_channel_by_name(&alice, &team.id, "town-square")
        .await
        .expect("town square")
        .id;
    (alice, bob_token, channel)
}

/// Two nodes over Redis sharing a channel, and Bob's socket on node B
/// already receiving what node A publishes; `None` without Redis.
struct Linked {
    a: Node,
    b: Node,
    alice: Actor,
    bob_token: String,
    channel: String,
    bob: Socket,
}

async fn linked_cluster() -> Option<Linked> {
    let url = redis_url();
    if let Err(e) = redis_reachable(&url).await {
        return unavailable("Redis", e);
    }
    let (a, b) = cluster(&url).await?;
    let (alice, bob_token, channel) = shared_channel(&a, &b).await;
    let mut bob = b.socket(&bob_token, "").await;
    next_frame(&mut bob, Duration::from_secs(5)).await;
    until_linked(&a, &alice, &channel, &mut bob).await;
    Some(Linked {
        a,
        b,
        alice,
        bob_token,
        channel,
        bob,
    })
}

#[tokio::test]
async fn a_thousand_posts_on_node_a_arrive_in_order_on_node_b() {
    // Node B stays up for the whole test (`_b`, not `_`).
    let Some(Linked {
        a,
        b: _b,
        alice,
        bob_token: _,
        channel,
        mut bob,
    }) = linked_cluster().await
    else {
        return;
    };

    let sender = {
        let core = a.core.clone();
        let alice = alice.clone();
        let channel = channel.clone();
        tokio::spawn(async move {
            for i in 0..1000 {
                post(&core, &alice, &channel, &format!("n{i}")).await;
            }
        })
    };
    let mut received = Vec::with_capacity(1000);
    let mut last_seq = None;
    while received.len() < 1000 {
        let event = next_frame(&mut bob, Duration::from_secs(20))
            .await
            .unwrap_or_else(|| panic!("stalled after {} posts", received.len()));
        let seq = event["seq"].as_i64().expect("seq");
        if let Some(last) = last_seq {
            assert_eq!(seq, last + 1, "seq gap on node B");
        }
        last_seq = Some(seq);
        if event["event"] == "posted" {
            received.push(posted_message(&event));
        }
    }
    sender.await.expect("sender");
    let expected: Vec<String> = (0..1000).map(|i| format!("n{i}")).collect();
    assert_eq!(received, expected);
}

/// A connection dropped on one node resumes on the other (as after its node
/// died, behind a load balancer): no hello, exactly the missed events, and
/// the numbering carries on.
#[tokio::test]
async fn a_connection_dropped_on_node_b_resumes_on_node_a_with_nothing_missed() {
    let Some(Linked {
        a,
        b,
        alice,
        bob_token,
        channel,
        bob: _bob,
    }) = linked_cluster().await
    else {
        return;
    };
    let mut socket = b.socket(&bob_token, "").await;
    let connection_id = hello_connection_id(&mut socket).await;
    post(&a.core, &alice, &channel, "before").await;
    let seen = events_until(&mut socket, "posted").await;
    let next = seen.last().and_then(|e| e["seq"].as_i64()).expect("seq") + 1;
    // Node B checkpoints its connections about once a second.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    socket.close(None).await.expect("close");
    drop(socket);
    for i in 0..5 {
        post(&b.core, &alice, &channel, &format!("missed {i}")).await;
    }

    let query = format!("?connection_id={connection_id}&sequence_number={next}");
    let mut socket = a.socket(&bob_token, &query).await;
    let end = expect_missed_posts(&mut socket, next).await;

    post(&b.core, &alice, &channel, "after").await;
    let rest = events_until(&mut socket, "posted").await;
    assert_eq!(posted_message(rest.last().expect("one")), "after");
    assert_eq!(rest[0]["seq"].as_i64(), Some(end), "no gap, no repeat");
}

/// Ending a session on one node closes its sockets on the other: the
/// revocation travels the cluster link like any event.
#[tokio::test]
async fn a_session_ended_on_node_a_closes_its_socket_on_node_b() {
    let Some(Linked {
        a,
        b,
        alice,
        bob_token,
        channel: _,
        mut bob,
    }) = linked_cluster().await
    else {
        return;
    };
    let bob_actor = b.core.authenticate(&bob_token).await.expect("bob");
    // Alice, the first user, is a system admin.
    a.core
        .revoke_session(&alice, bob_actor.id(), &bob_actor.session.id)
        .await
        .expect("revoke");
    assert!(
        support::closes_within(&mut bob, Duration::from_secs(5)).await,
        "bob's socket on node B closed"
    );
    assert!(
        b.core.authenticate(&bob_token).await.is_err(),
        "node B, which had just read bob's session, refuses it too"
    );
}

/// A node remembers a session for a moment between requests; a change of
/// rights made on another node reaches it through the cluster link well
/// before that moment is over.
#[tokio::test]
async fn roles_changed_on_node_a_apply_on_node_b_at_once() {
    let Some(Linked {
        a,
        b,
        alice,
        bob_token,
        channel: _,
        bob: _bob,
    }) = linked_cluster().await
    else {
        return;
    };
    let bob_actor = b.core.authenticate(&bob_token).await.expect("bob");
    assert!(!bob_actor.is_admin());
    let promoted = std::time::Instant::now();
    a.core
        .set_user_roles(&alice, bob_actor.id(), "system_user system_admin")
        .await
        .expect("promote");
    loop {
        if b.core
            .authenticate(&bob_token)
            .await
            .expect("bob")
            .is_admin()
        {
            break;
        }
        assert!(
            promoted.elapsed() < core_server::services::session_cache::LIFETIME / 2,
            "node B still serves bob's old roles"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A private Redis server this test may stop and start.
struct OwnRedis {
    port: u16,
    child: Option<std::process::Child>,
}

impl OwnRedis {
    fn start(port: u16) -> std::io::Result<OwnRedis> {
        let mut redis = OwnRedis { port, child: None };
        redis.restart()?;
        Ok(redis)
    }

    fn restart(&mut self) -> std::io::Result<()> {
        let child = std::process::Command::new("redis-server")
            .args([
                "--port",
                &self.port.to_string(),
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(std::process::Stdio::null())
            .spawn()?;
        self.child = Some(child);
        Ok(())
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

#[tokio::test]
async fn when_redis_goes_away_each_node_serves_its_own_sockets_and_the_link_comes_back() {
    let port = unused_addr().port();
    let mut redis = match OwnRedis::start(port) {
        Ok(r) => r,
        Err(e) => {
            unavailable::<()>("redis-server", e);
            return;
        }
    };
    let mut up = false;
    for _ in 0..50 {
        if redis_reachable(&redis.url()).await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the test's redis-server did not start");
    let Some((a, b)) = cluster(&redis.url()).await else {
        return;
    };
    let (alice, bob_token, channel) = shared_channel(&a, &b).await;
    let mut bob_on_a = a.socket(&bob_token, "").await;
    let mut bob_on_b = b.socket(&bob_token, "").await;
    next_frame(&mut bob_on_a, Duration::from_secs(5)).await;
    next_frame(&mut bob_on_b, Duration::from_secs(5)).await;
    until_linked(&a, &alice, &channel, &mut bob_on_b).await;
    while next_frame(&mut bob_on_a, Duration::from_millis(300))
        .await
        .is_some()
    {}

    redis.stop();
    tokio::time::sleep(Duration::from_millis(300)).await;
    post(&a.core, &alice, &channel, "during the outage").await;
    let local = events_until(&mut bob_on_a, "posted").await;
    assert_eq!(
        posted_message(local.last().expect("one")),
        "during the outage"
    );

    redis.restart().expect("restart redis");
    until_linked(&a, &alice, &channel, &mut bob_on_b).await;
    post(&a.core, &alice, &channel, "after the outage").await;
    let remote = events_until(&mut bob_on_b, "posted").await;
    assert_eq!(
        posted_message(remote.last().expect("one")),
        "after the outage"
    );
}
