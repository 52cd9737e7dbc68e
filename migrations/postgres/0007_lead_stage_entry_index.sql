-- Each board card shows the days its lead has sat in its stage: the time of the
-- lead's last status change in the audit log (store::board::cards). Through
-- ix_audit_log_entity every audit row of the lead was read to check its action
-- (~20 ms per board on the --large demo); this partial index holds exactly the
-- status changes of leads, so the latest one is a single index seek.
CREATE INDEX ix_audit_log_lead_stage_entry ON audit_log (entity_id, created_at)
    WHERE entity_type = 'lead' AND action = 'status_change';
