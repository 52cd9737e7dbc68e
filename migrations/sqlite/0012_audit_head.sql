-- The audit chain's head (issue 13): the last row's id and hash, updated by every
-- audit write in the same transaction. The chain alone cannot tell that its newest
-- rows (or all of them) were deleted; a head that names a row the log no longer
-- ends with can. External checkpoints (`staffroom audit checkpoint`) cover a head
-- rewritten along with the log.
CREATE TABLE audit_head (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    last_id         INTEGER NOT NULL CHECK (last_id >= 0),
    last_hash       TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
INSERT INTO audit_head (id, last_id, last_hash, updated_at)
    SELECT 1, id, hash, created_at FROM audit_log ORDER BY id DESC LIMIT 1;
