/**
 * ASG-6: the monthly run over large portfolios, on PostgreSQL and on PGlite, side by side with
 * the bare statement that computes the same tagging (the floor). Sizes: --rows (default 1M) and
 * 6M (`ASSIGNMENT_SIZES=1000000,6000000` to choose); engines: `ASSIGNMENT_ENGINES=postgresql` or
 * `=pglite` (default both); `ASSIGNMENT_KEEP=1` keeps the loaded databases for the next invocation.
 */
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { fixedClock } from '../src/clock.js';
import { copyCsvInto } from '../src/db/copy.js';
import { openDatabase, type Database } from '../src/db/index.js';
import { migrate } from '../src/db/migrate.js';
import { exclusionMaskSql } from '../src/modules/assignment/assignment.repository.js';
import { runAssignment } from '../src/modules/assignment/assignment.service.js';
import { SYSTEM_ACTOR } from '../src/modules/audit/audit.service.js';
import { DEFAULT_EXCLUSION_CRITERIA } from '../src/modules/policy/policy.definitions.js';
import { seedDefaultPolicies } from '../src/modules/policy/policy.service.js';
import { CREDIT_CSV_COLUMNS } from '../src/modules/portfolio/demo-data.js';
import { seedReferenceData } from '../src/modules/portfolio/demo.service.js';
import { DEFAULT_SOLUTION_PARAMETERS } from '../src/modules/solutions/solutions.policy.js';
import { creditFile, BENCH_AS_OF } from './credit-file.js';
import { createScratchDatabase, formatCount, measure, MB, scratchDatabaseName, type BenchOptions, type BenchResult, type Figure } from './harness.js';

export const name = 'assignment';
export const description = 'ASG-6: monthly tagging and assignment at 1M and 6M credits, PostgreSQL and PGlite, vs the bare tagging statement';

const clock = fixedClock(BENCH_AS_OF);
const MONTH = BENCH_AS_OF.slice(0, 7);

/** Loads the benchmark file straight by COPY (the import's validation is measured elsewhere). */
async function load(database: Database, path: string, rows: number, log: (m: string) => void): Promise<void> {
  await migrate(database.db);
  await database.db.transaction().execute(async (trx) => {
    await seedReferenceData(trx, { seed: 2026, today: BENCH_AS_OF, expectedCredits: rows });
    await seedDefaultPolicies(trx, clock.now(), '2025-01-01');
  });
  let header = true;
  let pending = '';
  let buffered: string[] = [];
  let loaded = 0;
  const flush = async () => {
    if (buffered.length === 0) return;
    await copyCsvInto(database.db, 'credits', [...CREDIT_CSV_COLUMNS], buffered.join('\n') + '\n');
    loaded += buffered.length;
    buffered = [];
    log(`  loaded ${formatCount(loaded)} / ${formatCount(rows)}`);
  };
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 22 })) {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    if (header) {
      lines.shift();
      header = false;
    }
    for (const line of lines) if (line) buffered.push(line);
    if (buffered.length >= 200_000) await flush();
  }
  if (pending) buffered.push(pending);
  await flush();
  await sql`ANALYZE`.execute(database.db);
}

/**
 * The floors: the tagging alone as one statement over the portfolio with the run's predicate.
 * `count` only reads and evaluates every credit; `write` also stores the tagged set (credit,
 * delegación) in an unlogged table, which is the least any run that keeps its result must do.
 */
async function bareTagging(database: Database, mode: 'count' | 'write'): Promise<number> {
  const mask = exclusionMaskSql(DEFAULT_EXCLUSION_CRITERIA, DEFAULT_SOLUTION_PARAMETERS);
  if (mode === 'count') {
    const result = await sql<{ n: bigint }>`
      SELECT count(*) FILTER (WHERE ${mask} = 0) AS n FROM credits c WHERE c.in_social_collections`.execute(database.db);
    return Number(result.rows[0]!.n);
  }
  return database.db.transaction().execute(async (trx) => {
    await sql`DROP TABLE IF EXISTS bench_floor`.execute(trx);
    await sql`CREATE UNLOGGED TABLE bench_floor (credit_number text COLLATE "C" NOT NULL, delegation_id smallint NOT NULL)`.execute(trx);
    const result = await sql`
      INSERT INTO bench_floor SELECT c.credit_number, c.delegation_id FROM credits c WHERE c.in_social_collections AND ${mask} = 0`.execute(trx);
    return Number(result.numAffectedRows ?? 0n);
  });
}

/**
 * What any run that keeps its result must pay, whatever its design (issue 3 asks for the run
 * within 1.5× of the `write` floor; these two show how far below that the cheapest ways of keeping
 * the result already are). Both are rolled back.
 * - `durable`: the tagged set as rows that survive a crash, with the primary key a lookup of one
 *   credit needs (ASG-4's file, a credit's explanation) — the least a per-credit store writes.
 * - `sets`: every evaluated credit grouped by delegación × exclusion mask in one scan, hashed, into
 *   an unlogged table — the least a compact store writes, since a credit's explanation must
 *   survive later changes to the credit (item 3) and so every credit's mask must be kept. No
 *   allocation to agencies in either.
 */
async function leastToKeep(database: Database, mode: 'durable' | 'sets'): Promise<number> {
  const mask = exclusionMaskSql(DEFAULT_EXCLUSION_CRITERIA, DEFAULT_SOLUTION_PARAMETERS);
  let rows = 0;
  await database.db
    .transaction()
    .execute(async (trx) => {
      await sql`SELECT set_config('work_mem', '1GB', true), set_config('maintenance_work_mem', '1GB', true)`.execute(trx);
      if (mode === 'durable') {
        await sql`CREATE TABLE bench_least (credit_number text COLLATE "C" NOT NULL, delegation_id smallint NOT NULL)`.execute(trx);
        const result = await sql`
          INSERT INTO bench_least SELECT c.credit_number, c.delegation_id FROM credits c WHERE c.in_social_collections AND ${mask} = 0`.execute(trx);
        await sql`ALTER TABLE bench_least ADD PRIMARY KEY (credit_number)`.execute(trx);
        rows = Number(result.numAffectedRows ?? 0n);
      } else {
        // a hash aggregate: the planner's sort-then-group of 6M rows took twice as long
        await sql`SET LOCAL enable_sort = off`.execute(trx);
        await sql`CREATE UNLOGGED TABLE bench_least AS
          SELECT c.delegation_id, ${mask} AS exclusion_mask, array_agg(c.credit_number) AS credit_numbers
          FROM credits c WHERE c.in_social_collections GROUP BY 1, 2`.execute(trx);
        const result = await sql<{ n: bigint }>`SELECT coalesce(sum(cardinality(credit_numbers)) FILTER (WHERE exclusion_mask = 0), 0)::bigint AS n FROM bench_least`.execute(trx);
        rows = Number(result.rows[0]!.n);
      }
      throw new LeastToKeepRollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof LeastToKeepRollback)) throw error;
    });
  return rows;
}

class LeastToKeepRollback extends Error {}

/**
 * With ASSIGNMENT_KEEP=1 the loaded databases are kept between invocations (PostgreSQL
 * `cobranza_bench_assignment_keep_<rows>`, PGlite `.bench/pglite-assignment-<rows>`): a database
 * that already holds the portfolio is migrated and its assignment results are cleared instead of
 * loading it again (6M credits take minutes to generate and load).
 */
const KEEP = process.env.ASSIGNMENT_KEEP === '1';
const KEPT_PGLITE_DIR = (rows: number) => fileURLToPath(new URL(`../.bench/pglite-assignment-${rows}`, import.meta.url));

async function loadedCredits(database: Database): Promise<number> {
  const exists = await sql<{ t: string | null }>`SELECT to_regclass('credits')::text AS t`.execute(database.db);
  if (!exists.rows[0]!.t) return 0;
  const result = await sql<{ n: bigint }>`SELECT count(*) AS n FROM credits`.execute(database.db);
  return Number(result.rows[0]!.n);
}

/** Forgets the runs of a kept database (the portfolio stays). */
async function clearRuns(database: Database): Promise<void> {
  await migrate(database.db);
  await database.db.transaction().execute(async (trx) => {
    // the months' partitions of credit_assignments (migration 0005) go with the runs
    const partitions = await sql<{ name: string }>`
      SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'credit_assignments'::regclass AND c.relname <> 'credit_assignments_default'`.execute(trx);
    for (const partition of partitions.rows) await sql`DROP TABLE ${sql.table(partition.name)}`.execute(trx);
    await sql`TRUNCATE credit_assignments, credit_evaluation_sets`.execute(trx);
    await sql`DELETE FROM assignment_runs`.execute(trx);
    await sql`DELETE FROM notices`.execute(trx);
  });
  await sql`VACUUM ANALYZE`.execute(database.db);
}

async function scenario(engine: 'postgresql' | 'pglite', database: Database, rows: number, options: BenchOptions, figures: Figure[], ratios: Figure[], details: Record<string, unknown>) {
  if (KEEP && (await loadedCredits(database)) === rows) {
    options.log(`${engine} ${formatCount(rows)}: reusing the kept database`);
    await clearRuns(database);
  } else {
    const file = await creditFile({ ...options, rows });
    const loaded = await measure(() => load(database, file.path, rows, options.log));
    figures.push({ label: `${engine} ${formatCount(rows)}: load (COPY)`, value: loaded.seconds, unit: 's' });
  }
  // Start the floors and the run alike: dirty pages of the load (or of the last run) written out,
  // the portfolio read once (a cold first scan of 6M credits took 9–13 s instead of 3 s here).
  await sql`CHECKPOINT`.execute(database.db);
  await sql`SELECT count(*) FROM credits`.execute(database.db);
  const floor = await measure(() => bareTagging(database, 'count'));
  figures.push({ label: `${engine} ${formatCount(rows)}: floor, bare tagging statement (count)`, value: floor.seconds, unit: 's' });
  const floorWrite = await measure(() => bareTagging(database, 'write'));
  figures.push({ label: `${engine} ${formatCount(rows)}: floor, bare tagging statement writing the tagged set`, value: floorWrite.seconds, unit: 's' });
  await sql`DROP TABLE bench_floor`.execute(database.db);
  const durable = await measure(() => leastToKeep(database, 'durable'));
  figures.push({ label: `${engine} ${formatCount(rows)}: least to keep, per credit: tagged set logged + primary key`, value: durable.seconds, unit: 's' });
  const sets = await measure(() => leastToKeep(database, 'sets'));
  figures.push({ label: `${engine} ${formatCount(rows)}: least to keep, as sets: every credit by delegación × mask`, value: sets.seconds, unit: 's' });
  const run = await measure(() => database.db.transaction().execute((trx) => runAssignment(trx, SYSTEM_ACTOR, { month: MONTH, today: BENCH_AS_OF, now: clock.now() })));
  figures.push({ label: `${engine} ${formatCount(rows)}: assignment run (tag + type + allocate + counts)`, value: run.seconds, unit: 's', peakRss: run.peakRss });
  figures.push({ label: `${engine} ${formatCount(rows)}: Node RSS growth during the run (peak − before)`, value: Math.max(0, run.peakRss - run.rssBefore) / MB, unit: 'MB' });
  ratios.push({ label: `${engine} ${formatCount(rows)}: run / floor (count)`, value: run.seconds / floor.seconds, unit: 'ratio' });
  ratios.push({ label: `${engine} ${formatCount(rows)}: run / floor (writing the tagged set)`, value: run.seconds / floorWrite.seconds, unit: 'ratio' });
  ratios.push({ label: `${engine} ${formatCount(rows)}: least to keep per credit / floor (writing)`, value: durable.seconds / floorWrite.seconds, unit: 'ratio' });
  ratios.push({ label: `${engine} ${formatCount(rows)}: least to keep as sets / floor (writing)`, value: sets.seconds / floorWrite.seconds, unit: 'ratio' });
  const rerun = await measure(() => database.db.transaction().execute((trx) => runAssignment(trx, SYSTEM_ACTOR, { month: MONTH, today: BENCH_AS_OF, now: clock.now() })));
  figures.push({ label: `${engine} ${formatCount(rows)}: re-run of the same month (ASG-5, no change)`, value: rerun.seconds, unit: 's' });
  for (const other of [floor, floorWrite, durable, sets]) {
    if (other.result !== run.result.tagged) throw new Error(`floors tagged ${floor.result}/${floorWrite.result}/${durable.result}/${sets.result} but the run tagged ${run.result.tagged}`);
  }
  details[`${engine}-${rows}`] = { tagged: run.result.tagged, assigned: run.result.assigned, unassigned: run.result.unassigned, byRule: run.result.byRule };
}

/** The server settings that matter for a portfolio-wide statement, printed with the figures. */
async function serverSettings(url: string): Promise<string | undefined> {
  const database = await openDatabase({ databaseUrl: url, maxConnections: 1 });
  try {
    const result = await sql<{ name: string; setting: string; unit: string | null }>`
      SELECT name, setting, unit FROM pg_settings
      WHERE name IN ('server_version', 'shared_buffers', 'work_mem', 'max_wal_size', 'jit', 'max_parallel_workers_per_gather')
      ORDER BY name`.execute(database.db);
    return result.rows.map((r) => `${r.name}=${r.setting}${r.unit ? ` ${r.unit}` : ''}`).join(', ');
  } finally {
    await database.close();
  }
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const sizes = (process.env.ASSIGNMENT_SIZES ?? `${options.rows},6000000`).split(',').map(Number);
  // ASSIGNMENT_ENGINES=postgresql or =pglite to run one engine only (default both)
  const engines = (process.env.ASSIGNMENT_ENGINES ?? 'postgresql,pglite').split(',');
  const keptDatabase = async (o: BenchOptions, rows: number) => {
    if (!engines.includes('postgresql') || !o.postgresUrl) return undefined;
    const databaseName = `${scratchDatabaseName(name)}_keep_${rows}`;
    const admin = await openDatabase({ databaseUrl: o.postgresUrl, maxConnections: 1 });
    try {
      const exists = await sql`SELECT 1 FROM pg_database WHERE datname = ${databaseName}`.execute(admin.db);
      if (exists.rows.length === 0) await sql`CREATE DATABASE ${sql.id(databaseName)}`.execute(admin.db);
    } finally {
      await admin.close();
    }
    const url = new URL(o.postgresUrl);
    url.pathname = `/${databaseName}`;
    return { url: url.toString(), name: databaseName, drop: async () => {} };
  };
  const figures: Figure[] = [];
  const ratios: Figure[] = [];
  const details: Record<string, unknown> = {};
  const notes: string[] = [];
  for (const rows of sizes) {
    const server = !engines.includes('postgresql') ? undefined : KEEP ? await keptDatabase(options, rows) : await createScratchDatabase(options, `${name}_${rows}`);
    if (server) {
      const database = await openDatabase({ databaseUrl: server.url, maxConnections: 2 });
      try {
        await scenario('postgresql', database, rows, options, figures, ratios, details);
      } finally {
        await database.close();
        if (!KEEP) await server.drop();
      }
    }
    if (engines.includes('pglite') && (rows <= 1_000_000 || process.env.ASSIGNMENT_PGLITE_LARGE === '1')) {
      const database = await openDatabase({ dataDir: KEEP ? KEPT_PGLITE_DIR(rows) : options.tempDir(`pglite-${rows}`) });
      try {
        await scenario('pglite', database, rows, options, figures, ratios, details);
      } finally {
        await database.close();
      }
    } else {
      notes.push(`PGlite at ${formatCount(rows)} credits skipped by default (set ASSIGNMENT_PGLITE_LARGE=1): the embedded engine is for ≤ 1M; production runs on PostgreSQL.`);
    }
  }
  if (options.postgresUrl) {
    const settings = await serverSettings(options.postgresUrl);
    if (settings) notes.push(`PostgreSQL server settings: ${settings}.`);
  }
  notes.push('Targets (issue 3): 6M ≤ 30 s on PostgreSQL and ≤ 1.5× the bare statement; 1M ≤ 10 s on PGlite; Node RSS flat in the number of credits.');
  return { figures, ratios, notes, details };
}
