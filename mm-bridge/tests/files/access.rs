//! Who reads a file (its uploader before it is posted, the channel after),
//! and how files follow their post into deletion or are cleaned up as orphans.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::stores::Store;
use crate::support;
use crate::world::world;

pub async fn files_are_readable_by_the_uploader_and_the_channel_only(store: Store) {
    let Some(w) = world(store, crate::support::open_config()).await else {
        return;
    };
    let up = w
        .app
        .upload(&w.owner, &w.private, &[("plan.txt", b"the plan")], true)
        .await;
    assert_eq!(up.status, StatusCode::CREATED);
    let id = support::id(&up.json()["file_infos"][0]);
    let paths = [
        format!("/api/v4/files/{id}"),
        format!("/api/v4/files/{id}/info"),
    ];
    // Before it is posted, only the uploader sees it.
    for path in &paths {
        let own = w.app.get(path, &w.owner).await;
        assert_eq!(own.status, StatusCode::OK, "uploader on {path}");
        let member = w.app.get(path, &w.member).await;
        assert_eq!(
            member.status,
            StatusCode::FORBIDDEN,
            "member before posting on {path}"
        );
    }
    let theirs = w
        .app
        .upload(&w.owner, &w.private, &[("theirs.txt", b"theirs")], true)
        .await;
    let theirs = support::id(&theirs.json()["file_infos"][0]);
    let post = w
        .app
        .json(
            Method::POST,
            "/api/v4/posts",
            Some(&w.owner),
            json!({"channel_id": w.private, "message": "plan", "file_ids": [id]}),
        )
        .await;
    assert_eq!(post.status, StatusCode::CREATED);
    for path in paths {
        let member = w.app.get(&path, &w.member).await;
        assert_eq!(member.status, StatusCode::OK, "channel member on {path}");
        let outsider = w.app.get(&path, &w.outsider).await;
        assert_eq!(outsider.status, StatusCode::FORBIDDEN, "outsider on {path}");
        assert_eq!(outsider.json()["status_code"], 403);
    }
    // An outsider cannot upload into the channel either, nor attach someone else's file.
    let refused = w
        .app
        .upload(&w.outsider, &w.private, &[("x.txt", b"x")], true)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = w
        .app
        .upload(&w.outsider, &w.private, &[("x.txt", b"x")], false)
        .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "files sent before the channel id are checked too"
    );
    let stolen = w
        .app
        .json(
            Method::POST,
            "/api/v4/posts",
            Some(&w.member),
            json!({"channel_id": w.private, "message": "mine now", "file_ids": [theirs]}),
        )
        .await;
    assert_eq!(stolen.status, StatusCode::CREATED);
    assert_eq!(
        stolen.json()["file_ids"],
        json!([]),
        "another user's file is not attached"
    );
}

pub async fn files_follow_their_post_and_orphans_are_cleaned_up(store: Store) {
    let Some(w) = world(store, crate::support::open_config()).await else {
        return;
    };
    let up = w
        .app
        .upload(
            &w.owner,
            &w.private,
            &[("a.txt", b"attached"), ("b.txt", b"never posted")],
            true,
        )
        .await;
    let infos = up.json()["file_infos"].clone();
    let attached = support::id(&infos[0]);
    let orphan = support::id(&infos[1]);
    let post = w
        .app
        .json(
            Method::POST,
            "/api/v4/posts",
            Some(&w.owner),
            json!({"channel_id": w.private, "message": "doc", "file_ids": [attached]}),
        )
        .await
        .json();
    let post_id = post["id"].as_str().expect("post");
    let deleted = w
        .app
        .send(
            Method::DELETE,
            &format!("/api/v4/posts/{post_id}"),
            Some(&w.owner),
            None,
            Vec::new(),
        )
        .await;
    assert_eq!(deleted.status, StatusCode::OK);
    let gone = w
        .app
        .get(&format!("/api/v4/files/{attached}"), &w.owner)
        .await;
    assert_eq!(
        gone.status,
        StatusCode::NOT_FOUND,
        "a deleted post's file is gone"
    );

    // Age the unposted file past the orphan limit, then clean up.
    let mut info = w.app.core.store.get_file_info(&orphan).await.expect("info");
    w.app
        .core
        .store
        .remove_file_info(&orphan)
        .await
        .expect("remove");
    info.create_at -= core_server::files::service::ORPHAN_AFTER_MS + 1000;
    w.app
        .core
        .store
        .create_file_info(&info)
        .await
        .expect("reinsert");
    assert_eq!(w.app.core.clean_orphan_files().await.expect("clean"), 1);
    assert!(matches!(
        w.app.core.blobs.get(&info.blob_key()).await,
        Err(core_server::Error::NotFound { .. })
    ));
    assert_eq!(w.app.core.clean_orphan_files().await.expect("clean"), 0);
}
