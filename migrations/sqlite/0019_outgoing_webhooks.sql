-- Outgoing webhooks: posts in public channels that match a hook's trigger
-- words are sent to its callback URLs. channel_id is '' for a hook that
-- listens to every public channel of its team; trigger_words and
-- callback_urls are JSON arrays of strings.
CREATE TABLE outgoing_webhooks (
    id TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    create_at INTEGER NOT NULL,
    update_at INTEGER NOT NULL,
    delete_at INTEGER NOT NULL DEFAULT 0,
    creator_id TEXT NOT NULL,
    channel_id TEXT NOT NULL DEFAULT '',
    team_id TEXT NOT NULL,
    trigger_words TEXT NOT NULL DEFAULT '[]',
    trigger_when INTEGER NOT NULL DEFAULT 0,
    callback_urls TEXT NOT NULL DEFAULT '[]',
    display_name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    username TEXT NOT NULL DEFAULT '',
    icon_url TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outgoing_webhooks_team_idx ON outgoing_webhooks (team_id, channel_id) WHERE delete_at = 0;
CREATE INDEX outgoing_webhooks_creator_idx ON outgoing_webhooks (creator_id);
