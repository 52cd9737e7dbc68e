-- The board's `/` search ("filter keystroke -> updated board <= 50 ms" on 100,000
-- leads): LIKE '%word%' over five columns is a full scan, so the searched text gets
-- a trigram GIN index (pg_trgm, shipped with PostgreSQL and trusted: the database
-- owner may create it). The expression must stay identical to the one in
-- store::lead_filter (SEARCH_TEXT_PG) for the planner to use the index. SQLite uses
-- FTS5 for the same (its 0006).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX ix_leads_search ON leads USING gin (
    (lower(full_name || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(whatsapp, '')
        || ' ' || coalesce(message, ''))) gin_trgm_ops
);
