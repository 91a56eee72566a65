//! Notification recipients, badges, the push queue, mailed tokens and digests.

use core_server::id::new_id;
use core_server::model::*;

use crate::fixtures::*;
use crate::support::Ctx;

/// The notification queue, badges, recipients, e-mail tokens and digests.
async fn notification_and_mail_queues(ctx: Ctx) {
    let (_, c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    // A member without a status is a recipient all the same.
    let version = |c: &str| {
        let (store, c) = (store.clone(), c.to_string());
        async move { store.channel_recipients_version(&c).await.expect("version") }
    };
    let start = version(&c.id).await;
    let quiet = user("quiet");
    store.create_user(&quiet, None).await.expect("user");
    store
        .save_channel_member(&member(&c.id, &quiet.id))
        .await
        .expect("member");
    let joined = version(&c.id).await;
    assert!(joined > start, "a new member moves the channel's version");
    let recipients = store
        .list_channel_recipients(&c.id)
        .await
        .expect("recipients");
    assert_eq!(recipients.len(), 2);
    assert!(recipients
        .iter()
        .any(|r| r.user_id == quiet.id && r.username == "quiet"));
    let presence = store
        .recipient_presence(&c.id, &[quiet.id.clone(), u.id.clone(), new_id()])
        .await
        .expect("presence");
    assert_eq!(presence.len(), 2, "only members are answered");
    assert!(presence.iter().all(|p| p.status.is_none()));

    // What does not matter to notifications leaves the version alone.
    let mut viewed = store
        .get_channel_member(&c.id, &quiet.id)
        .await
        .expect("member");
    viewed.last_viewed_at = 1234;
    viewed.msg_count = 1;
    store
        .set_channel_read_state(&viewed)
        .await
        .expect("read state");
    store
        .save_channel_member(&viewed)
        .await
        .expect("same member saved");
    let mut renamed = store.get_user(&quiet.id).await.expect("user");
    renamed.position = "tester".into();
    store.update_user(&renamed).await.expect("update");
    assert_eq!(version(&c.id).await, joined);

    // The member's settings, the user's name and activation move it.
    viewed.notify_props.insert("push".into(), "all".into());
    store
        .save_channel_member(&viewed)
        .await
        .expect("member props");
    let props_changed = version(&c.id).await;
    assert!(props_changed > joined);
    renamed.username = "quieter".into();
    store.update_user(&renamed).await.expect("rename");
    let renamed_at = version(&c.id).await;
    assert!(renamed_at > props_changed);
    assert!(store
        .list_channel_recipients(&c.id)
        .await
        .expect("recipients")
        .iter()
        .any(|r| r.username == "quieter"));
    renamed.delete_at = 99;
    store.update_user(&renamed).await.expect("deactivate");
    let deactivated = version(&c.id).await;
    assert!(deactivated > renamed_at);
    assert_eq!(
        store
            .list_channel_recipients(&c.id)
            .await
            .expect("recipients")
            .len(),
        1,
        "deactivated accounts get no notifications"
    );
    store
        .delete_channel_member(&c.id, &quiet.id)
        .await
        .expect("leave");
    assert!(version(&c.id).await > deactivated);

    // Recipients carry both notify maps; presence the status and last view.
    store
        .save_status(&status(&u.id, "online"))
        .await
        .expect("status");
    let recipients = store
        .list_channel_recipients(&c.id)
        .await
        .expect("recipients");
    assert_eq!(recipients.len(), 1);
    assert_eq!(
        recipients[0]
            .user_notify_props
            .get("push")
            .map(String::as_str),
        Some("mention")
    );
    assert_eq!(
        recipients[0]
            .member_notify_props
            .get("mark_unread")
            .map(String::as_str),
        Some("all")
    );
    let presence = store
        .recipient_presence(&c.id, std::slice::from_ref(&u.id))
        .await
        .expect("presence");
    assert_eq!(
        presence[0].status.as_ref().map(|s| s.status.as_str()),
        Some("online")
    );
    assert_eq!(
        store.online_channel_members(&c.id).await.expect("online"),
        vec![u.id.clone()]
    );
    store
        .save_status(&status(&u.id, "away"))
        .await
        .expect("status");
    assert!(store
        .online_channel_members(&c.id)
        .await
        .expect("online")
        .is_empty());

    // Badge: mentions outside direct channels.
    assert_eq!(store.badge_count(&u.id).await.expect("badge"), 0);
    store
        .add_mentions(&c.id, std::slice::from_ref(&u.id), true)
        .await
        .expect("mention");
    store
        .add_mentions(&c.id, std::slice::from_ref(&u.id), false)
        .await
        .expect("mention");
    assert_eq!(store.badge_count(&u.id).await.expect("badge"), 2);

    // Push jobs: leased once, retried later, finished.
    let job = |id: &str, at: i64| PushJob {
        id: id.into(),
        user_id: u.id.clone(),
        session_id: "s".into(),
        payload: "{}".into(),
        attempts: 0,
        next_attempt_at: at,
        create_at: at,
    };
    let (a, b) = (new_id(), new_id());
    store
        .enqueue_pushes(&[job(&a, 100), job(&b, 5_000)])
        .await
        .expect("enqueue");
    let claimed = store.claim_pushes(1_000, 61_000, 10).await.expect("claim");
    assert_eq!(
        claimed.iter().map(|j| j.id.as_str()).collect::<Vec<_>>(),
        vec![a.as_str()],
        "only due jobs"
    );
    assert!(
        store
            .claim_pushes(2_000, 62_000, 10)
            .await
            .expect("claim")
            .is_empty(),
        "leased"
    );
    store.retry_push(&a, 1, 3_000).await.expect("retry");
    let again = store.claim_pushes(10_000, 70_000, 10).await.expect("claim");
    assert_eq!(
        again.len(),
        2,
        "both due now, the lease cleared by the retry"
    );
    assert_eq!(
        again.iter().find(|j| j.id == a).map(|j| j.attempts),
        Some(1)
    );
    store.finish_push(&a).await.expect("finish");
    assert_eq!(store.list_push_jobs(10).await.expect("list").len(), 1);

    // E-mail tokens: one per kind and user, taken once.
    let token = |hash: &str, at: i64| EmailToken {
        token_hash: hash.into(),
        kind: "password_recovery".into(),
        user_id: u.id.clone(),
        email: u.email.clone(),
        create_at: at,
        team_id: String::new(),
        channel_ids: Vec::new(),
    };
    store
        .save_email_token(&token("h1", 10))
        .await
        .expect("token");
    store
        .save_email_token(&token("h2", 20))
        .await
        .expect("token");
    assert_eq!(
        store
            .email_token_issued_at(&u.id, "password_recovery")
            .await
            .expect("at"),
        Some(20)
    );
    assert!(
        store
            .take_email_token("h1", "password_recovery")
            .await
            .expect("take")
            .is_none(),
        "replaced"
    );
    assert!(
        store
            .take_email_token("h2", "verify_email")
            .await
            .expect("take")
            .is_none(),
        "other kind"
    );
    assert!(store
        .take_email_token("h2", "password_recovery")
        .await
        .expect("take")
        .is_some());
    assert!(
        store
            .take_email_token("h2", "password_recovery")
            .await
            .expect("take")
            .is_none(),
        "once"
    );

    // Digests: due users, taken oldest first.
    let entry = |post: &str, at: i64| DigestEntry {
        user_id: u.id.clone(),
        post_id: post.into(),
        channel_id: c.id.clone(),
        create_at: at,
    };
    store
        .queue_digest(&[entry("p2", 200), entry("p1", 100), entry("p1", 100)])
        .await
        .expect("queue");
    assert!(store
        .list_digest_users(100, 10)
        .await
        .expect("due")
        .is_empty());
    assert_eq!(
        store.list_digest_users(150, 10).await.expect("due"),
        vec![u.id.clone()]
    );
    let taken = store.take_digest(&u.id).await.expect("take");
    assert_eq!(
        taken.iter().map(|e| e.post_id.as_str()).collect::<Vec<_>>(),
        vec!["p1", "p2"]
    );
    assert!(store.take_digest(&u.id).await.expect("take").is_empty());
}

on_both_backends!(notification_and_mail_queues);
