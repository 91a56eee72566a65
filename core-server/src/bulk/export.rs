//! Writes our data as a Mattermost bulk export: a zip holding `import.jsonl`
//! (version, teams, channels, users, bots, posts with their replies, emoji,
//! direct channels, direct posts, in that order) and the attached files under
//! `data/`. Everything is read page by page and written as it comes: the
//! lines go to a temporary file beside the output and join the archive last.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use futures::StreamExt;
use zip::write::SimpleFileOptions;

use super::format::*;
use crate::error::Error;
use crate::model::*;
use crate::services::Core;
use crate::store::PostCursor;

/// Rows read per page.
const PAGE: i64 = 200;
/// The archive's line file, as `mmctl export create` names it.
pub const JSONL_NAME: &str = "import.jsonl";

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {0}: {1}")]
    Io(String, std::io::Error),
    #[error("cannot write the archive: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error(transparent)]
    Store(#[from] Error),
}

/// What an export wrote, by line type.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Exported {
    pub lines: BTreeMap<&'static str, u64>,
    pub attachments: u64,
}

impl Exported {
    pub fn count(&self, kind: &str) -> u64 {
        self.lines.get(kind).copied().unwrap_or(0)
    }
}

struct Writer {
    archive: zip::ZipWriter<BufWriter<File>>,
    lines: BufWriter<File>,
    lines_path: PathBuf,
    exported: Exported,
}

impl Writer {
    fn line(&mut self, kind: &'static str, line: &Line) -> Result<(), ExportError> {
        let text = serde_json::to_string(line).map_err(|e| Error::Internal(e.to_string()))?;
        self.lines
            .write_all(text.as_bytes())
            .and_then(|()| self.lines.write_all(b"\n"))
            .map_err(|e| ExportError::Io(self.lines_path.display().to_string(), e))?;
        *self.exported.lines.entry(kind).or_default() += 1;
        Ok(())
    }

    fn data(&mut self, name: &str, bytes: &[u8]) -> Result<(), ExportError> {
        // Files are mostly compressed already (images, archives): stored as they are.
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(bytes.len() as u64 >= u64::from(u32::MAX));
        self.archive.start_file(name, options)?;
        self.archive
            .write_all(bytes)
            .map_err(|e| ExportError::Io(name.to_string(), e))?;
        self.exported.attachments += 1;
        Ok(())
    }
}

/// Names of things by id, filled as the export goes.
#[derive(Default)]
struct Names {
    teams: HashMap<String, String>,
    /// Channel id → (team name, channel name), for team channels.
    channels: HashMap<String, (String, String)>,
    users: HashMap<String, String>,
}

/// Exports everything into a zip at `out`, calling `progress` now and then.
pub async fn export_zip(
    core: &Core,
    out: &Path,
    progress: &mut (dyn FnMut(&Exported) + Send),
) -> Result<Exported, ExportError> {
    let io = |path: &Path| {
        let shown = path.display().to_string();
        move |e| ExportError::Io(shown, e)
    };
    let file = File::create(out).map_err(io(out))?;
    let lines_path = out.with_extension("jsonl.part");
    let lines = File::create(&lines_path).map_err(io(&lines_path))?;
    let mut w = Writer {
        archive: zip::ZipWriter::new(BufWriter::new(file)),
        lines: BufWriter::new(lines),
        lines_path: lines_path.clone(),
        exported: Exported::default(),
    };
    let done = write_everything(core, &mut w, progress).await;
    let finished = match done {
        Ok(()) => finish(w),
        Err(e) => Err(e),
    };
    let _ = std::fs::remove_file(&lines_path);
    if finished.is_err() {
        let _ = std::fs::remove_file(out);
    }
    finished
}

fn finish(mut w: Writer) -> Result<Exported, ExportError> {
    w.lines
        .flush()
        .map_err(|e| ExportError::Io(w.lines_path.display().to_string(), e))?;
    let mut lines = File::open(&w.lines_path)
        .map_err(|e| ExportError::Io(w.lines_path.display().to_string(), e))?;
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    w.archive.start_file(JSONL_NAME, options)?;
    std::io::copy(&mut lines, &mut w.archive)
        .map_err(|e| ExportError::Io(JSONL_NAME.to_string(), e))?;
    let mut inner = w.archive.finish()?;
    inner
        .flush()
        .map_err(|e| ExportError::Io("the archive".to_string(), e))?;
    Ok(w.exported)
}

async fn write_everything(
    core: &Core,
    w: &mut Writer,
    progress: &mut (dyn FnMut(&Exported) + Send),
) -> Result<(), ExportError> {
    let store = &core.store;
    let mut names = Names::default();
    w.line(
        "version",
        &Line {
            kind: "version".into(),
            version: Some(1),
            ..Line::default()
        },
    )?;
    // Teams.
    let mut after: Option<String> = None;
    loop {
        let teams = store.list_teams(after.as_deref(), PAGE).await?;
        let Some(last) = teams.last() else { break };
        after = Some(last.id.clone());
        for t in teams.into_iter().filter(|t| t.delete_at == 0) {
            names.teams.insert(t.id.clone(), t.name.clone());
            w.line(
                "team",
                &Line {
                    kind: "team".into(),
                    team: Some(TeamLine {
                        name: Some(t.name),
                        display_name: Some(t.display_name),
                        team_type: Some(t.team_type),
                        description: non_empty(t.description),
                        allow_open_invite: Some(t.allow_open_invite),
                    }),
                    ..Line::default()
                },
            )?;
        }
    }
    // Team channels (direct and group ones come last, as direct_channel lines).
    let mut direct: Vec<Channel> = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let channels = store.list_all_channels(after.as_deref(), PAGE).await?;
        let Some(last) = channels.last() else { break };
        after = Some(last.id.clone());
        for c in channels {
            if c.is_direct_or_group() {
                direct.push(c);
                continue;
            }
            let Some(team) = names.teams.get(&c.team_id).cloned() else {
                continue;
            };
            names
                .channels
                .insert(c.id.clone(), (team.clone(), c.name.clone()));
            w.line(
                "channel",
                &Line {
                    kind: "channel".into(),
                    channel: Some(ChannelLine {
                        team: Some(team),
                        name: Some(c.name),
                        display_name: Some(c.display_name),
                        channel_type: Some(c.channel_type),
                        header: non_empty(c.header),
                        purpose: non_empty(c.purpose),
                        deleted_at: (c.delete_at != 0).then_some(c.delete_at),
                    }),
                    ..Line::default()
                },
            )?;
        }
    }
    // Users (bots after them).
    let mut bots: Vec<User> = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let users = store.list_users(after.as_deref(), PAGE).await?;
        let Some(last) = users.last() else { break };
        after = Some(last.id.clone());
        for u in users {
            names.users.insert(u.id.clone(), u.username.clone());
            if u.is_bot {
                bots.push(u);
                continue;
            }
            let line = user_line(core, &names, u).await?;
            w.line("user", &line)?;
        }
        progress(&w.exported);
    }
    for u in bots {
        let Ok(bot) = store.get_bot(&u.id).await else {
            continue;
        };
        let Some(owner) = names.users.get(&bot.owner_id).cloned() else {
            continue;
        };
        w.line(
            "bot",
            &Line {
                kind: "bot".into(),
                bot: Some(BotLine {
                    username: Some(u.username),
                    owner: Some(owner),
                    display_name: non_empty(bot.display_name),
                    description: non_empty(bot.description),
                    delete_at: (bot.delete_at != 0).then_some(bot.delete_at),
                }),
                ..Line::default()
            },
        )?;
    }
    // Posts of team channels.
    let mut channel_ids: Vec<&String> = names.channels.keys().collect();
    channel_ids.sort();
    for channel_id in channel_ids {
        let (team, channel) = names.channels[channel_id].clone();
        export_posts(core, w, &names, channel_id, progress, |post| Line {
            kind: "post".into(),
            post: Some(PostLine {
                team: Some(team.clone()),
                channel: Some(channel.clone()),
                ..post
            }),
            ..Line::default()
        })
        .await?;
    }
    // Emoji.
    let mut offset = 0;
    loop {
        let emoji = store.list_emoji("", offset, PAGE).await?;
        if emoji.is_empty() {
            break;
        }
        offset += emoji.len() as i64;
        for e in emoji {
            let (_, image) = store.get_emoji_image(&e.id).await?;
            let path = format!("data/emoji/{}/image", e.id);
            w.data(&path, &image)?;
            w.line(
                "emoji",
                &Line {
                    kind: "emoji".into(),
                    emoji: Some(EmojiLine {
                        name: Some(e.name),
                        image: Some(path),
                    }),
                    ..Line::default()
                },
            )?;
        }
    }
    // Direct and group channels, then their posts.
    let mut members_of: Vec<(String, Vec<String>)> = Vec::new();
    for c in &direct {
        let members = channel_members(core, &names, &c.id).await?;
        if members.is_empty() || (members.len() < 3 && c.channel_type == channel_types::GROUP) {
            continue;
        }
        let favorited_by = favourites_of(core, &c.id, &members).await?;
        let mut listed: Vec<String> = members.into_iter().map(|(_, u)| u).collect();
        // A conversation with oneself lists its one member twice.
        if listed.len() == 1 {
            listed.push(listed[0].clone());
        }
        w.line(
            "direct_channel",
            &Line {
                kind: "direct_channel".into(),
                direct_channel: Some(DirectChannelLine {
                    members: Some(listed.clone()),
                    participants: None,
                    favorited_by: (!favorited_by.is_empty()).then_some(favorited_by),
                    header: non_empty(c.header.clone()),
                }),
                ..Line::default()
            },
        )?;
        members_of.push((c.id.clone(), listed));
    }
    for (channel_id, members) in members_of {
        export_posts(core, w, &names, &channel_id, progress, |post| Line {
            kind: "direct_post".into(),
            direct_post: Some(DirectPostLine {
                channel_members: Some(members.clone()),
                post,
            }),
            ..Line::default()
        })
        .await?;
    }
    progress(&w.exported);
    Ok(())
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

async fn user_line(core: &Core, names: &Names, u: User) -> Result<Line, ExportError> {
    let store = &core.store;
    let preferences = store.list_preferences(&u.id).await?;
    let pref = |category: &str, name: &str| {
        preferences
            .iter()
            .find(|p| p.category == category && p.name == name)
            .map(|p| p.value.clone())
    };
    let mut teams = Vec::new();
    for member in store.list_user_team_members(&u.id).await? {
        let Some(team_name) = names.teams.get(&member.team_id) else {
            continue;
        };
        let mut channels = Vec::new();
        for m in store
            .list_user_channel_members(&u.id, Some(&member.team_id))
            .await?
        {
            let Some((_, channel_name)) = names.channels.get(&m.channel_id) else {
                continue;
            };
            let notify = |key: &str| m.notify_props.get(key).cloned();
            channels.push(UserChannel {
                name: Some(channel_name.clone()),
                roles: Some(m.roles.clone()),
                notify_props: Some(ChannelNotifyProps {
                    desktop: notify("desktop"),
                    mobile: notify("push"),
                    mark_unread: notify("mark_unread"),
                }),
                favorite: pref("favorite_channel", &m.channel_id).map(|v| v == "true"),
                msg_count: None,
                mention_count: None,
                last_viewed_at: (m.last_viewed_at != 0).then_some(m.last_viewed_at),
            });
        }
        channels.sort_by(|a, b| a.name.cmp(&b.name));
        teams.push(UserTeam {
            name: Some(team_name.clone()),
            roles: Some(member.roles.clone()),
            theme: pref("theme", &member.team_id),
            channels: Some(channels),
        });
    }
    teams.sort_by(|a, b| a.name.cmp(&b.name));
    let notify = |key: &str| u.notify_props.get(key).cloned();
    Ok(Line {
        kind: "user".into(),
        user: Some(UserLine {
            username: Some(u.username.clone()),
            email: Some(u.email.clone()),
            auth_service: non_empty(u.auth_service.clone()),
            auth_data: non_empty(u.auth_data.clone()),
            password: None,
            nickname: non_empty(u.nickname.clone()),
            first_name: non_empty(u.first_name.clone()),
            last_name: non_empty(u.last_name.clone()),
            position: non_empty(u.position.clone()),
            roles: Some(u.roles.clone()),
            locale: Some(u.locale.clone()),
            delete_at: (u.delete_at != 0).then_some(u.delete_at),
            notify_props: Some(UserNotifyProps {
                desktop: notify("desktop"),
                desktop_sound: notify("desktop_sound"),
                email: notify("email"),
                mobile: notify("push"),
                mobile_push_status: notify("push_status"),
                channel: notify("channel"),
                comments: notify("comments"),
                mention_keys: notify("mention_keys"),
            }),
            teams: Some(teams),
            theme: pref("theme", ""),
            email_interval: pref("notifications", "email_interval").and_then(|s| {
                match s.as_str() {
                    "30" => Some("immediately".to_string()),
                    "900" => Some("fifteen".to_string()),
                    "3600" => Some("hour".to_string()),
                    _ => None,
                }
            }),
        }),
        ..Line::default()
    })
}

/// A channel's members as (user id, username), by username.
async fn channel_members(
    core: &Core,
    names: &Names,
    channel_id: &str,
) -> Result<Vec<(String, String)>, ExportError> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let members = core
            .store
            .list_channel_members(channel_id, after.as_deref(), PAGE)
            .await?;
        let Some(last) = members.last() else { break };
        after = Some(last.user_id.clone());
        out.extend(members.iter().filter_map(|m| {
            names
                .users
                .get(&m.user_id)
                .map(|u| (m.user_id.clone(), u.clone()))
        }));
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// Members who marked a direct or group channel as a favourite.
async fn favourites_of(
    core: &Core,
    channel_id: &str,
    members: &[(String, String)],
) -> Result<Vec<String>, ExportError> {
    let mut out = Vec::new();
    for (id, username) in members {
        let favourite =
            core.store.list_preferences(id).await?.iter().any(|p| {
                p.category == "favorite_channel" && p.name == channel_id && p.value == "true"
            });
        if favourite {
            out.push(username.clone());
        }
    }
    Ok(out)
}

/// Writes a channel's root posts (replies nested) as lines made by `wrap`.
async fn export_posts(
    core: &Core,
    w: &mut Writer,
    names: &Names,
    channel_id: &str,
    progress: &mut (dyn FnMut(&Exported) + Send),
    wrap: impl Fn(PostLine) -> Line,
) -> Result<(), ExportError> {
    let store = &core.store;
    let mut cursor: Option<(i64, String)> = None;
    loop {
        let after = cursor.as_ref().map(|(at, id)| PostCursor {
            create_at: *at,
            id: id.as_str(),
        });
        let roots = store.list_root_posts(channel_id, after, PAGE).await?;
        let Some(last) = roots.last() else { break };
        cursor = Some((last.create_at, last.id.clone()));
        let root_ids: Vec<String> = roots.iter().map(|p| p.id.clone()).collect();
        let replies = store.list_replies(&root_ids).await?;
        let mut all_ids = root_ids.clone();
        all_ids.extend(replies.iter().map(|p| p.id.clone()));
        let extras = PostExtras::load(core, &all_ids).await?;
        let followers = store.list_thread_members(&root_ids).await?;
        let mut followers_of: HashMap<&str, Vec<&ThreadMember>> = HashMap::new();
        for f in &followers {
            followers_of.entry(f.post_id.as_str()).or_default().push(f);
        }
        let mut replies_of: HashMap<&str, Vec<&Post>> = HashMap::new();
        for r in &replies {
            replies_of.entry(r.root_id.as_str()).or_default().push(r);
        }
        for root in &roots {
            let Some(mut line) = post_line(core, w, names, &extras, root).await? else {
                continue;
            };
            let mut nested = Vec::new();
            for reply in replies_of.get(root.id.as_str()).into_iter().flatten() {
                if let Some(r) = post_line(core, w, names, &extras, reply).await? {
                    nested.push(r);
                }
            }
            line.replies = (!nested.is_empty()).then_some(nested);
            let mut thread_followers: Vec<ThreadFollowerLine> = followers_of
                .get(root.id.as_str())
                .into_iter()
                .flatten()
                .filter(|f| f.following)
                .filter_map(|f| {
                    names.users.get(&f.user_id).map(|u| ThreadFollowerLine {
                        user: Some(u.clone()),
                        last_viewed: (f.last_viewed != 0).then_some(f.last_viewed),
                        unread_mentions: (f.unread_mentions != 0).then_some(f.unread_mentions),
                    })
                })
                .collect();
            thread_followers.sort_by(|a, b| a.user.cmp(&b.user));
            line.thread_followers = (!thread_followers.is_empty()).then_some(thread_followers);
            let wrapped = wrap(line);
            let kind = if wrapped.kind == "post" {
                "post"
            } else {
                "direct_post"
            };
            w.line(kind, &wrapped)?;
        }
        progress(&w.exported);
    }
    Ok(())
}

/// Reactions, files and flags of a page of posts, by post id.
#[derive(Default)]
struct PostExtras {
    reactions: HashMap<String, Vec<Reaction>>,
    files: HashMap<String, Vec<FileInfo>>,
    flaggers: HashMap<String, Vec<String>>,
}

/// Ids per query: well under both databases' limits on bound parameters.
const IDS_PER_QUERY: usize = 500;

impl PostExtras {
    async fn load(core: &Core, ids: &[String]) -> Result<Self, ExportError> {
        let mut extras = PostExtras::default();
        for chunk in ids.chunks(IDS_PER_QUERY) {
            for r in core.store.list_reactions_for_posts(chunk).await? {
                extras
                    .reactions
                    .entry(r.post_id.clone())
                    .or_default()
                    .push(r);
            }
            for f in core.store.list_posts_files(chunk).await? {
                extras.files.entry(f.post_id.clone()).or_default().push(f);
            }
            for (post, user) in core.store.list_post_flaggers(chunk).await? {
                extras.flaggers.entry(post).or_default().push(user);
            }
        }
        Ok(extras)
    }
}

/// One post as a line (without team, channel and replies), its files
/// written into the archive; `None` when its author is unknown.
async fn post_line(
    core: &Core,
    w: &mut Writer,
    names: &Names,
    extras: &PostExtras,
    p: &Post,
) -> Result<Option<PostLine>, ExportError> {
    let Some(user) = names.users.get(&p.user_id) else {
        return Ok(None);
    };
    let reactions: Vec<ReactionLine> = extras
        .reactions
        .get(&p.id)
        .into_iter()
        .flatten()
        .filter_map(|r| {
            names.users.get(&r.user_id).map(|u| ReactionLine {
                user: Some(u.clone()),
                emoji_name: Some(r.emoji_name.clone()),
                create_at: Some(r.create_at),
            })
        })
        .collect();
    let mut flagged_by: Vec<String> = extras
        .flaggers
        .get(&p.id)
        .into_iter()
        .flatten()
        .filter_map(|u| names.users.get(u).cloned())
        .collect();
    flagged_by.sort();
    let mut attachments = Vec::new();
    // In the post's own order.
    let own_files = extras.files.get(&p.id);
    let files = p
        .file_ids
        .iter()
        .filter_map(|id| own_files.and_then(|list| list.iter().find(|f| &f.id == id)));
    for f in files {
        let path = format!("data/{}/{}", f.id, f.name);
        let bytes = read_blob(core, &f.blob_key()).await?;
        w.data(&path, &bytes)?;
        attachments.push(AttachmentLine { path: Some(path) });
    }
    let props = match &p.props {
        serde_json::Value::Object(map) if !map.is_empty() => Some(p.props.clone()),
        _ => None,
    };
    Ok(Some(PostLine {
        team: None,
        channel: None,
        user: Some(user.clone()),
        message: Some(p.message.clone()),
        create_at: Some(p.create_at),
        post_type: non_empty(p.post_type.clone()),
        edit_at: (p.edit_at != 0).then_some(p.edit_at),
        props,
        is_pinned: p.is_pinned.then_some(true),
        flagged_by: (!flagged_by.is_empty()).then_some(flagged_by),
        reactions: (!reactions.is_empty()).then_some(reactions),
        replies: None,
        attachments: (!attachments.is_empty()).then_some(attachments),
        thread_followers: None,
    }))
}

async fn read_blob(core: &Core, key: &str) -> Result<Vec<u8>, ExportError> {
    let blob = core.blobs.get(key).await?;
    let mut bytes = Vec::with_capacity(usize::try_from(blob.size).unwrap_or(0));
    let mut body = blob.body;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| ExportError::Io(key.to_string(), e))?;
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}
