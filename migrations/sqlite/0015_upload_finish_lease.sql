-- When an upload's finishing began: a claim older than the lease belongs to
-- a request whose server stopped, and another request may take it over.
ALTER TABLE upload_sessions ADD COLUMN finishing_at BIGINT NOT NULL DEFAULT 0;
