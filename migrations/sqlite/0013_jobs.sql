-- Background jobs started through the API (bulk imports and exports): their
-- state is kept here so that any node can report it.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    job_type TEXT NOT NULL,
    priority INTEGER NOT NULL DEFAULT 0,
    create_at INTEGER NOT NULL,
    start_at INTEGER NOT NULL DEFAULT 0,
    last_activity_at INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    progress INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX jobs_type_created ON jobs (job_type, create_at);
