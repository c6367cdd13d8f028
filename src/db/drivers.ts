/**
 * Kysely drivers for our two engines. Both understand CopyPayload (copy.ts) so bulk loads go
 * through COPY on either engine.
 */
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { isCopyPayload } from './copy.js';
import type { EmbeddedSession } from './embedded.js';
import { Mutex } from './mutex.js';
import { typeParsers } from './type-parsers.js';

function toQueryResult<R>(sql: string, rows: R[], affected: number | null | undefined): QueryResult<R> {
  const command = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
  const counts = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE' || command === 'COPY';
  return counts && affected != null ? { rows, numAffectedRows: BigInt(affected) } : { rows };
}

function dialectFor(createDriver: () => Driver): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver,
    createIntrospector: (db: Kysely<any>) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}

// ---------------------------------------------------------------------------------------------
// Embedded (PGlite): one session; a FIFO mutex gives it to one caller (or transaction) at a time.

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

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('COMMIT'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }

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

// ---------------------------------------------------------------------------------------------
// PostgreSQL server through node-postgres.

const pgTypes = {
  getTypeParser: (oid: number, format?: string) =>
    typeParsers[oid] ?? (pg.types.getTypeParser as (oid: number, format?: string) => any)(oid, format),
};

class ServerConnection implements DatabaseConnection {
  constructor(readonly client: pg.PoolClient) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const [first] = query.parameters;
    if (isCopyPayload(first)) {
      const stream = this.client.query(copyFrom(query.sql));
      await pipeline(Readable.from([Buffer.from(first.data)]), stream);
      return { rows: [], numAffectedRows: BigInt(stream.rowCount ?? 0) };
    }
    const result = await this.client.query({ text: query.sql, values: query.parameters as unknown[] });
    return toQueryResult(query.sql, result.rows as R[], result.rowCount);
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield await this.executeQuery<R>(query);
  }
}

class ServerDriver implements Driver {
  readonly #pool: pg.Pool;
  constructor(connectionString: string, max: number) {
    this.#pool = new pg.Pool({ connectionString, max, types: pgTypes });
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new ServerConnection(await this.#pool.connect());
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN'));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('COMMIT'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as ServerConnection).client.release();
  }
  async destroy(): Promise<void> {
    await this.#pool.end();
  }
}

export function serverDialect(connectionString: string, maxConnections = 10): Dialect {
  return dialectFor(() => new ServerDriver(connectionString, maxConnections));
}
