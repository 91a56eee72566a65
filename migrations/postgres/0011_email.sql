-- Single-use tokens mailed to users (password resets, address checks). Only
-- a hash of each token is kept, so the table alone cannot be used to act.
CREATE TABLE email_tokens (
    token_hash TEXT PRIMARY KEY,
    -- password_recovery | verify_email
    kind TEXT NOT NULL,
    user_id TEXT NOT NULL,
    -- The address the token was sent to; a changed address voids it.
    email TEXT NOT NULL,
    create_at BIGINT NOT NULL
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, kind);

-- Mentions waiting to be mailed as one digest to a user who was away.
CREATE TABLE email_digest (
    user_id TEXT NOT NULL,
    post_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    create_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, post_id)
);
CREATE INDEX email_digest_created ON email_digest (create_at);
