-- Content, second part (issue 12):
-- * a published post keeps each body a save replaces (`post_revisions`), with who
--   wrote that body and when; `posts.edited_by` is who made the latest save;
-- * course reviews wait in the moderation queue until approved, rejected (with a
--   reason) or promoted into a testimonial;
-- * comments can be reported by readers; a visible comment that is reported or new
--   waits until a moderator has seen it (or hidden it).
ALTER TABLE posts ADD COLUMN edited_by INTEGER REFERENCES users (id);

CREATE TABLE post_revisions (
    id              INTEGER PRIMARY KEY,
    post_id         INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    -- the post's version that held this body
    post_version    INTEGER NOT NULL CHECK (post_version >= 1),
    title           TEXT NOT NULL,
    content         TEXT NOT NULL,
    written_by      INTEGER REFERENCES users (id),
    written_at      TEXT NOT NULL,
    -- who saved over it, and when
    replaced_by     INTEGER REFERENCES users (id),
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX ix_post_revisions_post ON post_revisions (post_id, id);

ALTER TABLE reviews ADD COLUMN status TEXT NOT NULL DEFAULT 'new'
    CHECK (status IN ('new', 'approved', 'rejected', 'promoted'));
ALTER TABLE reviews ADD COLUMN rejection_reason TEXT;
ALTER TABLE reviews ADD COLUMN reviewed_by INTEGER REFERENCES users (id);
ALTER TABLE reviews ADD COLUMN reviewed_at TEXT;
ALTER TABLE reviews ADD COLUMN testimonial_id INTEGER REFERENCES testimonials (id);
CREATE INDEX ix_reviews_status_created ON reviews (status, created_at, id);

ALTER TABLE comments ADD COLUMN reports INTEGER NOT NULL DEFAULT 0 CHECK (reports >= 0);
ALTER TABLE comments ADD COLUMN reviewed_by INTEGER REFERENCES users (id);
ALTER TABLE comments ADD COLUMN reviewed_at TEXT;
CREATE INDEX ix_comments_unreviewed ON comments (status, reviewed_at, created_at, id);
