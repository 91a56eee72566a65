-- Messages to post later ("send later"). A due row is leased by one node
-- (lease_until) while it is posted as its author, then deleted; a row that
-- cannot be posted keeps an error_code and waits for its author.
CREATE TABLE scheduled_posts (
    id TEXT PRIMARY KEY,
    create_at BIGINT NOT NULL,
    update_at BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    root_id TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    props TEXT NOT NULL DEFAULT '{}',
    file_ids TEXT NOT NULL DEFAULT '[]',
    priority TEXT NOT NULL DEFAULT '{}',
    scheduled_at BIGINT NOT NULL,
    processed_at BIGINT NOT NULL DEFAULT 0,
    error_code TEXT NOT NULL DEFAULT '',
    lease_until BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX scheduled_posts_user ON scheduled_posts (user_id, scheduled_at);
CREATE INDEX scheduled_posts_due ON scheduled_posts (scheduled_at) WHERE error_code = '';
