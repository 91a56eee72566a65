//! One node: hello and seq, the permission filter, resumption, limits,
//! session ends, typing, the native socket, privacy of role, thread and
//! sidebar events, and presence.

use super::*;

#[tokio::test]
async fn hello_comes_first_and_seq_is_contiguous_after_the_permission_filter() {
    let w = world(crate::support::open_config()).await;
    let mut bob = w.node.socket(&w.bob_token, "").await;
    let mut carol = w.node.socket(&w.carol_token, "").await;
    let hello = next_frame(&mut bob, Duration::from_secs(5))
        .await
        .expect("hello");
    let carol_hello = next_frame(&mut carol, Duration::from_secs(5))
        .await
        .expect("hello");
    assert_eq!(carol_hello["event"], "hello");
    assert_eq!(hello["event"], "hello");
    assert_eq!(hello["seq"], 0);
    assert_eq!(
        hello["data"]["connection_id"].as_str().map(str::len),
        Some(26)
    );
    for key in [
        "omit_users",
        "user_id",
        "channel_id",
        "team_id",
        "connection_id",
        "omit_connection_id",
    ] {
        assert!(
            hello["broadcast"].get(key).is_some(),
            "broadcast lacks {key}"
        );
    }

    post(&w.node.core, &w.alice, &w.private, "for members only").await;
    post(&w.node.core, &w.alice, &w.town_square, "for everyone").await;

    let bob_events = events_until(&mut bob, "posted").await;
    assert_eq!(
        posted_message(bob_events.last().expect("one")),
        "for members only"
    );
    let mut carol_events = vec![carol_hello];
    carol_events.extend(events_until(&mut carol, "posted").await);
    let carol_post = carol_events.last().expect("one");
    assert_eq!(
        posted_message(carol_post),
        "for everyone",
        "carol saw the private post"
    );
    assert_eq!(
        carol_post["broadcast"]["channel_id"],
        w.town_square.as_str()
    );
    assert_eq!(carol_post["data"]["channel_type"], "O");
    assert_eq!(carol_post["data"]["sender_name"], "@alice");

    let mut all = vec![hello];
    all.extend(bob_events);
    all.extend(events_until(&mut bob, "posted").await);
    let seqs: Vec<i64> = all.iter().filter_map(|e| e["seq"].as_i64()).collect();
    let expected: Vec<i64> = (0..seqs.len() as i64).collect();
    assert_eq!(seqs, expected, "bob's seqs must run 0,1,2,… without gaps");
    for (i, e) in carol_events.iter().enumerate() {
        assert_eq!(
            e["seq"].as_i64(),
            Some(i as i64),
            "carol's seq after filtering: {e}"
        );
    }
}

#[tokio::test]
async fn a_resumed_connection_gets_exactly_the_missed_events_and_no_hello() {
    let w = world(crate::support::open_config()).await;
    let mut bob = w.node.socket(&w.bob_token, "").await;
    let connection_id = hello_connection_id(&mut bob).await;
    post(&w.node.core, &w.alice, &w.town_square, "before").await;
    let seen = events_until(&mut bob, "posted").await;
    let next = seen.last().and_then(|e| e["seq"].as_i64()).expect("seq") + 1;
    bob.close(None).await.expect("close");
    drop(bob);
    // Let the server notice the drop.
    tokio::time::sleep(Duration::from_millis(200)).await;

    for i in 0..5 {
        post(
            &w.node.core,
            &w.alice,
            &w.town_square,
            &format!("missed {i}"),
        )
        .await;
    }
    let query = format!("?connection_id={connection_id}&sequence_number={next}");
    let mut bob = w.node.socket(&w.bob_token, &query).await;
    let end = expect_missed_posts(&mut bob, next).await;

    // And the stream carries on from there, without duplicates.
    post(&w.node.core, &w.alice, &w.town_square, "after").await;
    let rest = events_until(&mut bob, "posted").await;
    assert!(rest.iter().all(|e| e["event"] != "hello"));
    assert_eq!(posted_message(rest.last().expect("one")), "after");
    assert_eq!(rest[0]["seq"].as_i64(), Some(end));
}

#[tokio::test]
async fn missing_more_than_the_replay_buffer_gives_a_fresh_hello() {
    let w = world(crate::support::open_config()).await;
    let mut bob = w.node.socket(&w.bob_token, "").await;
    let hello = next_frame(&mut bob, Duration::from_secs(5))
        .await
        .expect("hello");
    let old_id = hello["data"]["connection_id"]
        .as_str()
        .expect("id")
        .to_string();
    drop(bob);
    tokio::time::sleep(Duration::from_millis(200)).await;
    for i in 0..130 {
        post(&w.node.core, &w.alice, &w.town_square, &format!("m{i}")).await;
    }
    let mut bob = w
        .node
        .socket(
            &w.bob_token,
            &format!("?connection_id={old_id}&sequence_number=1"),
        )
        .await;
    let first = next_frame(&mut bob, Duration::from_secs(5))
        .await
        .expect("event");
    assert_eq!(first["event"], "hello");
    assert_eq!(first["seq"], 0);
    assert_ne!(first["data"]["connection_id"], old_id.as_str());
}

#[tokio::test]
async fn an_unknown_connection_id_gets_a_fresh_hello_and_a_bad_one_is_refused() {
    let w = world(crate::support::open_config()).await;
    let unknown = core_server::id::new_id();
    let mut bob = w
        .node
        .socket(
            &w.bob_token,
            &format!("?connection_id={unknown}&sequence_number=5"),
        )
        .await;
    let first = next_frame(&mut bob, Duration::from_secs(5))
        .await
        .expect("event");
    assert_eq!(first["event"], "hello");
    assert_ne!(first["data"]["connection_id"], unknown.as_str());

    let url = format!(
        "ws://{}/api/v4/websocket?connection_id=nope&sequence_number=1",
        w.node.addr
    );
    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert(
        "authorization",
        format!("Bearer {}", w.bob_token).parse().expect("header"),
    );
    let refused = tokio_tungstenite::connect_async(request).await;
    assert!(
        refused.is_err(),
        "an invalid connection_id must not upgrade"
    );
}

#[tokio::test]
async fn sockets_beyond_the_per_user_limit_are_closed_with_a_policy_code() {
    let w = world(Config {
        ws_max_connections_per_user: 2,
        ..crate::support::open_config()
    })
    .await;
    let mut first = w.node.socket(&w.bob_token, "").await;
    let mut second = w.node.socket(&w.bob_token, "").await;
    assert!(next_frame(&mut first, Duration::from_secs(5))
        .await
        .is_some());
    assert!(next_frame(&mut second, Duration::from_secs(5))
        .await
        .is_some());
    let mut third = w.node.socket(&w.bob_token, "").await;
    let frame = tokio::time::timeout(Duration::from_secs(5), third.next())
        .await
        .expect("a frame")
        .expect("not ended")
        .expect("ok");
    match frame {
        Message::Close(Some(close)) => assert_eq!(u16::from(close.code), 1008),
        other => panic!("expected a close frame, got {other:?}"),
    }
}

#[tokio::test]
async fn logging_out_closes_that_sessions_sockets() {
    let w = world(crate::support::open_config()).await;
    let mut bob = w.node.socket(&w.bob_token, "").await;
    assert!(next_frame(&mut bob, Duration::from_secs(5)).await.is_some());
    let actor = w.node.core.authenticate(&w.bob_token).await.expect("actor");
    w.node.core.logout(&actor).await.expect("logout");
    let closed = loop {
        match tokio::time::timeout(Duration::from_secs(5), bob.next()).await {
            Ok(Some(Ok(Message::Close(_)))) | Ok(None) | Ok(Some(Err(_))) => break true,
            Ok(Some(Ok(_))) => continue,
            Err(_) => break false,
        }
    };
    assert!(closed, "the socket of a revoked session stays open");
}

#[tokio::test]
async fn typing_reaches_other_members_only_and_needs_membership() {
    let w = world(crate::support::open_config()).await;
    let mut bob = w.node.socket(&w.bob_token, "").await;
    let mut carol = w.node.socket(&w.carol_token, "").await;
    next_frame(&mut bob, Duration::from_secs(5)).await;
    next_frame(&mut carol, Duration::from_secs(5)).await;
    // carol is not in the private channel: refused.
    carol
        .send(Message::Text(
            json!({"seq": 1, "action": "user_typing", "data": {"channel_id": w.private}})
                .to_string()
                .into(),
        ))
        .await
        .expect("send");
    let reply = loop {
        let Some(Ok(Message::Text(t))) = carol.next().await else {
            panic!("closed")
        };
        let v: Value = serde_json::from_str(t.as_str()).expect("json");
        if v.get("seq_reply").is_some() {
            break v;
        }
    };
    assert_eq!(reply["status"], "FAIL");
    assert_eq!(reply["seq_reply"], 1);

    bob.send(Message::Text(
        json!({"seq": 1, "action": "user_typing", "data": {"channel_id": w.town_square, "parent_id": ""}})
            .to_string()
            .into(),
    ))
    .await
    .expect("send");
    let typing = events_until(&mut carol, "typing").await;
    let typing = typing.last().expect("typing");
    assert_eq!(typing["broadcast"]["channel_id"], w.town_square.as_str());
    assert!(typing["broadcast"]["omit_users"].is_object());
    // bob gets his OK reply but never his own typing event.
    let mut got_reply = false;
    while let Ok(Some(Ok(Message::Text(t)))) =
        tokio::time::timeout(Duration::from_millis(500), bob.next()).await
    {
        let v: Value = serde_json::from_str(t.as_str()).expect("json");
        assert_ne!(
            v["event"], "typing",
            "the sender got their own typing event"
        );
        if v["seq_reply"] == 1 {
            assert_eq!(v["status"], "OK");
            got_reply = true;
        }
    }
    assert!(got_reply);
}

#[tokio::test]
async fn a_typing_frame_held_for_its_post_still_comes_first_and_alone_it_still_comes() {
    let w = world(crate::support::open_config()).await;
    let mut bob = w.node.socket(&w.bob_token, "").await;
    let mut carol = w.node.socket(&w.carol_token, "").await;
    next_frame(&mut bob, Duration::from_secs(5)).await;
    next_frame(&mut carol, Duration::from_secs(5)).await;
    let typing = |seq: i64| {
        Message::Text(
            json!({"seq": seq, "action": "user_typing", "data": {"channel_id": w.town_square, "parent_id": ""}})
                .to_string()
                .into(),
        )
    };
    // Alone, a typing frame waits for company only a moment.
    bob.send(typing(1)).await.expect("send");
    let alone = events_until(&mut carol, "typing").await;
    assert_eq!(
        alone.last().map(|e| e["event"].clone()),
        Some(json!("typing"))
    );
    // Followed by a post, both arrive, the typing first, numbered in order.
    bob.send(typing(2)).await.expect("send");
    // The typing is published once bob has his answer; the post comes after.
    loop {
        let Some(Ok(Message::Text(t))) = bob.next().await else {
            panic!("closed")
        };
        let v: Value = serde_json::from_str(t.as_str()).expect("json");
        if v["seq_reply"] == 2 {
            assert_eq!(v["status"], "OK");
            break;
        }
    }
    post(&w.node.core, &w.alice, &w.town_square, "after typing").await;
    let events = events_until(&mut carol, "posted").await;
    let typing_at = events
        .iter()
        .position(|e| e["event"] == "typing")
        .expect("the second typing frame");
    let posted = events.last().expect("posted");
    assert!(
        events[typing_at]["seq"].as_i64() < posted["seq"].as_i64(),
        "{events:?}"
    );
}

#[tokio::test]
async fn the_native_socket_streams_core_events_and_resumes() {
    let w = world(crate::support::open_config()).await;
    let url = format!("ws://{}/api/v1/ws", w.node.addr);
    let (mut socket, _) = tokio_tungstenite::connect_async(url.as_str())
        .await
        .expect("connect");
    // Browsers authenticate with a first frame.
    socket
        .send(Message::Text(
            json!({"seq": 1, "action": "authenticate", "data": {"token": w.bob_token}})
                .to_string()
                .into(),
        ))
        .await
        .expect("send");
    let mut hello = None;
    while hello.is_none() {
        let Some(Ok(Message::Text(t))) = socket.next().await else {
            panic!("closed")
        };
        let v: Value = serde_json::from_str(t.as_str()).expect("json");
        if v["type"] == "hello" {
            hello = Some(v);
        }
    }
    let hello = hello.expect("hello");
    assert_eq!(hello["seq"], 0);
    post(&w.node.core, &w.alice, &w.town_square, "native").await;
    let event = loop {
        let Some(Ok(Message::Text(t))) = socket.next().await else {
            panic!("closed")
        };
        let v: Value = serde_json::from_str(t.as_str()).expect("json");
        if v["type"] == "post_created" {
            break v;
        }
    };
    assert_eq!(event["data"]["post"]["message"], "native");
    let next = event["seq"].as_i64().expect("seq") + 1;
    drop(socket);
    tokio::time::sleep(Duration::from_millis(200)).await;
    post(&w.node.core, &w.alice, &w.town_square, "while away").await;
    let id = hello["data"]["connection_id"].as_str().expect("id");
    let mut request = format!("{url}?connection_id={id}&sequence_number={next}")
        .into_client_request()
        .expect("request");
    request.headers_mut().insert(
        "authorization",
        format!("Bearer {}", w.bob_token).parse().expect("header"),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("resume");
    let Some(Ok(Message::Text(t))) = socket.next().await else {
        panic!("closed")
    };
    let v: Value = serde_json::from_str(t.as_str()).expect("json");
    assert_eq!(v["type"], "post_created", "{v}");
    assert_eq!(v["seq"].as_i64(), Some(next));
    assert_eq!(v["data"]["post"]["message"], "while away");
}

// ---- two nodes

#[tokio::test]
async fn role_privacy_thread_and_sidebar_changes_reach_the_users_they_concern() {
    let w = world(crate::support::open_config()).await;
    let mut bob = w.node.socket(&w.bob_token, "").await;
    let mut carol = w.node.socket(&w.carol_token, "").await;
    next_frame(&mut bob, Duration::from_secs(5)).await;
    next_frame(&mut carol, Duration::from_secs(5)).await;
    let bob_actor = w.node.core.authenticate(&w.bob_token).await.expect("bob");
    let carol_actor = w
        .node
        .core
        .authenticate(&w.carol_token)
        .await
        .expect("carol");

    // A channel member's roles: only that member hears.
    w.node
        .core
        .set_channel_member_roles(&w.alice, &w.private, bob_actor.id(), "", true)
        .await
        .expect("roles");
    let updated = events_until(&mut bob, "channel_member_updated").await;
    let member: Value = serde_json::from_str(
        updated.last().expect("one")["data"]["channelMember"]
            .as_str()
            .expect("a JSON string"),
    )
    .expect("member JSON");
    assert_eq!(member["roles"], "channel_user channel_admin");

    // Converting a channel: the whole team hears, carol included.
    w.node
        .core
        .set_channel_privacy(&w.alice, &w.private, "O")
        .await
        .expect("convert");
    let converted = events_until(&mut carol, "channel_converted").await;
    assert_eq!(
        converted.last().expect("one")["data"]["channel_id"],
        w.private.as_str()
    );

    // A reply: followers of the thread get thread_updated, others nothing.
    let input: NewPost = serde_json::from_value(json!({"message": "root"})).expect("post");
    let root = w
        .node
        .core
        .create_post(&bob_actor, &w.town_square, input)
        .await
        .expect("root");
    let input: NewPost =
        serde_json::from_value(json!({"message": "reply", "root_id": root.id})).expect("post");
    w.node
        .core
        .create_post(&w.alice, &w.town_square, input)
        .await
        .expect("reply");
    let thread = events_until(&mut bob, "thread_updated").await;
    let thread = thread.last().expect("one");
    let view: Value =
        serde_json::from_str(thread["data"]["thread"].as_str().expect("a JSON string"))
            .expect("thread JSON");
    assert_eq!(view["id"], root.id.as_str());
    assert_eq!(view["reply_count"], 1);
    assert_eq!(view["unread_replies"], 1);
    // Participants are public profiles: the apps store them as users.
    let replier = &view["participants"][0];
    assert_eq!(replier["id"], w.alice.id());
    assert_eq!(replier["username"], w.alice.user.username.as_str());
    assert_eq!(replier["email"], "", "no e-mail in another's profile");
    assert_eq!(thread["broadcast"]["user_id"], bob_actor.id());
    let carol_saw: Vec<Value> = {
        let mut seen = Vec::new();
        while let Some(e) = next_frame(&mut carol, Duration::from_millis(500)).await {
            seen.push(e);
        }
        seen
    };
    assert!(
        carol_saw.iter().all(|e| e["event"] != "thread_updated"),
        "carol follows no thread"
    );

    // A sidebar category of one's own: only oneself hears.
    let team_id = w
        .node
        .core
        .get_channel(&carol_actor, &w.town_square)
        .await
        .expect("channel")
        .team_id;
    let category = w
        .node
        .core
        .create_category(&carol_actor, &team_id, "Mine", Vec::new())
        .await
        .expect("category");
    let created = events_until(&mut carol, "sidebar_category_created").await;
    let created = created.last().expect("one");
    assert_eq!(created["data"]["category_id"], category.id.as_str());
    assert_eq!(created["broadcast"]["team_id"], team_id.as_str());
    while let Some(e) = next_frame(&mut bob, Duration::from_millis(300)).await {
        assert_ne!(
            e["event"], "sidebar_category_created",
            "bob got carol's sidebar"
        );
    }
}

#[tokio::test]
async fn presence_goes_away_when_idle_and_do_not_disturb_ends_on_time() {
    let w = world(Config {
        away_after_seconds: 1,
        ..crate::support::open_config()
    })
    .await;
    let bob_actor = w.node.core.authenticate(&w.bob_token).await.expect("bob");
    let status = |core: Core, id: String| {
        let reader = bob_actor.clone();
        async move { core.get_status(&reader, &id).await.expect("status") }
    };
    let mut bob = w.node.socket(&w.bob_token, "").await;
    let online = events_until(&mut bob, "status_change").await;
    assert_eq!(online.last().expect("one")["data"]["status"], "online");

    tokio::time::sleep(Duration::from_millis(1200)).await;
    w.node.core.sweep_presence().await;
    let away = events_until(&mut bob, "status_change").await;
    assert_eq!(away.last().expect("one")["data"]["status"], "away");
    assert_eq!(
        status(w.node.core.clone(), bob_actor.id().to_string())
            .await
            .status,
        "away"
    );

    // Activity brings bob back online.
    bob.send(Message::Text(
        json!({"seq": 1, "action": "user_update_active_status", "data": {"user_is_active": true}})
            .to_string()
            .into(),
    ))
    .await
    .expect("send");
    let back = events_until(&mut bob, "status_change").await;
    assert_eq!(back.last().expect("one")["data"]["status"], "online");

    // Do not disturb until a time that has passed ends at the next sweep.
    let past = core_server::time::now_ms() / 1000 - 120;
    w.node
        .core
        .set_status(&bob_actor, bob_actor.id(), "dnd", None)
        .await
        .expect("dnd");
    w.node
        .core
        .store
        .save_status(&core_server::model::Status {
            dnd_end_time: past - past % 60,
            ..status(w.node.core.clone(), bob_actor.id().to_string()).await
        })
        .await
        .expect("save");
    w.node.core.sweep_presence().await;
    let after = status(w.node.core.clone(), bob_actor.id().to_string()).await;
    assert_eq!(
        after.status, "online",
        "do not disturb outlived its end time"
    );
    assert_eq!(after.dnd_end_time, 0);
    // A manual status is not overridden by the idle sweep.
    w.node
        .core
        .set_status(&bob_actor, bob_actor.id(), "dnd", None)
        .await
        .expect("dnd");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    w.node.core.sweep_presence().await;
    assert_eq!(
        status(w.node.core.clone(), bob_actor.id().to_string())
            .await
            .status,
        "dnd"
    );
}
