-- Custom slash commands: a team's triggers that call an integration's URL.
-- A deleted command keeps its row (delete_at) and frees its trigger.
CREATE TABLE commands (
    id TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    create_at INTEGER NOT NULL,
    update_at INTEGER NOT NULL,
    delete_at INTEGER NOT NULL DEFAULT 0,
    creator_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    trigger TEXT NOT NULL,
    method TEXT NOT NULL,
    username TEXT NOT NULL DEFAULT '',
    icon_url TEXT NOT NULL DEFAULT '',
    auto_complete BOOLEAN NOT NULL DEFAULT FALSE,
    auto_complete_desc TEXT NOT NULL DEFAULT '',
    auto_complete_hint TEXT NOT NULL DEFAULT '',
    display_name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL
);
-- Named <table>_<column>_key so a clash is reported as a taken trigger.
CREATE UNIQUE INDEX commands_trigger_key ON commands (team_id, trigger) WHERE delete_at = 0;

-- One run of a custom command: its response_url may post again, a few
-- times, for a while (the limits are the service's).
CREATE TABLE command_webhooks (
    id TEXT PRIMARY KEY,
    create_at INTEGER NOT NULL,
    command_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    root_id TEXT NOT NULL DEFAULT '',
    use_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX command_webhooks_create_at ON command_webhooks (create_at);
