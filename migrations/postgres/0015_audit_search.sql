-- The audit viewer's free text over the summary ("a filter change <= 100 ms" on
-- 1,000,000 rows): LIKE '%text%' is a scan of the whole log when the text is rare,
-- so the summary gets a trigram GIN index (pg_trgm, created by 0006). The
-- expression must stay the one store::audit_query compares (lower(summary)).
-- SQLite uses an FTS5 trigram table for the same (its 0015).
CREATE INDEX ix_audit_log_summary_trgm ON audit_log USING gin (lower(summary) gin_trgm_ops);
