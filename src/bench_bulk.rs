//! `rustchat bench bulk-file`: writes a synthetic Mattermost bulk file of a
//! chosen size (teams, channels, users, then posts with threads and
//! reactions), to measure imports with.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::json;

#[derive(clap::Args)]
pub struct BulkFileArgs {
    /// The .jsonl to write.
    #[arg(long)]
    out: PathBuf,
    /// Posts in all, replies included.
    #[arg(long, default_value_t = 1_000_000)]
    posts: u64,
    /// Channels of the one team, posted into in turn.
    #[arg(long, default_value_t = 50)]
    channels: u64,
    /// Users, all members of every channel.
    #[arg(long, default_value_t = 200)]
    users: u64,
    /// Replies under every fifth root post.
    #[arg(long, default_value_t = 4)]
    replies: u64,
}

/// A bulk file being written, one JSON object a line.
pub struct BulkWriter {
    out: BufWriter<std::fs::File>,
}

impl BulkWriter {
    pub fn create(path: &Path) -> anyhow::Result<Self> {
        let file = std::fs::File::create(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        Ok(BulkWriter {
            out: BufWriter::with_capacity(1 << 20, file),
        })
    }

    pub fn line(&mut self, value: serde_json::Value) -> anyhow::Result<()> {
        serde_json::to_writer(&mut self.out, &value)?;
        self.out.write_all(b"\n")?;
        Ok(())
    }

    /// The version line, team `bench`, `channels` channels (every fifth
    /// private) and `users` users `user{n}` in all of them; `user0` gets
    /// `password` when one is given.
    pub fn workspace(
        &mut self,
        channels: u64,
        users: u64,
        password: Option<&str>,
    ) -> anyhow::Result<()> {
        self.line(json!({"type": "version", "version": 1}))?;
        self.line(
            json!({"type": "team", "team": {"name": "bench", "display_name": "Bench", "type": "O"}}),
        )?;
        for c in 0..channels {
            self.line(json!({"type": "channel", "channel": {
                "team": "bench", "name": format!("channel-{c}"),
                "display_name": format!("Channel {c}"), "type": if c % 5 == 4 { "P" } else { "O" }
            }}))?;
        }
        let memberships: Vec<serde_json::Value> = (0..channels)
            .map(|c| json!({"name": format!("channel-{c}"), "roles": "channel_user"}))
            .collect();
        for u in 0..users {
            let mut user = json!({
                "username": format!("user{u}"), "email": format!("user{u}@bench.example"),
                "first_name": "User", "last_name": format!("{u}"), "roles": "system_user",
                "teams": [{"name": "bench", "roles": "team_user", "channels": memberships}]
            });
            if let Some(password) = password.filter(|_| u == 0) {
                user["password"] = json!(password);
            }
            self.line(json!({"type": "user", "user": user}))?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> anyhow::Result<()> {
        self.out.flush()?;
        Ok(())
    }
}

pub fn write(args: &BulkFileArgs) -> anyhow::Result<()> {
    let mut out = BulkWriter::create(&args.out)?;
    let channels = args.channels.max(1);
    let users = args.users.max(1);
    out.workspace(channels, users, None)?;
    let start = 1_600_000_000_000i64;
    let mut written = 0u64;
    let mut root = 0u64;
    while written < args.posts {
        let channel = root % channels;
        let author = root % users;
        let at = start + (root as i64) * 1_000;
        let replies_here = if root % 5 == 0 {
            args.replies.min(args.posts - written - 1)
        } else {
            0
        };
        let replies: Vec<serde_json::Value> = (0..replies_here)
            .map(|r| {
                json!({
                    "user": format!("user{}", (author + r + 1) % users),
                    "message": format!("Reply {r} to message {root}: sounds good, let's do it."),
                    "create_at": at + 1 + r as i64,
                })
            })
            .collect();
        let mut post = json!({
            "team": "bench", "channel": format!("channel-{channel}"),
            "user": format!("user{author}"),
            "message": format!("Message {root}: the quick brown fox jumps over the lazy dog, #update {}", root % 97),
            "create_at": at,
        });
        if !replies.is_empty() {
            post["replies"] = json!(replies);
        }
        if root % 10 == 0 {
            post["reactions"] = json!([{"user": format!("user{}", (author + 1) % users),
                "emoji_name": "thumbsup", "create_at": at + 500}]);
        }
        out.line(json!({"type": "post", "post": post}))?;
        written += 1 + replies_here;
        root += 1;
    }
    out.finish()?;
    println!(
        "wrote {} ({} posts in {} root posts, {} channels, {} users)",
        args.out.display(),
        written,
        root,
        channels,
        users
    );
    Ok(())
}
