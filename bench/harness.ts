/**
 * The benchmark harness: what a benchmark module exports, what it receives, and the helpers they
 * share (timing with peak RSS, scratch directories, scratch PostgreSQL databases).
 */
import { createReadStream, mkdtempSync, rmSync, type ReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';

/** A benchmark is a module in bench/ exporting these three members (see run.ts for the registry). */
export interface Benchmark {
  name: string;
  description: string;
  run(options: BenchOptions): Promise<BenchResult>;
}

export interface BenchOptions {
  /** Rows of the synthetic credit file (default 1,000,000; `--rows N`). */
  rows: number;
  /** A fresh directory under the run's scratch directory (deleted when the run ends). */
  tempDir(label: string): string;
  /** An admin URL of a PostgreSQL server; undefined when skipped (`--no-pg`). */
  postgresUrl: string | undefined;
  /** Registers work to do when the run ends or is interrupted (dropping a scratch database…). */
  onCleanup(cleanup: () => Promise<void> | void): void;
  /** A progress line on stderr. */
  log(message: string): void;
}

export type Unit = 's' | 'ms' | 'rows/s' | 'MB' | 'count' | 'ratio';

export interface Figure {
  label: string;
  value: number;
  unit: Unit;
  /** Peak resident set size of this process while the figure was measured (bytes). */
  peakRss?: number;
}

export interface BenchResult {
  figures: Figure[];
  ratios: Figure[];
  notes: string[];
  /** Anything else worth keeping in the JSON results. */
  details?: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Peak RSS: a worker thread samples the process's RSS every 100 ms, so that samples keep coming
// while this thread is blocked (PGlite in-process runs its statements on this thread).

const SAMPLE_MS = 100;

const SAMPLER_SOURCE = `
const { workerData } = require('node:worker_threads');
const peak = new BigInt64Array(workerData.buffer);
setInterval(() => {
  const rss = BigInt(process.memoryUsage().rss);
  if (rss > Atomics.load(peak, 0)) Atomics.store(peak, 0, rss);
}, workerData.intervalMs);
`;

export class RssSampler {
  readonly #peak = new BigInt64Array(new SharedArrayBuffer(8));
  readonly #worker: Worker;

  constructor(intervalMs = SAMPLE_MS) {
    this.#worker = new Worker(SAMPLER_SOURCE, { eval: true, workerData: { buffer: this.#peak.buffer, intervalMs } });
    this.#worker.unref();
  }

  /** Starts a new window: the peak is reset to the current RSS. */
  reset(): void {
    Atomics.store(this.#peak, 0, BigInt(process.memoryUsage().rss));
  }

  /** The highest RSS seen since the last reset (bytes). */
  peak(): number {
    const now = BigInt(process.memoryUsage().rss);
    if (now > Atomics.load(this.#peak, 0)) Atomics.store(this.#peak, 0, now);
    return Number(Atomics.load(this.#peak, 0));
  }

  async stop(): Promise<void> {
    await this.#worker.terminate();
  }
}

let sampler: RssSampler | undefined;

export function startRssSampler(): void {
  sampler ??= new RssSampler();
}

export async function stopRssSampler(): Promise<void> {
  await sampler?.stop();
  sampler = undefined;
}

export interface Measured<T> {
  result: T;
  seconds: number;
  peakRss: number;
  /** RSS when the work started: peakRss − rssBefore is what the work itself added. */
  rssBefore: number;
}

/**
 * Times `work` and reports the peak RSS while it ran. Windows do not nest: an inner measure
 * restarts the window, so measure phases one after another.
 */
export async function measure<T>(work: () => Promise<T>): Promise<Measured<T>> {
  startRssSampler();
  sampler!.reset();
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  return { result, seconds, peakRss: sampler!.peak(), rssBefore };
}

/** Peak RSS window for a longer scenario made of several steps. */
export function rssWindow(): { peak(): number } {
  startRssSampler();
  sampler!.reset();
  return { peak: () => sampler!.peak() };
}

// ---------------------------------------------------------------------------------------------
// Scratch directories and databases

export function makeScratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'cobranza-bench-'));
}

export function removeDir(directory: string): void {
  rmSync(directory, { recursive: true, force: true });
}

/** Total size of the files under a directory (bytes). */
export async function directorySize(directory: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface ScratchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** The database name for a benchmark: `cobranza_bench_<name>` with only [a-z0-9_]. */
export function scratchDatabaseName(benchmark: string): string {
  return `cobranza_bench_${benchmark.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
}

async function adminQuery(adminUrl: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh `cobranza_bench_<name>` on the server (dropping a leftover one first), or
 * returns undefined after a printed notice when the server cannot be reached.
 */
export async function createScratchDatabase(options: BenchOptions, benchmark: string): Promise<ScratchDatabase | undefined> {
  const adminUrl = options.postgresUrl;
  if (!adminUrl) {
    options.log('PostgreSQL skipped (--no-pg).');
    return undefined;
  }
  const name = scratchDatabaseName(benchmark);
  try {
    await adminQuery(adminUrl, [`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, `CREATE DATABASE ${name}`]);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.stdout.write(`NOTICE: PostgreSQL at ${redactUrl(adminUrl)} is unreachable (${reason}); PostgreSQL figures skipped.\n`);
    return undefined;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await adminQuery(adminUrl, [`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
  };
  options.onCleanup(drop);
  return { url: url.toString(), name, drop };
}

export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Database size in bytes on a server. */
export async function serverDatabaseSize(adminUrl: string, name: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const result = await client.query<{ size: string }>('SELECT pg_database_size($1)::text AS size', [name]);
    return Number(result.rows[0]!.size);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

export const MB = 1024 * 1024;

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Calls `report` at most once every `everyMs` (for progress lines). */
export function throttle<A extends unknown[]>(everyMs: number, report: (...args: A) => void): (...args: A) => void {
  let last = 0;
  return (...args: A) => {
    const now = Date.now();
    if (now - last < everyMs) return;
    last = now;
    report(...args);
  };
}

/**
 * Times one import of a file (read 1 MiB at a time) in one transaction, logging progress, and
 * reports how long reading and validating took: until the importer's last progress report.
 */
export async function timedFileImport<T>(
  log: (line: string) => void,
  label: string,
  file: { path: string; bytes: number },
  run: (input: ReadStream, onProgress: (rows: number, bytes: number) => void) => Promise<T>,
): Promise<Measured<T> & { readingSeconds: number }> {
  const report = throttle(10_000, (rows: number, bytes: number) => log(`${label} ${formatCount(rows)} rows read (${Math.round((100 * bytes) / file.bytes)} %)`));
  log(`${label}…`);
  const started = performance.now();
  let lastProgress = started;
  const measured = await measure(() =>
    run(createReadStream(file.path, { highWaterMark: 1 << 20 }), (rows, bytes) => {
      lastProgress = performance.now();
      report(rows, bytes);
    }),
  );
  return { ...measured, readingSeconds: (lastProgress - started) / 1000 };
}
