//! File records and resumable uploads.

use core_server::id::new_id;
use core_server::model::*;
use core_server::Error;

use crate::fixtures::*;
use crate::support::Ctx;

async fn uploads_have_one_finisher(ctx: Ctx) {
    let (_, c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    let upload = upload(&u.id, &c.id, 1);
    store.create_upload(&upload).await.expect("upload");
    assert!(store
        .claim_upload_finish(&upload.id, 1_000, 0)
        .await
        .expect("claim"));
    assert!(!store
        .claim_upload_finish(&upload.id, 1_500, 500)
        .await
        .expect("claimed"));
    // A claim older than the lease was left by a stopped server: taken over.
    assert!(store
        .claim_upload_finish(&upload.id, 9_000, 2_000)
        .await
        .expect("taken over"));
    store
        .release_upload_finish(&upload.id)
        .await
        .expect("release");
    assert!(store
        .claim_upload_finish(&upload.id, 9_100, 0)
        .await
        .expect("claimed again"));
    store.delete_upload(&upload.id).await.expect("delete");
}

/// A 10-byte upload session started at `at`.
fn upload(user_id: &str, channel_id: &str, at: i64) -> UploadSession {
    UploadSession {
        id: new_id(),
        kind: "attachment".into(),
        user_id: user_id.into(),
        channel_id: channel_id.into(),
        filename: "f.bin".into(),
        file_size: 10,
        file_offset: 0,
        create_at: at,
    }
}

pub fn file(creator_id: &str, channel_id: &str, name: &str, at: i64) -> FileInfo {
    FileInfo {
        id: new_id(),
        creator_id: creator_id.into(),
        post_id: String::new(),
        channel_id: channel_id.into(),
        create_at: at,
        update_at: at,
        delete_at: 0,
        name: name.into(),
        extension: "txt".into(),
        size: 3,
        mime_type: "text/plain".into(),
        width: 0,
        height: 0,
        has_preview_image: false,
        has_thumbnail: false,
        mini_preview: Some(vec![1, 2, 3]),
    }
}

async fn files_attach_to_posts_and_follow_them(ctx: Ctx) {
    let (t, c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    let stranger = user("stranger");
    store.create_user(&stranger, None).await.expect("user");
    let mine = file(&u.id, &c.id, "Report_2024.TXT", 10);
    let theirs = file(&stranger.id, &c.id, "theirs.txt", 11);
    let orphan = file(&u.id, &c.id, "orphan.txt", 12);
    for f in [&mine, &theirs, &orphan] {
        store.create_file_info(f).await.expect("file");
    }
    assert_eq!(store.get_file_info(&mine.id).await.expect("get"), mine);
    let p = store
        .create_post(&post(&c.id, &u.id, 20, ""))
        .await
        .expect("post");
    let attached = store
        .attach_files(
            &p.id,
            &c.id,
            &u.id,
            &[mine.id.clone(), theirs.id.clone()],
            21,
        )
        .await
        .expect("attach");
    assert_eq!(attached, 1, "only the poster's own files");
    assert_eq!(
        store
            .attach_files(&p.id, &c.id, &u.id, std::slice::from_ref(&mine.id), 22)
            .await
            .expect("again"),
        0,
        "a file is attached once"
    );
    let on_post = store.list_post_files(&p.id, false).await.expect("files");
    assert_eq!(on_post.len(), 1);
    assert_eq!(
        (on_post[0].post_id.as_str(), on_post[0].update_at),
        (p.id.as_str(), 21)
    );
    assert_eq!(
        store
            .list_posts_files(std::slice::from_ref(&p.id))
            .await
            .expect("files")
            .len(),
        1
    );

    // Search: posted files of the searcher's channels, any case, `%` and `_`
    // in terms dropped rather than taken as wildcards.
    let search = |terms: &[&str]| {
        let terms: Vec<String> = terms.iter().map(|t| t.to_string()).collect();
        let (store, user_id, team_id) = (store.clone(), u.id.clone(), t.id.clone());
        async move {
            store
                .search_files(&user_id, Some(&team_id), &terms, 10)
                .await
                .expect("search")
                .len()
        }
    };
    assert_eq!(search(&["report"]).await, 1);
    assert_eq!(search(&["REPORT%", "2024"]).await, 1);
    assert_eq!(
        search(&["report", "theirs"]).await,
        0,
        "every term must match"
    );
    assert_eq!(search(&["orphan"]).await, 0, "never posted");
    let report = ["report".to_string()];
    let elsewhere = core_server::id::new_id();
    assert_eq!(
        store
            .search_files(&u.id, Some(&elsewhere), &report, 10)
            .await
            .expect("another team")
            .len(),
        0,
        "another team's channels are not searched"
    );
    assert_eq!(
        store
            .search_files(&u.id, None, &report, 10)
            .await
            .expect("every team")
            .len(),
        1,
        "without a team, every channel of the searcher's"
    );

    let orphans = store.list_orphan_files(100, 10).await.expect("orphans");
    assert_eq!(orphans.len(), 2);
    store.remove_file_info(&orphan.id).await.expect("remove");
    assert!(matches!(
        store.get_file_info(&orphan.id).await,
        Err(Error::NotFound { .. })
    ));

    store.delete_post(&p, 30).await.expect("delete");
    assert!(store
        .list_post_files(&p.id, false)
        .await
        .expect("live")
        .is_empty());
    assert_eq!(
        store.list_post_files(&p.id, true).await.expect("all")[0].delete_at,
        30,
        "files follow their post into deletion"
    );
}

async fn upload_parts_are_appended_by_compare_and_set(ctx: Ctx) {
    let (_, c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    let upload = upload(&u.id, &c.id, 5);
    store.create_upload(&upload).await.expect("upload");
    let part = |start: i64, size: i64| UploadPart {
        start_offset: start,
        size,
        blob_key: format!("uploads/{}/{start}", upload.id),
    };
    assert!(store
        .append_upload_part(&upload.id, &part(0, 4))
        .await
        .expect("first"));
    assert!(
        !store
            .append_upload_part(&upload.id, &part(0, 4))
            .await
            .expect("stale"),
        "a writer behind the offset loses"
    );
    assert!(store
        .append_upload_part(&upload.id, &part(4, 6))
        .await
        .expect("second"));
    assert_eq!(
        store.get_upload(&upload.id).await.expect("get").file_offset,
        10
    );
    assert_eq!(
        store.list_upload_parts(&upload.id).await.expect("parts"),
        vec![part(0, 4), part(4, 6)]
    );
    assert_eq!(store.list_user_uploads(&u.id).await.expect("mine").len(), 1);
    assert_eq!(
        store.list_stale_uploads(6, 10).await.expect("stale").len(),
        1
    );
    assert!(store
        .list_stale_uploads(5, 10)
        .await
        .expect("fresh")
        .is_empty());
    store.delete_upload(&upload.id).await.expect("delete");
    assert!(store
        .list_upload_parts(&upload.id)
        .await
        .expect("parts")
        .is_empty());
    assert!(matches!(
        store.get_upload(&upload.id).await,
        Err(Error::NotFound { .. })
    ));
}

on_both_backends!(
    uploads_have_one_finisher,
    files_attach_to_posts_and_follow_them,
    upload_parts_are_appended_by_compare_and_set,
);
