/**
 * REP-2, the delegación's monthly report (SPEC §7; Guía act. 34): the convenios signed in the
 * month in the delegación, with their credit numbers, agency, convenio type, solution and
 * signature date, their approval and first payment (CNV-4, CNV-5), and their status as of the
 * report's date. Pure: the facts in, the cells out.
 */
import type { IsoDate } from '../../clock.js';
import type { ConvenioStatus, ConvenioType } from '../../db/schema.js';
import { CONVENIO_TYPE_LABELS } from '../assignment/assignment.rules.js';
import { CONVENIO_STATUS_LABELS } from '../convenios/convenios.rules.js';
import type { SolutionId } from '../solutions/solutions.rules.js';
import { solutionWording } from './rep1.rules.js';
import type { ReportColumn, ReportValue } from './report-xlsx.js';

/** One convenio as the event log had it on the report's date (names are the statement's columns). */
export interface Rep2Facts {
  delegationName: string;
  creditNumber: string;
  borrowerName: string;
  folio: string;
  agencyName: string;
  convenioType: ConvenioType;
  solutionId: SolutionId;
  signedOn: IsoDate;
  /** act. 25: the approval recorded by the date. */
  approvedOn: IsoDate | null;
  /** CNV-5: the first payment recorded by the date — its day and amount (cents, as text). */
  firstPaidOn: IsoDate | null;
  firstPaidCents: string | null;
  /** The status after the convenio's last event recorded by the date. */
  status: ConvenioStatus;
}

export const REP2_COLUMNS = [
  { header: 'Delegación', width: 28, kind: 'text' },
  { header: 'Crédito', width: 13, kind: 'text' },
  { header: 'Acreditado(a)', width: 34, kind: 'text' },
  { header: 'Folio del convenio', width: 17, kind: 'text' },
  { header: 'Despacho (agencia)', width: 40, kind: 'text' },
  { header: 'Tipo de convenio', width: 34, kind: 'text' },
  { header: 'Solución', width: 34, kind: 'text' },
  { header: 'Fecha de firma', width: 13, kind: 'date' },
  { header: 'Fecha de aprobación', width: 13, kind: 'date' },
  { header: 'Primer pago (monto)', width: 16, kind: 'money' },
  { header: 'Primer pago (fecha)', width: 13, kind: 'date' },
  { header: 'Estado a la fecha de corte', width: 44, kind: 'text' },
] as const satisfies readonly ReportColumn[];

export function rep2Cells(facts: Rep2Facts): ReportValue[] {
  return [
    facts.delegationName,
    facts.creditNumber,
    facts.borrowerName,
    facts.folio,
    facts.agencyName,
    CONVENIO_TYPE_LABELS[facts.convenioType],
    solutionWording(facts.solutionId),
    facts.signedOn,
    facts.approvedOn,
    facts.firstPaidCents === null ? null : BigInt(facts.firstPaidCents),
    facts.firstPaidOn,
    CONVENIO_STATUS_LABELS[facts.status],
  ];
}

export interface Rep2Totals {
  signed: number;
  approved: number;
  firstPaid: number;
  firstPaidCents: bigint;
}

export function emptyRep2Totals(): Rep2Totals {
  return { signed: 0, approved: 0, firstPaid: 0, firstPaidCents: 0n };
}

export function addRep2Totals(totals: Rep2Totals, facts: Rep2Facts): void {
  totals.signed++;
  if (facts.approvedOn !== null) totals.approved++;
  if (facts.firstPaidCents !== null) {
    totals.firstPaid++;
    totals.firstPaidCents += BigInt(facts.firstPaidCents);
  }
}
