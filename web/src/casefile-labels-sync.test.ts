/**
 * The browser app keeps its own copy of the case-file vocabulary (web/ does not import server
 * modules): this test keeps both copies identical, so a screen never names a status, a work list
 * or the act. 30 note differently from the server (SPEC §6 EXP-1..4, acts. 28–31 and 35).
 */
import { describe, expect, it } from 'vitest';
import * as web from './casefile-labels';
import {
  caseOutcome,
  CASE_FILE_STATUS_LABELS,
  CASE_FILE_STATUSES,
  decideCaseFile,
  type CaseFileFacts,
} from '../../src/modules/casefiles/casefiles.rules.js';
import { CASE_FILE_READ_ROLES } from '../../src/modules/casefiles/casefiles.routes.js';
import { ARCHIVE_READ_ROLES } from '../../src/modules/casefiles/archive.service.js';
import { CASE_FILE_QUEUES } from '../../src/modules/casefiles/casefiles.service.js';
import { CASE_STATES } from '../../src/modules/mediation/mediation.rules.js';

describe('the browser app names the case-file vocabulary as the server does (EXP-1..4)', () => {
  it('statuses (casefiles.rules CASE_FILE_STATUS_LABELS) in their order', () => {
    expect(web.CASE_FILE_STATUS_LABELS).toEqual(CASE_FILE_STATUS_LABELS);
    expect(Object.keys(web.CASE_FILE_STATUS_LABELS)).toEqual([...CASE_FILE_STATUSES]);
  });

  it('every work list of GET /api/case-files has a tab, and every role a daily list', () => {
    const offered = new Set(web.CASE_FILE_LIST_ROLES.flatMap((role) => web.caseFileQueuesFor(role).map((option) => option.queue)));
    expect([...offered].sort()).toEqual([...CASE_FILE_QUEUES].sort());
  });

  it('who reads: the menu and the pages open only for the roles the routes serve', () => {
    expect([...web.CASE_FILE_READ_ROLES].sort()).toEqual([...CASE_FILE_READ_ROLES].sort());
    for (const role of web.ARCHIVE_ROLES) expect(ARCHIVE_READ_ROLES).toContain(role);
  });

  it('act. 28: a case links to its file exactly when the server gives it an outcome', () => {
    for (const state of CASE_STATES) {
      for (const sessionHeld of [true, false]) {
        // a signed case always has its convenio (act. 20)
        const server = caseOutcome({ state, sessionHeldOn: sessionHeld ? '2026-11-10' : null, hasConvenio: state === 'signed' }) !== null;
        expect(web.hasCaseFile(state, sessionHeld), `${state}, session held: ${sessionHeld}`).toBe(server);
      }
    }
  });

  it(`act. 30: the note the forms ask for is the server's minimum (${web.MIN_NOTE_LENGTH} characters)`, () => {
    // What request_corrections reads: the status and the delegación (scope); the rest is the file's.
    const facts = { status: 'submitted', outcome: 'signed', convenioType: 'ADMINISTRATIVE', delegationId: 1, mediatorId: 1 } satisfies Partial<CaseFileFacts> as CaseFileFacts;
    const manager = { role: 'regional_manager' as const, delegationId: 1, mediatorId: null };
    const note = (length: number) => ({ note: 'x'.repeat(length) });
    expect(decideCaseFile(facts, 'request_corrections', note(web.MIN_NOTE_LENGTH - 1), manager, '2026-11-10').ok).toBe(false);
    expect(decideCaseFile(facts, 'request_corrections', note(web.MIN_NOTE_LENGTH), manager, '2026-11-10').ok).toBe(true);
  });
});
