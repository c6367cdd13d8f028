-- 0007 the indicators' read path (SPEC §7 REP-5): one covering index over mediation_cases.
--
-- The funnel, SL-1 and the deadline counts group the cases of a month range by delegación,
-- agency, mediator or month, and read of each case only these columns. A heap row is ~750 bytes
-- (facts, contact data, due dates), an entry of this index ~65: the statements read the cases by
-- an index-only scan (65 MB instead of 725 MB at 1,000,000 cases). Measured on the 1,000,000-case
-- database of `npm run bench -- funnel` (PostgreSQL 15, 2 cores), the same statements run in turn
-- with the index and with it dropped: the national funnel of 12 months 0.96–1.06 s against
-- 1.13–1.19 s, grouped by delegación 1.03–1.12 s against 1.23–1.31 s, one month 0.35–0.43 s
-- against 0.58–0.68 s. The heap was in the page cache; on a server where it is not, the gap grows.
-- A case's transitions already change indexed columns (state), so they are not HOT updates: the
-- index adds one index entry per transition.
-- On a large production table build it first by hand with CREATE INDEX CONCURRENTLY under this
-- name (src/db/README.md, rule 5); this statement then finds it.
CREATE INDEX IF NOT EXISTS mediation_cases_indicators_idx ON mediation_cases (month)
  INCLUDE (id, delegation_id, agency_id, mediator_id, state, accepted_on, distributed_on, scheduled_on, session_held_on, closure_rule);
