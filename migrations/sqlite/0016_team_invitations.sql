-- Team invitations by e-mail are mailed tokens too: which team the invitee
-- joins, and the channels (a JSON array of ids) they join with it. Empty for
-- password resets and address checks.
ALTER TABLE email_tokens ADD COLUMN team_id TEXT NOT NULL DEFAULT '';
ALTER TABLE email_tokens ADD COLUMN channel_ids TEXT NOT NULL DEFAULT '[]';
CREATE INDEX email_tokens_kind ON email_tokens (kind, create_at);
