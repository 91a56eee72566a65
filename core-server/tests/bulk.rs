//! Mattermost bulk import and export on both backends: the test fixture
//! (tests/fixtures/mattermost-export, written for these tests) imported
//! whole, a second run adding nothing, bad lines skipped with their numbers,
//! dry runs writing nothing, and export → import → export giving the same lines.

mod support;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use core_server::bulk::export::export_zip;
use core_server::bulk::{import_file, Observer, Outcome, Report};
use core_server::model::*;
use core_server::services::Core;
use core_server::store::ChannelPosts;
use futures::StreamExt;
use support::Ctx;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/mattermost-export")
}

/// The fixture as `mmctl export create` would ship it: one zip.
fn fixture_zip(dir: &Path) -> PathBuf {
    let out = dir.join("export.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&out).expect("create zip"));
    let options = zip::write::SimpleFileOptions::default();
    let root = fixture_dir();
    let mut stack = vec![root.clone()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("read fixture") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path
                .strip_prefix(&root)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            zip.start_file(name, options).expect("entry");
            zip.write_all(&std::fs::read(&path).expect("read"))
                .expect("write");
        }
    }
    zip.finish().expect("finish");
    out
}

/// Keeps the bad lines it is told of.
#[derive(Default)]
struct Seen {
    bad: Vec<(u64, String)>,
}

impl Observer for Seen {
    fn progress(&mut self, _offset: u64, _size: u64, _report: &Report) {}
    fn bad_line(&mut self, number: u64, reason: &str) {
        self.bad.push((number, reason.to_string()));
    }
}

async fn import(core: &Core, path: &Path, dry_run: bool) -> (Outcome, Seen) {
    let mut seen = Seen::default();
    let outcome = import_file(core, path, dry_run, &mut seen)
        .await
        .expect("import runs");
    (outcome, seen)
}

async fn user(ctx: &Ctx, name: &str) -> User {
    ctx.store.get_user_by_username(name).await.expect(name)
}

async fn channel(ctx: &Ctx, team: &str, name: &str) -> Channel {
    let team = ctx.store.get_team_by_name(team).await.expect(team);
    ctx.store
        .get_channel_by_name(&team.id, name)
        .await
        .expect(name)
}

/// Every live post of a channel, oldest first.
async fn posts(ctx: &Ctx, channel_id: &str) -> Vec<Post> {
    let mut all = ctx
        .store
        .list_channel_posts_offset(ChannelPosts::all(channel_id), 0, 1000)
        .await
        .expect("posts");
    all.reverse();
    all
}

async fn fixture_imports_everything(ctx: Ctx) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (outcome, seen) = import(&ctx.core, &fixture_zip(dir.path()), false).await;
    assert!(seen.bad.is_empty(), "bad lines: {:?}", seen.bad);
    assert_eq!(outcome.report.error_count, 0);
    assert_eq!(outcome.posts_read, 9);
    assert_eq!(outcome.written.posts, 9);
    assert_eq!(outcome.written.attachments, 2);
    assert_eq!(outcome.written.emoji, 1);

    // Teams and channels, with their defaults, types and settings.
    let acme = ctx.store.get_team_by_name("acme").await.expect("acme");
    assert_eq!(acme.display_name, "Acme Corp");
    assert!(acme.allow_open_invite);
    let skunk = ctx
        .store
        .get_team_by_name("skunkworks")
        .await
        .expect("team");
    assert_eq!(skunk.team_type, "I");
    channel(&ctx, "acme", "town-square").await;
    let launch = channel(&ctx, "acme", "launch-pad").await;
    assert_eq!(launch.header, "Countdown talk");
    assert_eq!(
        channel(&ctx, "acme", "secret-plans").await.channel_type,
        "P"
    );
    assert_eq!(
        channel(&ctx, "acme", "old-news").await.delete_at,
        1_600_000_000_000
    );

    // Users: profile, roles and notify props kept; no usable password; SSO kept.
    let wile = user(&ctx, "wile.e").await;
    assert!(wile.is_system_admin());
    assert_eq!(
        (wile.nickname.as_str(), wile.position.as_str()),
        ("Genius", "Chief Engineer")
    );
    assert_eq!(wile.notify_props["mention_keys"], "rocket,anvil");
    assert_eq!(wile.notify_props["push"], "mention");
    assert!(wile.email_verified);
    assert_eq!(
        ctx.store.get_password_hash(&wile.id).await.expect("hash"),
        None
    );
    let marvin = user(&ctx, "marvin").await;
    assert_eq!(
        (marvin.auth_service.as_str(), marvin.auth_data.as_str()),
        ("gitlab", "4242")
    );
    assert_eq!(user(&ctx, "daffy").await.delete_at, 1_650_000_000_000);
    let runner = user(&ctx, "road.runner").await;
    let bot = ctx
        .store
        .get_bot(&user(&ctx, "launch-bot").await.id)
        .await
        .expect("bot");
    assert_eq!(
        (bot.owner_id.as_str(), bot.display_name.as_str()),
        (wile.id.as_str(), "Launch Bot")
    );

    // Memberships with roles; everyone in town square; preferences.
    let team_member = ctx
        .store
        .get_team_member(&acme.id, &wile.id)
        .await
        .expect("member");
    assert!(roles::has(&team_member.roles, roles::TEAM_ADMIN));
    let launch_member = ctx
        .store
        .get_channel_member(&launch.id, &wile.id)
        .await
        .expect("member");
    assert!(roles::has(&launch_member.roles, roles::CHANNEL_ADMIN));
    assert_eq!(launch_member.notify_props["mark_unread"], "mention");
    assert_eq!(launch_member.notify_props["push"], "none");
    let town = channel(&ctx, "acme", "town-square").await;
    ctx.store
        .get_channel_member(&town.id, &runner.id)
        .await
        .expect("default channel joined");
    let prefs = ctx.store.list_preferences(&wile.id).await.expect("prefs");
    let has = |category: &str, name: &str, value: &str| {
        prefs
            .iter()
            .any(|p| p.category == category && p.name == name && p.value == value)
    };
    assert!(has("favorite_channel", &launch.id, "true"));
    assert!(has("theme", "", "{\"type\":\"Onyx\"}"));
    assert!(has("notifications", "email_interval", "3600"));

    // The thread: times kept, replies under their root, counts, extras.
    let launch_posts = posts(&ctx, &launch.id).await;
    assert_eq!(launch_posts.len(), 4);
    let root = &launch_posts[0];
    assert_eq!(root.create_at, 1_577_836_800_000);
    assert!(root.is_pinned);
    assert_eq!(root.hashtags, "#launch");
    assert_eq!(root.reply_count, 2);
    assert_eq!(root.last_reply_at, 1_577_836_920_000);
    let replies = ctx.store.list_thread(&root.id).await.expect("thread");
    assert_eq!(replies.len(), 3);
    assert!(replies[1..].iter().all(|r| r.root_id == root.id));
    assert_eq!(replies[2].edit_at, 1_577_836_930_000);
    assert_eq!(launch_posts[3].props["from_import"], "yes");
    let reactions = ctx.store.list_reactions(&root.id).await.expect("reactions");
    let names: Vec<&str> = reactions.iter().map(|r| r.emoji_name.as_str()).collect();
    assert_eq!(names, ["rocket", "party"]);
    let flags = ctx.store.list_preferences(&runner.id).await.expect("prefs");
    assert!(flags
        .iter()
        .any(|p| p.category == "flagged_post" && p.name == root.id));
    let followers = ctx
        .store
        .list_thread_followers(&root.id)
        .await
        .expect("followers");
    assert_eq!(followers.len(), 2);

    // Attachments: records in the post's order, bytes in the blob store.
    let files = ctx
        .store
        .list_post_files(&root.id, false)
        .await
        .expect("files");
    assert_eq!(root.file_ids.len(), 2);
    let by_id = |id: &str| files.iter().find(|f| f.id == id).expect("file record");
    let report = by_id(&root.file_ids[0]);
    assert_eq!(
        (report.name.as_str(), report.mime_type.as_str()),
        ("report.txt", "text/plain")
    );
    let pixel = by_id(&root.file_ids[1]);
    assert_eq!(
        (pixel.mime_type.as_str(), pixel.width, pixel.height),
        ("image/png", 8, 6)
    );
    let mut blob = ctx
        .core
        .blobs
        .get(&report.blob_key())
        .await
        .expect("blob")
        .body;
    let mut bytes = Vec::new();
    while let Some(chunk) = blob.next().await {
        bytes.extend_from_slice(&chunk.expect("chunk"));
    }
    assert_eq!(bytes, b"Quarterly numbers: up and to the right.\n");

    // Counters recounted; members caught up with the imported history.
    let launch = channel(&ctx, "acme", "launch-pad").await;
    assert_eq!(
        (launch.total_msg_count, launch.total_msg_count_root),
        (4, 2)
    );
    assert_eq!(launch.last_post_at, 1_577_840_400_000);
    let unreads = ctx
        .store
        .list_unreads(&runner.id, Some(&acme.id))
        .await
        .expect("unreads");
    let launch_unread = unreads
        .iter()
        .find(|u| u.channel_id == launch.id)
        .expect("unread");
    assert_eq!(launch_unread.msg_count, 0, "imported history is read");
    assert_eq!(launch_unread.mention_count, 0);

    // Emoji, direct and group channels with their posts.
    let emoji = ctx.store.get_emoji("party", true).await.expect("emoji");
    let (content_type, _) = ctx.store.get_emoji_image(&emoji.id).await.expect("image");
    assert_eq!(content_type, "image/png");
    let dm = ctx
        .store
        .get_channel_by_name("", &direct_channel_name(&wile.id, &runner.id))
        .await
        .expect("dm");
    let dm_posts = posts(&ctx, &dm.id).await;
    assert_eq!(dm_posts.len(), 2);
    assert_eq!(dm_posts[1].root_id, dm_posts[0].id);
    let wile_channels = ctx
        .store
        .list_user_channels(&wile.id, None)
        .await
        .expect("channels");
    let gm = wile_channels
        .iter()
        .find(|c| c.channel_type == "G")
        .expect("group channel");
    assert_eq!(gm.header, "The three of us");
    assert_eq!(
        ctx.store
            .count_channel_members(&gm.id)
            .await
            .expect("count"),
        3
    );
    let gm_posts = posts(&ctx, &gm.id).await;
    assert_eq!(gm_posts[0].create_at, 1_577_926_800_000);
    assert!(has_pref(&ctx, &wile.id, "favorite_channel", &dm.id).await);
}

async fn has_pref(ctx: &Ctx, user_id: &str, category: &str, name: &str) -> bool {
    ctx.store
        .list_preferences(user_id)
        .await
        .expect("prefs")
        .iter()
        .any(|p| p.category == category && p.name == name)
}

async fn second_import_adds_nothing(ctx: Ctx) {
    let dir = tempfile::tempdir().expect("tempdir");
    let zip = fixture_zip(dir.path());
    import(&ctx.core, &zip, false).await;
    let launch = channel(&ctx, "acme", "launch-pad").await;
    let before = posts(&ctx, &launch.id).await;
    let users_before = ctx.store.count_users().await.expect("count");
    let (again, seen) = import(&ctx.core, &zip, false).await;
    assert!(seen.bad.is_empty(), "{:?}", seen.bad);
    assert_eq!(again.posts_read, 9);
    assert_eq!(
        again.written,
        Default::default(),
        "a second run writes nothing new"
    );
    assert_eq!(posts(&ctx, &launch.id).await, before);
    assert_eq!(ctx.store.count_users().await.expect("count"), users_before);
    let root = &before[0];
    assert_eq!(
        ctx.store.list_reactions(&root.id).await.expect("r").len(),
        2
    );
    assert_eq!(
        ctx.store
            .list_post_files(&root.id, true)
            .await
            .expect("f")
            .len(),
        2
    );
    let launch_again = channel(&ctx, "acme", "launch-pad").await;
    assert_eq!(launch_again.total_msg_count, 4);
}

async fn bad_lines_are_reported_and_skipped(ctx: Ctx) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("import.jsonl");
    let lines = [
        r#"{"type":"version","version":1}"#,
        r#"{"type":"team","team":{"name":"acme","display_name":"Acme","type":"O"}}"#,
        r#"{"type":"channel","channel":{"team":"acme","name":"general-talk","display_name":"General","type":"O"}}"#,
        r#"{"type":"user","user":{"username":"ann","email":"ann@example.com","teams":[{"name":"acme","channels":[{"name":"general-talk"}]}]}}"#,
        r#"{"type":"post","post":{"team":"acme","channel":"general-talk","user":"ann","message":"first","create_at":1000}"#,
        r#"{"type":"post","post":{"team":"acme","channel":"general-talk","user":"nobody","message":"ghost","create_at":2000}}"#,
        r#"{"type":"post","post":{"team":"acme","channel":"general-talk","user":"ann","create_at":3000}}"#,
        r#"{"type":"post","post":{"team":"acme","channel":"nowhere","user":"ann","message":"lost","create_at":4000}}"#,
        r#"{"type":"post","post":{"team":"acme","channel":"general-talk","user":"ann","message":"last","create_at":5000}}"#,
    ];
    std::fs::write(&path, lines.join("\n")).expect("write");

    // A dry run finds the lines wrong in themselves and writes nothing.
    let (dry, _) = import(&ctx.core, &path, true).await;
    let dry_lines: Vec<u64> = dry.report.errors.iter().map(|(n, _)| *n).collect();
    assert_eq!(dry_lines, [5, 7]);
    assert!(ctx.store.get_team_by_name("acme").await.is_err());

    let (outcome, seen) = import(&ctx.core, &path, false).await;
    let numbers: Vec<u64> = seen.bad.iter().map(|(n, _)| *n).collect();
    assert_eq!(numbers, [5, 6, 7, 8]);
    assert!(seen.bad[0].1.contains("JSON"), "{}", seen.bad[0].1);
    assert!(seen.bad[1].1.contains("post.user") && seen.bad[1].1.contains("nobody"));
    assert!(seen.bad[2].1.contains("post.message"), "{}", seen.bad[2].1);
    assert!(seen.bad[3].1.contains("post.channel"), "{}", seen.bad[3].1);
    assert_eq!(outcome.report.error_count, 4);
    assert_eq!(outcome.written.posts, 1);
    let general = channel(&ctx, "acme", "general-talk").await;
    let kept: Vec<String> = posts(&ctx, &general.id)
        .await
        .into_iter()
        .map(|p| p.message)
        .collect();
    assert_eq!(kept, ["last"]);
}

/// An export's lines, made comparable across servers: ids in file paths
/// replaced, lines sorted.
fn export_lines(zip_path: &Path) -> BTreeSet<String> {
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(zip_path).expect("open")).expect("zip");
    let mut text = String::new();
    archive
        .by_name("import.jsonl")
        .expect("import.jsonl")
        .read_to_string(&mut text)
        .expect("read");
    text.lines().map(without_path_ids).collect()
}

/// `data/<26-char id>/` and `data/emoji/<id>/` → a placeholder.
fn without_path_ids(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("data/") {
        out.push_str(&rest[..at + 5]);
        rest = &rest[at + 5..];
        if let Some(inner) = rest.strip_prefix("emoji/") {
            out.push_str("emoji/");
            rest = inner;
        }
        let id: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if id.len() == 26 {
            out.push_str("<id>");
            rest = &rest[26..];
        }
    }
    out.push_str(rest);
    out
}

async fn fresh_like(ctx: &Ctx) -> Ctx {
    match ctx.store.backend() {
        "sqlite" => support::sqlite().await,
        _ => support::postgres().await.expect("postgres"),
    }
}

async fn export_then_import_is_lossless(ctx: Ctx) {
    let dir = tempfile::tempdir().expect("tempdir");
    import(&ctx.core, &fixture_zip(dir.path()), false).await;
    let first = dir.path().join("first.zip");
    let exported = export_zip(&ctx.core, &first, &mut |_| {})
        .await
        .expect("export");
    assert_eq!(exported.count("post"), 4);
    assert_eq!(exported.count("direct_post"), 2);
    assert_eq!(
        exported.attachments, 3,
        "two attachments and an emoji image"
    );

    let other = fresh_like(&ctx).await;
    let (outcome, seen) = import(&other.core, &first, false).await;
    assert!(seen.bad.is_empty(), "{:?}", seen.bad);
    assert_eq!(outcome.written.posts, 9);
    let second = dir.path().join("second.zip");
    export_zip(&other.core, &second, &mut |_| {})
        .await
        .expect("export");
    let (a, b) = (export_lines(&first), export_lines(&second));
    let only_a: Vec<&String> = a.difference(&b).collect();
    let only_b: Vec<&String> = b.difference(&a).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "exports differ:\nfirst only: {only_a:#?}\nsecond only: {only_b:#?}"
    );
    // The bytes made the trip too.
    let launch = channel(&other, "acme", "launch-pad").await;
    let root = &posts(&other, &launch.id).await[0];
    let files = other
        .store
        .list_post_files(&root.id, false)
        .await
        .expect("files");
    assert_eq!(files.len(), 2);
    assert!(files.iter().any(|f| f.name == "pixel.png" && f.width == 8));
}

async fn own_export_imported_again_adds_nothing(ctx: Ctx) {
    let dir = tempfile::tempdir().expect("tempdir");
    import(&ctx.core, &fixture_zip(dir.path()), false).await;
    // A post made here, with an id of its own, and a reaction to it.
    let launch = channel(&ctx, "acme", "launch-pad").await;
    let wile = user(&ctx, "wile.e").await;
    let native = Post {
        id: core_server::id::new_id(),
        create_at: 1_700_000_000_000,
        update_at: 1_700_000_000_000,
        user_id: wile.id.clone(),
        channel_id: launch.id.clone(),
        message: "made here".into(),
        props: serde_json::json!({}),
        ..Post::default()
    };
    ctx.store.create_post(&native).await.expect("post");
    let native_reply = Post {
        id: core_server::id::new_id(),
        create_at: 1_700_000_001_000,
        update_at: 1_700_000_001_000,
        root_id: native.id.clone(),
        message: "a reply made here".into(),
        ..native.clone()
    };
    ctx.store.create_post(&native_reply).await.expect("reply");
    ctx.store
        .save_reaction(&Reaction {
            user_id: wile.id.clone(),
            post_id: native.id.clone(),
            emoji_name: "tada".into(),
            channel_id: launch.id.clone(),
            create_at: 1_700_000_000_001,
            update_at: 1_700_000_000_001,
            delete_at: 0,
        })
        .await
        .expect("reaction");
    let archive = dir.path().join("own.zip");
    export_zip(&ctx.core, &archive, &mut |_| {})
        .await
        .expect("export");
    let (outcome, seen) = import(&ctx.core, &archive, false).await;
    assert!(seen.bad.is_empty(), "{:?}", seen.bad);
    assert_eq!(outcome.posts_read, 11);
    assert_eq!(
        outcome.written.posts, 0,
        "the posts made here are recognised"
    );
    assert_eq!(posts(&ctx, &launch.id).await.len(), 6);
    assert_eq!(
        ctx.store
            .get_post(&native.id)
            .await
            .expect("root")
            .reply_count,
        1
    );
    let reactions = ctx
        .store
        .list_reactions_for_posts(std::slice::from_ref(&native.id))
        .await
        .expect("reactions");
    assert_eq!(reactions.len(), 1);
}

on_both_backends!(
    own_export_imported_again_adds_nothing,
    fixture_imports_everything,
    second_import_adds_nothing,
    bad_lines_are_reported_and_skipped,
    export_then_import_is_lossless,
);
