-- Changes to stored values that SQL cannot compute (phone numbers to E.164 needs
-- libphonenumber): each is done once, by the first staffroom to open the database
-- after this migration, and recorded here with what it could not change.
CREATE TABLE data_fixes (
    name TEXT PRIMARY KEY,
    done_at TIMESTAMPTZ NOT NULL,
    report TEXT NOT NULL
);
