//! Row shapes shared by both backends, and their conversion to the model.
//! JSON documents are stored as text; they are written only by the store, so
//! a parse failure means corruption and falls back to an empty value.

use sqlx::FromRow;

use crate::model::*;

pub(crate) const USER_COLS: &str = "id, create_at, update_at, delete_at, username, email, \
    email_verified, nickname, first_name, last_name, position, roles, props, notify_props, \
    timezone, locale, last_password_update, last_picture_update, last_activity_at, is_bot, \
    bot_description, auth_service, auth_data, mfa_active";

pub(crate) const SESSION_COLS: &str =
    "id, token_hash, user_id, create_at, expires_at, last_activity_at, device_id, roles, props";

pub(crate) const TEAM_COLS: &str = "id, create_at, update_at, delete_at, display_name, name, \
    description, email, team_type, company_name, allowed_domains, invite_id, allow_open_invite, \
    last_team_icon_update";

pub(crate) const TEAM_MEMBER_COLS: &str =
    "team_id, user_id, roles, delete_at, create_at, update_at";

pub(crate) const CHANNEL_COLS: &str = "id, create_at, update_at, delete_at, team_id, \
    channel_type, display_name, name, header, purpose, last_post_at, last_root_post_at, \
    total_msg_count, total_msg_count_root, creator_id, props, extra_update_at, \
    group_constrained, shared";

pub(crate) const CHANNEL_MEMBER_COLS: &str = "channel_id, user_id, roles, last_viewed_at, \
    msg_count, mention_count, mention_count_root, urgent_mention_count, msg_count_root, \
    notify_props, last_update_at";

pub(crate) const POST_COLS: &str = "id, create_at, update_at, edit_at, delete_at, is_pinned, \
    user_id, channel_id, root_id, original_id, message, post_type, props, hashtags, file_ids, \
    pending_post_id, reply_count, last_reply_at";

pub(crate) const REACTION_COLS: &str =
    "user_id, post_id, emoji_name, channel_id, create_at, update_at, delete_at";

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".into())
}

fn from_json<T: serde::de::DeserializeOwned + Default>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_default()
}

fn json_object(text: &str) -> serde_json::Value {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v @ serde_json::Value::Object(_)) => v,
        _ => serde_json::Value::Object(Default::default()),
    }
}

#[derive(FromRow)]
pub(crate) struct UserRow {
    id: String,
    create_at: i64,
    update_at: i64,
    delete_at: i64,
    username: String,
    email: String,
    email_verified: bool,
    nickname: String,
    first_name: String,
    last_name: String,
    position: String,
    roles: String,
    props: String,
    notify_props: String,
    timezone: String,
    locale: String,
    last_password_update: i64,
    last_picture_update: i64,
    last_activity_at: i64,
    is_bot: bool,
    bot_description: String,
    auth_service: String,
    auth_data: String,
    mfa_active: bool,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        User {
            id: r.id,
            create_at: r.create_at,
            update_at: r.update_at,
            delete_at: r.delete_at,
            username: r.username,
            email: r.email,
            email_verified: r.email_verified,
            nickname: r.nickname,
            first_name: r.first_name,
            last_name: r.last_name,
            position: r.position,
            roles: r.roles,
            props: from_json(&r.props),
            notify_props: from_json(&r.notify_props),
            timezone: from_json(&r.timezone),
            locale: r.locale,
            last_password_update: r.last_password_update,
            last_picture_update: r.last_picture_update,
            last_activity_at: r.last_activity_at,
            is_bot: r.is_bot,
            bot_description: r.bot_description,
            auth_service: r.auth_service,
            auth_data: r.auth_data,
            mfa_active: r.mfa_active,
        }
    }
}

#[derive(FromRow)]
pub(crate) struct SessionRow {
    id: String,
    token_hash: String,
    user_id: String,
    create_at: i64,
    expires_at: i64,
    last_activity_at: i64,
    device_id: String,
    roles: String,
    props: String,
}

impl From<SessionRow> for Session {
    fn from(r: SessionRow) -> Self {
        Session {
            id: r.id,
            token_hash: r.token_hash,
            user_id: r.user_id,
            create_at: r.create_at,
            expires_at: r.expires_at,
            last_activity_at: r.last_activity_at,
            device_id: r.device_id,
            roles: r.roles,
            props: from_json(&r.props),
        }
    }
}

/// A session and its user, read in one query; session columns carry an `s_` prefix.
#[derive(FromRow)]
pub(crate) struct SessionUserRow {
    s_id: String,
    s_token_hash: String,
    s_user_id: String,
    s_create_at: i64,
    s_expires_at: i64,
    s_last_activity_at: i64,
    s_device_id: String,
    s_roles: String,
    s_props: String,
    #[sqlx(flatten)]
    user: UserRow,
}

/// The `SELECT` list of [`SessionUserRow`], for `sessions s JOIN users u`.
pub(crate) fn session_user_cols() -> String {
    let session = SESSION_COLS
        .split(", ")
        .map(|c| format!("s.{c} AS s_{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("{session}, {}", prefixed(USER_COLS, "u"))
}

/// A column list with each column qualified by a table alias.
pub(crate) fn prefixed(cols: &str, alias: &str) -> String {
    cols.split(',')
        .map(|c| format!("{alias}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl From<SessionUserRow> for (Session, User) {
    fn from(r: SessionUserRow) -> Self {
        let session = Session {
            id: r.s_id,
            token_hash: r.s_token_hash,
            user_id: r.s_user_id,
            create_at: r.s_create_at,
            expires_at: r.s_expires_at,
            last_activity_at: r.s_last_activity_at,
            device_id: r.s_device_id,
            roles: r.s_roles,
            props: from_json(&r.s_props),
        };
        (session, r.user.into())
    }
}

#[derive(FromRow)]
pub(crate) struct TeamRow {
    id: String,
    create_at: i64,
    update_at: i64,
    delete_at: i64,
    display_name: String,
    name: String,
    description: String,
    email: String,
    team_type: String,
    company_name: String,
    allowed_domains: String,
    invite_id: String,
    allow_open_invite: bool,
    last_team_icon_update: i64,
}

impl From<TeamRow> for Team {
    fn from(r: TeamRow) -> Self {
        Team {
            id: r.id,
            create_at: r.create_at,
            update_at: r.update_at,
            delete_at: r.delete_at,
            display_name: r.display_name,
            name: r.name,
            description: r.description,
            email: r.email,
            team_type: r.team_type,
            company_name: r.company_name,
            allowed_domains: r.allowed_domains,
            invite_id: r.invite_id,
            allow_open_invite: r.allow_open_invite,
            last_team_icon_update: r.last_team_icon_update,
        }
    }
}

#[derive(FromRow)]
pub(crate) struct TeamMemberRow {
    team_id: String,
    user_id: String,
    roles: String,
    delete_at: i64,
    create_at: i64,
    update_at: i64,
}

impl From<TeamMemberRow> for TeamMember {
    fn from(r: TeamMemberRow) -> Self {
        TeamMember {
            team_id: r.team_id,
            user_id: r.user_id,
            roles: r.roles,
            delete_at: r.delete_at,
            create_at: r.create_at,
            update_at: r.update_at,
        }
    }
}

#[derive(FromRow)]
pub(crate) struct ChannelRow {
    id: String,
    create_at: i64,
    update_at: i64,
    delete_at: i64,
    team_id: String,
    channel_type: String,
    display_name: String,
    name: String,
    header: String,
    purpose: String,
    last_post_at: i64,
    last_root_post_at: i64,
    total_msg_count: i64,
    total_msg_count_root: i64,
    creator_id: String,
    props: String,
    extra_update_at: i64,
    group_constrained: bool,
    shared: bool,
}

impl From<ChannelRow> for Channel {
    fn from(r: ChannelRow) -> Self {
        Channel {
            id: r.id,
            create_at: r.create_at,
            update_at: r.update_at,
            delete_at: r.delete_at,
            team_id: r.team_id,
            channel_type: r.channel_type,
            display_name: r.display_name,
            name: r.name,
            header: r.header,
            purpose: r.purpose,
            last_post_at: r.last_post_at,
            last_root_post_at: r.last_root_post_at,
            total_msg_count: r.total_msg_count,
            total_msg_count_root: r.total_msg_count_root,
            creator_id: r.creator_id,
            props: json_object(&r.props),
            extra_update_at: r.extra_update_at,
            group_constrained: r.group_constrained,
            shared: r.shared,
        }
    }
}

#[derive(FromRow)]
pub(crate) struct ChannelMemberRow {
    channel_id: String,
    user_id: String,
    roles: String,
    last_viewed_at: i64,
    msg_count: i64,
    mention_count: i64,
    mention_count_root: i64,
    urgent_mention_count: i64,
    msg_count_root: i64,
    notify_props: String,
    last_update_at: i64,
}

impl From<ChannelMemberRow> for ChannelMember {
    fn from(r: ChannelMemberRow) -> Self {
        ChannelMember {
            channel_id: r.channel_id,
            user_id: r.user_id,
            roles: r.roles,
            last_viewed_at: r.last_viewed_at,
            msg_count: r.msg_count,
            mention_count: r.mention_count,
            mention_count_root: r.mention_count_root,
            urgent_mention_count: r.urgent_mention_count,
            msg_count_root: r.msg_count_root,
            notify_props: from_json(&r.notify_props),
            last_update_at: r.last_update_at,
        }
    }
}

/// A channel and (when there is one) a user's membership, read in one query;
/// membership columns carry an `m_` prefix and are null without a membership.
#[derive(FromRow)]
pub(crate) struct ChannelWithMemberRow {
    #[sqlx(flatten)]
    channel: ChannelRow,
    m_user_id: Option<String>,
    m_roles: Option<String>,
    m_last_viewed_at: Option<i64>,
    m_msg_count: Option<i64>,
    m_mention_count: Option<i64>,
    m_mention_count_root: Option<i64>,
    m_urgent_mention_count: Option<i64>,
    m_msg_count_root: Option<i64>,
    m_notify_props: Option<String>,
    m_last_update_at: Option<i64>,
}

/// The `SELECT` list of [`ChannelWithMemberRow`], for `channels c LEFT JOIN channel_members m`.
pub(crate) fn channel_with_member_cols() -> String {
    let member = CHANNEL_MEMBER_COLS
        .split(',')
        .map(str::trim)
        .filter(|c| *c != "channel_id")
        .map(|c| format!("m.{c} AS m_{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("{}, {member}", prefixed(CHANNEL_COLS, "c"))
}

impl From<ChannelWithMemberRow> for (Channel, Option<ChannelMember>) {
    fn from(r: ChannelWithMemberRow) -> Self {
        let channel: Channel = r.channel.into();
        let member = r.m_user_id.map(|user_id| ChannelMember {
            channel_id: channel.id.clone(),
            user_id,
            roles: r.m_roles.unwrap_or_default(),
            last_viewed_at: r.m_last_viewed_at.unwrap_or_default(),
            msg_count: r.m_msg_count.unwrap_or_default(),
            mention_count: r.m_mention_count.unwrap_or_default(),
            mention_count_root: r.m_mention_count_root.unwrap_or_default(),
            urgent_mention_count: r.m_urgent_mention_count.unwrap_or_default(),
            msg_count_root: r.m_msg_count_root.unwrap_or_default(),
            notify_props: from_json(r.m_notify_props.as_deref().unwrap_or("{}")),
            last_update_at: r.m_last_update_at.unwrap_or_default(),
        });
        (channel, member)
    }
}

#[derive(FromRow)]
pub(crate) struct PostRow {
    id: String,
    create_at: i64,
    update_at: i64,
    edit_at: i64,
    delete_at: i64,
    is_pinned: bool,
    user_id: String,
    channel_id: String,
    root_id: String,
    original_id: String,
    message: String,
    post_type: String,
    props: String,
    hashtags: String,
    file_ids: String,
    pending_post_id: String,
    reply_count: i64,
    last_reply_at: i64,
}

impl PostRow {
    pub(crate) fn id(&self) -> &str {
        &self.id
    }
}

impl From<PostRow> for Post {
    fn from(r: PostRow) -> Self {
        Post {
            id: r.id,
            create_at: r.create_at,
            update_at: r.update_at,
            edit_at: r.edit_at,
            delete_at: r.delete_at,
            is_pinned: r.is_pinned,
            user_id: r.user_id,
            channel_id: r.channel_id,
            root_id: r.root_id,
            original_id: r.original_id,
            message: r.message,
            post_type: r.post_type,
            props: json_object(&r.props),
            hashtags: r.hashtags,
            file_ids: from_json(&r.file_ids),
            pending_post_id: r.pending_post_id,
            reply_count: r.reply_count,
            last_reply_at: r.last_reply_at,
        }
    }
}

#[derive(FromRow)]
pub(crate) struct ReactionRow {
    user_id: String,
    post_id: String,
    emoji_name: String,
    channel_id: String,
    create_at: i64,
    update_at: i64,
    delete_at: i64,
}

impl From<ReactionRow> for Reaction {
    fn from(r: ReactionRow) -> Self {
        Reaction {
            user_id: r.user_id,
            post_id: r.post_id,
            emoji_name: r.emoji_name,
            channel_id: r.channel_id,
            create_at: r.create_at,
            update_at: r.update_at,
            delete_at: r.delete_at,
        }
    }
}

#[derive(FromRow)]
pub(crate) struct PreferenceRow {
    user_id: String,
    category: String,
    name: String,
    value: String,
}

impl From<PreferenceRow> for Preference {
    fn from(r: PreferenceRow) -> Self {
        Preference {
            user_id: r.user_id,
            category: r.category,
            name: r.name,
            value: r.value,
        }
    }
}

#[derive(FromRow)]
pub(crate) struct StatusRow {
    user_id: String,
    status: String,
    manual: bool,
    last_activity_at: i64,
    dnd_end_time: i64,
    prev_status: String,
}

impl From<StatusRow> for Status {
    fn from(r: StatusRow) -> Self {
        Status {
            user_id: r.user_id,
            status: r.status,
            manual: r.manual,
            last_activity_at: r.last_activity_at,
            dnd_end_time: r.dnd_end_time,
            prev_status: r.prev_status,
        }
    }
}

#[derive(FromRow)]
pub(crate) struct UnreadRow {
    channel_id: String,
    team_id: String,
    total_msg_count: i64,
    total_msg_count_root: i64,
    msg_count: i64,
    msg_count_root: i64,
    mention_count: i64,
    mention_count_root: i64,
    last_viewed_at: i64,
}

impl From<UnreadRow> for ChannelUnread {
    fn from(r: UnreadRow) -> Self {
        ChannelUnread {
            channel_id: r.channel_id,
            team_id: r.team_id,
            msg_count: (r.total_msg_count - r.msg_count).max(0),
            msg_count_root: (r.total_msg_count_root - r.msg_count_root).max(0),
            mention_count: r.mention_count,
            mention_count_root: r.mention_count_root,
            last_viewed_at: r.last_viewed_at,
        }
    }
}

pub(crate) const TOKEN_COLS: &str = "id, token_hash, user_id, description, is_active, create_at";

#[derive(FromRow)]
pub(crate) struct TokenRow {
    id: String,
    token_hash: String,
    user_id: String,
    description: String,
    is_active: bool,
    create_at: i64,
}

impl From<TokenRow> for UserAccessToken {
    fn from(r: TokenRow) -> Self {
        UserAccessToken {
            id: r.id,
            token_hash: r.token_hash,
            user_id: r.user_id,
            description: r.description,
            is_active: r.is_active,
            create_at: r.create_at,
        }
    }
}

/// `SELECT` list of [`BotRow`], for `bots b JOIN users u ON u.id = b.user_id`.
pub(crate) const BOT_COLS: &str =
    "b.user_id, u.username, b.display_name, b.description, b.owner_id, \
    b.create_at, b.update_at, b.delete_at, b.last_icon_update";

#[derive(FromRow)]
pub(crate) struct BotRow {
    user_id: String,
    username: String,
    display_name: String,
    description: String,
    owner_id: String,
    create_at: i64,
    update_at: i64,
    delete_at: i64,
    last_icon_update: i64,
}

impl From<BotRow> for Bot {
    fn from(r: BotRow) -> Self {
        Bot {
            user_id: r.user_id,
            username: r.username,
            display_name: r.display_name,
            description: r.description,
            owner_id: r.owner_id,
            create_at: r.create_at,
            update_at: r.update_at,
            delete_at: r.delete_at,
            last_icon_update: r.last_icon_update,
        }
    }
}

pub(crate) const HOOK_COLS: &str =
    "id, create_at, update_at, delete_at, user_id, channel_id, team_id, \
    display_name, description, username, icon_url, channel_locked";

#[derive(FromRow)]
pub(crate) struct HookRow {
    id: String,
    create_at: i64,
    update_at: i64,
    delete_at: i64,
    user_id: String,
    channel_id: String,
    team_id: String,
    display_name: String,
    description: String,
    username: String,
    icon_url: String,
    channel_locked: bool,
}

impl From<HookRow> for IncomingWebhook {
    fn from(r: HookRow) -> Self {
        IncomingWebhook {
            id: r.id,
            create_at: r.create_at,
            update_at: r.update_at,
            delete_at: r.delete_at,
            user_id: r.user_id,
            channel_id: r.channel_id,
            team_id: r.team_id,
            display_name: r.display_name,
            description: r.description,
            username: r.username,
            icon_url: r.icon_url,
            channel_locked: r.channel_locked,
        }
    }
}

pub(crate) const THREAD_MEMBER_COLS: &str =
    "post_id, user_id, following, last_viewed, last_updated, unread_mentions";

#[derive(FromRow)]
pub(crate) struct ThreadMemberRow {
    post_id: String,
    user_id: String,
    following: bool,
    last_viewed: i64,
    last_updated: i64,
    unread_mentions: i64,
}

impl From<ThreadMemberRow> for ThreadMember {
    fn from(r: ThreadMemberRow) -> Self {
        ThreadMember {
            post_id: r.post_id,
            user_id: r.user_id,
            following: r.following,
            last_viewed: r.last_viewed,
            last_updated: r.last_updated,
            unread_mentions: r.unread_mentions,
        }
    }
}

/// A root post, the reader's membership (`t_` columns) and the unread reply count.
#[derive(FromRow)]
pub(crate) struct ThreadRow {
    #[sqlx(flatten)]
    root: PostRow,
    t_user_id: String,
    t_following: bool,
    t_last_viewed: i64,
    t_last_updated: i64,
    t_unread_mentions: i64,
    unread_replies: i64,
}

impl ThreadRow {
    pub(crate) fn root_id(&self) -> &str {
        self.root.id()
    }

    pub(crate) fn into_view(self, participants: Vec<String>) -> ThreadView {
        let root: Post = self.root.into();
        ThreadView {
            member: ThreadMember {
                post_id: root.id.clone(),
                user_id: self.t_user_id,
                following: self.t_following,
                last_viewed: self.t_last_viewed,
                last_updated: self.t_last_updated,
                unread_mentions: self.t_unread_mentions,
            },
            root,
            unread_replies: self.unread_replies,
            participants,
        }
    }
}

pub(crate) const EMOJI_COLS: &str = "id, create_at, update_at, delete_at, creator_id, name";

#[derive(FromRow)]
pub(crate) struct EmojiRow {
    id: String,
    create_at: i64,
    update_at: i64,
    delete_at: i64,
    creator_id: String,
    name: String,
}

impl From<EmojiRow> for Emoji {
    fn from(r: EmojiRow) -> Self {
        Emoji {
            id: r.id,
            create_at: r.create_at,
            update_at: r.update_at,
            delete_at: r.delete_at,
            creator_id: r.creator_id,
            name: r.name,
        }
    }
}

pub(crate) const FILE_COLS: &str = "id, creator_id, post_id, channel_id, create_at, update_at, delete_at, \
     name, extension, size, mime_type, width, height, has_preview_image, has_thumbnail, mini_preview";

#[derive(FromRow)]
pub(crate) struct FileRow {
    id: String,
    creator_id: String,
    post_id: String,
    channel_id: String,
    create_at: i64,
    update_at: i64,
    delete_at: i64,
    name: String,
    extension: String,
    size: i64,
    mime_type: String,
    width: i64,
    height: i64,
    has_preview_image: bool,
    has_thumbnail: bool,
    mini_preview: Option<Vec<u8>>,
}

impl From<FileRow> for FileInfo {
    fn from(r: FileRow) -> Self {
        FileInfo {
            id: r.id,
            creator_id: r.creator_id,
            post_id: r.post_id,
            channel_id: r.channel_id,
            create_at: r.create_at,
            update_at: r.update_at,
            delete_at: r.delete_at,
            name: r.name,
            extension: r.extension,
            size: r.size,
            mime_type: r.mime_type,
            width: r.width,
            height: r.height,
            has_preview_image: r.has_preview_image,
            has_thumbnail: r.has_thumbnail,
            mini_preview: r.mini_preview,
        }
    }
}

pub(crate) const UPLOAD_COLS: &str =
    "id, kind, user_id, channel_id, filename, file_size, file_offset, create_at";

#[derive(FromRow)]
pub(crate) struct UploadRow {
    id: String,
    kind: String,
    user_id: String,
    channel_id: String,
    filename: String,
    file_size: i64,
    file_offset: i64,
    create_at: i64,
}

impl From<UploadRow> for UploadSession {
    fn from(r: UploadRow) -> Self {
        UploadSession {
            id: r.id,
            kind: r.kind,
            user_id: r.user_id,
            channel_id: r.channel_id,
            filename: r.filename,
            file_size: r.file_size,
            file_offset: r.file_offset,
            create_at: r.create_at,
        }
    }
}

#[derive(FromRow)]
pub(crate) struct RecipientRow {
    user_id: String,
    username: String,
    first_name: String,
    is_bot: bool,
    user_notify_props: String,
    member_notify_props: String,
    last_viewed_at: i64,
    status: Option<String>,
    manual: Option<bool>,
    last_activity_at: Option<i64>,
    dnd_end_time: Option<i64>,
    prev_status: Option<String>,
}

impl From<RecipientRow> for ChannelRecipient {
    fn from(r: RecipientRow) -> Self {
        let status = r.status.map(|status| Status {
            user_id: r.user_id.clone(),
            status,
            manual: r.manual.unwrap_or(false),
            last_activity_at: r.last_activity_at.unwrap_or(0),
            dnd_end_time: r.dnd_end_time.unwrap_or(0),
            prev_status: r.prev_status.unwrap_or_default(),
        });
        ChannelRecipient {
            user_id: r.user_id,
            username: r.username,
            first_name: r.first_name,
            is_bot: r.is_bot,
            user_notify_props: from_json(&r.user_notify_props),
            member_notify_props: from_json(&r.member_notify_props),
            last_viewed_at: r.last_viewed_at,
            status,
        }
    }
}

pub(crate) const JOB_COLS: &str =
    "id, job_type, priority, create_at, start_at, last_activity_at, status, progress, data";

#[derive(FromRow)]
pub(crate) struct JobRow {
    id: String,
    job_type: String,
    priority: i64,
    create_at: i64,
    start_at: i64,
    last_activity_at: i64,
    status: String,
    progress: i64,
    data: String,
}

impl From<JobRow> for Job {
    fn from(r: JobRow) -> Self {
        Job {
            id: r.id,
            job_type: r.job_type,
            priority: r.priority,
            create_at: r.create_at,
            start_at: r.start_at,
            last_activity_at: r.last_activity_at,
            status: r.status,
            progress: r.progress,
            data: from_json(&r.data),
        }
    }
}
