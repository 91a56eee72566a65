//! Mentions, unread counts and push notifications end to end: rustchat's
//! push sender → the real push proxy (rustchat's own, over HTTP) → loopback
//! stand-ins for FCM and APNs, where each push is checked. Covers which
//! posts push to whom and with what payload, clear on read, REMOVE, the
//! id-only push and its ack, and retries after a proxy outage.

mod support;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use core_server::config::Config;
use core_server::services::{Actor, Core, NewPost, UserPatch};
use push_proxy::standins::{serve, Keys, Seen, StandIns};
use serde_json::{json, Value};
use support::{
    create_channel, create_team, create_user, join, log_in, post, sqlite_core, unused_addr, App,
};

struct Rig {
    core: Core,
    stand_ins: StandIns,
    alice: Actor,
    bob: Actor,
    carol: Actor,
    dave: Actor,
    channel: String,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

fn keys() -> Keys {
    Keys {
        dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../push-proxy/tests/fixtures"),
    }
}

/// Starts the stand-ins and the push proxy; returns the proxy's address.
async fn proxy_on(addr: Option<SocketAddr>) -> (StandIns, SocketAddr, tempfile::TempDir) {
    let stand_ins = StandIns::start(keys()).await;
    let dir = tempfile::tempdir().expect("dir");
    let config = stand_ins.proxy_config(dir.path());
    let proxy = Arc::new(push_proxy::server::Proxy::new(&config).expect("proxy"));
    let app = push_proxy::server::router(proxy);
    let addr = match addr {
        Some(addr) => {
            let listener = tokio::net::TcpListener::bind(addr).await.expect("rebind");
            tokio::spawn(async move { axum::serve(listener, app).await });
            addr
        }
        None => serve(app).await,
    };
    (stand_ins, addr, dir)
}

/// A user with a first name, logged in from `device` (empty for none).
async fn user(core: &Core, name: &str, device: &str) -> Actor {
    let fields = json!({
        "username": name, "email": format!("{name}@example.com"), "password": "password1",
        "first_name": format!("{}{}", name[..1].to_uppercase(), &name[1..]),
    });
    create_user(core, fields).await.expect("create user");
    log_in(core, name, device).await.0
}

async fn rig_with(config: Config, proxy: Option<(StandIns, SocketAddr, tempfile::TempDir)>) -> Rig {
    let (stand_ins, addr, proxy_dir) = match proxy {
        Some(p) => p,
        None => proxy_on(None).await,
    };
    let (core, dir) = sqlite_core(Config {
        push_proxy_url: Some(format!("http://{addr}")),
        ..config
    })
    .await;
    core.start_background();
    let alice = user(&core, "alice", "").await;
    let bob = user(&core, "bob", "android_rn-v2:bob-token").await;
    let carol = user(&core, "carol", "apple_rn:carol-token").await;
    let dave = user(&core, "dave", "").await;
    let team = create_team(&core, &alice, "team").await;
    let channel = create_channel(&core, &alice, &team.id, "ops", "Ops", "O").await;
    for member in [&bob, &carol, &dave] {
        join(&core, &alice, &team.id, &channel.id, member).await;
    }
    Rig {
        core,
        stand_ins,
        alice,
        bob,
        carol,
        dave,
        channel: channel.id,
        _dirs: (dir, proxy_dir),
    }
}

async fn rig() -> Rig {
    rig_with(crate::support::open_config(), None).await
}

/// Pushes to a device token, once `count` have arrived (or what arrived in 5 s).
async fn pushes_to(rig: &Rig, token: &str, count: usize) -> Vec<Seen> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let seen: Vec<Seen> = rig
            .stand_ins
            .fcm
            .all()
            .into_iter()
            .filter(|s| s.body["message"]["token"] == token)
            .chain(
                rig.stand_ins
                    .apns
                    .all()
                    .into_iter()
                    .filter(|s| s.path == format!("/3/device/{token}")),
            )
            .collect();
        if seen.len() >= count || tokio::time::Instant::now() > deadline {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Lets the sender drain its queue, for checks that nothing was sent.
async fn settle(rig: &Rig) {
    for _ in 0..100 {
        let queued = rig.core.store.list_push_jobs(1).await.expect("queue");
        if queued.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A push being sent has left the queue only once answered.
    tokio::time::sleep(Duration::from_millis(300)).await;
}

fn data(seen: &Seen) -> &Value {
    &seen.body["message"]["data"]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_pushes_to_the_mentioned_users_devices_with_mattermosts_payload() {
    let rig = rig().await;
    let post_id = post(
        &rig.core,
        &rig.alice,
        &rig.channel,
        "@bob the **build** is green",
    )
    .await;
    let bob = pushes_to(&rig, "bob-token", 1).await;
    assert_eq!(bob.len(), 1, "one push for bob's one device");
    let d = data(&bob[0]);
    assert_eq!(d["type"], "message");
    assert_eq!(d["post_id"], post_id.as_str());
    assert_eq!(d["channel_id"], rig.channel.as_str());
    assert_eq!(d["channel_name"], "Ops");
    assert_eq!(d["sender_id"], rig.alice.id());
    assert_eq!(d["sender_name"], "@alice");
    assert_eq!(
        d["message"], "@alice: @bob the build is green",
        "markdown is stripped"
    );
    assert_eq!(d["category"], "CAN_REPLY");
    assert_eq!(d["version"], "v2");
    assert_eq!(d["badge"], "1", "one mention unread");
    assert_eq!(
        d["server_id"],
        rig.core.server_id().await.expect("id").as_str()
    );
    assert_eq!(d["ack_id"].as_str().map(str::len), Some(26));

    // No mention: carol (push on mentions) gets nothing; dave has no device.
    post(&rig.core, &rig.alice, &rig.channel, "plain news").await;
    settle(&rig).await;
    assert!(pushes_to(&rig, "carol-token", 0).await.is_empty());
    assert_eq!(
        pushes_to(&rig, "bob-token", 0).await.len(),
        1,
        "bob only for the mention"
    );

    // Carol asks for every message of the channel.
    let props: BTreeMap<String, String> = [("push".to_string(), "all".to_string())].into();
    rig.core
        .set_channel_member_notify_props(&rig.carol, &rig.channel, rig.carol.id(), props)
        .await
        .expect("notify props");
    post(&rig.core, &rig.alice, &rig.channel, "more news").await;
    let carol = pushes_to(&rig, "carol-token", 1).await;
    assert_eq!(carol.len(), 1);
    let aps = &carol[0].body["aps"];
    assert_eq!(
        aps["alert"],
        json!({"title": "Ops", "body": "@alice: more news"})
    );
    assert_eq!(carol[0].body["sender_name"], "@alice");
    // Own posts never push.
    post(&rig.core, &rig.carol, &rig.channel, "@carol note to self").await;
    settle(&rig).await;
    assert_eq!(pushes_to(&rig, "carol-token", 0).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_messages_and_channel_mentions_push_unless_muted_busy_or_online() {
    let rig = rig().await;
    let (dm, _) = rig
        .core
        .create_direct_channel(&rig.alice, rig.bob.id())
        .await
        .expect("dm");
    post(&rig.core, &rig.alice, &dm.id, "lunch?").await;
    let bob = pushes_to(&rig, "bob-token", 1).await;
    assert_eq!(
        data(&bob[0])["message"],
        "lunch?",
        "a DM shows the message alone"
    );
    assert_eq!(data(&bob[0])["channel_name"], "@alice");

    // Carol mutes the channel; bob goes do-not-disturb; both hear nothing of @channel.
    let muted: BTreeMap<String, String> =
        [("mark_unread".to_string(), "mention".to_string())].into();
    rig.core
        .set_channel_member_notify_props(&rig.carol, &rig.channel, rig.carol.id(), muted)
        .await
        .expect("mute");
    rig.core
        .set_status(&rig.bob, rig.bob.id(), "dnd", None)
        .await
        .expect("dnd");
    post(&rig.core, &rig.alice, &rig.channel, "@channel deploy at 5").await;
    settle(&rig).await;
    assert_eq!(
        pushes_to(&rig, "bob-token", 0).await.len(),
        1,
        "no push in DND"
    );
    assert!(
        pushes_to(&rig, "carol-token", 0).await.is_empty(),
        "no push in a muted channel"
    );

    // Back online (status online, push_status away by default): still nothing.
    rig.core
        .set_status(&rig.bob, rig.bob.id(), "online", None)
        .await
        .expect("online");
    post(&rig.core, &rig.alice, &rig.channel, "@bob are you there").await;
    settle(&rig).await;
    assert_eq!(
        pushes_to(&rig, "bob-token", 0).await.len(),
        1,
        "online users are not pushed"
    );
    // Away: pushed, with the channel-wide text for @channel.
    rig.core
        .set_status(&rig.bob, rig.bob.id(), "away", None)
        .await
        .expect("away");
    post(&rig.core, &rig.alice, &rig.channel, "@here all hands").await;
    settle(&rig).await;
    assert_eq!(
        pushes_to(&rig, "bob-token", 0).await.len(),
        1,
        "@here reaches online members only"
    );
    post(&rig.core, &rig.alice, &rig.channel, "@all all hands").await;
    let bob = pushes_to(&rig, "bob-token", 2).await;
    assert_eq!(data(&bob[1])["message"], "@alice: @all all hands");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reading_elsewhere_clears_and_a_removed_token_is_forgotten() {
    let rig = rig().await;
    post(&rig.core, &rig.alice, &rig.channel, "@bob look").await;
    assert_eq!(pushes_to(&rig, "bob-token", 1).await.len(), 1);
    // Bob reads the channel on the web (another session).
    let web = rig.core.login("bob", "password1", "").await.expect("login");
    let web = rig.core.authenticate(&web.token).await.expect("actor");
    rig.core
        .view_channel(&web, &rig.channel)
        .await
        .expect("view");
    let bob = pushes_to(&rig, "bob-token", 2).await;
    assert_eq!(bob.len(), 2, "a clear follows the read");
    let clear = data(&bob[1]);
    assert_eq!(clear["type"], "clear");
    assert_eq!(clear["channel_id"], rig.channel.as_str());
    assert_eq!(clear["badge"], "0");
    // Reading again with nothing unread sends nothing.
    rig.core
        .view_channel(&web, &rig.channel)
        .await
        .expect("view");
    settle(&rig).await;
    assert_eq!(pushes_to(&rig, "bob-token", 0).await.len(), 2);

    // Dave's phone has an uninstalled app: the proxy answers REMOVE.
    let phone = rig
        .core
        .login("dave", "password1", "android_rn:gone-token")
        .await
        .expect("login");
    post(&rig.core, &rig.alice, &rig.channel, "@dave hello").await;
    assert_eq!(pushes_to(&rig, "gone-token", 1).await.len(), 1);
    settle(&rig).await;
    let phone = rig.core.authenticate(&phone.token).await.expect("session");
    assert_eq!(
        phone.session.device_id, "",
        "the removed device is forgotten"
    );
    post(&rig.core, &rig.alice, &rig.channel, "@dave again").await;
    settle(&rig).await;
    assert_eq!(
        pushes_to(&rig, "gone-token", 0).await.len(),
        1,
        "nothing more to it"
    );
}

/// `POST /api/v4/notifications/ack` as the user of `token`.
async fn ack(core: &Core, token: &str, body: &Value) -> (StatusCode, Value) {
    let app = App::over(core.clone(), None);
    let path = "/api/v4/notifications/ack";
    let (status, body, _) = app.call(&Method::POST, path, Some(token), Some(body)).await;
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn id_loaded_pushes_carry_ids_only_and_the_ack_returns_the_text() {
    let rig = rig_with(
        Config {
            push_contents: "id_loaded".into(),
            ..crate::support::open_config()
        },
        None,
    )
    .await;
    let post_id = post(&rig.core, &rig.alice, &rig.channel, "@bob the secret plan").await;
    let bob = pushes_to(&rig, "bob-token", 1).await;
    let d = data(&bob[0]);
    assert_eq!(d["id_loaded"], "true");
    assert_eq!(d["message"], "You've received a new message.");
    assert_eq!(d["sender_name"], "Someone");
    assert!(
        !d.to_string().contains("secret"),
        "no content leaves the server: {d}"
    );

    let bob_token = rig
        .core
        .login("bob", "password1", "")
        .await
        .expect("login")
        .token;
    let receipt = json!({"id": d["ack_id"], "platform": "android", "type": "message",
                     "post_id": post_id, "is_id_loaded": true, "received_at": 1});
    let (status, loaded) = ack(&rig.core, &bob_token, &receipt).await;
    assert_eq!(status, StatusCode::OK, "{loaded}");
    assert_eq!(loaded["message"], "@alice: @bob the secret plan");
    assert_eq!(loaded["channel_name"], "Ops");
    assert_eq!(loaded["sender_name"], "@alice");
    assert_eq!(loaded["post_id"], post_id.as_str());
    assert_eq!(loaded["ack_id"], d["ack_id"]);

    // Someone outside the channel cannot load it.
    let eve = json!({"username": "eve", "email": "eve@example.com", "password": "password1"});
    create_user(&rig.core, eve).await.expect("eve");
    let eve = rig
        .core
        .login("eve", "password1", "")
        .await
        .expect("login")
        .token;
    let (status, _) = ack(&rig.core, &eve, &receipt).await;
    assert!(
        matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{status}"
    );
    let (status, body) = ack(&rig.core, &eve, &json!("nonsense")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["id"],
        "api.push_notifications_ack.message.parse.app_error"
    );
    let unknown = json!({"id": "x", "platform": "android", "type": "message"});
    let (status, body) = ack(&rig.core, &bob_token, &unknown).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"status": "OK"})));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_wait_out_a_proxy_outage_and_a_restart() {
    // Nothing listens at the proxy's address yet.
    let addr = unused_addr();
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let config = Config {
        push_proxy_url: Some(format!("http://{addr}")),
        ..crate::support::open_config()
    };
    // First life, on a runtime of its own that is then shut down (the node
    // stops): the post is made while the proxy is down.
    let first_url = url.clone();
    let first_config = config.clone();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime.block_on(async move {
            let store = core_server::store::open(&first_url, 4)
                .await
                .expect("store");
            let core = Core::new(store, first_config);
            core.start_background();
            let alice = user(&core, "alice", "").await;
            let bob = user(&core, "bob", "android_rn:bob-token").await;
            let (dm, _) = core
                .create_direct_channel(&alice, bob.id())
                .await
                .expect("dm");
            post(&core, &alice, &dm.id, "are you there?").await;
            // The sender tried and failed at least once.
            let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
            loop {
                let pending = core.store.list_push_jobs(10).await.expect("queue");
                if pending.iter().any(|j| j.attempts >= 1) || tokio::time::Instant::now() > deadline
                {
                    assert!(
                        pending.iter().any(|j| j.attempts >= 1),
                        "an attempt failed and is queued again"
                    );
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        });
        runtime.shutdown_timeout(Duration::from_secs(1));
    })
    .join()
    .expect("first life");
    // Second life: a new node on the same database, and the proxy is back.
    let (stand_ins, _, _proxy_dir) = proxy_on(Some(addr)).await;
    let store = core_server::store::open(&url, 4).await.expect("store");
    let core = Core::new(store, config);
    core.start_background();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while stand_ins.fcm.all().iter().all(|s| s.path == "/token")
        && tokio::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let sent: Vec<Seen> = stand_ins
        .fcm
        .all()
        .into_iter()
        .filter(|s| s.path != "/token")
        .collect();
    assert_eq!(sent.len(), 1, "delivered once after the outage");
    assert_eq!(sent[0].body["message"]["data"]["message"], "are you there?");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mention_counts_follow_each_users_keywords_and_stay_exact_under_load() {
    let rig = rig_with(
        Config {
            max_notifications_per_channel: 4,
            ..crate::support::open_config()
        },
        None,
    )
    .await;
    let patch: UserPatch = serde_json::from_value(json!({
        "notify_props": {"first_name": "true", "mention_keys": "deploy,@oncall", "channel": "true",
                         "push": "mention", "push_status": "away", "email": "true", "desktop": "mention",
                         "comments": "never"}
    }))
    .expect("patch");
    rig.core
        .patch_user(&rig.carol, rig.carol.id(), patch)
        .await
        .expect("patch");
    let counts = |user: Actor| {
        let core = rig.core.clone();
        let channel = rig.channel.clone();
        async move {
            core.store
                .get_channel_member(&channel, user.id())
                .await
                .expect("member")
                .mention_count
        }
    };
    post(
        &rig.core,
        &rig.alice,
        &rig.channel,
        "Carol, the deploy is done; ping @oncall",
    )
    .await;
    assert_eq!(
        counts(rig.carol.clone()).await,
        1,
        "one post, one mention, however many keywords"
    );
    post(
        &rig.core,
        &rig.alice,
        &rig.channel,
        "carol without a capital",
    )
    .await;
    assert_eq!(
        counts(rig.carol.clone()).await,
        1,
        "first names match as written"
    );
    // Four members reach the limit: @channel notifies nobody.
    post(&rig.core, &rig.alice, &rig.channel, "@channel lunch").await;
    assert_eq!(counts(rig.dave.clone()).await, 0);

    // Fifty concurrent mentions of dave from two authors.
    let mut tasks = Vec::new();
    for i in 0..50 {
        let core = rig.core.clone();
        let author = if i % 2 == 0 {
            rig.alice.clone()
        } else {
            rig.bob.clone()
        };
        let channel = rig.channel.clone();
        tasks.push(tokio::spawn(async move {
            post(&core, &author, &channel, &format!("@dave ping {i}")).await
        }));
    }
    for t in tasks {
        t.await.expect("post");
    }
    assert_eq!(counts(rig.dave.clone()).await, 50);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_webhooks_may_post_under_another_name() {
    let rig = rig().await;
    let input: NewPost = serde_json::from_value(json!({
        "message": "@bob wire the money",
        "props": {"from_webhook": "true", "override_username": "CEO", "override_icon_url": "http://x/ceo.png"}
    }))
    .expect("post");
    let saved = rig
        .core
        .create_post(&rig.alice, &rig.channel, input)
        .await
        .expect("post");
    assert!(
        saved.props.get("override_username").is_none(),
        "{}",
        saved.props
    );
    assert!(saved.props.get("from_webhook").is_none());
    let bob = pushes_to(&rig, "bob-token", 1).await;
    assert_eq!(data(&bob[0])["sender_name"], "@alice");
    assert_eq!(data(&bob[0])["override_username"], "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_test_notification_pushes_whatever_the_settings_and_only_it() {
    let rig = rig().await;
    // Bob wants no pushes at all, and is busy.
    let quiet: UserPatch =
        serde_json::from_value(json!({"notify_props": {"push": "none", "push_status": "offline"}}))
            .expect("patch");
    rig.core
        .patch_user(&rig.bob, rig.bob.id(), quiet)
        .await
        .expect("patch");
    rig.core
        .set_status(&rig.bob, rig.bob.id(), "dnd", None)
        .await
        .expect("dnd");

    // A client cannot force a push: the prop is dropped, and nothing is sent.
    let (dm, _) = rig
        .core
        .create_direct_channel(&rig.alice, rig.bob.id())
        .await
        .expect("dm");
    let forced: NewPost =
        serde_json::from_value(json!({"message": "urgent!", "props": {"force_notification": "x"}}))
            .expect("post");
    let saved = rig
        .core
        .create_post(&rig.alice, &dm.id, forced)
        .await
        .expect("post");
    assert!(
        saved.props.get("force_notification").is_none(),
        "{}",
        saved.props
    );
    settle(&rig).await;
    assert!(pushes_to(&rig, "bob-token", 0).await.is_empty(), "no push");

    // The system bot's test message gets through.
    let post = rig
        .core
        .send_test_notification(&rig.bob)
        .await
        .expect("test notification");
    let bob = pushes_to(&rig, "bob-token", 1).await;
    assert_eq!(bob.len(), 1);
    let pushed = data(&bob[0]);
    assert_eq!(pushed["post_id"], post.id.as_str());
    assert_eq!(pushed["sender_name"], "@system-bot");
    assert_eq!(pushed["channel_id"], post.channel_id.as_str());
    assert!(
        pushed["message"]
            .as_str()
            .is_some_and(|m| m.contains("test notification")),
        "{pushed}"
    );
}
