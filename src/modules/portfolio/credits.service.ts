/**
 * Reading the portfolio within the caller's scope (SEC-2); every read of personal data is logged
 * (SEC-4).
 */
import type { Executor } from '../../db/index.js';
import { notFound } from '../../errors.js';
import { centsToNumber } from '../../money.js';
import { logPersonalDataRead } from '../audit/audit.service.js';
import type { AuthUser } from '../identity/identity.service.js';
import { findCredit, searchCredits } from './credits.repository.js';
import type { TCreditDetail, TCreditSearchQuery, TCreditSummary } from './credits.schemas.js';
import { HOUSING_STATUS_LABELS, LEGAL_STAGE_LABELS, SEGMENT_LABELS } from './portfolio.labels.js';

type SummaryRow = Awaited<ReturnType<typeof searchCredits>>['rows'][number];

function toSummary(row: SummaryRow): TCreditSummary {
  return {
    creditNumber: row.credit_number,
    borrowerName: row.borrower_name,
    delegation: { id: row.delegation_id, code: row.delegation_code, name: row.delegation_name },
    segment: row.segment,
    segmentLabel: SEGMENT_LABELS[row.segment],
    denomination: row.denomination,
    balanceCents: centsToNumber(row.balance_cents),
    monthsInArrears: row.months_in_arrears,
    regime: row.regime,
  };
}

export async function findCredits(db: Executor, user: AuthUser, now: Date, query: TCreditSearchQuery) {
  const { rows, total } = await searchCredits(db, user.scope, query);
  await logPersonalDataRead(db, { userId: user.id, role: user.role }, now, rows.map((row) => row.credit_number), 'search');
  return { items: rows.map(toSummary), total, limit: query.limit, offset: query.offset };
}

/** A credit in the caller's scope; NOT_FOUND otherwise, so that existence does not leak. */
export async function getCredit(db: Executor, user: AuthUser, now: Date, creditNumber: string): Promise<TCreditDetail> {
  const row = await findCredit(db, user.scope, creditNumber);
  if (!row) throw notFound('Crédito');
  await logPersonalDataRead(db, { userId: user.id, role: user.role }, now, [row.credit_number], 'detail');
  return {
    ...toSummary(row),
    borrower: {
      name: row.borrower_name,
      nss: row.borrower_nss,
      curp: row.borrower_curp,
      rfc: row.borrower_rfc,
      birthDate: row.borrower_birth_date,
      address: {
        street: row.address_street,
        settlement: row.address_settlement,
        municipality: row.address_municipality,
        postalCode: row.address_postal_code,
      },
      phoneLandline: row.phone_landline,
      phoneMobile: row.phone_mobile,
      email: row.email,
    },
    originalAmountCents: centsToNumber(row.original_amount_cents),
    monthlyPaymentCents: centsToNumber(row.monthly_payment_cents),
    paymentFactor: row.payment_factor,
    insuranceFeesCents: centsToNumber(row.insurance_fees_cents),
    interestRateBp: row.interest_rate_bp,
    termMonths: row.term_months,
    originalAmountVsm: row.original_amount_vsm,
    balanceVsm: row.balance_vsm,
    paymentsMade: row.payments_made,
    originationDate: row.origination_date,
    inSocialCollections: row.in_social_collections,
    exclusionFacts: {
      brokenConvenios: row.broken_convenios,
      housingStatus: row.housing_status,
      housingStatusLabel: HOUSING_STATUS_LABELS[row.housing_status],
      activeRestructure: row.active_restructure,
      outsourced: row.outsourced,
      trustPool: row.trust_pool,
      billingActive: row.billing_active,
      activeExtension: row.active_extension,
      legalStage: row.legal_stage,
      legalStageLabel: LEGAL_STAGE_LABELS[row.legal_stage],
      accompaniment: row.accompaniment,
      legalStageFrozen: row.legal_stage_frozen,
    },
  };
}
