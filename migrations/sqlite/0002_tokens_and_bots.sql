-- Personal access tokens: long-lived bearer tokens, stored as their SHA-256.
-- Each active token is also a session row with the same hash (never expiring),
-- so authentication looks tokens up in one place.
CREATE TABLE user_access_tokens (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    description TEXT NOT NULL DEFAULT '',
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    create_at INTEGER NOT NULL,
    CONSTRAINT user_access_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX user_access_tokens_user_idx ON user_access_tokens (user_id);

-- Bot accounts: a user row (is_bot) plus what only bots have.
CREATE TABLE bots (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    display_name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    owner_id TEXT NOT NULL,
    create_at INTEGER NOT NULL,
    update_at INTEGER NOT NULL,
    delete_at INTEGER NOT NULL DEFAULT 0,
    last_icon_update INTEGER NOT NULL DEFAULT 0
);
