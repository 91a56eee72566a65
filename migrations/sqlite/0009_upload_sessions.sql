-- Resumable uploads: a session announces a file's name and size, then its
-- bytes arrive in one or more parts. Each part is its own blob (object
-- stores cannot append); the parts are joined into the file when the last
-- byte arrives, and the session is removed.
CREATE TABLE upload_sessions (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    user_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    filename TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    file_offset INTEGER NOT NULL DEFAULT 0,
    create_at INTEGER NOT NULL
);
CREATE INDEX upload_sessions_user ON upload_sessions (user_id, create_at);
CREATE INDEX upload_sessions_created ON upload_sessions (create_at);

CREATE TABLE upload_parts (
    upload_id TEXT NOT NULL REFERENCES upload_sessions (id) ON DELETE CASCADE,
    -- Where the part starts in the file; parts never overlap.
    start_offset INTEGER NOT NULL,
    size INTEGER NOT NULL,
    blob_key TEXT NOT NULL,
    PRIMARY KEY (upload_id, start_offset)
);
