-- The board's "mine" filter (and any assignee filter) counts and sums the budget of
-- each stage's leads of one assignee. The assignee index found the rows but not the
-- budget, so the totals read every matching lead row (37k of the --large demo's 100k
-- for one staff member). With budget_estimate appended the index covers that query;
-- its prefix serves the follow-up lookups as before (0002).
DROP INDEX ix_leads_assigned_status_follow_up;
CREATE INDEX ix_leads_assigned_status_follow_up_budget ON leads (assigned_to, status, next_follow_up_at, id, budget_estimate);
