-- Full-text search over posts.
--
-- The index is an FTS5 table whose content is the posts table itself (no
-- second copy of every message), so it needs a row number that never changes:
-- a plain rowid table may renumber its rows on VACUUM, so posts is rebuilt
-- once with `seq` as its INTEGER PRIMARY KEY (the old rowids are kept).
-- Only what search can return is indexed: live posts, not edit history.

CREATE TABLE posts_new (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
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
INSERT INTO posts_new (seq, id, create_at, update_at, edit_at, delete_at, is_pinned,
    user_id, channel_id, root_id, original_id, message, post_type, props, hashtags,
    file_ids, pending_post_id, reply_count, last_reply_at)
SELECT rowid, id, create_at, update_at, edit_at, delete_at, is_pinned,
    user_id, channel_id, root_id, original_id, message, post_type, props, hashtags,
    file_ids, pending_post_id, reply_count, last_reply_at
FROM posts;
DROP TABLE posts;
ALTER TABLE posts_new RENAME TO posts;

CREATE INDEX posts_channel_create_idx ON posts (channel_id, create_at DESC, id DESC);
CREATE INDEX posts_channel_update_idx ON posts (channel_id, update_at);
CREATE INDEX posts_root_idx ON posts (root_id, create_at) WHERE root_id <> '';
CREATE UNIQUE INDEX posts_pending_idx ON posts (user_id, pending_post_id) WHERE pending_post_id <> '';

-- As in 0001_init: a new post bumps its thread's and channel's counters and
-- marks the channel read for the poster, inside the INSERT itself.
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

-- Words are runs of letters and digits, case-folded; accents are kept, so
-- "café" and "cafe" stay different words, as they are in a plain scan.
CREATE VIRTUAL TABLE post_search USING fts5(
    message,
    content = 'posts',
    content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 0'
);

-- The triggers keep the index in step with every write path (posting, edits,
-- deletes, bulk import). The index holds exactly the live, current posts.
CREATE TRIGGER post_search_insert AFTER INSERT ON posts
WHEN NEW.original_id = '' AND NEW.delete_at = 0
BEGIN
    INSERT INTO post_search (rowid, message) VALUES (NEW.seq, NEW.message);
END;

-- One trigger for both halves of a change, so the old words always leave
-- before the new ones arrive.
CREATE TRIGGER post_search_update AFTER UPDATE OF message, delete_at, original_id ON posts
BEGIN
    INSERT INTO post_search (post_search, rowid, message)
        SELECT 'delete', OLD.seq, OLD.message WHERE OLD.original_id = '' AND OLD.delete_at = 0;
    INSERT INTO post_search (rowid, message)
        SELECT NEW.seq, NEW.message WHERE NEW.original_id = '' AND NEW.delete_at = 0;
END;

CREATE TRIGGER post_search_delete AFTER DELETE ON posts
WHEN OLD.original_id = '' AND OLD.delete_at = 0
BEGIN
    INSERT INTO post_search (post_search, rowid, message) VALUES ('delete', OLD.seq, OLD.message);
END;

-- Posts stored before this migration are indexed by the server right after
-- it (in batches, with progress): the rows up to this one, newest first.
INSERT INTO systems (name, value)
SELECT 'post_search_backfill', CAST(MAX(seq) AS TEXT) FROM posts HAVING COUNT(*) > 0;

-- Newest first across channels: a search for a common word walks this and
-- stops at a page of results.
CREATE INDEX posts_create_idx ON posts (create_at DESC, id DESC);
