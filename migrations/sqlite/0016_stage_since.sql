-- When each lead entered its current stage, on the lead itself: the board shows
-- "days in stage" on every card, and reading it from the audit log cost a query
-- per board (6-11 ms on the --large demo, 100k leads and 1M audit rows). Set by
-- every move (store::leads::move_to) and by creation; filled here from the audit
-- log's latest status change, else the creation time.
ALTER TABLE leads ADD COLUMN stage_since TEXT;
UPDATE leads SET stage_since = COALESCE(
    (SELECT MAX(a.created_at) FROM audit_log a INDEXED BY ix_audit_log_lead_stage_entry
     WHERE a.entity_type = 'lead' AND a.action = 'status_change' AND a.entity_id = leads.id),
    created_at);
