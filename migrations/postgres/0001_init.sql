-- rustchat schema, PostgreSQL dialect. Times are milliseconds since the epoch;
-- JSON documents are stored as text and parsed by the store.

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    create_at BIGINT NOT NULL,
    update_at BIGINT NOT NULL,
    delete_at BIGINT NOT NULL DEFAULT 0,
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
    last_password_update BIGINT NOT NULL DEFAULT 0,
    last_picture_update BIGINT NOT NULL DEFAULT 0,
    last_activity_at BIGINT NOT NULL DEFAULT 0,
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
    create_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    last_activity_at BIGINT NOT NULL,
    device_id TEXT NOT NULL DEFAULT '',
    roles TEXT NOT NULL DEFAULT '',
    props TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT sessions_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    create_at BIGINT NOT NULL,
    update_at BIGINT NOT NULL,
    delete_at BIGINT NOT NULL DEFAULT 0,
    display_name TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    team_type TEXT NOT NULL DEFAULT 'O',
    company_name TEXT NOT NULL DEFAULT '',
    allowed_domains TEXT NOT NULL DEFAULT '',
    invite_id TEXT NOT NULL,
    allow_open_invite BOOLEAN NOT NULL DEFAULT FALSE,
    last_team_icon_update BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT teams_name_key UNIQUE (name)
);

CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    roles TEXT NOT NULL,
    delete_at BIGINT NOT NULL DEFAULT 0,
    create_at BIGINT NOT NULL,
    update_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user_idx ON team_members (user_id);

CREATE TABLE channels (
    id TEXT PRIMARY KEY,
    create_at BIGINT NOT NULL,
    update_at BIGINT NOT NULL,
    delete_at BIGINT NOT NULL DEFAULT 0,
    team_id TEXT NOT NULL DEFAULT '',
    channel_type TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    header TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL DEFAULT '',
    last_post_at BIGINT NOT NULL DEFAULT 0,
    last_root_post_at BIGINT NOT NULL DEFAULT 0,
    total_msg_count BIGINT NOT NULL DEFAULT 0,
    total_msg_count_root BIGINT NOT NULL DEFAULT 0,
    creator_id TEXT NOT NULL DEFAULT '',
    props TEXT NOT NULL DEFAULT '{}',
    extra_update_at BIGINT NOT NULL DEFAULT 0,
    group_constrained BOOLEAN NOT NULL DEFAULT FALSE,
    shared BOOLEAN NOT NULL DEFAULT FALSE,
    CONSTRAINT channels_name_key UNIQUE (team_id, name)
);

CREATE TABLE channel_members (
    channel_id TEXT NOT NULL REFERENCES channels(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    roles TEXT NOT NULL,
    last_viewed_at BIGINT NOT NULL DEFAULT 0,
    msg_count BIGINT NOT NULL DEFAULT 0,
    mention_count BIGINT NOT NULL DEFAULT 0,
    mention_count_root BIGINT NOT NULL DEFAULT 0,
    urgent_mention_count BIGINT NOT NULL DEFAULT 0,
    msg_count_root BIGINT NOT NULL DEFAULT 0,
    notify_props TEXT NOT NULL DEFAULT '{}',
    last_update_at BIGINT NOT NULL,
    PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX channel_members_user_idx ON channel_members (user_id);

CREATE TABLE posts (
    id TEXT PRIMARY KEY,
    create_at BIGINT NOT NULL,
    update_at BIGINT NOT NULL,
    edit_at BIGINT NOT NULL DEFAULT 0,
    delete_at BIGINT NOT NULL DEFAULT 0,
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
    reply_count BIGINT NOT NULL DEFAULT 0,
    last_reply_at BIGINT NOT NULL DEFAULT 0
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
    create_at BIGINT NOT NULL,
    update_at BIGINT NOT NULL,
    delete_at BIGINT NOT NULL DEFAULT 0,
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
    last_activity_at BIGINT NOT NULL DEFAULT 0,
    dnd_end_time BIGINT NOT NULL DEFAULT 0,
    prev_status TEXT NOT NULL DEFAULT ''
);

-- Message counters of busy channels, split in shards. Every post bumps its
-- channel's counters; with one counter row, concurrent posters would queue on
-- that row's lock. Each connection bumps its own shard instead, and readers add
-- the shards to the base values kept on the channel row.
CREATE TABLE channel_counters (
    channel_id TEXT NOT NULL,
    shard INTEGER NOT NULL,
    msg_count BIGINT NOT NULL DEFAULT 0,
    msg_count_root BIGINT NOT NULL DEFAULT 0,
    last_post_at BIGINT NOT NULL DEFAULT 0,
    last_root_post_at BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (channel_id, shard)
);

-- Channels as the store reads them: the row plus its counter shards.
CREATE VIEW channel_view AS
SELECT c.id, c.create_at, c.update_at, c.delete_at, c.team_id, c.channel_type,
       c.display_name, c.name, c.header, c.purpose,
       GREATEST(c.last_post_at, COALESCE(k.last_post_at, 0)) AS last_post_at,
       GREATEST(c.last_root_post_at, COALESCE(k.last_root_post_at, 0)) AS last_root_post_at,
       c.total_msg_count + COALESCE(k.msg_count, 0) AS total_msg_count,
       c.total_msg_count_root + COALESCE(k.msg_count_root, 0) AS total_msg_count_root,
       c.creator_id, c.props, c.extra_update_at, c.group_constrained, c.shared
FROM channels c
LEFT JOIN LATERAL (
    SELECT SUM(n.msg_count)::BIGINT AS msg_count,
           SUM(n.msg_count_root)::BIGINT AS msg_count_root,
           MAX(n.last_post_at) AS last_post_at,
           MAX(n.last_root_post_at) AS last_root_post_at
    FROM channel_counters n WHERE n.channel_id = c.id
) k ON TRUE;

-- Server-wide values that must survive restarts (the server's identity, …).
CREATE TABLE systems (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
