-- Who follows which thread (a root post), and how far they have read it.
CREATE TABLE thread_memberships (
    post_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    following BOOLEAN NOT NULL DEFAULT TRUE,
    last_viewed BIGINT NOT NULL DEFAULT 0,
    last_updated BIGINT NOT NULL DEFAULT 0,
    unread_mentions BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (post_id, user_id)
);
CREATE INDEX thread_memberships_user_idx ON thread_memberships (user_id, last_updated);
