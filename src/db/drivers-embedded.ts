/**
 * The Kysely driver of the embedded engine (PGlite): one session; a FIFO mutex gives it to one
 * caller (or transaction) at a time. COPY data goes to the session with the statement.
 */
import { CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type QueryResult } from 'kysely';
import { isCopyPayload } from './copy.js';
import { dialectFor, toQueryResult, TRANSACTION_STATEMENTS } from './drivers.js';
import type { EmbeddedSession } from './embedded.js';
import { Mutex } from './mutex.js';

class EmbeddedConnection implements DatabaseConnection {
  constructor(private readonly session: EmbeddedSession) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const [first] = query.parameters;
    if (isCopyPayload(first)) {
      const result = await this.session.query(query.sql, [], first.data);
      return { rows: [], numAffectedRows: BigInt(result.affectedRows ?? 0) };
    }
    const result = await this.session.query(query.sql, query.parameters);
    return toQueryResult(query.sql, result.rows as R[], result.affectedRows);
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield await this.executeQuery<R>(query);
  }
}

class EmbeddedDriver implements Driver {
  readonly #mutex = new Mutex();
  readonly #connection: EmbeddedConnection;
  #release: (() => void) | undefined;

  constructor(private readonly session: EmbeddedSession) {
    this.#connection = new EmbeddedConnection(session);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    this.#release = await this.#mutex.acquire();
    return this.#connection;
  }

  readonly beginTransaction = TRANSACTION_STATEMENTS.beginTransaction;
  readonly commitTransaction = TRANSACTION_STATEMENTS.commitTransaction;
  readonly rollbackTransaction = TRANSACTION_STATEMENTS.rollbackTransaction;

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    await this.session.close();
  }
}

export function embeddedDialect(session: EmbeddedSession): Dialect {
  return dialectFor(() => new EmbeddedDriver(session));
}
