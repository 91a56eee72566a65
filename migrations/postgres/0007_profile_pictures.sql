-- Uploaded profile pictures (users without one get a generated picture).
CREATE TABLE user_pictures (
    user_id TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    image BYTEA NOT NULL
);
