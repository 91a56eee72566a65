-- Set while an upload's parts are being joined into its file, so that only
-- one request (on any node) does it.
ALTER TABLE upload_sessions ADD COLUMN finishing BOOLEAN NOT NULL DEFAULT FALSE;
