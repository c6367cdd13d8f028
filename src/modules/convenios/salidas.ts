/**
 * The PR "Salidas" of the convenios, as files for the other systems:
 * - CNV-4: the servicing records of the restructures applied (credit, borrower, convenio, payment
 *   factor, and the terms the loan-servicing system must charge);
 * - CNV-6: the credits handed over to Recuperación Especializada (delegación, credit, borrower,
 *   agency, assignment date).
 * Scope (SEC-2): a DR manager gets his delegación's; national roles all.
 */
import type { Executor } from '../../db/index.js';
import { centsToDecimalText } from '../../money.js';
import type { AuthUser } from '../identity/identity.service.js';
import { csvLine } from '../portfolio/csv.js';

function delegationOf(user: AuthUser): number | undefined {
  return user.scope.kind === 'delegation' ? user.scope.delegationId : undefined;
}

export async function servicingRecordsCsv(db: Executor, user: AuthUser, period: { from: string; to: string }): Promise<string> {
  const delegationId = delegationOf(user);
  const rows = await db
    .selectFrom('restructures as r')
    .innerJoin('convenios as v', 'v.id', 'r.convenio_id')
    .innerJoin('delegations as d', 'd.id', 'v.delegation_id')
    .select(['d.name as delegation', 'r.credit_number', 'r.borrower_name', 'r.folio', 'v.convenio_type', 'v.solution_id', 'v.signed_on', 'r.applied_on', 'r.payment_factor', 'r.monthly_payment_cents', 'r.balance_cents', 'r.interest_rate_bp', 'r.term_months', 'v.first_payment_cents', 'v.first_payment_due_on'])
    .where('r.applied_on', '>=', period.from)
    .where('r.applied_on', '<=', period.to)
    .$if(delegationId !== undefined, (qb) => qb.where('v.delegation_id', '=', delegationId!))
    .orderBy('r.applied_on')
    .orderBy('r.credit_number')
    .execute();
  const lines = [
    csvLine(['delegacion', 'credito', 'acreditado', 'folio_convenio', 'tipo_convenio', 'solucion', 'fecha_firma', 'fecha_aplicacion', 'factor_pago', 'mensualidad', 'saldo', 'tasa_anual_pb', 'plazo_meses', 'primer_pago', 'fecha_limite_primer_pago']),
    ...rows.map((r) =>
      csvLine([
        r.delegation,
        r.credit_number,
        r.borrower_name,
        r.folio,
        r.convenio_type,
        r.solution_id,
        r.signed_on,
        r.applied_on,
        r.payment_factor,
        centsToDecimalText(r.monthly_payment_cents),
        centsToDecimalText(r.balance_cents),
        String(r.interest_rate_bp),
        String(r.term_months),
        centsToDecimalText(r.first_payment_cents),
        r.first_payment_due_on,
      ]),
    ),
  ];
  return lines.join('\n') + '\n';
}

export async function reHandoversCsv(db: Executor, user: AuthUser, period: { from: string; to: string }): Promise<string> {
  const delegationId = delegationOf(user);
  const rows = await db
    .selectFrom('re_handovers as h')
    .innerJoin('delegations as d', 'd.id', 'h.delegation_id')
    .innerJoin('agencies as a', 'a.id', 'h.agency_id')
    .select(['d.name as delegation', 'h.credit_number', 'h.borrower_name', 'a.name as agency', 'h.assigned_on', 'h.handed_over_on', 'h.reason'])
    .where('h.handed_over_on', '>=', period.from)
    .where('h.handed_over_on', '<=', period.to)
    .$if(delegationId !== undefined, (qb) => qb.where('h.delegation_id', '=', delegationId!))
    .orderBy('h.handed_over_on')
    .orderBy('h.credit_number')
    .execute();
  const lines = [
    csvLine(['delegacion', 'credito', 'acreditado', 'agencia', 'fecha_asignacion', 'fecha_traspaso', 'motivo']),
    ...rows.map((r) => csvLine([r.delegation, r.credit_number, r.borrower_name, r.agency, r.assigned_on, r.handed_over_on, r.reason])),
  ];
  return lines.join('\n') + '\n';
}
