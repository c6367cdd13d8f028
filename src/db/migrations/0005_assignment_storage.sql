-- 0005 the monthly fact tables of the assignment: assignments partitioned by month, evaluations
-- stored as sets (SPEC §3 ASG-6; src/db/README.md rule 10).
--
-- Measured on the 1,000,000-credit benchmark database (PostgreSQL 15): maintaining the primary key
-- and the agency index of credit_assignments row by row while the run inserts ~550,000 rows cost
-- as much as the rest of the run; building the same indexes once after the load costs a third.
-- So each month of credit_assignments is its own partition: the monthly run creates it as a plain
-- table, fills it with one INSERT … SELECT, builds its indexes and attaches it
-- (assignment.repository.ts). Readers see the same table as before.

-- credit_assignments: one partition per month of a run. Rows of a month without a run yet
-- (entries A and B ahead of the monthly run) wait in the default partition; the run moves them
-- into the month's partition.
ALTER TABLE credit_assignments RENAME TO credit_assignments_0002;
ALTER INDEX credit_assignments_pkey RENAME TO credit_assignments_0002_pkey;
ALTER INDEX credit_assignments_agency_idx RENAME TO credit_assignments_0002_agency_idx;

CREATE TABLE credit_assignments (
  month               text COLLATE "C" NOT NULL CHECK (length(month) = 7 AND month BETWEEN '2000-01' AND '2099-12'),
  credit_number       text COLLATE "C" NOT NULL,
  run_id              integer,
  entry               text NOT NULL CHECK (entry IN ('monthly', 'request', 'specialized_recovery', 're_mediation')),
  delegation_id       smallint NOT NULL,
  agency_id           integer NOT NULL,
  convenio_type       text NOT NULL CHECK (convenio_type IN ('RATIFIED', 'NOTARIAL', 'ADMINISTRATIVE')),
  assigned_on         date NOT NULL,
  field_agent_user_id integer,
  -- credit first: within a month's partition the month is constant, and a sort on a leading
  -- constant column compares every pair in full (the build took 3× longer); a credit's months
  -- are then one index range
  PRIMARY KEY (credit_number, month)
) PARTITION BY LIST (month);
CREATE INDEX credit_assignments_agency_idx ON credit_assignments (agency_id, month);
CREATE TABLE credit_assignments_default PARTITION OF credit_assignments DEFAULT;

-- credit_evaluations: the run's evaluations as sets — one row per run × delegación × exclusion
-- mask holding the credit numbers — instead of one row per credit. Writing 2,500,000 rows and
-- their primary key took a third of the 6M-credit run; the sets of a run are a few thousand rows.
-- The view credit_evaluations gives the rows as before (run_id, credit_number, delegation_id,
-- exclusion_mask); a lookup of one credit reads the sets of its delegación
-- (assignment.repository.ts, findEvaluation). A run may write more than one set with the same
-- delegación and mask (credits it excluded, left without capacity, or found already assigned).
CREATE TABLE credit_evaluation_sets (
  run_id          integer NOT NULL,
  delegation_id   smallint NOT NULL,
  exclusion_mask  integer NOT NULL CHECK (exclusion_mask BETWEEN 0 AND 1023),
  credit_numbers  text[] COLLATE "C" NOT NULL CHECK (cardinality(credit_numbers) > 0)
);
CREATE INDEX credit_evaluation_sets_run_idx ON credit_evaluation_sets (run_id, delegation_id, exclusion_mask);
INSERT INTO credit_evaluation_sets (run_id, delegation_id, exclusion_mask, credit_numbers)
SELECT run_id, delegation_id, exclusion_mask, array_agg(credit_number ORDER BY credit_number)
FROM credit_evaluations GROUP BY run_id, delegation_id, exclusion_mask;
DROP TABLE credit_evaluations;
CREATE VIEW credit_evaluations AS
  SELECT s.run_id, e.credit_number, s.delegation_id, s.exclusion_mask
  FROM credit_evaluation_sets s CROSS JOIN LATERAL unnest(s.credit_numbers) AS e(credit_number);

DO $$
DECLARE
  m text;
BEGIN
  FOR m IN SELECT month FROM assignment_runs LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF credit_assignments FOR VALUES IN (%L)', 'credit_assignments_m' || replace(m, '-', '_'), m);
  END LOOP;
END $$;

INSERT INTO credit_assignments SELECT * FROM credit_assignments_0002;
DROP TABLE credit_assignments_0002;
