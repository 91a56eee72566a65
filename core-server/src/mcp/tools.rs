//! The tools an assistant may call, each a thin use of a service the REST
//! routes use too, acting as the token's user. A result is the structured
//! content plus the same JSON as text (for clients that read text only);
//! a refusal or bad argument is a tool error the model can read, not a
//! protocol error.

use std::collections::HashMap;
use std::time::Instant;

use serde_json::{json, Value};

use crate::error::Error;
use crate::model::{Channel, Post, User};
use crate::services::{Actor, Core, NewPost};

/// Largest page a tool returns.
const MAX_PAGE: i64 = 100;

struct Tool {
    name: &'static str,
    title: &'static str,
    description: &'static str,
    read_only: bool,
    input: fn() -> Value,
    /// The top-level field of the structured result.
    output_key: &'static str,
    /// Whether that field is a list (else one object).
    output_list: bool,
}

fn object(properties: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false})
}

const ID: &str = "A 26-character id";

const TOOLS: &[Tool] = &[
    Tool {
        name: "list_channels",
        title: "List my channels",
        description: "The channels the user belongs to (public, private, direct and group), in one team or in all.",
        read_only: true,
        input: || object(json!({"team_id": {"type": "string", "description": "Only this team's channels (direct and group messages are in every team)"}}), &[]),
        output_key: "channels",
        output_list: true,
    },
    Tool {
        name: "read_channel",
        title: "Read a channel",
        description: "Recent posts of a channel, newest first; pass the last post's id as `before` for older ones.",
        read_only: true,
        input: || object(json!({
            "channel_id": {"type": "string", "description": ID},
            "before": {"type": "string", "description": "Posts older than this post id"},
            "limit": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "description": "How many posts (default 30)"}
        }), &["channel_id"]),
        output_key: "posts",
        output_list: true,
    },
    Tool {
        name: "get_thread",
        title: "Read a thread",
        description: "A thread, root post first, from the id of any post in it: the root and its latest 100 replies.",
        read_only: true,
        input: || object(json!({"post_id": {"type": "string", "description": ID}}), &["post_id"]),
        output_key: "posts",
        output_list: true,
    },
    Tool {
        name: "search_posts",
        title: "Search posts",
        description: "Searches the posts the user can see. Terms are words, \"quoted phrases\", prefix*, -excluded, from:username, in:channel-name, on:/before:/after:YYYY-MM-DD.",
        read_only: true,
        input: || object(json!({
            "query": {"type": "string"},
            "team_id": {"type": "string", "description": "Search this team only"}
        }), &["query"]),
        output_key: "posts",
        output_list: true,
    },
    Tool {
        name: "post_message",
        title: "Post a message",
        description: "Posts a message (Markdown) as the user in a channel, or as a reply in a thread when root_id is given.",
        read_only: false,
        input: || object(json!({
            "channel_id": {"type": "string", "description": ID},
            "message": {"type": "string"},
            "root_id": {"type": "string", "description": "The thread's root post, to reply"}
        }), &["channel_id", "message"]),
        output_key: "post",
        output_list: false,
    },
    Tool {
        name: "list_users",
        title: "Find users",
        description: "Users whose username or name starts with the query (all users, page by page, without one).",
        read_only: true,
        input: || object(json!({
            "query": {"type": "string"},
            "limit": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}
        }), &[]),
        output_key: "users",
        output_list: true,
    },
    Tool {
        name: "get_user",
        title: "Get a user",
        description: "One user, by id or by username.",
        read_only: true,
        input: || object(json!({
            "user_id": {"type": "string", "description": ID},
            "username": {"type": "string"}
        }), &[]),
        output_key: "user",
        output_list: false,
    },
    Tool {
        name: "add_reaction",
        title: "React to a post",
        description: "Adds an emoji reaction (a name such as thumbsup, without colons) to a post as the user.",
        read_only: false,
        input: || object(json!({
            "post_id": {"type": "string", "description": ID},
            "emoji_name": {"type": "string"}
        }), &["post_id", "emoji_name"]),
        output_key: "reaction",
        output_list: false,
    },
];

/// Whether a tool of this name exists.
pub fn exists(name: &str) -> bool {
    TOOLS.iter().any(|t| t.name == name)
}

/// `tools/list`'s tools.
pub fn catalogue() -> Vec<Value> {
    TOOLS
        .iter()
        .map(|t| {
            let kind = if t.output_list {
                json!({"type": "array", "items": {"type": "object"}})
            } else {
                json!({"type": "object"})
            };
            json!({
                "name": t.name,
                "title": t.title,
                "description": t.description,
                "inputSchema": (t.input)(),
                "outputSchema": {"type": "object", "properties": {t.output_key: kind}, "required": [t.output_key]},
                "annotations": {"readOnlyHint": t.read_only, "destructiveHint": false, "openWorldHint": false},
            })
        })
        .collect()
}

/// A bad argument, in the words a model can act on.
fn bad(field: &str, reason: &str) -> Error {
    Error::invalid(field, reason)
}

fn text<'a>(args: &'a Value, field: &str) -> Result<Option<&'a str>, Error> {
    match args.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(bad(field, "must be a string")),
    }
}

fn required<'a>(args: &'a Value, field: &str) -> Result<&'a str, Error> {
    text(args, field)?
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| bad(field, "is required"))
}

fn limit(args: &Value, default: i64) -> Result<i64, Error> {
    match args.get("limit") {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v
            .as_i64()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| bad("limit", "must be a whole number from 1 to 100")),
    }
}

fn channel_json(c: &Channel) -> Value {
    json!({
        "id": c.id, "team_id": c.team_id, "name": c.name, "display_name": c.display_name,
        "type": c.channel_type, "header": c.header, "purpose": c.purpose,
    })
}

fn user_json(u: &User) -> Value {
    json!({
        "id": u.id, "username": u.username, "first_name": u.first_name, "last_name": u.last_name,
        "nickname": u.nickname, "position": u.position, "is_bot": u.is_bot,
    })
}

/// Posts with their authors' usernames (one lookup for the page).
async fn posts_json(core: &Core, actor: &Actor, posts: &[Post]) -> Result<Vec<Value>, Error> {
    let mut ids: Vec<String> = posts.iter().map(|p| p.user_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let mut names: HashMap<String, String> = HashMap::new();
    // Looked up in pages the users' lookup takes.
    for some in ids.chunks(200) {
        for user in core.get_users_by_ids(actor, some).await? {
            names.insert(user.id, user.username);
        }
    }
    Ok(posts
        .iter()
        .map(|p| {
            json!({
                "id": p.id, "channel_id": p.channel_id, "user_id": p.user_id,
                "username": names.get(&p.user_id).cloned().unwrap_or_default(),
                "message": p.message, "create_at": p.create_at, "root_id": p.root_id,
                "reply_count": p.reply_count, "file_ids": p.file_ids,
            })
        })
        .collect())
}

async fn run(core: &Core, actor: &Actor, name: &str, args: &Value) -> Result<Value, Error> {
    if !args.is_object() {
        return Err(bad("arguments", "must be an object"));
    }
    Ok(match name {
        "list_channels" => {
            let team_id = text(args, "team_id")?.filter(|s| !s.is_empty());
            let channels = core.list_my_channels(actor, team_id).await?;
            json!({"channels": channels.iter().map(channel_json).collect::<Vec<_>>()})
        }
        "read_channel" => {
            let channel_id = required(args, "channel_id")?;
            let page = core
                .list_channel_posts(
                    actor,
                    channel_id,
                    text(args, "before")?,
                    Some(limit(args, 30)?),
                )
                .await?;
            json!({"posts": posts_json(core, actor, &page.items).await?, "has_more": page.next_cursor.is_some()})
        }
        "get_thread" => {
            let mut thread = core.get_thread(actor, required(args, "post_id")?).await?;
            // The root, and the latest replies of a long thread.
            let more = thread.len() > MAX_PAGE as usize + 1;
            if more {
                let cut = thread.len() - MAX_PAGE as usize;
                thread.drain(1..cut);
            }
            json!({"posts": posts_json(core, actor, &thread).await?, "has_more": more})
        }
        "search_posts" => {
            let team_id = text(args, "team_id")?.filter(|s| !s.is_empty());
            let (posts, _) = core
                .search_posts(actor, team_id, required(args, "query")?, false, 0, MAX_PAGE)
                .await?;
            json!({"posts": posts_json(core, actor, &posts).await?})
        }
        "post_message" => {
            let post = core
                .create_post(
                    actor,
                    required(args, "channel_id")?,
                    NewPost {
                        message: required(args, "message")?.to_string(),
                        root_id: text(args, "root_id")?.unwrap_or("").to_string(),
                        props: None,
                        file_ids: Vec::new(),
                        pending_post_id: String::new(),
                        post_type: String::new(),
                    },
                )
                .await?;
            let shown = posts_json(core, actor, std::slice::from_ref(&post)).await?;
            let post = shown
                .into_iter()
                .next()
                .ok_or_else(|| Error::Internal("a new post was not shown".into()))?;
            json!({"post": post})
        }
        "list_users" => {
            let limit = limit(args, 30)?;
            let users = match text(args, "query")?.filter(|q| !q.trim().is_empty()) {
                Some(query) => core.search_users(actor, query, None, limit).await?,
                None => core.list_users(actor, None, Some(limit)).await?.items,
            };
            json!({"users": users.iter().map(user_json).collect::<Vec<_>>()})
        }
        "get_user" => {
            let user = match (text(args, "user_id")?, text(args, "username")?) {
                (Some(id), _) if !id.is_empty() => core.get_user(actor, id).await?,
                (_, Some(name)) if !name.is_empty() => {
                    core.get_user_by_username(actor, name.trim_start_matches('@'))
                        .await?
                }
                _ => return Err(bad("user_id", "give user_id or username")),
            };
            json!({"user": user_json(&user)})
        }
        "add_reaction" => {
            let emoji = required(args, "emoji_name")?.trim_matches(':');
            let reaction = core
                .add_reaction(actor, required(args, "post_id")?, emoji)
                .await?;
            json!({"reaction": {"user_id": reaction.user_id, "post_id": reaction.post_id,
                "emoji_name": reaction.emoji_name, "create_at": reaction.create_at}})
        }
        _ => return Err(bad("name", "is not a tool of this server")),
    })
}

/// Runs a tool as the actor: its result, or a tool error saying why not.
pub async fn call(core: &Core, actor: &Actor, name: &str, args: &Value) -> Value {
    let started = Instant::now();
    let outcome = run(core, actor, name, args).await;
    tracing::info!(
        tool = name,
        user_id = %actor.id(),
        ok = outcome.is_ok(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "mcp tool call"
    );
    match outcome {
        Ok(structured) => json!({
            "content": [{"type": "text", "text": structured.to_string()}],
            "structuredContent": structured,
            "isError": false,
        }),
        Err(err) => {
            let message = match &err {
                Error::Internal(_) => "the server failed; try again later".to_string(),
                Error::NotFound { .. } | Error::Forbidden(_) => {
                    format!("not allowed or not found: {err}")
                }
                other => other.to_string(),
            };
            json!({"content": [{"type": "text", "text": message}], "isError": true})
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tool_is_listed_with_schemas() {
        let listed = catalogue();
        assert_eq!(listed.len(), TOOLS.len());
        for tool in &listed {
            assert_eq!(tool["inputSchema"]["type"], "object");
            assert_eq!(tool["outputSchema"]["type"], "object");
            assert!(exists(tool["name"].as_str().expect("a name")));
        }
        assert!(!exists("drop_database"));
    }

    #[test]
    fn arguments_are_checked_by_type() {
        let args = json!({"channel_id": 5, "limit": 0, "query": "x"});
        assert!(required(&args, "channel_id").is_err());
        assert!(limit(&args, 30).is_err());
        assert_eq!(limit(&json!({}), 30).expect("default"), 30);
        assert_eq!(text(&args, "query").expect("text"), Some("x"));
        assert!(required(&json!({"query": "  "}), "query").is_err());
    }
}
