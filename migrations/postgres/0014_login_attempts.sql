-- Failed password logins since the last good one or the last password
-- change: at maximum_login_attempts the account is locked until its password
-- is reset.
ALTER TABLE users ADD COLUMN failed_attempts BIGINT NOT NULL DEFAULT 0;
