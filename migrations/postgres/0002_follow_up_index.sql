-- "My follow-ups due today and overdue" (dashboard) and the pipeline's "mine" and
-- "overdue" filters: one range scan per open stage of an assignee, instead of
-- visiting every lead with a follow-up. Replaces the (assigned_to, status) index,
-- which is its prefix.
DROP INDEX ix_leads_assigned_status;
CREATE INDEX ix_leads_assigned_status_follow_up ON leads (assigned_to, status, next_follow_up_at, id);
