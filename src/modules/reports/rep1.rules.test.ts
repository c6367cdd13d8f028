/**
 * REP-1's pure rules (SPEC §7, act. 32): every branch of items (ii)–(vii) from the facts of a
 * credit as of a date, the counts of «Acerca de», and the month and "as of" date of a monthly
 * report (REP-1, REP-2).
 */
import { describe, expect, it } from 'vitest';
import { countRep1Row, emptyRep1Counts, rep1Cells, rep1Row, REP1_COLUMNS, type Rep1Facts } from './rep1.rules.js';
import { monthBounds, reportCellValue, resolveAsOf } from './report-xlsx.js';

const BASE: Rep1Facts = {
  delegationName: 'Delegación Regional Jalisco',
  creditNumber: '1400000001',
  borrowerName: 'Ana Pérez',
  assignedConvenioType: 'RATIFIED',
  assignedOn: '2026-11-02',
  state: null,
  acceptedOn: null,
  visitSolutionId: null,
  distributedOn: null,
  mediatorName: null,
  firstSessionDate: null,
  sessionDate: null,
  rescheduled: false,
  heldOn: null,
  notScheduledCause: null,
  refusalToSignCause: null,
  signedConvenioType: null,
  signedSolutionId: null,
  signedOn: null,
  cjaRegisteredOn: null,
};
const ACCEPTED = { acceptedOn: '2026-11-03', state: 'accepted' as const };
const DISTRIBUTED = { ...ACCEPTED, state: 'contacting' as const, distributedOn: '2026-11-04', mediatorName: 'Luis Mora' };
const HELD = { ...DISTRIBUTED, state: 'session_held' as const, firstSessionDate: '2026-11-12', sessionDate: '2026-11-12', heldOn: '2026-11-12' };
const AS_OF = '2026-11-30';

describe('REP-1 rows, item by item', () => {
  it('REP-1 (i)–(ii): every row is tagged; a credit not accepted says why — no visit, offered, refused, a solution at the visit', () => {
    const cases: [Partial<Rep1Facts>, string][] = [
      [{}, 'Sin visita registrada a la fecha de corte'],
      [{ state: 'tagged' }, 'Sin visita registrada a la fecha de corte'],
      [{ state: 'offered' }, 'Mediación ofrecida; sin respuesta registrada a la fecha de corte'],
      [{ state: 'refused' }, 'Negativa a la mediación'],
      [{ state: 'solution_at_visit', visitSolutionId: 'SOL-3' }, 'Solución aceptada en la visita (sin mediación): SOL-3 Descuento por Liquidación Anticipada'],
    ];
    for (const [facts, reason] of cases) {
      const row = rep1Row({ ...BASE, ...facts }, AS_OF);
      expect(row).toMatchObject({ tagged: 'Sí', accepted: 'No', acceptedOn: null, notAcceptedReason: reason, attended: 'Sin sesión', attendanceReason: reason, signed: null, cjaRegistered: null });
    }
  });

  it('REP-1 (iii)–(iv): no session and why — not distributed, NS-1..3 (act. 9), DL-5, in contact, a session still to come', () => {
    const cases: [Partial<Rep1Facts>, string, string][] = [
      [ACCEPTED, 'Sin sesión', 'En Mediación: sin distribuir a un mediador (act. 5)'],
      [{ ...ACCEPTED, state: 'closed_dl5' }, 'Sin sesión', 'Cerrado automáticamente: sin sesión agendada ni registro (DL-5)'],
      [DISTRIBUTED, 'Sin sesión', 'En contacto con las partes: sin sesión agendada'],
      [{ ...DISTRIBUTED, state: 'distributed' }, 'Sin sesión', 'Distribuida a mediador: sin sesión agendada'],
      [{ ...DISTRIBUTED, state: 'not_scheduled', notScheduledCause: 'NS-1' }, 'Sin sesión', 'NS-1: No se logró contacto con el acreditado.'],
      [{ ...DISTRIBUTED, state: 'closed_not_scheduled', notScheduledCause: 'NS-3' }, 'Sin sesión', 'NS-3: El acreditado no facilitó día y hora para la sesión.'],
      [{ ...DISTRIBUTED, state: 'scheduled', firstSessionDate: '2026-12-03', sessionDate: '2026-12-03' }, 'Sin sesión', 'Sesión agendada para el 03/12/2026'],
    ];
    for (const [facts, attended, reason] of cases) {
      expect(rep1Row({ ...BASE, ...facts }, AS_OF), reason).toMatchObject({ accepted: 'Sí', attended, attendanceReason: reason, signed: null });
    }
    expect(rep1Row({ ...BASE, ...DISTRIBUTED }, AS_OF)).toMatchObject({ mediator: 'Luis Mora', distributedOn: '2026-11-04' });
  });

  it('REP-1 (iv): did not attend — a session date passed without a session, a reschedule (act. 14), the DL-8 closure', () => {
    const scheduled = { ...DISTRIBUTED, state: 'scheduled' as const, firstSessionDate: '2026-11-20', sessionDate: '2026-11-20' };
    expect(rep1Row({ ...BASE, ...scheduled }, AS_OF)).toMatchObject({ attended: 'No', attendanceReason: 'No se celebró la sesión agendada del 20/11/2026' });
    // the same facts as of the day before the session: not yet
    expect(rep1Row({ ...BASE, ...scheduled }, '2026-11-19')).toMatchObject({ attended: 'Sin sesión', attendanceReason: 'Sesión agendada para el 20/11/2026' });
    const rescheduled = { ...scheduled, state: 'rescheduled' as const, rescheduled: true, sessionDate: '2026-12-10' };
    expect(rep1Row({ ...BASE, ...rescheduled }, AS_OF)).toMatchObject({ attended: 'No', attendanceReason: 'No se celebró la sesión del 20/11/2026; reagendada para el 10/12/2026 (act. 14)' });
    expect(rep1Row({ ...BASE, ...rescheduled, state: 'closed_dl8' }, '2027-02-02')).toMatchObject({
      attended: 'No',
      attendanceReason: 'Cerrado automáticamente: sin sesión celebrada ni nueva fecha (DL-8)',
    });
  });

  it('REP-1 (v)–(vii): attended and signed (type, solution, dates, CJA for RATIFIED only) or refused with NR-1..5 (act. 18)', () => {
    expect(rep1Row({ ...BASE, ...HELD }, AS_OF)).toMatchObject({ attended: 'Sí', attendanceReason: null, signed: 'No', refusalToSignReason: 'Sin firma ni negativa registrada a la fecha de corte', sessionOn: '2026-11-12' });
    expect(rep1Row({ ...BASE, ...HELD, state: 'refused_to_sign', refusalToSignCause: 'NR-2' }, AS_OF)).toMatchObject({
      signed: 'No',
      refusalToSignReason: 'NR-2: Manifestó no tener ingresos, por lo que no puede comprometerse a pagar alguna de las soluciones ofrecidas.',
      solution: null,
      cjaRegistered: null,
    });
    const signed = { ...HELD, state: 'signed' as const, signedConvenioType: 'RATIFIED' as const, signedSolutionId: 'SOL-2' as const, signedOn: '2026-11-12' };
    expect(rep1Row({ ...BASE, ...signed }, AS_OF)).toMatchObject({
      signed: 'Sí',
      signedConvenioType: 'Convenio de Mediación Ratificado',
      solution: 'SOL-2 Reestructura',
      refusalToSignReason: null,
      signedOn: '2026-11-12',
      cjaRegistered: 'No',
      cjaRegisteredOn: null,
    });
    expect(rep1Row({ ...BASE, ...signed, cjaRegisteredOn: '2026-11-20' }, AS_OF)).toMatchObject({ cjaRegistered: 'Sí', cjaRegisteredOn: '2026-11-20' });
    for (const type of ['NOTARIAL', 'ADMINISTRATIVE'] as const) {
      expect(rep1Row({ ...BASE, ...signed, signedConvenioType: type }, AS_OF)).toMatchObject({ cjaRegistered: 'No aplica', cjaRegisteredOn: null });
    }
  });

  it('REP-1 cells follow the 21 columns, and the counts of «Acerca de» add rows by item', () => {
    const signed = { ...HELD, state: 'signed' as const, signedConvenioType: 'RATIFIED' as const, signedSolutionId: 'SOL-2' as const, signedOn: '2026-11-12', cjaRegisteredOn: '2026-11-20' };
    const rows = [BASE, { ...BASE, ...ACCEPTED }, { ...BASE, ...DISTRIBUTED }, { ...BASE, ...HELD }, { ...BASE, ...signed }].map((facts) => rep1Row(facts, AS_OF));
    for (const row of rows) expect(rep1Cells(row)).toHaveLength(REP1_COLUMNS.length);
    expect(rep1Cells(rows[4]!).slice(-2)).toEqual(['Sí', '2026-11-20']);
    const counts = emptyRep1Counts();
    for (const row of rows) countRep1Row(counts, row);
    expect(counts).toEqual({ tagged: 5, accepted: 4, distributed: 3, attended: 2, notAttended: 0, noSession: 1, signed: 1, notSigned: 1, ratifiedSigned: 1, cjaRegistered: 1 });
  });
});

describe('the month and the "as of" date of REP-1 and REP-2', () => {
  it('REP-1 and REP-2 default to the last day of the month, accept a later day up to today, refuse an earlier or a future one', () => {
    expect(monthBounds('2028-02')).toEqual({ first: '2028-02-01', last: '2028-02-29' });
    expect(monthBounds('2026-12')).toEqual({ first: '2026-12-01', last: '2026-12-31' });
    expect(resolveAsOf('2026-11', undefined, '2026-12-01')).toBe('2026-11-30');
    expect(resolveAsOf('2026-11', '2026-12-01', '2026-12-01')).toBe('2026-12-01');
    expect(() => resolveAsOf('2026-11', '2026-11-29', '2026-12-01')).toThrow(/anterior al último día del mes/);
    expect(() => resolveAsOf('2026-11', '2026-12-02', '2026-12-01')).toThrow(/posterior a hoy/);
    expect(() => resolveAsOf('2026-11', undefined, '2026-11-29')).toThrow(/mes concluido/);
    expect(() => resolveAsOf('2026-13', undefined, '2027-01-01')).toThrow(/AAAA-MM/);
    expect(() => resolveAsOf('2026-11', '2026-11-31', '2026-12-05')).toThrow(/fecha válida/);
  });

  it('money goes to Excel as the exact decimal text of its cents, dates as calendar days', () => {
    expect(reportCellValue('money', 123456789n)).toEqual({ decimal: '1234567.89' });
    expect(reportCellValue('money', 10n)).toEqual({ decimal: '0.10' });
    expect(reportCellValue('money', -1999n)).toEqual({ decimal: '-19.99' });
    expect(reportCellValue('money', 0n)).toEqual({ decimal: '0.00' });
    expect(reportCellValue('date', '2026-09-30')).toEqual({ date: '2026-09-30' });
    expect(reportCellValue('count', 7)).toBe(7);
    expect(reportCellValue('text', null)).toBeNull();
  });
});
