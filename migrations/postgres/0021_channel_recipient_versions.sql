-- A counter per channel that moves whenever what a post's notifications
-- read about the channel's members changes: who is a member, their channel
-- notify props, or their name, notify props or activation. The server keeps
-- each channel's members in memory and reads only this counter per post, so
-- a change made on any node (or by hand) is seen at the next post.
-- Presence (status, last view) is not covered: it is read when needed.

CREATE TABLE channel_recipient_versions (
    channel_id TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);

CREATE FUNCTION channel_recipients_bump(changed_channel TEXT) RETURNS void
    LANGUAGE sql
    AS $$
    INSERT INTO channel_recipient_versions (channel_id, version) VALUES (changed_channel, 1)
        ON CONFLICT (channel_id) DO UPDATE SET version = channel_recipient_versions.version + 1;
$$;

CREATE FUNCTION channel_recipients_member_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM channel_recipients_bump(OLD.channel_id);
    ELSE
        PERFORM channel_recipients_bump(NEW.channel_id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER channel_recipients_member_added AFTER INSERT ON channel_members
    FOR EACH ROW EXECUTE FUNCTION channel_recipients_member_changed();
CREATE TRIGGER channel_recipients_member_removed AFTER DELETE ON channel_members
    FOR EACH ROW EXECUTE FUNCTION channel_recipients_member_changed();
CREATE TRIGGER channel_recipients_member_props AFTER UPDATE OF notify_props ON channel_members
    FOR EACH ROW WHEN (OLD.notify_props IS DISTINCT FROM NEW.notify_props)
    EXECUTE FUNCTION channel_recipients_member_changed();

CREATE FUNCTION channel_recipients_user_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO channel_recipient_versions (channel_id, version)
        SELECT channel_id, 1 FROM channel_members WHERE user_id = NEW.id
        ON CONFLICT (channel_id) DO UPDATE SET version = channel_recipient_versions.version + 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER channel_recipients_user_changed
    AFTER UPDATE OF username, first_name, notify_props, delete_at, is_bot ON users
    FOR EACH ROW WHEN (OLD.username IS DISTINCT FROM NEW.username
        OR OLD.first_name IS DISTINCT FROM NEW.first_name
        OR OLD.notify_props IS DISTINCT FROM NEW.notify_props
        OR OLD.delete_at IS DISTINCT FROM NEW.delete_at
        OR OLD.is_bot IS DISTINCT FROM NEW.is_bot)
    EXECUTE FUNCTION channel_recipients_user_changed();
