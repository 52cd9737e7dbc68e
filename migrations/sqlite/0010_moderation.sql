-- The moderation queue: a rejected cohort application keeps its reason (as posts,
-- testimonials and instructor applications do), and pending testimonials are read
-- oldest first.
ALTER TABLE applications ADD COLUMN rejection_reason TEXT;
CREATE INDEX ix_testimonials_status_created ON testimonials (status, created_at, id);
