-- A password an admin set as one-time (shown to them once): the next login asks
-- the user for a new one before anything else.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
