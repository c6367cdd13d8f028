/**
 * Optimistic locking (ARCHITECTURE.md): a row changes only at the version its writer read —
 * `UPDATE … WHERE id = ? AND version = ?` — and a write that finds another version refuses with
 * 409 and a Spanish message naming what changed, so the user reloads instead of overwriting.
 */
import { AppError } from '../errors.js';
import type { Executor } from './index.js';

/** The tables whose rows carry `id` and `version` and change through their services' actions. */
export type VersionedTable = 'convenios' | 'case_files' | 'report_requests';

/** Applies `changes` to the row at `row.version` or throws STALE_VERSION ("Otra persona modificó {what} …"). */
export async function updateAtVersion(trx: Executor, table: VersionedTable, row: { id: number; version: number }, changes: object, what: string): Promise<void> {
  const updated = await trx
    .updateTable(table)
    .set(changes as never)
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    throw new AppError('STALE_VERSION', { userMessage: `Otra persona modificó ${what} al mismo tiempo. Recargue y vuelva a intentarlo.` });
  }
}
