/**
 * COPY … FROM STDIN through Kysely. A compiled query whose first parameter is a CopyPayload is
 * executed by our drivers as a COPY: on PGlite through its `/dev/blob` device, on a PostgreSQL
 * server through the COPY sub-protocol (pg-copy-streams). The same call works on both.
 */
import { CompiledQuery, type Kysely } from 'kysely';

export class CopyPayload {
  constructor(readonly data: Uint8Array) {}
}

export function isCopyPayload(value: unknown): value is CopyPayload {
  return value instanceof CopyPayload;
}

/**
 * Loads CSV text (no header) into `table (columns)` inside the caller's transaction.
 * Returns the number of rows copied.
 */
export async function copyCsvInto(
  db: Kysely<any>,
  table: string,
  columns: readonly string[],
  csv: Uint8Array | string,
): Promise<number> {
  assertIdentifier(table);
  columns.forEach(assertIdentifier);
  const data = typeof csv === 'string' ? new TextEncoder().encode(csv) : csv;
  const statement = `COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`;
  const result = await db.executeQuery(CompiledQuery.raw(statement, [new CopyPayload(data)]));
  return Number(result.numAffectedRows ?? 0n);
}

function assertIdentifier(name: string): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid SQL identifier: ${name}`);
}
