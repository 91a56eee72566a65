//! The binary as a user runs it: configuration errors, the CLI commands, and
//! the server, including CLI use while it runs and a restart.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_rustchat");

fn rustchat(dir: &Path, db: Option<&str>) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env_remove("RUSTCHAT_CONFIG")
        .env("RUSTCHAT_DATA_DIR", dir.join("data"))
        .env("RUSTCHAT_LOG", "warn");
    if let Some(url) = db {
        cmd.env("RUSTCHAT_DATABASE_URL", url);
    }
    cmd
}

fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run rustchat");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `rustchat serve` on a free port and waits for its "listening" line.
fn start(dir: &Path, db: Option<&str>) -> Server {
    let mut child = rustchat(dir, db)
        .arg("serve")
        .env("RUSTCHAT_LISTEN", "127.0.0.1:0")
        .env("RUSTCHAT_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn server");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("server exited before listening")
            .expect("read");
        if let Some(rest) = line.split("listening on ").nth(1) {
            break rest.split_whitespace().next().expect("address").to_string();
        }
    };
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, base }
}

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
        vec!["team", "create", "--help"],
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
