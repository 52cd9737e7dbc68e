-- The board's column headers sum the budget estimate of their leads. budget_range is
-- free text ("$1,000–3,000"), so the app stores a number parsed from it
-- (domain::lead::budget_estimate) whenever it writes budget_range, and backfills
-- existing rows once after this migration (store::Db::migrate).
ALTER TABLE leads ADD COLUMN budget_estimate INTEGER;
