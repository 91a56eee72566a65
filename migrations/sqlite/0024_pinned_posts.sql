-- A channel's pinned posts (its header's count and the pinned list) without
-- reading every post of the channel.
CREATE INDEX posts_pinned_idx ON posts (channel_id, create_at DESC, id DESC)
    WHERE is_pinned = TRUE AND delete_at = 0;
