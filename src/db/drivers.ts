/**
 * Kysely drivers for our two engines: the embedded PGlite (drivers-embedded.ts) and a PostgreSQL
 * server through node-postgres (drivers-server.ts), each loaded only when its engine is opened.
 * Both understand CopyPayload (copy.ts) so bulk loads go through COPY on either engine. Here: what
 * they share.
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

export function toQueryResult<R>(sql: string, rows: R[], affected: number | null | undefined): QueryResult<R> {
  const command = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
  const counts = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE' || command === 'COPY';
  return counts && affected != null ? { rows, numAffectedRows: BigInt(affected) } : { rows };
}

export function dialectFor(createDriver: () => Driver): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver,
    createIntrospector: (db: Kysely<any>) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}

/** A transaction is the same three statements on both engines (the drivers' begin, commit, rollback). */
export const TRANSACTION_STATEMENTS = {
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN'));
  },
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('COMMIT'));
  },
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
  },
} satisfies Pick<Driver, 'beginTransaction' | 'commitTransaction' | 'rollbackTransaction'>;
