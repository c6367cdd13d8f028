/**
 * The embedded database (PGlite) behind one small interface, so that it can run in this thread
 * (CLI, tests) or in a worker thread (the server: a long statement then never blocks the event
 * loop that answers /health and serves pages).
 */
import type { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { typeParsers } from './type-parsers.js';

export interface EmbeddedResult {
  rows: Record<string, unknown>[];
  affectedRows: number | undefined;
}

export interface EmbeddedSession {
  query(sql: string, params: readonly unknown[], copyData?: Uint8Array): Promise<EmbeddedResult>;
  exec(sql: string): Promise<void>;
  dump(): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  /** A directory for a file-backed database; undefined for memory. */
  dataDir?: string | undefined;
  /** A tarball made by `dump()`, to start from (tests use a migrated template). */
  loadFrom?: Uint8Array | undefined;
}

export async function openPglite(options: EmbeddedOptions): Promise<PGlite> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // loaded here, not at the top: a process whose PGlite runs in a worker (the server) does not
  // carry its ~50 MB of module code in the main thread too
  const { PGlite } = await import('@electric-sql/pglite');
  return PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadFrom ? { loadDataDir: new Blob([options.loadFrom as Uint8Array<ArrayBuffer>]) } : {}),
    parsers: typeParsers,
    relaxedDurability: true,
  });
}

/** PGlite's COPY reads its data from the virtual device '/dev/blob'. */
export function toBlobCopy(sql: string): string {
  return sql.replace(/\bFROM\s+STDIN\b/i, "FROM '/dev/blob'");
}

export async function runOnPglite(
  pg: PGlite,
  sql: string,
  params: readonly unknown[],
  copyData?: Uint8Array,
): Promise<EmbeddedResult> {
  if (copyData) {
    const result = await pg.query(toBlobCopy(sql), [], { blob: new Blob([copyData as Uint8Array<ArrayBuffer>]) });
    return { rows: [], affectedRows: result.affectedRows };
  }
  if (params.length === 0) {
    // Simple protocol: allows several statements (migrations); the last result is returned.
    const results = await pg.exec(sql);
    const last = results.at(-1);
    return { rows: (last?.rows ?? []) as Record<string, unknown>[], affectedRows: last?.affectedRows };
  }
  const result = await pg.query<Record<string, unknown>>(sql, params as unknown[]);
  return { rows: result.rows, affectedRows: result.affectedRows };
}

export async function openInProcess(options: EmbeddedOptions): Promise<EmbeddedSession> {
  const pg = await openPglite(options);
  return {
    query: (sql, params, copyData) => runOnPglite(pg, sql, params, copyData),
    exec: async (sql) => {
      await pg.exec(sql);
    },
    dump: async () => new Uint8Array(await (await pg.dumpDataDir('none')).arrayBuffer()),
    close: () => pg.close(),
  };
}

type Pending = { resolve: (value: any) => void; reject: (error: Error) => void };

/** PGlite in a worker thread; messages carry SQL, parameters and results (structured clone). */
export async function openInWorker(options: EmbeddedOptions): Promise<EmbeddedSession> {
  const here = new URL(import.meta.url);
  const typescript = here.pathname.endsWith('.ts');
  // From sources, a small .mjs entry loads the TypeScript worker through tsx.
  const workerUrl = new URL(typescript ? './embedded-worker.mjs' : './embedded-worker.js', here);
  const worker = new Worker(workerUrl, { workerData: options });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: Error | undefined;

  worker.on('message', (message: { id: number; result?: unknown; error?: SerializedError }) => {
    const entry = pending.get(message.id);
    if (!entry) return;
    pending.delete(message.id);
    if (message.error) entry.reject(deserializeError(message.error));
    else entry.resolve(message.result);
  });
  const failAll = (error: Error) => {
    failure = error;
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`database worker exited (${code})`)));

  const call = <T>(op: string, payload: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<T> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, ...payload }, transfer);
    });
  };

  await call('ready', {});
  return {
    query: (sql, params, copyData) => call<EmbeddedResult>('query', { sql, params, copyData }),
    exec: (sql) => call<void>('exec', { sql }),
    dump: () => call<Uint8Array>('dump', {}),
    close: async () => {
      await call('close', {});
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

export type SerializedError = Record<string, unknown> & { message: string };

const ERROR_FIELDS = ['code', 'detail', 'hint', 'constraint', 'table', 'column', 'schema', 'severity', 'where'] as const;

export function serializeError(error: unknown): SerializedError {
  const source = (error ?? {}) as Record<string, unknown>;
  const out: SerializedError = { message: error instanceof Error ? error.message : String(error) };
  for (const field of ERROR_FIELDS) if (source[field] !== undefined) out[field] = source[field];
  return out;
}

export function deserializeError(serialized: SerializedError): Error {
  return Object.assign(new Error(serialized.message), serialized);
}
