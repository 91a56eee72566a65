-- A counter per channel that moves whenever what a post's notifications
-- read about the channel's members changes: who is a member, their channel
-- notify props, or their name, notify props or activation. The server keeps
-- each channel's members in memory and reads only this counter per post, so
-- a change made on any node (or by hand) is seen at the next post.
-- Presence (status, last view) is not covered: it is read when needed.

CREATE TABLE channel_recipient_versions (
    channel_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);

CREATE TRIGGER channel_recipients_member_added AFTER INSERT ON channel_members
BEGIN
    INSERT INTO channel_recipient_versions (channel_id, version) VALUES (NEW.channel_id, 1)
        ON CONFLICT (channel_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER channel_recipients_member_removed AFTER DELETE ON channel_members
BEGIN
    INSERT INTO channel_recipient_versions (channel_id, version) VALUES (OLD.channel_id, 1)
        ON CONFLICT (channel_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER channel_recipients_member_props AFTER UPDATE OF notify_props ON channel_members
WHEN OLD.notify_props IS NOT NEW.notify_props
BEGIN
    INSERT INTO channel_recipient_versions (channel_id, version) VALUES (NEW.channel_id, 1)
        ON CONFLICT (channel_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER channel_recipients_user_changed
AFTER UPDATE OF username, first_name, notify_props, delete_at, is_bot ON users
WHEN OLD.username IS NOT NEW.username OR OLD.first_name IS NOT NEW.first_name
    OR OLD.notify_props IS NOT NEW.notify_props OR OLD.delete_at IS NOT NEW.delete_at
    OR OLD.is_bot IS NOT NEW.is_bot
BEGIN
    INSERT INTO channel_recipient_versions (channel_id, version)
        SELECT channel_id, 1 FROM channel_members WHERE user_id = NEW.id
        ON CONFLICT (channel_id) DO UPDATE SET version = version + 1;
END;
