-- Uploaded files; the bytes live in the blob store (data dir or S3).
CREATE TABLE file_infos (
    id TEXT PRIMARY KEY,
    creator_id TEXT NOT NULL,
    post_id TEXT NOT NULL DEFAULT '',
    channel_id TEXT NOT NULL DEFAULT '',
    create_at INTEGER NOT NULL,
    update_at INTEGER NOT NULL,
    delete_at INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    extension TEXT NOT NULL,
    size INTEGER NOT NULL,
    mime_type TEXT NOT NULL,
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0,
    has_preview_image BOOLEAN NOT NULL DEFAULT FALSE,
    has_thumbnail BOOLEAN NOT NULL DEFAULT FALSE,
    -- 16×16 JPEG placeholder of an image.
    mini_preview BLOB
);
CREATE INDEX file_infos_post ON file_infos (post_id);
CREATE INDEX file_infos_channel ON file_infos (channel_id, create_at);
-- Orphans: files never attached to a post.
CREATE INDEX file_infos_unattached ON file_infos (create_at) WHERE post_id = '';
