-- The audit viewer's free text over the summary ("a filter change <= 100 ms" on
-- 1,000,000 rows): LIKE '%text%' is a scan of the whole log when the text is rare.
-- An external-content FTS5 trigram table (a substring index, case-insensitive, as
-- 0006 does for leads), filled by a trigger on insert: the log is append-only, so
-- no update or delete trigger. PostgreSQL uses pg_trgm for the same (its 0015).
-- Searching only: it is not a table of the data model (the drift test skips it).
CREATE VIRTUAL TABLE audit_search USING fts5(
    summary,
    content = 'audit_log', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO audit_search (audit_search) VALUES ('rebuild');

CREATE TRIGGER tr_audit_search_insert AFTER INSERT ON audit_log BEGIN
    INSERT INTO audit_search (rowid, summary) VALUES (new.id, new.summary);
END;
