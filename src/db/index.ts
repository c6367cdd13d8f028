/**
 * Opens the database: a PostgreSQL server when a URL is given, otherwise the embedded PGlite
 * (file-backed under the data directory, or in memory). One Kysely handle either way. Each engine's
 * code is loaded when it is opened: PGlite (its WASM build, ~50 MB of memory) only for the embedded
 * engine, node-postgres only for a server.
 */
import { Kysely, type Transaction } from 'kysely';
import type { EmbeddedSession } from './embedded.js';
import type { DB } from './schema.js';

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Anything that runs queries: the database handle or an open transaction. */
export type Executor = Kysely<DB>;

export interface Database {
  db: Db;
  engine: 'embedded' | 'server';
  /** The embedded session (PGlite), for dumps in tests; undefined on a server. */
  embedded: EmbeddedSession | undefined;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** Run PGlite in a worker thread (the server) rather than in this thread (CLI, tests). */
  worker?: boolean;
  loadFrom?: Uint8Array | undefined;
  maxConnections?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    const { serverDialect } = await import('./drivers-server.js');
    const db = new Kysely<DB>({ dialect: serverDialect(options.databaseUrl, options.maxConnections ?? 10) });
    return { db, engine: 'server', embedded: undefined, close: () => db.destroy() };
  }
  const { openInProcess, openInWorker } = await import('./embedded.js');
  const { embeddedDialect } = await import('./drivers-embedded.js');
  const embeddedOptions = { dataDir: options.dataDir, loadFrom: options.loadFrom };
  const session = options.worker ? await openInWorker(embeddedOptions) : await openInProcess(embeddedOptions);
  const db = new Kysely<DB>({ dialect: embeddedDialect(session) });
  return { db, engine: 'embedded', embedded: session, close: () => db.destroy() };
}
