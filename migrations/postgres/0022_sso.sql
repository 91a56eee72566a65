-- Single sign-on in flight: a sign-in started at an identity provider
-- (kind 'state', until the user comes back) and a one-time code that an
-- app redeems for its session (kind 'login_code'). Only a hash of each key
-- is kept; a row is taken (deleted) when used, and is void after expires_at.
CREATE TABLE sso_grants (
    key_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    -- JSON: what the next step needs (nonce, PKCE verifier, user, …).
    data TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sso_grants_expiry ON sso_grants (expires_at);

-- Accounts of an identity provider are found by the provider's id of them,
-- which names one account only.
CREATE UNIQUE INDEX users_auth ON users (auth_service, auth_data) WHERE auth_data <> '';
