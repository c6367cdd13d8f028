/**
 * Entries to mediation outside the monthly run (Guía Anexo 1).
 * ENT-A: a borrower's request or a business area's proposal names credits → the mediation office
 * has the platform check the exclusion criteria → excluded credits are explained to the requester;
 * the others are tagged with a convenio type and an agency → requester and agency are told.
 * ENT-B: the RE segment reports the accounts judged inhabited (before the monthly run) → they are
 * tagged by the same criteria — except EXC-9, since these accounts are in a legal stage by
 * definition and the seed has their stage *frozen* while tagged — and carry "legal stage frozen".
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/index.js';
import { AppError, notFound } from '../../errors.js';
import { formatDateEs, mexicoCityDate, monthOf } from '../../clock.js';
import { actorOf, recordEvent } from '../audit/audit.service.js';
import type { AuthUser } from '../identity/identity.service.js';
import { ROLE_LABELS } from '../identity/identity.rules.js';
import { getPolicyInForce } from '../policy/policy.service.js';
import { CONVENIO_TYPE_LABELS, EXCLUSION_WORDING, rulesOfMask } from './assignment.rules.js';
import { evaluateProposal, findProposal, findProposalCredits, findProposals, tagProposalCredits } from './proposals.repository.js';

export const REQUEST_ROLES = ['borrower', 'mediation_office', 'operations', 'regional_manager', 'specialized_recovery'] as const;
export const MAX_PROPOSAL_CREDITS = 5_000;

export async function createProposal(
  trx: Executor,
  user: AuthUser,
  input: { entry: 'request' | 'specialized_recovery'; creditNumbers: string[]; reason: string; now: Date },
): Promise<number> {
  const creditNumbers = [...new Set(input.creditNumbers)];
  if (creditNumbers.length === 0) throw new AppError('VALIDATION', { userMessage: 'Indique al menos un crédito.' });
  if (creditNumbers.length > MAX_PROPOSAL_CREDITS) {
    throw new AppError('VALIDATION', { userMessage: `Una propuesta admite a lo más ${MAX_PROPOSAL_CREDITS} créditos.` });
  }
  if (input.entry === 'specialized_recovery' && user.role !== 'specialized_recovery') {
    throw new AppError('FORBIDDEN', { userMessage: 'Sólo la Gerencia de Recuperación Especializada informa cuentas dictaminadas como habitadas (ENT-B).' });
  }
  if (user.scope.kind === 'credit' && creditNumbers.some((n) => n !== (user.scope as { creditNumber: string }).creditNumber)) {
    throw new AppError('FORBIDDEN', { userMessage: 'Sólo puede solicitar la mediación de su propio crédito.' });
  }
  const found = await trx
    .selectFrom('credits')
    .select(['credit_number', 'segment', 'delegation_id', 'in_social_collections'])
    .where('credit_number', 'in', creditNumbers)
    // SEC-2: a credit outside a regional manager's delegación is reported as not found, so that
    // proposing numbers does not reveal which credits exist elsewhere.
    .$if(user.scope.kind === 'delegation', (q) => q.where('delegation_id', '=', (user.scope as { delegationId: number }).delegationId))
    .execute();
  const known = new Set(found.map((c) => c.credit_number));
  const missing = creditNumbers.filter((n) => !known.has(n));
  if (missing.length > 0) {
    const what = user.scope.kind === 'delegation' ? 'Créditos inexistentes o fuera de su delegación' : 'Créditos inexistentes';
    throw new AppError('VALIDATION', { userMessage: `${what}: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? '…' : ''}.` });
  }
  const outside = found.filter((c) => !c.in_social_collections).map((c) => c.credit_number);
  if (outside.length > 0) {
    throw new AppError('VALIDATION', { userMessage: `No pertenecen a la cartera de cobranza social: ${outside.slice(0, 10).join(', ')}${outside.length > 10 ? '…' : ''}.` });
  }
  if (input.entry === 'specialized_recovery') {
    const notRe = found.filter((c) => c.segment !== 'recuperacion_especializada').map((c) => c.credit_number);
    if (notRe.length > 0) throw new AppError('VALIDATION', { userMessage: `No son del segmento de Recuperación Especializada: ${notRe.slice(0, 10).join(', ')}.` });
  }
  const { id } = await trx
    .insertInto('mediation_proposals')
    .values({ entry: input.entry, requester_user_id: user.id, requester_area: ROLE_LABELS[user.role], reason: input.reason, created_at: input.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('mediation_proposal_credits').values(creditNumbers.map((credit_number) => ({ proposal_id: id, credit_number }))).execute();
  await trx
    .insertInto('notices')
    .values({
      created_at: input.now,
      recipient_role: 'mediation_office',
      recipient_agency_id: null,
      recipient_user_id: null,
      title: input.entry === 'request' ? `Solicitud de mediación ${id}` : `Cuentas habitadas de Recuperación Especializada (${id})`,
      body: `${ROLE_LABELS[user.role]} propone ${creditNumbers.length} crédito(s): ${input.reason}`,
      link: `/propuestas/${id}`,
    })
    .execute();
  await recordEvent(trx, actorOf(user), input.now, {
    action: input.entry === 'request' ? 'proposal.created' : 'proposal.re_reported',
    entityType: 'proposal',
    entityId: String(id),
    after: { entry: input.entry, credits: creditNumbers.length, reason: input.reason },
  });
  return id;
}

/**
 * Checks the exclusion criteria for every proposed credit and tags the eligible ones in the
 * current month (ENT-A, ENT-B). Idempotent on a resolved proposal.
 */
export async function resolveProposal(trx: Executor, user: AuthUser, input: { id: number; today: string; now: Date }) {
  // Lock first, then read: two reviews of the same proposal run one after the other, and the
  // second sees it resolved.
  await sql`SELECT id FROM mediation_proposals WHERE id = ${input.id} FOR UPDATE`.execute(trx);
  const proposal = await findProposal(trx, input.id);
  if (!proposal) throw notFound('Propuesta');
  if (proposal.status === 'resolved') {
    const on = proposal.resolved_at ? ` el ${formatDateEs(mexicoCityDate(proposal.resolved_at))}` : '';
    throw new AppError('CONFLICT', { userMessage: `La propuesta ${input.id} ya fue resuelta${on}.` });
  }
  const month = monthOf(input.today);
  const exclusion = await getPolicyInForce(trx, 'exclusion_criteria', input.today);
  const convenio = await getPolicyInForce(trx, 'convenio_type_criteria', input.today);
  const solutions = await getPolicyInForce(trx, 'solution_parameters', input.today);
  const criteria = structuredClone(exclusion.value);
  if (proposal.entry === 'specialized_recovery') {
    criteria['EXC-9'].enabled = false;
    // The RE report is that these homes were judged inhabited (Anexo 1-B, act. 1).
    await sql`UPDATE credits SET housing_status = 'inhabited', updated_at = ${input.now}
              WHERE credit_number IN (SELECT credit_number FROM mediation_proposal_credits WHERE proposal_id = ${input.id})`.execute(trx);
  }
  await evaluateProposal(trx, { proposalId: input.id, month, criteria, solutions: solutions.value });
  const tagged = await tagProposalCredits(trx, { proposalId: input.id, month, today: input.today, entry: proposal.entry, criteria: convenio.value });
  if (proposal.entry === 'specialized_recovery') {
    await sql`UPDATE credits SET legal_stage_frozen = true, updated_at = ${input.now}
              WHERE credit_number IN (SELECT credit_number FROM mediation_proposal_credits WHERE proposal_id = ${input.id} AND outcome = 'tagged')`.execute(trx);
  }
  await trx.updateTable('mediation_proposals').set({ status: 'resolved', resolved_by: user.id, resolved_at: input.now, month }).where('id', '=', input.id).execute();
  const credits = await findProposalCredits(trx, input.id);
  const excluded = credits.filter((c) => c.outcome === 'excluded');
  await trx
    .insertInto('notices')
    .values({
      created_at: input.now,
      recipient_role: proposal.requester_role,
      recipient_agency_id: null,
      recipient_user_id: proposal.requester_user_id,
      title: `Resultado de la propuesta ${input.id}`,
      body:
        `${tagged} crédito(s) etiquetado(s) para mediación; ${excluded.length} excluido(s)` +
        (excluded.length > 0
          ? `: ${excluded
              .slice(0, 5)
              .map((c) => `${c.credit_number} (${rulesOfMask(c.exclusion_mask ?? 0).join(', ')})`)
              .join('; ')}${excluded.length > 5 ? '…' : ''}`
          : '.'),
      link: `/propuestas/${input.id}`,
    })
    .execute();
  const byAgency = new Map<number, number>();
  for (const c of credits) if (c.outcome === 'tagged' && c.agency_id !== null) byAgency.set(c.agency_id, (byAgency.get(c.agency_id) ?? 0) + 1);
  if (byAgency.size > 0) {
    await trx
      .insertInto('notices')
      .values(
        [...byAgency].map(([agencyId, n]) => ({
          created_at: input.now,
          recipient_role: 'agency',
          recipient_agency_id: agencyId,
          recipient_user_id: null,
          title: proposal.entry === 'request' ? 'Nuevas cuentas por solicitud de mediación' : 'Nuevas cuentas de Recuperación Especializada',
          // DL-18: the agency marks "mediation accepted" by the next day.
          body: `Se le asignaron ${n} cuenta(s) fuera de la asignación mensual (propuesta ${input.id}). Márquelas como «mediación aceptada» a más tardar al día siguiente (DL-18).`,
          link: '/cuentas-asignadas',
        })),
      )
      .execute();
  }
  await recordEvent(trx, actorOf(user), input.now, {
    action: 'proposal.resolved',
    entityType: 'proposal',
    entityId: String(input.id),
    after: { month, tagged, excluded: excluded.length, policyVersion: exclusion.version, exc9Waived: proposal.entry === 'specialized_recovery' },
  });
  return getProposal(trx, user, input.id);
}

export async function getProposal(db: Executor, user: AuthUser, id: number) {
  const proposal = await findProposal(db, id);
  if (!proposal || !canSeeProposal(user, proposal.requester_user_id)) throw notFound('Propuesta');
  const credits = await findProposalCredits(db, id);
  return {
    id: proposal.id,
    entry: proposal.entry,
    requesterName: proposal.requester_name,
    requesterArea: proposal.requester_area,
    reason: proposal.reason,
    createdAt: proposal.created_at,
    status: proposal.status,
    resolvedAt: proposal.resolved_at,
    month: proposal.month,
    credits: credits.map((c) => ({
      creditNumber: c.credit_number,
      borrowerName: c.borrower_name,
      outcome: c.outcome,
      reasons: rulesOfMask(c.exclusion_mask ?? 0).map((rule) => ({ rule, wording: EXCLUSION_WORDING[rule] })),
      agencyName: c.agency_name,
      convenioType: c.convenio_type,
      convenioTypeLabel: c.convenio_type ? CONVENIO_TYPE_LABELS[c.convenio_type] : null,
    })),
  };
}

const REVIEWERS = new Set(['mediation_office', 'operations', 'auditor', 'admin']);

function canSeeProposal(user: AuthUser, requesterUserId: number): boolean {
  return REVIEWERS.has(user.role) || user.id === requesterUserId;
}

export async function listProposals(db: Executor, user: AuthUser, input: { status?: 'pending' | 'resolved' }) {
  const rows = await findProposals(db, { ...input, ...(REVIEWERS.has(user.role) ? {} : { requesterUserId: user.id }) });
  return rows.map((r) => ({
    id: r.id,
    entry: r.entry,
    requesterName: r.requester_name,
    requesterArea: r.requester_area,
    reason: r.reason,
    createdAt: r.created_at,
    status: r.status,
    resolvedAt: r.resolved_at,
    credits: Number(r.credits ?? 0n),
  }));
}
