/**
 * The Kysely driver of a PostgreSQL server, through node-postgres (a pool); COPY through
 * pg-copy-streams.
 */
import { CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type QueryResult } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { isCopyPayload } from './copy.js';
import { dialectFor, toQueryResult, TRANSACTION_STATEMENTS } from './drivers.js';
import { typeParsers } from './type-parsers.js';

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
  readonly beginTransaction = TRANSACTION_STATEMENTS.beginTransaction;
  readonly commitTransaction = TRANSACTION_STATEMENTS.commitTransaction;
  readonly rollbackTransaction = TRANSACTION_STATEMENTS.rollbackTransaction;
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
