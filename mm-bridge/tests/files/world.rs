//! The world the file tests share: a team with an owner and a member, a
//! private channel with both, and an outsider; multipart uploads, and the
//! test data (images, byte patterns).

use std::io::Cursor;

use axum::http::Method;
use core_server::config::Config;
use serde_json::json;

use crate::stores::{self, Store};
use crate::support::{self, App, Reply};

/// The multipart boundary of the test requests.
pub const BOUNDARY: &str = "rustchat-test-boundary";
pub const MIB: usize = 1024 * 1024;

/// A team with owner and member, a private channel with both, and an outsider.
pub struct World {
    pub app: App,
    pub owner: String,
    pub member: String,
    pub outsider: String,
    pub private: String,
}

pub async fn world(store: Store, config: Config) -> Option<World> {
    let app = stores::app(store, config).await?;
    let (_, owner) = app.user("owner").await;
    let (member_id, member) = app.user("member").await;
    let (_, outsider) = app.user("outsider").await;
    let team = support::id(
        &app.team(
            &owner,
            json!({"name": "team", "display_name": "Team", "type": "O"}),
        )
        .await,
    );
    app.json(
        Method::POST,
        &format!("/api/v4/teams/{team}/members"),
        Some(&owner),
        json!({"team_id": team, "user_id": member_id}),
    )
    .await;
    let private = support::id(
        &app.json(
            Method::POST,
            "/api/v4/channels",
            Some(&owner),
            json!({"team_id": team, "name": "secret", "display_name": "Secret", "type": "P"}),
        )
        .await
        .json(),
    );
    app.json(
        Method::POST,
        &format!("/api/v4/channels/{private}/members"),
        Some(&owner),
        json!({"user_id": member_id}),
    )
    .await;
    Some(World {
        app,
        owner,
        member,
        outsider,
        private,
    })
}

pub async fn team_of(w: &World) -> String {
    w.app
        .get(&format!("/api/v4/channels/{}", w.private), &w.owner)
        .await
        .json()["team_id"]
        .as_str()
        .expect("team id")
        .to_string()
}

impl App {
    /// Uploads files as one multipart request; `channel_first` puts the
    /// channel before the files (the web app's order) or after (the mobile app's).
    pub async fn upload(
        &self,
        token: &str,
        channel_id: &str,
        files: &[(&str, &[u8])],
        channel_first: bool,
    ) -> Reply {
        let mut body = Vec::new();
        let field = |body: &mut Vec<u8>, name: &str, value: &str| {
            body.extend_from_slice(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
            );
        };
        if channel_first {
            field(&mut body, "channel_id", channel_id);
        }
        for (i, (name, bytes)) in files.iter().enumerate() {
            field(&mut body, "client_ids", &format!("client-{i}"));
            body.extend_from_slice(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        if !channel_first {
            field(&mut body, "channel_id", channel_id);
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        self.send(
            Method::POST,
            "/api/v4/files",
            Some(token),
            Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
            body,
        )
        .await
    }
}

/// A black PNG of the given size.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::DynamicImage::new_rgb8(width, height);
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("png");
    out
}

/// `len` bytes of a pattern, so misplaced bytes show.
pub fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}
