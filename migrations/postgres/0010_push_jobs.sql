-- Push notifications waiting to be handed to the push proxy. A job is
-- claimed by one node for a short lease, deleted once the proxy answered,
-- and retried with backoff while the proxy cannot be reached, also across
-- restarts.
CREATE TABLE push_jobs (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    -- The session whose device receives it ('' for none).
    session_id TEXT NOT NULL,
    -- The PushNotification JSON, minus the per-attempt ack id.
    payload TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT NOT NULL DEFAULT 0,
    create_at BIGINT NOT NULL
);
CREATE INDEX push_jobs_due ON push_jobs (next_attempt_at);
