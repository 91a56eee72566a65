-- Incoming webhooks: a secret URL (its id) that posts into one channel as its creator.
CREATE TABLE incoming_webhooks (
    id TEXT PRIMARY KEY,
    create_at INTEGER NOT NULL,
    update_at INTEGER NOT NULL,
    delete_at INTEGER NOT NULL DEFAULT 0,
    user_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    username TEXT NOT NULL DEFAULT '',
    icon_url TEXT NOT NULL DEFAULT '',
    channel_locked BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX incoming_webhooks_team_idx ON incoming_webhooks (team_id);
