//! Persistence. One [`Store`] trait; two backends (SQLite, PostgreSQL) built from
//! one body of SQL written to the subset both dialects share.

mod postgres;
mod rows;
mod sqlite;

use async_trait::async_trait;

use crate::config::{database_kind, DatabaseKind};
use crate::error::Result;
use crate::model::*;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

/// Where listing a channel's posts starts: strictly older than this post.
#[derive(Debug, Clone, Copy)]
pub struct PostCursor<'a> {
    /// `create_at` of the cursor post.
    pub create_at: i64,
    /// Id of the cursor post (ties on `create_at` are broken by id).
    pub id: &'a str,
}

/// What a post search asks the store for.
#[derive(Debug, Clone, Copy)]
pub struct PostSearch<'a> {
    /// The searcher: only channels they belong to are searched.
    pub user_id: &'a str,
    /// The team whose channels (plus the searcher's DMs and GMs) are searched.
    pub team_id: &'a str,
    /// Lower-case words or phrases every result contains.
    pub terms: &'a [String],
    /// Lower-case words no result contains.
    pub excluded: &'a [String],
    /// Only posts by these users, when not empty.
    pub from_user_ids: &'a [String],
    /// Only posts in these channels, when not empty.
    pub channel_ids: &'a [String],
    /// Only posts created before this time, ms.
    pub before: Option<i64>,
    /// Only posts created after this time, ms.
    pub after: Option<i64>,
    pub limit: i64,
}

/// Rows of a bulk import written together: posts (roots before their
/// replies) and what hangs off them. Rows already stored are left alone.
#[derive(Debug, Default)]
pub struct ImportBatch {
    pub posts: Vec<Post>,
    pub reactions: Vec<Reaction>,
    pub files: Vec<FileInfo>,
    /// Flags: `flagged_post` preferences named by a post id.
    pub preferences: Vec<Preference>,
    pub followers: Vec<ThreadMember>,
}

impl ImportBatch {
    pub fn is_empty(&self) -> bool {
        self.posts.is_empty()
            && self.reactions.is_empty()
            && self.files.is_empty()
            && self.preferences.is_empty()
            && self.followers.is_empty()
    }
}

/// Everything the services read and write. Each method is one atomic step.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// Checks that the database answers.
    async fn ping(&self) -> Result<()>;

    // ---- server-wide values
    /// A server-wide value, if set.
    async fn get_system_value(&self, name: &str) -> Result<Option<String>>;
    /// Sets a server-wide value unless it is already set; returns the value in force.
    async fn init_system_value(&self, name: &str, value: &str) -> Result<String>;

    // ---- users
    /// Inserts a user, with a password hash for password accounts.
    async fn create_user(&self, user: &User, password_hash: Option<&str>) -> Result<()>;
    async fn get_user(&self, id: &str) -> Result<User>;
    async fn get_user_by_username(&self, username: &str) -> Result<User>;
    async fn get_user_by_email(&self, email: &str) -> Result<User>;
    /// The users among `ids` that exist, in no particular order.
    async fn get_users_by_ids(&self, ids: &[String]) -> Result<Vec<User>>;
    /// Users ordered by id, after `after_id`.
    async fn list_users(&self, after_id: Option<&str>, limit: i64) -> Result<Vec<User>>;
    /// Writes every field of the user.
    async fn update_user(&self, user: &User) -> Result<()>;
    async fn get_password_hash(&self, user_id: &str) -> Result<Option<String>>;
    async fn set_password_hash(&self, user_id: &str, hash: &str, at: i64) -> Result<()>;
    async fn count_users(&self) -> Result<i64>;
    /// Users among `usernames` (lower-case) that exist.
    async fn get_users_by_usernames(&self, usernames: &[String]) -> Result<Vec<User>>;
    /// Active members of a team, ordered by username.
    async fn list_team_users(&self, team_id: &str, offset: i64, limit: i64) -> Result<Vec<User>>;
    /// Members of a channel, ordered by username.
    async fn list_channel_users(
        &self,
        channel_id: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<User>>;
    /// Active users whose username, names or nickname start with `term`
    /// (lower-case), optionally only members of a team; ordered by username.
    async fn search_users(
        &self,
        term: &str,
        team_id: Option<&str>,
        limit: i64,
    ) -> Result<Vec<User>>;

    // ---- sessions
    async fn create_session(&self, session: &Session) -> Result<()>;
    /// The session with this token hash and its user, in one read.
    async fn get_session_with_user(&self, token_hash: &str) -> Result<(Session, User)>;
    async fn list_sessions(&self, user_id: &str) -> Result<Vec<Session>>;
    async fn delete_session(&self, id: &str) -> Result<()>;
    /// Sets the push device of a session.
    async fn set_session_device(&self, id: &str, device_id: &str) -> Result<()>;
    async fn delete_user_sessions(&self, user_id: &str) -> Result<()>;

    // ---- personal access tokens and bots
    /// Saves a token together with the never-expiring session that authenticates it.
    async fn create_access_token(&self, token: &UserAccessToken, session: &Session) -> Result<()>;
    async fn get_access_token(&self, id: &str) -> Result<UserAccessToken>;
    /// The token with this hash, if any.
    async fn get_access_token_by_hash(&self, token_hash: &str) -> Result<Option<UserAccessToken>>;
    /// A user's tokens, newest first.
    async fn list_access_tokens(&self, user_id: &str) -> Result<Vec<UserAccessToken>>;
    /// Activates (recreating `session`) or deactivates (dropping its session) a token.
    async fn set_access_token_active(
        &self,
        id: &str,
        active: bool,
        session: Option<&Session>,
    ) -> Result<()>;
    /// Deletes a token and its session.
    async fn delete_access_token(&self, id: &str) -> Result<()>;
    /// Creates a bot: its user row and its bot row.
    async fn create_bot(&self, user: &User, bot: &Bot) -> Result<()>;
    async fn get_bot(&self, user_id: &str) -> Result<Bot>;
    /// Bots ordered by username; `owner_id` limits to one owner's.
    async fn list_bots(
        &self,
        owner_id: Option<&str>,
        include_deleted: bool,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Bot>>;
    /// Writes a bot's own fields (display name, description, owner, times).
    async fn update_bot(&self, bot: &Bot) -> Result<()>;

    // ---- incoming webhooks
    async fn create_incoming_webhook(&self, hook: &IncomingWebhook) -> Result<()>;
    async fn get_incoming_webhook(&self, id: &str) -> Result<IncomingWebhook>;
    /// Live hooks, optionally of one team, ordered by creation.
    async fn list_incoming_webhooks(
        &self,
        team_id: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<IncomingWebhook>>;
    /// Writes every field of the hook.
    async fn update_incoming_webhook(&self, hook: &IncomingWebhook) -> Result<()>;

    // ---- teams
    /// Creates a team with its default channels and its creator's memberships
    /// (none for a team made by an import).
    async fn create_team(
        &self,
        team: &Team,
        channels: &[Channel],
        member: Option<&TeamMember>,
        channel_members: &[ChannelMember],
    ) -> Result<()>;
    async fn get_team(&self, id: &str) -> Result<Team>;
    async fn get_team_by_name(&self, name: &str) -> Result<Team>;
    /// The live team with this invite id.
    async fn get_team_by_invite(&self, invite_id: &str) -> Result<Team>;
    async fn update_team(&self, team: &Team) -> Result<()>;
    /// Teams ordered by id, after `after_id`.
    async fn list_teams(&self, after_id: Option<&str>, limit: i64) -> Result<Vec<Team>>;
    /// Teams the user is a current member of.
    async fn list_user_teams(&self, user_id: &str) -> Result<Vec<Team>>;
    /// Adds (or re-adds) a team member and joins the given channels.
    async fn save_team_member(
        &self,
        member: &TeamMember,
        channel_members: &[ChannelMember],
    ) -> Result<()>;
    async fn get_team_member(&self, team_id: &str, user_id: &str) -> Result<TeamMember>;
    /// Current members ordered by user id, after `after_user_id`.
    async fn list_team_members(
        &self,
        team_id: &str,
        after_user_id: Option<&str>,
        limit: i64,
    ) -> Result<Vec<TeamMember>>;
    /// The user's current memberships in every team.
    async fn list_user_team_members(&self, user_id: &str) -> Result<Vec<TeamMember>>;
    /// Number of current members of a team.
    async fn count_team_members(&self, team_id: &str) -> Result<i64>;
    /// Marks the membership removed and leaves every channel of the team.
    async fn remove_team_member(&self, team_id: &str, user_id: &str, at: i64) -> Result<()>;

    // ---- channels
    /// Creates a channel with its first members.
    async fn create_channel(&self, channel: &Channel, members: &[ChannelMember]) -> Result<()>;
    async fn get_channel(&self, id: &str) -> Result<Channel>;
    async fn get_channel_by_name(&self, team_id: &str, name: &str) -> Result<Channel>;
    /// A channel and `user_id`'s membership of it (if any), in one read.
    async fn get_channel_with_member(
        &self,
        channel_id: &str,
        user_id: &str,
    ) -> Result<(Channel, Option<ChannelMember>)>;
    async fn update_channel(&self, channel: &Channel) -> Result<()>;
    /// A team's public channels plus the private ones `user_id` belongs to.
    async fn list_team_channels(&self, team_id: &str, user_id: &str) -> Result<Vec<Channel>>;
    /// Every channel the user belongs to, optionally only one team's (DMs and GMs always).
    async fn list_user_channels(
        &self,
        user_id: &str,
        team_id: Option<&str>,
    ) -> Result<Vec<Channel>>;
    /// Inserts or replaces a channel membership.
    async fn save_channel_member(&self, member: &ChannelMember) -> Result<()>;
    async fn get_channel_member(&self, channel_id: &str, user_id: &str) -> Result<ChannelMember>;
    async fn delete_channel_member(&self, channel_id: &str, user_id: &str) -> Result<()>;
    /// Members ordered by user id, after `after_user_id`.
    async fn list_channel_members(
        &self,
        channel_id: &str,
        after_user_id: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ChannelMember>>;
    async fn count_channel_members(&self, channel_id: &str) -> Result<i64>;
    /// The user's memberships of the channels of one team (and of DMs and GMs).
    async fn list_user_channel_members(
        &self,
        user_id: &str,
        team_id: Option<&str>,
    ) -> Result<Vec<ChannelMember>>;
    /// Marks the channel read for the user: counts caught up, mentions cleared.
    async fn view_channel(&self, channel_id: &str, user_id: &str, at: i64)
        -> Result<ChannelMember>;
    /// Counts one more mention for each of `user_ids` in the channel (and a root
    /// mention when the post is a root post).
    async fn add_mentions(&self, channel_id: &str, user_ids: &[String], root: bool) -> Result<()>;
    /// Unread state of each channel the user belongs to, optionally within one team.
    async fn list_unreads(
        &self,
        user_id: &str,
        team_id: Option<&str>,
    ) -> Result<Vec<ChannelUnread>>;

    // ---- posts
    /// Saves a new post, bumps the channel's counters and the thread's reply
    /// count, and marks the channel read for the poster. A repeated
    /// `pending_post_id` from the same user returns the first post instead.
    async fn create_post(&self, post: &Post) -> Result<Post>;
    async fn get_post(&self, id: &str) -> Result<Post>;
    /// Replaces a post's editable fields and keeps the old version as `history`.
    async fn edit_post(&self, history: &Post, updated: &Post) -> Result<()>;
    /// Writes flags such as `is_pinned` and `props` without keeping history.
    async fn update_post(&self, post: &Post) -> Result<()>;
    /// Soft-deletes a post, and the replies when it is a root.
    async fn delete_post(&self, post: &Post, at: i64) -> Result<()>;
    /// Live posts of a channel, newest first, older than `before`.
    async fn list_channel_posts(
        &self,
        channel_id: &str,
        before: Option<PostCursor<'_>>,
        limit: i64,
    ) -> Result<Vec<Post>>;
    /// A thread's live root and replies, oldest first.
    async fn list_thread(&self, root_id: &str) -> Result<Vec<Post>>;
    /// Live posts of a channel, newest first, skipping `offset`.
    async fn list_channel_posts_offset(
        &self,
        channel_id: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Post>>;
    /// Live posts of a channel, oldest first, newer than `after`.
    async fn list_channel_posts_after(
        &self,
        channel_id: &str,
        after: PostCursor<'_>,
        limit: i64,
    ) -> Result<Vec<Post>>;
    /// Posts of a channel changed after `since` (deleted ones included), oldest change first.
    async fn list_channel_posts_since(
        &self,
        channel_id: &str,
        since: i64,
        limit: i64,
    ) -> Result<Vec<Post>>;
    /// The latest `update_at` of any post of a channel (0 without posts): what
    /// changes whenever a listing of the channel's posts would.
    async fn last_post_update(&self, channel_id: &str) -> Result<i64>;
    /// Live pinned posts of a channel, newest first.
    async fn list_pinned_posts(&self, channel_id: &str) -> Result<Vec<Post>>;
    /// Live posts among `ids`.
    async fn get_posts_by_ids(&self, ids: &[String]) -> Result<Vec<Post>>;
    /// Live posts matching a search, newest first.
    async fn search_posts(&self, search: &PostSearch<'_>) -> Result<Vec<Post>>;
    /// Live reactions to any of `post_ids`, oldest first.
    async fn list_reactions_for_posts(&self, post_ids: &[String]) -> Result<Vec<Reaction>>;

    // ---- threads
    /// Creates or changes a thread membership: `following` and `viewed_at`
    /// replace the stored values when given; `mentions` adds to the unread mentions
    /// (a view resets them first).
    async fn upsert_thread_member(
        &self,
        post_id: &str,
        user_id: &str,
        following: Option<bool>,
        viewed_at: Option<i64>,
        mentions: i64,
        at: i64,
    ) -> Result<()>;
    /// Every follower's view of a thread (members of its channel only).
    async fn list_thread_followers(&self, root_id: &str) -> Result<Vec<ThreadView>>;
    async fn get_thread_member(&self, post_id: &str, user_id: &str)
        -> Result<Option<ThreadMember>>;
    /// Threads the user follows in a team's channels (and their DMs and GMs),
    /// most recently replied first; `before` is a `last_reply_at` cursor.
    async fn list_user_threads(
        &self,
        user_id: &str,
        team_id: &str,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<ThreadView>>;

    // ---- profile pictures
    /// Stores (or replaces) a user's picture.
    async fn save_picture(&self, user_id: &str, content_type: &str, image: &[u8]) -> Result<()>;
    /// A user's uploaded picture, if any.
    async fn get_picture(&self, user_id: &str) -> Result<Option<(String, Vec<u8>)>>;
    async fn delete_picture(&self, user_id: &str) -> Result<()>;

    // ---- custom emoji
    /// Saves an emoji with its image.
    async fn create_emoji(&self, emoji: &Emoji, content_type: &str, image: &[u8]) -> Result<()>;
    /// A live emoji by id or (when `by_name`) by name.
    async fn get_emoji(&self, key: &str, by_name: bool) -> Result<Emoji>;
    /// A live emoji's image and its content type.
    async fn get_emoji_image(&self, id: &str) -> Result<(String, Vec<u8>)>;
    /// Live emoji whose name starts with `prefix` (all when empty), by name.
    async fn list_emoji(&self, prefix: &str, offset: i64, limit: i64) -> Result<Vec<Emoji>>;
    async fn delete_emoji(&self, id: &str, at: i64) -> Result<()>;

    // ---- sidebars
    /// A user's stored sidebar document for a team, if any.
    async fn get_sidebar(&self, user_id: &str, team_id: &str) -> Result<Option<String>>;
    async fn save_sidebar(&self, user_id: &str, team_id: &str, doc: &str) -> Result<()>;

    // ---- reactions
    async fn save_reaction(&self, reaction: &Reaction) -> Result<()>;
    async fn delete_reaction(
        &self,
        post_id: &str,
        user_id: &str,
        emoji: &str,
        at: i64,
    ) -> Result<()>;
    /// Live reactions to a post, oldest first.
    async fn list_reactions(&self, post_id: &str) -> Result<Vec<Reaction>>;

    // ---- preferences
    async fn save_preferences(&self, preferences: &[Preference]) -> Result<()>;
    async fn delete_preferences(&self, user_id: &str, keys: &[(String, String)]) -> Result<()>;
    async fn list_preferences(&self, user_id: &str) -> Result<Vec<Preference>>;

    // ---- statuses
    async fn save_status(&self, status: &Status) -> Result<()>;
    /// Saves a new file record.
    async fn create_file_info(&self, file: &FileInfo) -> Result<()>;
    /// One file record (deleted ones too).
    async fn get_file_info(&self, id: &str) -> Result<FileInfo>;
    /// A post's files, oldest first.
    async fn list_post_files(&self, post_id: &str, include_deleted: bool) -> Result<Vec<FileInfo>>;
    /// The live files of several posts.
    async fn list_posts_files(&self, post_ids: &[String]) -> Result<Vec<FileInfo>>;
    /// Attaches the creator's unattached files of a channel to a post; returns how many.
    async fn attach_files(
        &self,
        post_id: &str,
        channel_id: &str,
        creator_id: &str,
        file_ids: &[String],
        at: i64,
    ) -> Result<u64>;
    /// Files never attached to a post, uploaded before `before` (ms).
    async fn list_orphan_files(&self, before: i64, limit: i64) -> Result<Vec<FileInfo>>;
    /// Forgets a file record.
    async fn remove_file_info(&self, id: &str) -> Result<()>;
    /// Posted files in a user's channels of a team (and DMs/GMs) whose names contain every term.
    async fn search_files(
        &self,
        user_id: &str,
        team_id: &str,
        terms: &[String],
        limit: i64,
    ) -> Result<Vec<FileInfo>>;
    // ---- resumable uploads
    async fn create_upload(&self, upload: &UploadSession) -> Result<()>;
    /// One upload session; a missing one is [`Error::NotFound`].
    async fn get_upload(&self, id: &str) -> Result<UploadSession>;
    /// A user's upload sessions, oldest first.
    async fn list_user_uploads(&self, user_id: &str) -> Result<Vec<UploadSession>>;
    /// Records a stored part at `part.start_offset` and moves the session's
    /// offset past it, atomically; `false` (and nothing recorded) when the
    /// session's offset is no longer `part.start_offset`.
    async fn append_upload_part(&self, upload_id: &str, part: &UploadPart) -> Result<bool>;
    /// Marks an upload as being joined (`finishing`), or not any more;
    /// `false` when it already was in that state (another request has it).
    async fn claim_upload_finish(&self, id: &str, finishing: bool) -> Result<bool>;
    /// An upload's parts in file order.
    async fn list_upload_parts(&self, upload_id: &str) -> Result<Vec<UploadPart>>;
    /// Forgets a session and its parts.
    async fn delete_upload(&self, id: &str) -> Result<()>;
    /// Sessions started before `before` (ms): abandoned uploads.
    async fn list_stale_uploads(&self, before: i64, limit: i64) -> Result<Vec<UploadSession>>;
    // ---- notifications
    /// The members of a channel (active accounts) with their notify settings and status.
    async fn list_channel_recipients(&self, channel_id: &str) -> Result<Vec<ChannelRecipient>>;
    /// The authors of a thread's live posts, the root's included.
    async fn list_thread_authors(&self, root_id: &str) -> Result<Vec<String>>;
    /// The badge a user's phone shows: unread messages in direct channels
    /// plus mentions elsewhere.
    async fn badge_count(&self, user_id: &str) -> Result<i64>;
    /// Forgets a session's device when it is still `device_id`.
    async fn clear_session_device(&self, session_id: &str, device_id: &str) -> Result<()>;
    async fn enqueue_pushes(&self, jobs: &[PushJob]) -> Result<()>;
    /// Leases up to `limit` due jobs to the caller until `lease_until`.
    async fn claim_pushes(&self, now: i64, lease_until: i64, limit: i64) -> Result<Vec<PushJob>>;
    async fn finish_push(&self, id: &str) -> Result<()>;
    /// The queue as it stands, oldest first (for diagnostics).
    async fn list_push_jobs(&self, limit: i64) -> Result<Vec<PushJob>>;
    /// Puts a job back for another attempt at `next_attempt_at`.
    async fn retry_push(&self, id: &str, attempts: i64, next_attempt_at: i64) -> Result<()>;
    // ---- e-mail
    /// Saves a token, replacing the user's earlier ones of its kind.
    async fn save_email_token(&self, token: &EmailToken) -> Result<()>;
    /// When the user's current token of a kind was issued, if there is one.
    async fn email_token_issued_at(&self, user_id: &str, kind: &str) -> Result<Option<i64>>;
    /// Removes and returns a token of a kind: a token works once.
    async fn take_email_token(&self, token_hash: &str, kind: &str) -> Result<Option<EmailToken>>;
    async fn queue_digest(&self, entries: &[DigestEntry]) -> Result<()>;
    /// Users with a digest entry older than `before`.
    async fn list_digest_users(&self, before: i64, limit: i64) -> Result<Vec<String>>;
    /// Removes and returns a user's digest entries, oldest first.
    async fn take_digest(&self, user_id: &str) -> Result<Vec<DigestEntry>>;
    /// Statuses in do-not-disturb whose end time (seconds) has passed.
    async fn list_expired_dnd(&self, now_seconds: i64) -> Result<Vec<Status>>;
    /// The channels (with their team, `""` for DMs and GMs) and teams a user belongs to.
    async fn list_memberships(&self, user_id: &str) -> Result<Memberships>;
    async fn get_status(&self, user_id: &str) -> Result<Option<Status>>;

    // ---- jobs
    async fn create_job(&self, job: &Job) -> Result<()>;
    async fn get_job(&self, id: &str) -> Result<Job>;
    /// Writes a job's status, progress, times and data.
    async fn update_job(&self, job: &Job) -> Result<()>;
    /// Moves a job from one status to another; `false` when it was not in `from`.
    async fn set_job_status(&self, id: &str, from: &str, to: &str, at: i64) -> Result<bool>;
    /// Records how far a running job got.
    async fn set_job_progress(&self, id: &str, progress: i64, at: i64) -> Result<()>;
    /// Jobs newest first, optionally of one type.
    async fn list_jobs(&self, job_type: Option<&str>, offset: i64, limit: i64) -> Result<Vec<Job>>;

    // ---- bulk import and export
    /// Inserts a batch of imported rows in one transaction; rows whose key
    /// is already stored are skipped, so a repeated import adds nothing. A
    /// post is also skipped when its channel already holds one by the same
    /// author at the same time, and a row hanging off a post that is not
    /// stored is left out.
    /// Returns how many posts were new.
    async fn import_batch(&self, batch: &ImportBatch) -> Result<u64>;
    /// After an import: recounts a channel's message counters and its
    /// threads' reply counts from its posts, and marks its members read up
    /// to its newest post (imported history is not news).
    async fn settle_imported_channel(&self, channel_id: &str) -> Result<()>;
    /// Every channel (all types, archived ones too) ordered by id, after `after_id`.
    async fn list_all_channels(&self, after_id: Option<&str>, limit: i64) -> Result<Vec<Channel>>;
    /// Live root posts of a channel, oldest first, after `after`.
    async fn list_root_posts(
        &self,
        channel_id: &str,
        after: Option<PostCursor<'_>>,
        limit: i64,
    ) -> Result<Vec<Post>>;
    /// Live replies to any of `root_ids`, oldest first.
    async fn list_replies(&self, root_ids: &[String]) -> Result<Vec<Post>>;
    /// Who flagged which of `post_ids`: (post id, user id) pairs.
    async fn list_post_flaggers(&self, post_ids: &[String]) -> Result<Vec<(String, String)>>;
    /// Thread memberships of any of `post_ids` (followed or not).
    async fn list_thread_members(&self, post_ids: &[String]) -> Result<Vec<ThreadMember>>;
}

/// Opens the database a URL names, creating it if needed, and applies migrations.
pub async fn open(url: &str, max_connections: u32) -> Result<std::sync::Arc<dyn Store>> {
    let kind = database_kind(url).map_err(|e| crate::Error::invalid("database_url", e.reason))?;
    Ok(match kind {
        DatabaseKind::Sqlite => std::sync::Arc::new(SqliteStore::open(url, max_connections).await?),
        DatabaseKind::Postgres => {
            std::sync::Arc::new(PostgresStore::open(url, max_connections).await?)
        }
    })
}
