//! The admin commands against a running server's data: what each changes is
//! seen through the API, listings come as tables or JSON, and mistakes exit
//! non-zero with a message naming what is wrong.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

mod support;
use support::{run_ok, rustchat, start};

/// Runs a command that must fail; returns its standard error.
fn run_err(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run rustchat");
    assert!(
        !out.status.success(),
        "succeeded: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).to_string()
}

fn cli(dir: &Path, db: Option<&str>, args: &[&str]) -> Command {
    let mut cmd = rustchat(dir, db);
    cmd.args(args);
    cmd
}

async fn login(base: &str, login_id: &str, password: &str) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login_id": login_id, "password": password}))
        .send()
        .await
        .expect("login");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn get(base: &str, path: &str, token: &str) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("get");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// The server remembers a resolved session for 2 s; changes made by the
/// command line are seen after that.
async fn after_session_cache() {
    tokio::time::sleep(Duration::from_millis(2500)).await;
}

#[tokio::test]
async fn sqlite_admin_commands() {
    admin_commands_manage_users_teams_channels_and_posts(None).await;
}

#[tokio::test]
async fn postgres_admin_commands() {
    if let Some(url) = support::postgres_url() {
        admin_commands_manage_users_teams_channels_and_posts(Some(&url)).await;
    }
}

async fn admin_commands_manage_users_teams_channels_and_posts(db: Option<&str>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let dir = dir.path();
    run_ok(&mut cli(dir, db, &["migrate"]));
    let server = start(dir, db);
    for (name, admin) in [("root", true), ("dana", false)] {
        let mut cmd = cli(
            dir,
            db,
            &[
                "user",
                "create",
                "--username",
                name,
                "--email",
                &format!("{name}@example.com"),
                "--password",
                "password1",
            ],
        );
        if admin {
            cmd.arg("--system-admin");
        }
        run_ok(&mut cmd);
    }
    run_ok(&mut cli(
        dir,
        db,
        &["team", "create", "--name", "ops", "--display-name", "Ops"],
    ));

    // Listings: a table, and JSON with every account.
    let table = run_ok(&mut cli(dir, db, &["user", "list"]));
    assert!(
        table.contains("dana") && table.contains("2 accounts"),
        "{table}"
    );
    let listed: Value =
        serde_json::from_str(&run_ok(&mut cli(dir, db, &["user", "list", "--json"])))
            .expect("json");
    let names: Vec<&str> = listed
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|u| u["username"].as_str())
        .collect();
    assert_eq!(names, vec!["dana", "root"]);
    let teams: Value =
        serde_json::from_str(&run_ok(&mut cli(dir, db, &["team", "list", "--json"])))
            .expect("json");
    assert_eq!(teams[0]["name"], "ops", "{teams}");

    // Team membership, then a channel archived and restored.
    run_ok(&mut cli(dir, db, &["team", "add", "ops", "dana"]));
    let (status, body) = login(&server.base, "dana", "password1").await;
    assert_eq!(status, 200, "{body}");
    let dana = body["token"].as_str().expect("token").to_string();
    let (_, my_teams) = get(&server.base, "/api/v1/users/me/teams", &dana).await;
    assert_eq!(my_teams[0]["name"], "ops", "{my_teams}");
    let channels: Value = serde_json::from_str(&run_ok(&mut cli(
        dir,
        db,
        &["channel", "list", "ops", "--json"],
    )))
    .expect("json");
    let names: Vec<&str> = channels
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, vec!["off-topic", "town-square"], "{channels}");
    run_ok(&mut cli(
        dir,
        db,
        &["channel", "archive", "ops", "off-topic"],
    ));
    let listed = run_ok(&mut cli(dir, db, &["channel", "list", "ops"]));
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("off-topic") && l.ends_with("archived")),
        "{listed}"
    );
    run_ok(&mut cli(
        dir,
        db,
        &["channel", "restore", "ops", "off-topic"],
    ));
    let stderr = run_err(&mut cli(dir, db, &["channel", "archive", "ops", "nowhere"]));
    assert!(stderr.contains("no channel named nowhere"), "{stderr}");

    // A post deleted by id.
    let town = channels
        .as_array()
        .and_then(|c| c.iter().find(|c| c["name"] == "town-square"))
        .and_then(|c| c["id"].as_str())
        .expect("town-square")
        .to_string();
    let post: Value = reqwest::Client::new()
        .post(format!("{}/api/v1/channels/{town}/posts", server.base))
        .bearer_auth(&dana)
        .json(&json!({"message": "to be removed"}))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    let post_id = post["id"].as_str().expect("id").to_string();
    run_ok(&mut cli(dir, db, &["post", "delete", &post_id]));
    let (status, _) = get(&server.base, &format!("/api/v1/posts/{post_id}"), &dana).await;
    assert_eq!(status, 404, "the post is gone");

    // Promote and demote; the only admin cannot demote themself.
    let promoted = run_ok(&mut cli(dir, db, &["user", "promote", "dana"]));
    assert!(promoted.contains("system_admin"), "{promoted}");
    after_session_cache().await;
    let (status, _) = get(&server.base, "/api/v1/admin/overview", &dana).await;
    assert_eq!(status, 200, "promoted");
    run_ok(&mut cli(dir, db, &["user", "demote", "dana"]));
    after_session_cache().await;
    let (status, _) = get(&server.base, "/api/v1/admin/overview", &dana).await;
    assert_eq!(status, 403, "demoted");
    let stderr = run_err(&mut cli(dir, db, &["user", "demote", "root"]));
    assert!(stderr.contains("only system admin"), "{stderr}");

    // A new password from standard input ends the sessions.
    let mut child = cli(dir, db, &["user", "password", "dana"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"a-new-secret-1\n")
        .expect("write");
    assert!(child.wait().expect("wait").success());
    assert_eq!(login(&server.base, "dana", "password1").await.0, 401);
    let (status, body) = login(&server.base, "dana", "a-new-secret-1").await;
    assert_eq!(status, 200, "{body}");
    let dana = body["token"].as_str().expect("token").to_string();
    let stderr = run_err(cli(dir, db, &["user", "password", "dana"]).stdin(Stdio::null()));
    assert!(stderr.contains("standard input"), "{stderr}");

    // Signed out, then deactivated and back.
    run_ok(&mut cli(dir, db, &["user", "sessions", "revoke", "dana"]));
    after_session_cache().await;
    assert_eq!(get(&server.base, "/api/v1/users/me", &dana).await.0, 401);
    run_ok(&mut cli(dir, db, &["user", "deactivate", "dana"]));
    assert_eq!(
        login(&server.base, "dana", "a-new-secret-1").await.0,
        401,
        "deactivated"
    );
    let listed = run_ok(&mut cli(dir, db, &["user", "list"]));
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("dana") && l.ends_with("deactivated")),
        "{listed}"
    );
    run_ok(&mut cli(dir, db, &["user", "activate", "dana"]));
    assert_eq!(login(&server.base, "dana", "a-new-secret-1").await.0, 200);
    run_ok(&mut cli(dir, db, &["team", "remove", "ops", "dana"]));

    // Unknown names are clear failures.
    let stderr = run_err(&mut cli(dir, db, &["user", "deactivate", "nobody"]));
    assert!(stderr.contains("no user named nobody"), "{stderr}");
    let stderr = run_err(&mut cli(dir, db, &["team", "add", "nowhere", "dana"]));
    assert!(stderr.contains("no team named nowhere"), "{stderr}");
}
