-- When each lead entered its current stage, on the lead itself: the board shows
-- "days in stage" on every card, and reading it from the audit log cost a query
-- per board. Set by every move (store::leads::move_to) and by creation; filled here
-- from the audit log's latest status change, else the creation time.
ALTER TABLE leads ADD COLUMN stage_since TIMESTAMPTZ;
UPDATE leads l SET stage_since = COALESCE(
    (SELECT MAX(a.created_at) FROM audit_log a
     WHERE a.entity_type = 'lead' AND a.action = 'status_change' AND a.entity_id = l.id),
    l.created_at);
