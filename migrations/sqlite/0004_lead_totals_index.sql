-- The board's column headers count the leads of each stage and sum their budget
-- estimate (leads::totals_by_status) on every board load. With the index on
-- (status, updated_at, id) alone, that query reads every lead row through the index
-- (on the --large demo, 100k random row reads: ~300 ms on SQLite). Adding
-- budget_estimate at the end makes the index cover it (one index scan, ~20 ms) and
-- keeps serving the board's keyset pages by (status, updated_at, id). A separate
-- (status, budget_estimate) index was tried: SQLite then picked it for the pages
-- too and sorted each column in a temp b-tree (page queries 130 ms → 260 ms).
DROP INDEX ix_leads_status_updated;
CREATE INDEX ix_leads_status_updated_budget ON leads (status, updated_at, id, budget_estimate);
