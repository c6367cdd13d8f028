/**
 * The benchmark credit file: the deterministic synthetic portfolio (creditCsvStream, seed 2026,
 * as of 2026-11-23) written once per run to a scratch file and shared by the benchmarks.
 */
import { createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { creditCsvStream } from '../src/modules/portfolio/demo.service.js';
import { formatCount, measure, type BenchOptions } from './harness.js';

export const BENCH_SEED = 2026;
export const BENCH_AS_OF = '2026-11-23';

export interface CreditFile {
  path: string;
  rows: number;
  bytes: number;
  /** How long writing it took, and the peak RSS meanwhile (measured by whoever asked first). */
  generationSeconds: number;
  generationPeakRss: number;
}

const files = new Map<number, Promise<CreditFile>>();

export function creditFile(options: BenchOptions): Promise<CreditFile> {
  let file = files.get(options.rows);
  if (!file) {
    file = generate(options);
    files.set(options.rows, file);
  }
  return file;
}

async function generate(options: BenchOptions): Promise<CreditFile> {
  const path = join(options.tempDir('credit-file'), `credits-${BENCH_SEED}-${options.rows}.csv`);
  options.log(`Generating ${formatCount(options.rows)} credits (seed ${BENCH_SEED}) into ${path}…`);
  const { seconds, peakRss } = await measure(() =>
    pipeline(creditCsvStream({ seed: BENCH_SEED, count: options.rows, asOf: BENCH_AS_OF }), createWriteStream(path, { highWaterMark: 1 << 20 })),
  );
  const bytes = statSync(path).size;
  return { path, rows: options.rows, bytes, generationSeconds: seconds, generationPeakRss: peakRss };
}
