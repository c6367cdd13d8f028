/**
 * The messages a case event sends through the outbox, in the event's transaction: the written
 * summons of act. 11 and act. 14 to the borrower and the Infonavit representative (DL-6: the
 * delivery is the evidence), and the survey invitation of act. 21.
 */
import type { Executor } from '../../db/index.js';
import type { AnyCaseEvent } from './mediation.rules.js';

export interface CaseEventNotice {
  caseId: number;
  eventId: bigint;
  event: AnyCaseEvent;
  now: Date;
}

export async function notifyCaseEvent(_trx: Executor, _notice: CaseEventNotice): Promise<void> {
  // wired to the outbox below once the notify module lands in this session
}

export async function listCaseMessages(_db: Executor, _caseId: number): Promise<Record<string, unknown>[]> {
  return [];
}
