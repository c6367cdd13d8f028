/**
 * The load client of the responsive-import benchmark, run as a child process (its own event loop,
 * so that a blocked server thread cannot also stall the clock that measures it).
 *
 * It signs in, uploads the credit file to POST /api/imports/credits (streamed), and while the
 * import runs probes GET /health and GET / (one probe in flight each, a new one every 50 ms) and
 * calls GET /api/credits?limit=1 every 500 ms (signed in; calls keep coming while earlier ones
 * wait, like users clicking). Every request has a timeout; everything stops by itself.
 */
import { createReadStream } from 'node:fs';
import http from 'node:http';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ClientConfig {
  port: number;
  file: string;
  fileBytes: number;
  username: string;
  password: string;
  probeEveryMs: number;
  apiEveryMs: number;
  healthTimeoutMs: number;
  staticTimeoutMs: number;
  apiTimeoutMs: number;
  importTimeoutMs: number;
  /** Caps: requests per probe, API calls waiting at once. */
  maxRequestsPerProbe: number;
  maxApiInFlight: number;
  baselineMs: number;
}

export interface ProbeStats {
  count: number;
  ok: number;
  failures: number;
  /** Failure reason → count (HTTP status, timeout, connection error). */
  failureReasons: Record<string, number>;
  /** Latency over every request, a failed one counting the time until it failed (ms). */
  p50: number;
  p95: number;
  max: number;
  /** Longest successful request (ms). */
  maxOk: number;
}

export interface ClientReport {
  baseline: { health: ProbeStats };
  import: { status: number | undefined; ms: number; body: unknown; error: string | undefined };
  health: ProbeStats;
  static: ProbeStats;
  api: ProbeStats & { maxInFlight: number; skipped: number };
}

export type ClientMessage =
  | { type: 'phase'; phase: 'import-start' | 'import-end' }
  | { type: 'report'; report: ClientReport }
  | { type: 'error'; message: string };

interface Outcome {
  status: number;
  text: string;
  headers: http.IncomingHttpHeaders;
}

class Probe {
  readonly #latencies: number[] = [];
  readonly #okLatencies: number[] = [];
  readonly failureReasons: Record<string, number> = {};
  count = 0;

  record(ms: number, failure: string | undefined): void {
    this.count++;
    this.#latencies.push(ms);
    if (failure === undefined) this.#okLatencies.push(ms);
    else this.failureReasons[failure] = (this.failureReasons[failure] ?? 0) + 1;
  }

  stats(): ProbeStats {
    const sorted = [...this.#latencies].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
    const failures = this.count - this.#okLatencies.length;
    return {
      count: this.count,
      ok: this.#okLatencies.length,
      failures,
      failureReasons: this.failureReasons,
      p50: at(0.5),
      p95: at(0.95),
      max: sorted.at(-1) ?? 0,
      maxOk: this.#okLatencies.reduce((a, b) => Math.max(a, b), 0),
    };
  }
}

function send(
  config: ClientConfig,
  agent: http.Agent,
  method: string,
  path: string,
  options: { headers?: http.OutgoingHttpHeaders; body?: Readable | string; timeoutMs: number },
): Promise<Outcome> {
  return new Promise<Outcome>((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port: config.port, method, path, agent, headers: options.headers });
    const timer = setTimeout(() => request.destroy(new Error(`timeout after ${options.timeoutMs} ms`)), options.timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      if (options.body && typeof options.body !== 'string') options.body.destroy();
      reject(error);
    };
    request.on('error', fail);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', fail);
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: response.headers });
      });
    });
    if (options.body === undefined) request.end();
    else if (typeof options.body === 'string') request.end(options.body);
    else options.body.pipe(request);
  });
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('timeout')) return 'timeout';
  return (error as NodeJS.ErrnoException).code ?? message;
}

async function timed(probe: Probe, attempt: () => Promise<Outcome>): Promise<void> {
  const started = performance.now();
  let failure: string | undefined;
  try {
    const outcome = await attempt();
    if (outcome.status !== 200) failure = `HTTP ${outcome.status}`;
  } catch (error) {
    failure = reason(error);
  }
  probe.record(performance.now() - started, failure);
}

/** One request in flight; a new one `everyMs` after the previous one started (or at once if it took longer). */
async function probeLoop(config: ClientConfig, probe: Probe, stopped: () => boolean, attempt: () => Promise<Outcome>): Promise<void> {
  while (!stopped() && probe.count < config.maxRequestsPerProbe) {
    const started = performance.now();
    await timed(probe, attempt);
    const wait = config.probeEveryMs - (performance.now() - started);
    if (wait > 0) await sleep(wait);
  }
}

async function main(config: ClientConfig): Promise<ClientReport> {
  const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const apiAgent = new http.Agent({ keepAlive: true, maxSockets: config.maxApiInFlight });
  const uploadAgent = new http.Agent({ keepAlive: false });

  // Sign in (session cookie + CSRF token, as the browser does).
  const login = await send(config, apiAgent, 'POST', '/api/auth/login', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: config.username, password: config.password }),
    timeoutMs: 30_000,
  });
  if (login.status !== 200) throw new Error(`login failed: HTTP ${login.status} ${login.text}`);
  const setCookie = login.headers['set-cookie']?.[0];
  if (!setCookie) throw new Error('login did not set a session cookie');
  const session = { cookie: setCookie.split(';')[0]!, 'x-csrf-token': (JSON.parse(login.text) as { csrfToken: string }).csrfToken };

  const health = () => send(config, probeAgent, 'GET', '/health', { timeoutMs: config.healthTimeoutMs });
  const page = () => send(config, probeAgent, 'GET', '/', { timeoutMs: config.staticTimeoutMs });
  const api = () => send(config, apiAgent, 'GET', '/api/credits?limit=1', { headers: { cookie: session.cookie }, timeoutMs: config.apiTimeoutMs });

  for (const [name, attempt] of [['/health', health], ['/', page], ['/api/credits', api]] as const) {
    const outcome = await attempt();
    if (outcome.status !== 200) throw new Error(`warm-up ${name}: HTTP ${outcome.status} ${outcome.text.slice(0, 200)}`);
  }

  // Idle baseline.
  const baseline = new Probe();
  const baselineEnds = performance.now() + config.baselineMs;
  await probeLoop(config, baseline, () => performance.now() >= baselineEnds, health);

  // The import, with the probes running until it ends.
  process.send!({ type: 'phase', phase: 'import-start' } satisfies ClientMessage);
  let stopped = false;
  const importStarted = performance.now();
  const upload = send(config, uploadAgent, 'POST', `/api/imports/credits?fileName=bench-${config.fileBytes}.csv`, {
    headers: { ...session, 'content-type': 'text/csv', 'content-length': String(config.fileBytes) },
    body: createReadStream(config.file, { highWaterMark: 1 << 20 }),
    timeoutMs: config.importTimeoutMs,
  }).then(
    (outcome) => ({ status: outcome.status, body: parseJson(outcome.text), error: undefined }),
    (error: unknown) => ({ status: undefined, body: undefined, error: error instanceof Error ? error.message : String(error) }),
  );

  const healthProbe = new Probe();
  const staticProbe = new Probe();
  const apiProbe = new Probe();
  const isStopped = () => stopped;
  const probes = [probeLoop(config, healthProbe, isStopped, health), probeLoop(config, staticProbe, isStopped, page)];

  const apiCalls = new Set<Promise<void>>();
  let maxInFlight = 0;
  let skipped = 0;
  const fireApi = () => {
    if (stopped) return;
    if (apiCalls.size >= config.maxApiInFlight || apiProbe.count + apiCalls.size >= config.maxRequestsPerProbe) {
      skipped++;
      return;
    }
    const call = timed(apiProbe, api).finally(() => apiCalls.delete(call));
    apiCalls.add(call);
    maxInFlight = Math.max(maxInFlight, apiCalls.size);
  };
  fireApi();
  const apiTimer = setInterval(fireApi, config.apiEveryMs);

  const imported = await upload;
  const importMs = performance.now() - importStarted;
  process.send!({ type: 'phase', phase: 'import-end' } satisfies ClientMessage);
  stopped = true;
  clearInterval(apiTimer);
  await Promise.all([...probes, ...apiCalls]);
  probeAgent.destroy();
  apiAgent.destroy();
  uploadAgent.destroy();

  return {
    baseline: { health: baseline.stats() },
    import: { ...imported, ms: importMs },
    health: healthProbe.stats(),
    static: staticProbe.stats(),
    api: { ...apiProbe.stats(), maxInFlight, skipped },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 500);
  }
}

if (process.send) {
  process.once('message', (config: ClientConfig) => {
    main(config).then(
      (report) => process.send!({ type: 'report', report } satisfies ClientMessage, () => process.exit(0)),
      (error: unknown) =>
        process.send!({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies ClientMessage, () =>
          process.exit(1),
        ),
    );
  });
}
