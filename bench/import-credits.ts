/**
 * A good credit file of 1,000,000 rows loads in seconds: the work of `cobranza import credits`
 * (migrate, reference data for the foreign keys, then importCredits in one transaction) on the
 * embedded PGlite (in this thread, as the CLI runs it) and on a PostgreSQL server; then the same
 * file again (a refresh that changes nothing).
 */
import { basename, join } from 'node:path';
import { sql } from 'kysely';
import { fixedClock } from '../src/clock.js';
import { openDatabase, type Database } from '../src/db/index.js';
import { migrate } from '../src/db/migrate.js';
import { SYSTEM_ACTOR } from '../src/modules/audit/audit.service.js';
import { importCredits, type ImportResult } from '../src/modules/portfolio/credits.import.js';
import { seedReferenceData } from '../src/modules/portfolio/demo.service.js';
import { BENCH_AS_OF, BENCH_SEED, creditFile, type CreditFile } from './credit-file.js';
import {
  createScratchDatabase,
  directorySize,
  formatCount,
  MB,
  measure,
  serverDatabaseSize,
  timedFileImport,
  type BenchOptions,
  type BenchResult,
  type Figure,
} from './harness.js';

export const name = 'import-credits';
export const description = 'Import a 1,000,000-row credit file (cobranza import): PGlite in-process vs PostgreSQL, then a no-change refresh';

interface EngineFigures {
  engine: string;
  openMigrate: number;
  seed: number;
  import: number;
  /** Until the last progress report: parsing, validating and COPYing the file. */
  importReading: number;
  importPeakRss: number;
  reimport: number;
  reimportReading: number;
  reimportPeakRss: number;
  close: number;
  databaseBytes: number;
  first: ImportResult;
  second: ImportResult;
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const file = await creditFile(options);
  const figures: Figure[] = [
    { label: `generate CSV (${formatCount(file.rows)} rows, ${(file.bytes / MB).toFixed(0)} MB)`, value: file.generationSeconds, unit: 's', peakRss: file.generationPeakRss },
    { label: 'generate CSV throughput', value: file.rows / file.generationSeconds, unit: 'rows/s' },
  ];
  const ratios: Figure[] = [];
  const notes: string[] = [
    'Peak RSS is this process only: with PostgreSQL the server\'s memory is not included.',
    'Each import runs in one transaction, as `cobranza import credits` does (file read 1 MiB at a time).',
    '"read, validate, COPY" runs until importCredits\' last progress report; "set-based apply" is the rest (last COPY chunk, duplicate check, upsert, audit, commit).',
  ];

  const directory = options.tempDir('import-credits-pglite');
  const pglite = await benchEngine(options, file, 'PGlite', async () => ({
    database: await openDatabase({ dataDir: join(directory, 'pglite') }),
    size: () => directorySize(join(directory, 'pglite')),
  }));
  figures.push(...engineFigures(pglite, file.rows));

  const scratch = await createScratchDatabase(options, name);
  let server: EngineFigures | undefined;
  if (scratch) {
    try {
      server = await benchEngine(options, file, 'PostgreSQL', async () => ({
        database: await openDatabase({ databaseUrl: scratch.url }),
        size: () => serverDatabaseSize(options.postgresUrl!, scratch.name),
      }));
      figures.push(...engineFigures(server, file.rows));
    } finally {
      await scratch.drop();
    }
    ratios.push(
      { label: 'import time PGlite / PostgreSQL', value: pglite.import / server.import, unit: 'ratio' },
      { label: 're-import time PGlite / PostgreSQL', value: pglite.reimport / server.reimport, unit: 'ratio' },
    );
  } else {
    notes.push('PostgreSQL was skipped: no PGlite/PostgreSQL ratio.');
  }
  ratios.push({ label: 'PGlite re-import / import time', value: pglite.reimport / pglite.import, unit: 'ratio' });
  if (server) ratios.push({ label: 'PostgreSQL re-import / import time', value: server.reimport / server.import, unit: 'ratio' });

  return {
    figures,
    ratios,
    notes,
    details: {
      file: { rows: file.rows, bytes: file.bytes, seed: BENCH_SEED, asOf: BENCH_AS_OF },
      engines: [pglite, server].filter(Boolean).map((e) => ({ ...e, first: stripSha(e!.first), second: stripSha(e!.second) })),
    },
  };
}

function stripSha(result: ImportResult) {
  return { rowsTotal: result.rowsTotal, inserted: result.inserted, updated: result.updated, unchanged: result.unchanged, sha256: result.sha256 };
}

function engineFigures(e: EngineFigures, rows: number): Figure[] {
  return [
    { label: `${e.engine}: open + migrate`, value: e.openMigrate, unit: 's' },
    { label: `${e.engine}: seed reference data`, value: e.seed, unit: 's' },
    { label: `${e.engine}: import (${formatCount(e.first.inserted)} inserted)`, value: e.import, unit: 's', peakRss: e.importPeakRss },
    { label: `${e.engine}:   read, validate, COPY`, value: e.importReading, unit: 's' },
    { label: `${e.engine}:   set-based apply (upsert…)`, value: e.import - e.importReading, unit: 's' },
    { label: `${e.engine}: import throughput`, value: rows / e.import, unit: 'rows/s' },
    { label: `${e.engine}: re-import (0 inserted, 0 updated)`, value: e.reimport, unit: 's', peakRss: e.reimportPeakRss },
    { label: `${e.engine}:   read, validate, COPY`, value: e.reimportReading, unit: 's' },
    { label: `${e.engine}:   set-based apply (upsert…)`, value: e.reimport - e.reimportReading, unit: 's' },
    { label: `${e.engine}: re-import throughput`, value: rows / e.reimport, unit: 'rows/s' },
    { label: `${e.engine}: close`, value: e.close, unit: 's' },
    { label: `${e.engine}: database size after`, value: e.databaseBytes / MB, unit: 'MB' },
  ];
}

async function benchEngine(
  options: BenchOptions,
  file: CreditFile,
  engine: string,
  open: () => Promise<{ database: Database; size: () => Promise<number> }>,
): Promise<EngineFigures> {
  const clock = fixedClock(BENCH_AS_OF);
  options.log(`${engine}: open + migrate…`);
  const opened = await measure(async () => {
    const handle = await open();
    await migrate(handle.database.db);
    return handle;
  });
  const { database, size } = opened.result;
  let closed = false;
  try {
    const seeded = await measure(() =>
      database.db.transaction().execute((trx) => seedReferenceData(trx, { seed: BENCH_SEED, today: BENCH_AS_OF, expectedCredits: file.rows })),
    );

    const importOnce = (label: string) =>
      timedFileImport((line) => options.log(`${engine}: ${line}`), label, file, (input, onProgress) =>
        database.db.transaction().execute((trx) => importCredits(trx, SYSTEM_ACTOR, { fileName: basename(file.path), input, now: clock.now(), onProgress })),
      );

    const first = await importOnce('import');
    expect(first.result.rowsTotal === file.rows && first.result.inserted === file.rows && first.result.updated === 0, `${engine} import`, first.result);
    options.log(`${engine}: import ${first.seconds.toFixed(1)} s`);
    const second = await importOnce('re-import');
    expect(
      second.result.rowsTotal === file.rows && second.result.inserted === 0 && second.result.updated === 0 && second.result.unchanged === file.rows,
      `${engine} re-import`,
      second.result,
    );
    options.log(`${engine}: re-import ${second.seconds.toFixed(1)} s`);
    const count = await sql<{ n: bigint }>`SELECT count(*) AS n FROM credits`.execute(database.db);
    expect(Number(count.rows[0]!.n) === file.rows, `${engine} credits count`, count.rows[0]);

    const closing = await measure(async () => {
      closed = true;
      await database.close();
    });
    return {
      engine,
      openMigrate: opened.seconds,
      seed: seeded.seconds,
      import: first.seconds,
      importReading: first.readingSeconds,
      importPeakRss: first.peakRss,
      reimport: second.seconds,
      reimportReading: second.readingSeconds,
      reimportPeakRss: second.peakRss,
      close: closing.seconds,
      databaseBytes: await size(),
      first: first.result,
      second: second.result,
    };
  } finally {
    if (!closed) await database.close();
  }
}

function expect(condition: boolean, what: string, actual: unknown): void {
  if (!condition) throw new Error(`${what}: unexpected result ${JSON.stringify(actual, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`);
}
