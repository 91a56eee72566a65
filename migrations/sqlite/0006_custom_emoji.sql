-- Custom emoji: a name and a small image, kept in the database.
CREATE TABLE emoji (
    id TEXT PRIMARY KEY,
    create_at INTEGER NOT NULL,
    update_at INTEGER NOT NULL,
    delete_at INTEGER NOT NULL DEFAULT 0,
    creator_id TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    image BLOB NOT NULL
);
CREATE UNIQUE INDEX emoji_name_key ON emoji (name) WHERE delete_at = 0;
