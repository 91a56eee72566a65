-- rustchat schema, SQLite dialect. Times are milliseconds since the epoch;
-- JSON documents are stored as text and parsed by the store.

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    create_at INTEGER NOT NULL,
    update_at INTEGER NOT NULL,
    delete_at INTEGER NOT NULL DEFAULT 0,
    username TEXT NOT NULL,
    email TEXT NOT NULL,
    email_verified BOOLEAN NOT NULL DEFAULT FALSE,
    nickname TEXT NOT NULL DEFAULT '',
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    position TEXT NOT NULL DEFAULT '',
    roles TEXT NOT NULL,
    props TEXT NOT NULL DEFAULT '{}',
    notify_props TEXT NOT NULL DEFAULT '{}',
    timezone TEXT NOT NULL DEFAULT '{}',
    locale TEXT NOT NULL DEFAULT 'en',
    password_hash TEXT,
    last_password_update INTEGER NOT NULL DEFAULT 0,
    last_picture_update INTEGER NOT NULL DEFAULT 0,
    last_activity_at INTEGER NOT NULL DEFAULT 0,
    is_bot BOOLEAN NOT NULL DEFAULT FALSE,
    bot_description TEXT NOT NULL DEFAULT '',
    auth_service TEXT NOT NULL DEFAULT '',
    auth_data TEXT NOT NULL DEFAULT '',
    mfa_active BOOLEAN NOT NULL DEFAULT FALSE,
    CONSTRAINT users_username_key UNIQUE (username),
    CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    create_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    last_activity_at INTEGER NOT NULL,
    device_id TEXT NOT NULL DEFAULT '',
    roles TEXT NOT NULL DEFAULT '',
    props TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT sessions_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    create_at INTEGER NOT NULL,
    update_at INTEGER NOT NULL,
    delete_at INTEGER NOT NULL DEFAULT 0,
    display_name TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    team_type TEXT NOT NULL DEFAULT 'O',
    company_name TEXT NOT NULL DEFAULT '',
    allowed_domains TEXT NOT NULL DEFAULT '',
    invite_id TEXT NOT NULL,
    allow_open_invite BOOLEAN NOT NULL DEFAULT FALSE,
    last_team_icon_update INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT teams_name_key UNIQUE (name)
);

CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    roles TEXT NOT NULL,
    delete_at INTEGER NOT NULL DEFAULT 0,
    create_at INTEGER NOT NULL,
    update_at INTEGER NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user_idx ON team_members (user_id);

CREATE TABLE channels (
    id TEXT PRIMARY KEY,
    create_at INTEGER NOT NULL,
    update_at INTEGER NOT NULL,
    delete_at INTEGER NOT NULL DEFAULT 0,
    team_id TEXT NOT NULL DEFAULT '',
    channel_type TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    header TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL DEFAULT '',
    last_post_at INTEGER NOT NULL DEFAULT 0,
    last_root_post_at INTEGER NOT NULL DEFAULT 0,
    total_msg_count INTEGER NOT NULL DEFAULT 0,
    total_msg_count_root INTEGER NOT NULL DEFAULT 0,
    creator_id TEXT NOT NULL DEFAULT '',
    props TEXT NOT NULL DEFAULT '{}',
    extra_update_at INTEGER NOT NULL DEFAULT 0,
    group_constrained BOOLEAN NOT NULL DEFAULT FALSE,
    shared BOOLEAN NOT NULL DEFAULT FALSE,
    CONSTRAINT channels_name_key UNIQUE (team_id, name)
);

CREATE TABLE channel_members (
    channel_id TEXT NOT NULL REFERENCES channels(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    roles TEXT NOT NULL,
    last_viewed_at INTEGER NOT NULL DEFAULT 0,
    msg_count INTEGER NOT NULL DEFAULT 0,
    mention_count INTEGER NOT NULL DEFAULT 0,
    mention_count_root INTEGER NOT NULL DEFAULT 0,
    urgent_mention_count INTEGER NOT NULL DEFAULT 0,
    msg_count_root INTEGER NOT NULL DEFAULT 0,
    notify_props TEXT NOT NULL DEFAULT '{}',
    last_update_at INTEGER NOT NULL,
    PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX channel_members_user_idx ON channel_members (user_id);

CREATE TABLE posts (
    id TEXT PRIMARY KEY,
    create_at INTEGER NOT NULL,
    update_at INTEGER NOT NULL,
    edit_at INTEGER NOT NULL DEFAULT 0,
    delete_at INTEGER NOT NULL DEFAULT 0,
    is_pinned BOOLEAN NOT NULL DEFAULT FALSE,
    user_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    root_id TEXT NOT NULL DEFAULT '',
    original_id TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL,
    post_type TEXT NOT NULL DEFAULT '',
    props TEXT NOT NULL DEFAULT '{}',
    hashtags TEXT NOT NULL DEFAULT '',
    file_ids TEXT NOT NULL DEFAULT '[]',
    pending_post_id TEXT NOT NULL DEFAULT '',
    reply_count INTEGER NOT NULL DEFAULT 0,
    last_reply_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX posts_channel_create_idx ON posts (channel_id, create_at DESC, id DESC);
CREATE INDEX posts_channel_update_idx ON posts (channel_id, update_at);
CREATE INDEX posts_root_idx ON posts (root_id, create_at) WHERE root_id <> '';
CREATE UNIQUE INDEX posts_pending_idx ON posts (user_id, pending_post_id) WHERE pending_post_id <> '';

CREATE TABLE reactions (
    user_id TEXT NOT NULL,
    post_id TEXT NOT NULL,
    emoji_name TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    create_at INTEGER NOT NULL,
    update_at INTEGER NOT NULL,
    delete_at INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (post_id, user_id, emoji_name)
);

CREATE TABLE preferences (
    user_id TEXT NOT NULL,
    category TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (user_id, category, name)
);

CREATE TABLE statuses (
    user_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    manual BOOLEAN NOT NULL DEFAULT FALSE,
    last_activity_at INTEGER NOT NULL DEFAULT 0,
    dnd_end_time INTEGER NOT NULL DEFAULT 0,
    prev_status TEXT NOT NULL DEFAULT ''
);

-- A new post bumps its thread's reply count and its channel's counters, and
-- marks the channel read for the poster, inside the INSERT itself: one
-- statement per post keeps SQLite's single writer busy for the least time.
-- (PostgreSQL does the same in one statement from the store; see postgres.rs.)
-- Edit-history copies (original_id set) count for nothing.
CREATE TRIGGER posts_count_new AFTER INSERT ON posts WHEN NEW.original_id = ''
BEGIN
    UPDATE posts SET reply_count = reply_count + 1, update_at = NEW.create_at,
        last_reply_at = MAX(last_reply_at, NEW.create_at)
        WHERE NEW.root_id <> '' AND id = NEW.root_id;
    UPDATE channels SET total_msg_count = total_msg_count + 1,
        total_msg_count_root = total_msg_count_root + (NEW.root_id = ''),
        last_post_at = MAX(last_post_at, NEW.create_at),
        last_root_post_at = CASE WHEN NEW.root_id = ''
            THEN MAX(last_root_post_at, NEW.create_at) ELSE last_root_post_at END
        WHERE id = NEW.channel_id;
    UPDATE channel_members SET
        msg_count = (SELECT total_msg_count FROM channels WHERE id = NEW.channel_id),
        msg_count_root = (SELECT total_msg_count_root FROM channels WHERE id = NEW.channel_id),
        last_viewed_at = NEW.create_at, last_update_at = NEW.create_at
        WHERE channel_id = NEW.channel_id AND user_id = NEW.user_id;
END;

-- Channels as the store reads them. SQLite keeps the counters on the channel
-- row (its single writer never contends); PostgreSQL adds sharded counters.
CREATE VIEW channel_view AS SELECT * FROM channels;

-- Server-wide values that must survive restarts (the server's identity, …).
CREATE TABLE systems (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
