-- Merging two leads keeps the newer one (soft delete, never a DELETE): its row
-- stays, marked with the lead it was merged into, hidden from the board, the
-- dashboards, duplicate checks and exports, its history still in the audit log.
-- The board's covering indexes take the column too, so hiding merged leads costs
-- the board's counts no table reads.
ALTER TABLE leads ADD COLUMN merged_into_id INTEGER REFERENCES leads (id);
DROP INDEX ix_leads_status_updated_budget;
CREATE INDEX ix_leads_status_updated_budget ON leads (status, updated_at, id, budget_estimate, merged_into_id);
DROP INDEX ix_leads_assigned_status_follow_up_budget;
CREATE INDEX ix_leads_assigned_status_follow_up_budget
    ON leads (assigned_to, status, next_follow_up_at, id, budget_estimate, merged_into_id);
DROP INDEX ix_leads_id_status_budget;
CREATE INDEX ix_leads_id_status_budget ON leads (id, status, budget_estimate, merged_into_id);
