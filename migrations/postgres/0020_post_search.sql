-- Full-text search over posts: a tsvector of each current post's words with a
-- GIN index. Words are runs of letters and digits, lower-cased, with no
-- stemming or stop words (the `simple` configuration over the message with
-- everything else made a space), so they are the words SQLite's index sees.

CREATE FUNCTION post_search_vector(message TEXT) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT to_tsvector('simple'::regconfig, regexp_replace(message, '[^[:alnum:]]+', ' ', 'g')) $$;

-- Nullable and filled by the server in batches after this migration (with
-- progress), so the migration itself does not rewrite the table.
ALTER TABLE posts ADD COLUMN search_vector tsvector;

CREATE FUNCTION posts_search_vector_set() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    -- Edit history is never searched: only current posts carry words.
    IF NEW.original_id = '' THEN
        NEW.search_vector := post_search_vector(NEW.message);
    ELSE
        NEW.search_vector := NULL;
    END IF;
    RETURN NEW;
END
$$;

-- A bulk import sends each post's words, computed the same way by the
-- importer; every other write leaves them to this trigger.
CREATE TRIGGER posts_search_vector_insert BEFORE INSERT ON posts
    FOR EACH ROW WHEN (NEW.search_vector IS NULL) EXECUTE FUNCTION posts_search_vector_set();
CREATE TRIGGER posts_search_vector_update BEFORE UPDATE OF message, original_id ON posts
    FOR EACH ROW EXECUTE FUNCTION posts_search_vector_set();

CREATE INDEX posts_search_idx ON posts USING gin (search_vector);

-- Where the server's indexing of older posts has got to (by post id).
INSERT INTO systems (name, value)
SELECT 'post_search_backfill', '' WHERE EXISTS (SELECT 1 FROM posts);

-- Newest first across channels: for a common word the planner walks this
-- and stops at a page of results.
CREATE INDEX posts_create_idx ON posts (create_at DESC, id DESC);
