/**
 * A payment file of 1,000,000 rows (`--rows`) over a generated portfolio of as many credits loads
 * in one transaction, as `cobranza import payments` does (PAY-1): read, validate, COPY into the
 * staging table, the set-based checks, one UPDATE of the credits, the INSERT into `payments`, the
 * first-payment detection (CNV-5). On the embedded PGlite (in this thread, as the CLI runs it) and
 * on a PostgreSQL server; then the same file again (every row already loaded: nothing applied).
 *
 * The portfolio is the shared benchmark credit file (bench/credit-file.ts), loaded with
 * importCredits first (timed, but not the figure under test).
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import { addDays, fixedClock } from '../src/clock.js';
import { openDatabase, type Database } from '../src/db/index.js';
import { migrate } from '../src/db/migrate.js';
import { centsToDecimalText } from '../src/money.js';
import { SYSTEM_ACTOR } from '../src/modules/audit/audit.service.js';
import { PAYMENT_CHANNELS, PAYMENT_CSV_COLUMNS } from '../src/modules/payments/payments.csv-format.js';
import { importPayments, type PaymentsImportResult } from '../src/modules/payments/payments.import.js';
import { importCredits } from '../src/modules/portfolio/credits.import.js';
import { generateCredits } from '../src/modules/portfolio/demo-data.js';
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

export const name = 'import-payments';
export const description =
  'Import a 1,000,000-row payment file (cobranza import payments, PAY-1) over a generated portfolio: PGlite in-process vs PostgreSQL, then the same file again';

interface PaymentFile {
  path: string;
  rows: number;
  bytes: number;
  totalCents: bigint;
  credits: number;
  generationSeconds: number;
  generationPeakRss: number;
}

/**
 * Payments per credit, by the credit's index modulo 5: 1, 1, 1, 2, 0 — as many payments as credits
 * in all, most credits with one, some with two, some with none. Amounts: the full monthly payment
 * plus insurance, twice it, or half of it (at least one peso); dates in the 60 days before the
 * cut-off; channels in turn.
 */
const PAYMENTS_PER_CREDIT = [1, 1, 1, 2, 0] as const;

function* paymentLines(rows: number): Generator<{ line: string; cents: bigint }> {
  // The pattern's running total never falls behind the number of credits (1, 2, 3, 5, 5, …), so
  // `rows` credits always yield `rows` payments.
  let written = 0;
  let index = 0;
  for (const credit of generateCredits({ seed: BENCH_SEED, count: rows, asOf: BENCH_AS_OF })) {
    const full = credit.monthlyPaymentCents + credit.insuranceFeesCents;
    const count = PAYMENTS_PER_CREDIT[index % PAYMENTS_PER_CREDIT.length]!;
    for (let j = 0; j < count && written < rows; j++) {
      const variant = (index + j) % 3;
      let cents = variant === 0 ? full : variant === 1 ? 2n * full : full / 2n;
      if (cents < 100n) cents = 100n;
      const paidOn = addDays(BENCH_AS_OF, -((index * 7 + j * 13) % 60));
      const channel = PAYMENT_CHANNELS[(index + j) % PAYMENT_CHANNELS.length]!;
      yield { line: `${credit.creditNumber},B${index}-${j},${paidOn},${centsToDecimalText(cents)},${channel}`, cents };
      written++;
    }
    if (written === rows) return;
    index++;
  }
}

async function writePaymentFile(options: BenchOptions): Promise<PaymentFile> {
  const path = join(options.tempDir('payment-file'), `payments-${BENCH_SEED}-${options.rows}.csv`);
  options.log(`Generating ${formatCount(options.rows)} payments over ${formatCount(options.rows)} credits into ${path}…`);
  let totalCents = 0n;
  const { seconds, peakRss } = await measure(async () => {
    const lines = paymentLines(options.rows);
    let headerSent = false;
    const stream = new Readable({
      read() {
        if (!headerSent) {
          headerSent = true;
          this.push(PAYMENT_CSV_COLUMNS.join(',') + '\n');
          return;
        }
        const chunk: string[] = [];
        for (let i = 0; i < 5_000; i++) {
          const next = lines.next();
          if (next.done) break;
          totalCents += next.value.cents;
          chunk.push(next.value.line);
        }
        this.push(chunk.length === 0 ? null : chunk.join('\n') + '\n');
      },
    });
    await pipeline(stream, createWriteStream(path, { highWaterMark: 1 << 20 }));
  });
  return { path, rows: options.rows, bytes: statSync(path).size, totalCents, credits: options.rows, generationSeconds: seconds, generationPeakRss: peakRss };
}

interface EngineFigures {
  engine: string;
  openMigrate: number;
  portfolio: number;
  import: number;
  /** Until the last progress report: parsing, validating and COPYing the file. */
  importReading: number;
  importPeakRss: number;
  reimport: number;
  reimportReading: number;
  reimportPeakRss: number;
  close: number;
  databaseBytes: number;
  first: PaymentsImportResult;
  second: PaymentsImportResult;
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const credits = await creditFile(options);
  const payments = await writePaymentFile(options);
  const figures: Figure[] = [
    { label: `generate payment CSV (${formatCount(payments.rows)} rows, ${(payments.bytes / MB).toFixed(0)} MB)`, value: payments.generationSeconds, unit: 's', peakRss: payments.generationPeakRss },
  ];
  const ratios: Figure[] = [];
  const notes: string[] = [
    "Peak RSS is this process only: with PostgreSQL the server's memory is not included.",
    'Each import runs in one transaction, as `cobranza import payments` does (file read 1 MiB at a time).',
    '"read, validate, COPY" runs until importPayments\' last progress report; "set-based apply" is the rest (last COPY chunk, checks, UPDATE of the credits, INSERT into payments with its unique index, CNV-5 detection, audit, commit).',
    `The portfolio (${formatCount(credits.rows)} credits) is loaded by importCredits before the payment import; its time is shown but is not the figure under test.`,
  ];

  const directory = options.tempDir('import-payments-pglite');
  const pglite = await benchEngine(options, credits, payments, 'PGlite', async () => ({
    database: await openDatabase({ dataDir: join(directory, 'pglite') }),
    size: () => directorySize(join(directory, 'pglite')),
  }));
  figures.push(...engineFigures(pglite, payments.rows));

  const scratch = await createScratchDatabase(options, name);
  let server: EngineFigures | undefined;
  if (scratch) {
    try {
      server = await benchEngine(options, credits, payments, 'PostgreSQL', async () => ({
        database: await openDatabase({ databaseUrl: scratch.url }),
        size: () => serverDatabaseSize(options.postgresUrl!, scratch.name),
      }));
      figures.push(...engineFigures(server, payments.rows));
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
      file: { rows: payments.rows, bytes: payments.bytes, totalCents: payments.totalCents.toString(), credits: payments.credits, seed: BENCH_SEED, asOf: BENCH_AS_OF },
      engines: [pglite, server].filter((e): e is EngineFigures => e !== undefined).map((e) => ({ ...e, first: summary(e.first), second: summary(e.second) })),
    },
  };
}

function summary(result: PaymentsImportResult) {
  return { ...result, totalCents: result.totalCents.toString() };
}

function engineFigures(e: EngineFigures, rows: number): Figure[] {
  return [
    { label: `${e.engine}: open + migrate`, value: e.openMigrate, unit: 's' },
    { label: `${e.engine}: load the portfolio (reference data + importCredits)`, value: e.portfolio, unit: 's' },
    { label: `${e.engine}: import (${formatCount(e.first.inserted)} payments, ${formatCount(e.first.creditsUpdated)} credits)`, value: e.import, unit: 's', peakRss: e.importPeakRss },
    { label: `${e.engine}:   read, validate, COPY`, value: e.importReading, unit: 's' },
    { label: `${e.engine}:   set-based apply`, value: e.import - e.importReading, unit: 's' },
    { label: `${e.engine}: import throughput`, value: rows / e.import, unit: 'rows/s' },
    { label: `${e.engine}: re-import (${formatCount(e.second.alreadyLoaded)} already loaded)`, value: e.reimport, unit: 's', peakRss: e.reimportPeakRss },
    { label: `${e.engine}:   read, validate, COPY`, value: e.reimportReading, unit: 's' },
    { label: `${e.engine}:   set-based checks`, value: e.reimport - e.reimportReading, unit: 's' },
    { label: `${e.engine}: close`, value: e.close, unit: 's' },
    { label: `${e.engine}: database size after`, value: e.databaseBytes / MB, unit: 'MB' },
  ];
}

async function benchEngine(
  options: BenchOptions,
  credits: CreditFile,
  payments: PaymentFile,
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
    options.log(`${engine}: loading the portfolio (${formatCount(credits.rows)} credits)…`);
    const portfolio = await measure(() =>
      database.db.transaction().execute(async (trx) => {
        await seedReferenceData(trx, { seed: BENCH_SEED, today: BENCH_AS_OF, expectedCredits: credits.rows });
        await importCredits(trx, SYSTEM_ACTOR, {
          fileName: basename(credits.path),
          input: createReadStream(credits.path, { highWaterMark: 1 << 20 }),
          now: clock.now(),
        });
      }),
    );
    const balanceBefore = await totalBalance(database);

    const importOnce = (label: string) =>
      timedFileImport((line) => options.log(`${engine}: ${line}`), label, payments, (input, onProgress) =>
        database.db.transaction().execute((trx) =>
          importPayments(trx, SYSTEM_ACTOR, { fileName: basename(payments.path), input, today: clock.today(), now: clock.now(), onProgress }),
        ),
      );

    const first = await importOnce('import');
    expect(
      first.result.rowsTotal === payments.rows && first.result.inserted === payments.rows && first.result.totalCents === payments.totalCents,
      `${engine} import`,
      first.result,
    );
    options.log(`${engine}: import ${first.seconds.toFixed(1)} s`);
    const balanceAfter = await totalBalance(database);
    // Balances never go below zero, so they fall by at most the total paid.
    expect(balanceAfter < balanceBefore && balanceBefore - balanceAfter <= payments.totalCents, `${engine} balances`, { balanceBefore, balanceAfter });

    const second = await importOnce('re-import');
    expect(second.result.inserted === 0 && second.result.alreadyLoaded === payments.rows && second.result.creditsUpdated === 0, `${engine} re-import`, second.result);
    options.log(`${engine}: re-import ${second.seconds.toFixed(1)} s`);
    expect((await totalBalance(database)) === balanceAfter, `${engine} balances after the re-import`, {});

    const closing = await measure(async () => {
      closed = true;
      await database.close();
    });
    return {
      engine,
      openMigrate: opened.seconds,
      portfolio: portfolio.seconds,
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

async function totalBalance(database: Database): Promise<bigint> {
  const result = await sql<{ total: bigint }>`SELECT coalesce(sum(balance_cents), 0)::bigint AS total FROM credits`.execute(database.db);
  return result.rows[0]!.total;
}

function expect(condition: boolean, what: string, actual: unknown): void {
  if (!condition) throw new Error(`${what}: unexpected result ${JSON.stringify(actual, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`);
}
