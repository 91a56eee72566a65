-- A2A agents: each is a bot account (its id is the bot's user id) whose
-- answers come from an agent served elsewhere, found through its agent card.
-- skills is a JSON array; secret is the agent's API key or bearer token,
-- sealed with the server's key (empty when the agent needs none).
CREATE TABLE agents (
    id TEXT PRIMARY KEY,
    card_url TEXT NOT NULL,
    endpoint_url TEXT NOT NULL,
    protocol_version TEXT NOT NULL,
    streaming BOOLEAN NOT NULL DEFAULT FALSE,
    display_name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    icon_url TEXT NOT NULL DEFAULT '',
    skills TEXT NOT NULL DEFAULT '[]',
    auth_scheme TEXT NOT NULL DEFAULT 'none',
    auth_header TEXT NOT NULL DEFAULT '',
    secret TEXT NOT NULL DEFAULT '',
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    creator_id TEXT NOT NULL,
    create_at BIGINT NOT NULL,
    update_at BIGINT NOT NULL,
    delete_at BIGINT NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);

-- A task an agent left waiting for the input of the user it asked, by
-- conversation (the direct channel, or a thread's root post): that user's
-- next message there goes to the same task. Keyed by conversation first, as
-- a thread's replies look up the tasks waiting in it.
CREATE TABLE agent_tasks (
    agent_id TEXT NOT NULL,
    context_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    update_at BIGINT NOT NULL,
    PRIMARY KEY (context_id, agent_id)
);
