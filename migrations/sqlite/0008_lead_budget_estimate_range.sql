-- Budget estimates outside 0..=10^12 (domain::lead::MAX_BUDGET) came from versions
-- that saturated an absurd budget range: "9999999999999999999-9999999999999999999"
-- was stored as -1 (or 9223372036854775807 for a single such number), and two such
-- leads made the board's summed budget overflow ("integer overflow" on SQLite,
-- "bigint out of range" on PostgreSQL) for every user. Such an estimate says nothing:
-- clear it. The budget range stays as it was typed; the app refuses such ranges now
-- and sums only estimates in range (store::board).
UPDATE leads SET budget_estimate = NULL WHERE budget_estimate < 0 OR budget_estimate > 1000000000000;
