/**
 * With the embedded database, a long batch (a 1,000,000-row import through the API) must not make
 * the server stop answering /health and static pages; API calls may wait but must not fail.
 *
 * The real server (buildServer) on a file-backed PGlite opened as `cobranza serve` opens it (in a
 * worker thread), seeded with the demo (1,000 credits, its users); a client in a child process
 * (responsive-client.ts) uploads the credit file and probes the server meanwhile. Then the same
 * with PGlite on the server's own thread, for comparison.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'kysely';
import { fixedClock } from '../src/clock.js';
import { openDatabase } from '../src/db/index.js';
import { migrate } from '../src/db/migrate.js';
import { buildServer, WEB_DIST } from '../src/http/server.js';
import { DEMO_PASSWORD } from '../src/modules/portfolio/demo-data.js';
import { seedDemo } from '../src/modules/portfolio/demo.service.js';
import { BENCH_AS_OF, BENCH_SEED, creditFile, type CreditFile } from './credit-file.js';
import { formatCount, MB, rssWindow, type BenchOptions, type BenchResult, type Figure } from './harness.js';
import type { ClientConfig, ClientMessage, ClientReport, ProbeStats } from './responsive-client.js';

export const name = 'responsive-import';
export const description =
  'The server answers /health and static pages during a 1,000,000-row API import (PGlite in a worker thread vs on the main thread)';

const DEMO_CREDITS = 1_000;
const OPERATIONS_USER = 'operacion';
/** Bounds: one import may take this long; the whole client gets a minute more before it is killed. */
const IMPORT_TIMEOUT_MS = 30 * 60_000;

const CLIENT_CONFIG = {
  username: OPERATIONS_USER,
  password: DEMO_PASSWORD,
  probeEveryMs: 50,
  apiEveryMs: 500,
  healthTimeoutMs: 5_000,
  staticTimeoutMs: 5_000,
  apiTimeoutMs: IMPORT_TIMEOUT_MS,
  importTimeoutMs: IMPORT_TIMEOUT_MS,
  maxRequestsPerProbe: 50_000,
  maxApiInFlight: 400,
  baselineMs: 2_000,
} satisfies Omit<ClientConfig, 'port' | 'file' | 'fileBytes'>;

interface ScenarioReport {
  mode: 'worker' | 'main';
  client: ClientReport;
  /** The server thread's event-loop delay during the import (ms). */
  eventLoop: { p50: number; p99: number; max: number };
  peakRss: number;
  creditsAfter: number;
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const file = await creditFile(options);
  const notes: string[] = [
    `Server: buildServer on a file-backed PGlite with the demo (${formatCount(DEMO_CREDITS)} credits); client: a child process on 127.0.0.1.`,
    `/health and / probed every ${CLIENT_CONFIG.probeEveryMs} ms (one in flight each, ${CLIENT_CONFIG.healthTimeoutMs / 1000} s timeout); ` +
      `GET /api/credits?limit=1 every ${CLIENT_CONFIG.apiEveryMs} ms (up to ${CLIENT_CONFIG.maxApiInFlight} waiting, ${IMPORT_TIMEOUT_MS / 60_000} min timeout).`,
    'Latencies count a failed request at the time it failed (a timed-out probe counts its timeout).',
    'Event-loop delay: the server thread, measured in the server process (perf_hooks, 10 ms resolution).',
  ];
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    notes.push('web/dist/index.html is missing (run npm run build:web): GET / answers 404 and counts as failed.');
    process.stdout.write('NOTICE: web/dist is not built; GET / will fail. Run `npm run build:web` first.\n');
  }

  const worker = await scenario(options, file, 'worker');
  const main = await scenario(options, file, 'main');

  const figures: Figure[] = [
    { label: `credit file (${formatCount(file.rows)} rows)`, value: file.bytes / MB, unit: 'MB' },
    ...scenarioFigures(worker, file),
    ...scenarioFigures(main, file),
  ];
  const ratios: Figure[] = [
    { label: 'max /health latency: main thread / worker', value: main.client.health.max / worker.client.health.max, unit: 'ratio' },
    { label: 'max event-loop delay: main thread / worker', value: main.eventLoop.max / worker.eventLoop.max, unit: 'ratio' },
    { label: 'import time: main thread / worker', value: main.client.import.ms / worker.client.import.ms, unit: 'ratio' },
  ];
  const verdict = (s: ScenarioReport) =>
    s.client.import.status === 200 && s.client.health.failures === 0 && s.client.static.failures === 0 && s.client.api.failures === 0;
  notes.push(
    `Worker thread: ${verdict(worker) ? 'PASS' : 'FAIL'} (import 200; no /health, static or API failure). ` +
      `Main thread: ${verdict(main) ? 'no failures' : 'failures, as expected without the worker'}.`,
  );
  for (const s of [worker, main]) {
    if (s.client.import.status !== 200) notes.push(`${label(s)}: import answered ${s.client.import.status ?? s.client.import.error}: ${JSON.stringify(s.client.import.body)}`);
    for (const [probe, stats] of [['/health', s.client.health], ['/', s.client.static], ['API', s.client.api]] as const) {
      if (stats.failures > 0) notes.push(`${label(s)}: ${probe} failures ${JSON.stringify(stats.failureReasons)}`);
    }
    if (s.client.api.skipped > 0) notes.push(`${label(s)}: ${s.client.api.skipped} API calls not sent (${CLIENT_CONFIG.maxApiInFlight} already waiting).`);
  }
  return { figures, ratios, notes, details: { file: { rows: file.rows, bytes: file.bytes }, clientConfig: CLIENT_CONFIG, scenarios: [worker, main] } };
}

const label = (s: ScenarioReport) => (s.mode === 'worker' ? 'worker' : 'main thread');

function scenarioFigures(s: ScenarioReport, file: CreditFile): Figure[] {
  const l = label(s);
  const { client } = s;
  const body = client.import.body as { inserted?: number; updated?: number; unchanged?: number } | undefined;
  const probe = (name: string, stats: ProbeStats): Figure[] => [
    { label: `${l}: ${name} requests`, value: stats.count, unit: 'count' },
    { label: `${l}: ${name} failures`, value: stats.failures, unit: 'count' },
    { label: `${l}: ${name} p50`, value: stats.p50, unit: 'ms' },
    { label: `${l}: ${name} p95`, value: stats.p95, unit: 'ms' },
    { label: `${l}: ${name} max`, value: stats.max, unit: 'ms' },
  ];
  return [
    {
      label: `${l}: import via API (HTTP ${client.import.status ?? client.import.error}; ${formatCount(body?.inserted ?? 0)} inserted, ${formatCount(body?.unchanged ?? 0)} unchanged)`,
      value: client.import.ms / 1000,
      unit: 's',
      peakRss: s.peakRss,
    },
    { label: `${l}: import throughput`, value: file.rows / (client.import.ms / 1000), unit: 'rows/s' },
    { label: `${l}: idle /health p50 (before the import)`, value: client.baseline.health.p50, unit: 'ms' },
    ...probe('/health', client.health),
    ...probe('static /', client.static),
    { label: `${l}: API calls`, value: client.api.count, unit: 'count' },
    { label: `${l}: API failures`, value: client.api.failures, unit: 'count' },
    { label: `${l}: API max latency`, value: client.api.max, unit: 'ms' },
    { label: `${l}: API most calls waiting at once`, value: client.api.maxInFlight, unit: 'count' },
    { label: `${l}: server event-loop delay p99`, value: s.eventLoop.p99, unit: 'ms' },
    { label: `${l}: server event-loop delay max`, value: s.eventLoop.max, unit: 'ms' },
  ];
}

async function scenario(options: BenchOptions, file: CreditFile, mode: 'worker' | 'main'): Promise<ScenarioReport> {
  const clock = fixedClock(BENCH_AS_OF);
  const directory = options.tempDir(`responsive-${mode}`);
  options.log(`${mode}: opening PGlite (worker: ${mode === 'worker'}), seeding the demo (${formatCount(DEMO_CREDITS)} credits)…`);
  const database = await openDatabase({ dataDir: join(directory, 'pglite'), worker: mode === 'worker' });
  try {
    await migrate(database.db);
    await database.db
      .transaction()
      .execute((trx) => seedDemo(trx, { credits: DEMO_CREDITS, seed: BENCH_SEED, today: clock.today(), now: clock.now() }));
    const app = await buildServer({ db: database.db, clock, sessionHours: 12, cookieSecure: false }, { logLevel: 'silent', engine: database.engine });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const port = (app.server.address() as AddressInfo).port;
      const eventLoop = monitorEventLoopDelay({ resolution: 10 });
      let rss: { peak(): number } | undefined;
      options.log(`${mode}: server on 127.0.0.1:${port}; uploading ${formatCount(file.rows)} rows while probing…`);
      const client = await runClient({ ...CLIENT_CONFIG, port, file: file.path, fileBytes: file.bytes }, (phase) => {
        if (phase === 'import-start') {
          rss = rssWindow();
          eventLoop.reset();
          eventLoop.enable();
        } else {
          eventLoop.disable();
        }
      });
      const peakRss = rss?.peak() ?? 0;
      eventLoop.disable();
      options.log(`${mode}: import answered ${client.import.status ?? client.import.error} after ${(client.import.ms / 1000).toFixed(1)} s`);
      const count = await sql<{ n: bigint }>`SELECT count(*) AS n FROM credits`.execute(database.db);
      return {
        mode,
        client,
        eventLoop: { p50: eventLoop.percentile(50) / 1e6, p99: eventLoop.percentile(99) / 1e6, max: eventLoop.max / 1e6 },
        peakRss,
        creditsAfter: Number(count.rows[0]!.n),
      };
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

/** Runs responsive-client.ts in a child process; kills it if it outlives its own bounds. */
function runClient(config: ClientConfig, onPhase: (phase: 'import-start' | 'import-end') => void): Promise<ClientReport> {
  const script = fileURLToPath(new URL('./responsive-client.ts', import.meta.url));
  const child = fork(script, [], { execArgv: ['--import', import.meta.resolve('tsx')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise<ClientReport>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      outcome();
    };
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      settle(() => reject(new Error('the benchmark client exceeded its time bound and was killed')));
    }, config.importTimeoutMs + 60_000);
    child.on('message', (message: ClientMessage) => {
      if (message.type === 'phase') onPhase(message.phase);
      else if (message.type === 'report') settle(() => resolve(message.report));
      else settle(() => reject(new Error(`benchmark client failed: ${message.message}`)));
    });
    child.on('error', (error) => settle(() => reject(error)));
    child.on('exit', (code, signal) => settle(() => reject(new Error(`benchmark client exited (${signal ?? code}) without a report`))));
    child.send(config);
  });
}
