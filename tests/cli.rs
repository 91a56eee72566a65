//! The binary as a user runs it: configuration errors, the CLI commands, and
//! the server, including CLI use while it runs and a restart.

use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};

mod support;
use support::{run_ok, rustchat, start, BIN};

async fn login(base: &str, login_id: &str, password: &str) -> (reqwest::StatusCode, Value) {
    let resp = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login_id": login_id, "password": password}))
        .send()
        .await
        .expect("login request");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn me(base: &str, token: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{base}/api/v1/users/me"))
        .bearer_auth(token)
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json")
}

#[test]
fn a_bad_setting_exits_nonzero_naming_the_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (key, value) in [
        ("RUSTCHAT_DATABASE_URL", "bogus://x"),
        ("RUSTCHAT_LISTEN", "nowhere"),
        ("RUSTCHAT_MAX_BODY_BYTES", "lots"),
    ] {
        let out = rustchat(dir.path(), None)
            .env(key, value)
            .arg("serve")
            .output()
            .expect("run");
        assert!(!out.status.success(), "{key}={value} was accepted");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(key), "{key}: {stderr}");
    }
}

#[test]
fn routes_lists_the_v4_table_as_json() {
    let out = Command::new(BIN)
        .args(["routes", "--json"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let routes: Value = serde_json::from_slice(&out.stdout).expect("json");
    let routes = routes.as_array().expect("array");
    assert!(routes.len() >= 80, "{} routes", routes.len());
    assert!(routes
        .iter()
        .any(|r| r["method"] == "POST" && r["path"] == "/api/v4/users/login"));
}

#[test]
fn openapi_prints_the_native_api_document() {
    let out = Command::new(BIN).arg("openapi").output().expect("run");
    assert!(out.status.success());
    let document: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(document["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.")));
    assert_eq!(document["info"]["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        document["paths"]["/api/v1/channels/{channel_id}/posts"]["post"].is_object(),
        "the post route is documented"
    );
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["user", "create", "--help"],
        vec!["user", "migrate-auth", "--help"],
        vec!["team", "create", "--help"],
        vec!["user", "list", "--help"],
        vec!["user", "sessions", "revoke", "--help"],
        vec!["team", "add", "--help"],
        vec!["channel", "archive", "--help"],
        vec!["post", "delete", "--help"],
        vec!["bench", "posts", "--help"],
    ] {
        let out = Command::new(BIN).args(&args).output().expect("run");
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage"),
            "{args:?}"
        );
    }
}

async fn serve_cli_and_restart(db: Option<&str>) {
    let dir = tempfile::tempdir().expect("tempdir");
    run_ok(rustchat(dir.path(), db).arg("migrate"));
    let server = start(dir.path(), db);
    // The CLI works against the same database while the server runs.
    let created = run_ok(rustchat(dir.path(), db).args([
        "user",
        "create",
        "--username",
        "root",
        "--email",
        "root@example.com",
        "--password",
        "password1",
        "--system-admin",
    ]));
    assert!(created.contains("system_admin"), "{created}");
    let team = run_ok(rustchat(dir.path(), db).args([
        "team",
        "create",
        "--name",
        "ops",
        "--display-name",
        "Ops",
    ]));
    assert!(team.contains("created team ops"), "{team}");
    let (status, body) = login(&server.base, "root", "password1").await;
    assert_eq!(status, 200, "{body}");
    let token = body["token"].as_str().expect("token").to_string();
    assert_eq!(me(&server.base, &token).await["username"], "root");
    drop(server);

    let server = start(dir.path(), db);
    let (status, _) = login(&server.base, "root@example.com", "password1").await;
    assert_eq!(status, 200, "the user can still log in after a restart");
    let teams: Value = reqwest::Client::new()
        .get(format!("{}/api/v1/users/me/teams", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .expect("teams")
        .json()
        .await
        .expect("json");
    assert_eq!(
        teams[0]["name"], "ops",
        "sessions and data survive the restart: {teams}"
    );
    if db.is_none() {
        assert!(
            dir.path().join("data").join("rustchat.db").exists(),
            "the data dir holds the SQLite file"
        );
    }
}

/// `user migrate-auth` moves password accounts to a provider by address,
/// all or none: their passwords stop working and their sessions end.
#[tokio::test]
async fn migrate_auth_moves_password_accounts_to_single_sign_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    run_ok(rustchat(dir.path(), None).arg("migrate"));
    let server = start(dir.path(), None);
    for (name, admin) in [("root", true), ("mover", false)] {
        let mut cmd = rustchat(dir.path(), None);
        cmd.args([
            "user",
            "create",
            "--username",
            name,
            "--email",
            &format!("{name}@example.com"),
            "--password",
            "password1",
        ]);
        if admin {
            cmd.arg("--system-admin");
        }
        run_ok(&mut cmd);
    }
    let (_, root) = login(&server.base, "root", "password1").await;
    let root = root["token"].as_str().expect("token").to_string();
    let (status, body) = login(&server.base, "mover", "password1").await;
    assert_eq!(status, 200, "{body}");
    let session = body["token"].as_str().expect("token").to_string();

    // An unknown address stops the whole run before anything changes.
    let out = rustchat(dir.path(), None)
        .args([
            "user",
            "migrate-auth",
            "--to",
            "openid",
            "mover@example.com",
            "nobody@example.com",
        ])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nobody@example.com"));
    assert_eq!(login(&server.base, "mover", "password1").await.0, 200);
    // So does an unknown provider.
    let out = rustchat(dir.path(), None)
        .args(["user", "migrate-auth", "--to", "saml", "mover@example.com"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("saml"));

    let moved = run_ok(rustchat(dir.path(), None).args([
        "user",
        "migrate-auth",
        "--to",
        "openid",
        "Mover@example.com",
    ]));
    assert!(
        moved.contains("mover (mover@example.com) now signs in with openid"),
        "{moved}"
    );
    assert_eq!(
        login(&server.base, "mover", "password1").await.0,
        401,
        "the password no longer works"
    );
    // The server forgets a session it resolved within 2 s of its end.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let status = reqwest::Client::new()
        .get(format!("{}/api/v1/users/me", server.base))
        .bearer_auth(&session)
        .send()
        .await
        .expect("me")
        .status();
    assert_eq!(status, 401, "the account's sessions ended");
    let mover: Value = reqwest::Client::new()
        .get(format!("{}/api/v1/users/username/mover", server.base))
        .bearer_auth(&root)
        .send()
        .await
        .expect("user")
        .json()
        .await
        .expect("json");
    assert_eq!(mover["auth_service"], "openid", "{mover}");
}

#[tokio::test]
async fn sqlite_serve_cli_and_restart() {
    serve_cli_and_restart(None).await;
}

#[tokio::test]
async fn postgres_serve_cli_and_restart() {
    let base = std::env::var("RUSTCHAT_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let url = format!(
        "{}/rustchat_test_{}",
        base.trim_end_matches('/'),
        core_server::id::new_id()
    );
    let reachable = std::net::TcpStream::connect_timeout(
        &"127.0.0.1:5432".parse().expect("addr"),
        Duration::from_secs(2),
    )
    .is_ok();
    if !reachable && std::env::var("CI").as_deref() != Ok("true") {
        eprintln!("SKIPPED: PostgreSQL unavailable");
        return;
    }
    serve_cli_and_restart(Some(&url)).await;
}

/// A bulk file written for this test: good lines of each kind and two bad ones.
fn bulk_lines() -> String {
    [
        r#"{"type":"version","version":1,"info":{"generator":"test"}}"#,
        r#"{"type":"team","team":{"name":"eng","display_name":"Engineering","type":"O"}}"#,
        r#"{"type":"channel","channel":{"team":"eng","name":"town-square","display_name":"Town Square","type":"O"}}"#,
        r#"{"type":"user","user":{"username":"alice","email":"alice@example.com","teams":[{"name":"eng","channels":[{"name":"town-square","favorite":true}]}]}}"#,
        r#"{"type":"user","user":{"username":"bob","email":"not-an-address"}}"#,
        r#"{"type":"post","post":{"team":"eng","channel":"town-square","user":"alice","message":"hello","create_at":1700000000000,"replies":[{"user":"alice","message":"again","create_at":1700000001000}]}}"#,
        r#"{"type":"post","post":{"team":"eng","channel":"town-square","user":"alice","create_at":1700000002000}}"#,
        r#"{"type":"direct_post","direct_post":{"channel_members":["alice","alice"],"user":"alice","message":"note to self","create_at":1700000003000}}"#,
    ]
    .join("\n")
}

#[test]
fn import_validate_reports_each_bad_line_and_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let jsonl = dir.path().join("import.jsonl");
    std::fs::write(&jsonl, bulk_lines()).expect("write");
    let out = Command::new(BIN)
        .args(["import", "validate"])
        .arg(&jsonl)
        .output()
        .expect("run");
    assert!(!out.status.success(), "bad lines fail the command");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stderr.contains("line 5: user.email: must be an address"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 7: post.message: is required"),
        "{stderr}"
    );
    assert!(
        stderr.contains("2 bad line(s); the first is line 5"),
        "{stderr}"
    );
    assert!(
        stdout.contains("8 lines checked in")
            && stdout.contains("1 channel, 1 direct_post, 1 post, 1 team, 1 user, 1 version"),
        "the good lines are still counted: {stdout}"
    );
}

#[test]
fn import_validate_reads_the_jsonl_inside_an_export_zip() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = dir.path().join("export.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&archive).expect("create"));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("data/20240101/a.txt", options)
        .expect("entry");
    zip.write_all(b"an attachment").expect("write");
    zip.start_file("import.jsonl", options).expect("entry");
    let lines = bulk_lines();
    let clean: Vec<&str> = lines
        .lines()
        .filter(|l| !l.contains("not-an-address") && !l.contains(r#""create_at":1700000002000}}"#))
        .collect();
    zip.write_all(clean.join("\n").as_bytes()).expect("write");
    zip.finish().expect("finish");

    let out = run_ok(Command::new(BIN).args(["import", "validate"]).arg(&archive));
    assert!(out.contains("6 lines checked"), "{out}");
    assert!(out.contains("no problems found"), "{out}");

    let empty = dir.path().join("empty.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&empty).expect("create"));
    zip.start_file("readme.txt", options).expect("entry");
    zip.finish().expect("finish");
    let out = Command::new(BIN)
        .args(["import", "validate"])
        .arg(&empty)
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("holds no .jsonl file"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn import_mattermost_skips_bad_lines_reruns_clean_and_exports_a_zip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let jsonl = dir.path().join("import.jsonl");
    std::fs::write(&jsonl, bulk_lines()).expect("write");

    // A dry run reports the bad lines and writes nothing.
    let dry = rustchat(dir.path(), None)
        .args(["import", "mattermost", "--dry-run"])
        .arg(&jsonl)
        .output()
        .expect("run");
    assert!(!dry.status.success());
    let dry_err = String::from_utf8_lossy(&dry.stderr);
    assert!(dry_err.contains("line 5: user.email"), "{dry_err}");
    assert!(dry_err.contains("2 bad line(s) found"), "{dry_err}");

    // A real run skips them, imports the rest and says so.
    let real = rustchat(dir.path(), None)
        .args(["import", "mattermost"])
        .arg(&jsonl)
        .output()
        .expect("run");
    assert!(!real.status.success(), "skipped lines make a non-zero exit");
    let stdout = String::from_utf8_lossy(&real.stdout);
    let stderr = String::from_utf8_lossy(&real.stderr);
    assert!(stdout.contains("line 5: user.email"), "{stdout}");
    assert!(
        stdout.contains("line 7: post.message: is required"),
        "{stdout}"
    );
    assert!(
        stdout.contains("new: 1 teams, 1 channels, 1 users, 3 posts"),
        "the town square exists already; a DM with oneself is made: {stdout}"
    );
    assert!(stderr.contains("2 bad line(s) were skipped"), "{stderr}");

    // The same file again adds nothing.
    let again = rustchat(dir.path(), None)
        .args(["import", "mattermost"])
        .arg(&jsonl)
        .output()
        .expect("run");
    let again_out = String::from_utf8_lossy(&again.stdout);
    assert!(
        again_out.contains("new: 0 teams, 0 channels, 0 users, 0 posts"),
        "{again_out}"
    );

    // The export holds the imported lines.
    let archive = dir.path().join("out.zip");
    let out = run_ok(
        rustchat(dir.path(), None)
            .args(["export", "mattermost"])
            .arg(&archive),
    );
    assert!(out.contains("2 post") || out.contains("1 post"), "{out}");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&archive).expect("open")).expect("zip");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("import.jsonl").expect("entry"), &mut text)
        .expect("read");
    assert!(
        text.contains(r#""message":"hello","create_at":1700000000000"#),
        "{text}"
    );
    assert!(text.contains(r#""message":"note to self""#), "{text}");
    let checked = run_ok(Command::new(BIN).args(["import", "validate"]).arg(&archive));
    assert!(checked.contains("no problems found"), "{checked}");
}

/// An import job cut short by the server's sudden end runs again when the
/// server starts, skips what the first run stored, and succeeds; a job
/// asked to cancel is canceled instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_cut_short_by_a_crash_runs_again_at_start_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    let imports = dir.path().join("data/files/imports");
    std::fs::create_dir_all(&imports).expect("imports folder");
    let posts = 120_000;
    run_ok(
        rustchat(dir.path(), None)
            .args(["bench", "bulk-file", "--posts", &posts.to_string(), "--out"])
            .arg(imports.join("big.jsonl")),
    );
    run_ok(rustchat(dir.path(), None).args([
        "user",
        "create",
        "--username",
        "boss",
        "--email",
        "admin@example.com",
        "--password",
        "password1",
        "--system-admin",
    ]));
    let http = reqwest::Client::new();
    let job_of = async |base: &str, token: &str, id: &str| -> Value {
        http.get(format!("{base}/api/v4/jobs/{id}"))
            .bearer_auth(token)
            .send()
            .await
            .expect("job")
            .json()
            .await
            .expect("json")
    };

    let mut server = start(dir.path(), None);
    let (_, body) = login(&server.base, "boss", "password1").await;
    let token = body["token"].as_str().expect("token").to_string();
    let job: Value = http
        .post(format!("{}/api/v4/jobs", server.base))
        .bearer_auth(&token)
        .json(&json!({"type": "import_process", "data": {"import_file": "big.jsonl"}}))
        .send()
        .await
        .expect("create job")
        .json()
        .await
        .expect("job");
    let id = job["id"].as_str().expect("job id").to_string();
    // Kill the server while the import is running (not before, not after).
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let now = job_of(&server.base, &token, &id).await;
        assert_ne!(now["status"], "success", "the import ended before the kill");
        // A few percent in, so some batches are surely stored even when a
        // loaded machine reports progress ahead of the first commit.
        if now["status"] == "in_progress" && now["progress"].as_i64() >= Some(5) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the job never started: {now}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.child.kill().expect("kill");
    server.child.wait().expect("wait");

    let server = start(dir.path(), None);
    let deadline = std::time::Instant::now() + Duration::from_secs(240);
    let done = loop {
        let now = job_of(&server.base, &token, &id).await;
        if now["status"] != "in_progress" && now["status"] != "pending" {
            break now;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the interrupted job never finished: {now}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(done["status"], "success", "{done}");
    assert_eq!(done["data"]["attempts"], "2", "{done}");
    assert_eq!(done["data"]["posts_read"], posts.to_string(), "{done}");
    let new_posts: u64 = done["data"]["new_posts"]
        .as_str()
        .and_then(|n| n.parse().ok())
        .expect("new_posts");
    assert!(
        new_posts < posts,
        "the second run skipped what the first stored ({new_posts} new of {posts})"
    );
}
