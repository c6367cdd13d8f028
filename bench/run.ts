/**
 * `npm run bench [-- name ...] [--rows N] [--pg-url URL | --no-pg]`
 *
 * Runs the selected benchmarks (all registered ones by default), prints a table of figures and
 * ratios for each, and writes `.bench/results-<name>.json`. Scratch directories and databases are
 * removed at the end, also on Ctrl-C.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DEFAULT_POSTGRES_URL,
  formatCount,
  makeScratchDir,
  MB,
  redactUrl,
  removeDir,
  startRssSampler,
  stopRssSampler,
  type Benchmark,
  type BenchOptions,
  type BenchResult,
  type Figure,
} from './harness.js';
import * as assignmentBench from './assignment.js';
import * as funnelBench from './funnel.js';
import * as importCreditsBench from './import-credits.js';
import * as importPaymentsBench from './import-payments.js';
import * as responsiveImportBench from './responsive-import.js';
import * as reportsBench from './reports.js';
import * as sweepBench from './sweep.js';

/** The registry: every benchmark module, in the order `npm run bench` runs them. */
const BENCHMARKS: readonly Benchmark[] = [importCreditsBench, importPaymentsBench, responsiveImportBench, assignmentBench, sweepBench, funnelBench, reportsBench];

const RESULTS_DIR = fileURLToPath(new URL('../.bench/', import.meta.url));
const DEFAULT_ROWS = 1_000_000;

function usage(): string {
  return [
    'usage: npm run bench [-- name ...] [--rows N] [--pg-url URL | --no-pg]',
    '',
    ...BENCHMARKS.map((b) => `  ${b.name.padEnd(20)} ${b.description}`),
    '',
    `  --rows N      rows of the synthetic credit file (default ${formatCount(DEFAULT_ROWS)})`,
    `  --pg-url URL  PostgreSQL admin URL (default ${DEFAULT_POSTGRES_URL}); benchmarks create and drop cobranza_bench_<name>`,
    '  --no-pg       skip PostgreSQL',
  ].join('\n');
}

function parseCommandLine() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      rows: { type: 'string' },
      'pg-url': { type: 'string' },
      'no-pg': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage() + '\n');
    process.exit(0);
  }
  const rows = values.rows === undefined ? DEFAULT_ROWS : Number(values.rows.replace(/[_,]/g, ''));
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows must be a positive integer, not ${values.rows}`);
  const unknown = positionals.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s): ${unknown.join(', ')}\n\n${usage()}`);
  const selected = positionals.length === 0 ? [...BENCHMARKS] : BENCHMARKS.filter((b) => positionals.includes(b.name));
  const postgresUrl = values['no-pg'] ? undefined : (values['pg-url'] ?? DEFAULT_POSTGRES_URL);
  return { rows, selected, postgresUrl };
}

// ---------------------------------------------------------------------------------------------
// Output

function formatValue(figure: Figure): string {
  const { value, unit } = figure;
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case 's':
      return value < 10 ? value.toFixed(2) : value.toFixed(1);
    case 'ms':
      return value < 100 ? value.toFixed(1) : formatCount(Math.round(value));
    case 'rows/s':
    case 'count':
      return formatCount(Math.round(value));
    case 'MB':
      return value < 10 ? value.toFixed(1) : formatCount(Math.round(value));
    case 'ratio':
      return `${value < 10 ? value.toFixed(2) : value.toFixed(1)}×`;
  }
}

function table(result: BenchResult): string {
  const rows = [
    ...result.figures.map((f) => [f.label, formatValue(f), f.unit, f.peakRss === undefined ? '' : `${formatCount(Math.round(f.peakRss / MB))} MB`]),
  ];
  const ratioRows = result.ratios.map((f) => [f.label, formatValue(f), '', '']);
  const header = ['figure', 'value', 'unit', 'peak RSS'];
  const all = [header, ...rows, ...ratioRows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    '  ' + row.map((cell, column) => (column === 1 || column === 3 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  const rule = '  ' + widths.map((w) => '─'.repeat(w)).join('  ');
  const out = [line(header), rule, ...rows.map(line)];
  if (ratioRows.length > 0) out.push(rule, ...ratioRows.map(line));
  for (const note of result.notes) out.push(`  · ${note}`);
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { rows, selected, postgresUrl } = parseCommandLine();
  const scratch = makeScratchDir();
  const cleanups: Array<() => Promise<void> | void> = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const task of cleanups.reverse()) {
        try {
          await task();
        } catch (error) {
          process.stderr.write(`cleanup failed: ${error instanceof Error ? error.message : String(error)}\n`);
        }
      }
      removeDir(scratch);
      await stopRssSampler();
    })());
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: cleaning up…\n`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  let counter = 0;
  const options: BenchOptions = {
    rows,
    postgresUrl,
    tempDir: (label) => {
      const directory = join(scratch, `${++counter}-${label}`);
      mkdirSync(directory, { recursive: true });
      return directory;
    },
    onCleanup: (task) => cleanups.push(task),
    log: (message) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`),
  };

  startRssSampler();
  const machine = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGb: Math.round(totalmem() / 1024 ** 3),
  };
  process.stdout.write(
    `cobranza-social benchmarks — ${formatCount(rows)} rows; Node ${machine.node}, ${machine.cores} cores, ${machine.memoryGb} GB; ` +
      `PostgreSQL ${postgresUrl ? redactUrl(postgresUrl) : 'skipped'}\n`,
  );
  mkdirSync(RESULTS_DIR, { recursive: true });
  let failed = false;
  try {
    for (const benchmark of selected) {
      process.stdout.write(`\n${benchmark.name} — ${benchmark.description}\n`);
      const startedAt = new Date();
      try {
        const result = await benchmark.run(options);
        process.stdout.write(table(result) + '\n');
        const file = join(RESULTS_DIR, `results-${benchmark.name}.json`);
        const json = { name: benchmark.name, description: benchmark.description, startedAt, finishedAt: new Date(), rows, machine, ...result };
        writeFileSync(file, JSON.stringify(json, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2) + '\n');
        process.stdout.write(`  → ${file}\n`);
      } catch (error) {
        failed = true;
        process.stdout.write(`  FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      }
    }
  } finally {
    await cleanup();
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
