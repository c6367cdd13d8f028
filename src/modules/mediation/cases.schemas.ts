/**
 * The request bodies of the case actions (zod), one per transition of mediation.rules. The rules
 * check meaning (deadlines, SEC-1, checklist …); these check shape, with Spanish messages.
 */
import { z } from 'zod';
import { isIsoDate } from '../../clock.js';
import { SOLUTION_IDS } from '../solutions/solutions.rules.js';
import {
  CASE_STATES,
  CHECKLIST_ITEMS,
  CONTACT_CHANNELS,
  FUND_ATTENDEES,
  NOT_SCHEDULED_CAUSES,
  OFFER_CHANNELS,
  REFUSAL_TO_SIGN_CAUSES,
  SESSION_MODES,
  SIGNATORIES,
  SUMMONS_CHANNELS,
  SURVEY_CHANNELS,
  type CaseAction,
} from './mediation.rules.js';

const ZDate = z.string().refine(isIsoDate, 'La fecha debe tener la forma AAAA-MM-DD.');
const ZTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'La hora debe tener la forma HH:MM (24 horas).');
const ZSolution = z.enum(SOLUTION_IDS);
/** A Mexican phone number: 10 digits, optionally with +52 and separators. */
const ZPhone = z
  .string()
  .trim()
  .transform((value) => value.replace(/[\s().-]/g, '').replace(/^\+?52(?=\d{10}$)/, ''))
  .refine((value) => value === '' || /^\d{10}$/.test(value), 'El teléfono debe tener 10 dígitos.');
const ZEmail = z.union([z.literal(''), z.string().trim().max(254).email('El correo electrónico no es válido.')]);

export const ZContactData = z
  .object({ landline: ZPhone.optional(), mobile: ZPhone.optional(), email: ZEmail.optional() })
  .refine((c) => Boolean(c.landline || c.mobile || c.email), 'Capture al menos un teléfono o un correo electrónico.');

const ZChecklist = z.object(Object.fromEntries(CHECKLIST_ITEMS.map((item) => [item, z.boolean()])) as Record<(typeof CHECKLIST_ITEMS)[number], z.ZodBoolean>);

const ZSessionPlan = z
  .object({
    sessionDate: ZDate,
    sessionTime: ZTime,
    mode: z.enum(SESSION_MODES),
    place: z.string().trim().max(300).optional(),
    remoteTool: z.string().trim().max(60).optional(),
  })
  .superRefine((plan, ctx) => {
    // Lineamiento 3 / act. 11: a session has a place, or (remote) an approved tool
    if (plan.mode === 'in_person' && !plan.place) ctx.addIssue({ code: 'custom', path: ['place'], message: 'Indique el lugar de la sesión presencial.' });
    if (plan.mode === 'remote' && !plan.remoteTool) ctx.addIssue({ code: 'custom', path: ['remoteTool'], message: 'Indique la herramienta aprobada para la sesión a distancia (Lineamiento 3).' });
  });

const empty = z.object({}).strict();

export const ACTION_INPUT_SCHEMAS: Record<CaseAction, z.ZodType> = {
  offer_mediation: z.object({ channel: z.enum(OFFER_CHANNELS), solutionsOffered: z.array(ZSolution).max(SOLUTION_IDS.length) }),
  record_solution_at_visit: z.object({ solutionId: ZSolution }),
  record_refusal: z.object({ note: z.string().trim().max(1000).optional() }),
  record_acceptance: z.object({ privacyNoticeShown: z.boolean(), contactData: ZContactData.optional() }),
  mark_accepted: empty,
  distribute: z.object({ mediatorId: z.number().int().positive() }),
  designate_representative: z.object({ representativeId: z.number().int().positive() }),
  update_contact_data: z.object({ privacyNoticeShown: z.boolean().optional(), contactData: ZContactData }),
  record_contact_attempt: z.object({ party: z.enum(['borrower', 'representative']), channel: z.enum(CONTACT_CHANNELS), reached: z.boolean() }),
  schedule_session: ZSessionPlan,
  send_summons: z.object({ channel: z.enum(SUMMONS_CHANNELS), recipients: z.array(z.enum(['borrower', 'representative'])).min(1).max(2) }),
  request_draft_convenios: empty,
  provide_draft_convenios: z.object({ solutionIds: z.array(ZSolution).max(SOLUTION_IDS.length).optional() }),
  reschedule_session: ZSessionPlan,
  record_not_scheduled: z.object({ cause: z.enum(NOT_SCHEDULED_CAUSES) }),
  close_not_scheduled: empty,
  close_by_dl5: empty,
  close_by_dl8: empty,
  hold_session: z.object({
    heldOn: ZDate,
    mode: z.enum(SESSION_MODES),
    remoteTool: z.string().trim().max(60).optional(),
    borrowerAttended: z.boolean(),
    fundAttendee: z.enum(FUND_ATTENDEES),
    privacyNoticeShownAtStart: z.boolean(),
    checklist: ZChecklist,
  }),
  record_refusal_to_sign: z.object({ cause: z.enum(REFUSAL_TO_SIGN_CAUSES), finalSession: z.boolean() }),
  close_without_agreement: empty,
  sign_convenio: z.object({
    signedOn: ZDate,
    convenioType: z.enum(['RATIFIED', 'NOTARIAL', 'ADMINISTRATIVE']),
    solutionId: ZSolution,
    copies: z.number().int().min(1).max(10),
    signedBy: z.array(z.enum(SIGNATORIES)).max(3),
    acknowledgementSigned: z.boolean(),
    firstPaymentExplained: z.boolean(),
    checklist: ZChecklist,
  }),
  invite_to_survey: z.object({ channel: z.enum(SURVEY_CHANNELS), complaintChannelsExplained: z.boolean() }),
};

export const ZCaseState = z.enum(CASE_STATES);

const ZDueDate = z.object({ rule: z.string(), dueOn: z.string(), status: z.enum(['met', 'pending', 'breached']), explanation: z.string() });

export const ZCaseDetail = z.object({
  id: z.number(),
  creditNumber: z.string(),
  borrowerName: z.string(),
  address: z.string(),
  balanceCents: z.union([z.bigint(), z.number(), z.string()]).transform(String),
  monthsInArrears: z.number(),
  round: z.number(),
  roundLabel: z.string(),
  entry: z.string(),
  month: z.string(),
  convenioType: z.string(),
  delegationName: z.string(),
  agencyId: z.number(),
  agencyName: z.string(),
  mediatorId: z.number().nullable(),
  mediatorName: z.string().nullable(),
  mediatorKind: z.string().nullable(),
  appLicenceNumber: z.string().nullable(),
  representativeId: z.number().nullable(),
  representativeName: z.string().nullable(),
  representativeHasPowers: z.boolean().nullable(),
  state: ZCaseState,
  stateLabel: z.string(),
  version: z.number(),
  openedOn: z.string(),
  acceptedOn: z.string().nullable(),
  sessionDate: z.string().nullable(),
  closedOn: z.string().nullable(),
  closureRule: z.string().nullable(),
  deadlinePolicyVersion: z.number().nullable(),
  day: z.number().nullable(),
  facts: z.record(z.string(), z.unknown()),
  privacyNoticeShownOn: z.string().nullable(),
  contact: z
    .object({
      capturedOn: z.string().nullable(),
      landline: z.string().nullable(),
      mobile: z.string().nullable(),
      email: z.string().nullable(),
      onFile: z.object({ landline: z.string().nullable(), mobile: z.string().nullable(), email: z.string().nullable() }),
    })
    .nullable(),
  dueDates: z.array(ZDueDate),
  breaches: z.array(z.object({ rule: z.string(), dueOn: z.string(), flaggedOn: z.string() })),
  events: z.array(
    z.object({
      version: z.number(),
      action: z.string(),
      label: z.string(),
      activity: z.string(),
      fromState: z.string(),
      toState: z.string(),
      onDate: z.string(),
      actorRole: z.string(),
      actorName: z.string().nullable(),
      data: z.unknown(),
      closureRule: z.string().nullable(),
      policyVersion: z.number().nullable(),
      explanation: z.string().nullable(),
      recordedAt: z.union([z.date(), z.string()]),
    }),
  ),
  // DL-6: the outbox evidence of the summons and the survey invitation (addresses masked)
  messages: z.array(
    z.object({
      id: z.number(),
      purpose: z.string(),
      purposeLabel: z.string(),
      channel: z.string(),
      recipientKind: z.string(),
      recipientName: z.string(),
      recipientAddressMasked: z.string(),
      subject: z.string().nullable(),
      status: z.string(),
      attempts: z.number(),
      sentAt: z.union([z.date(), z.string()]).nullable(),
      adapter: z.string().nullable(),
      providerMessageId: z.string().nullable(),
      caseEventId: z.number().nullable(),
      createdAt: z.union([z.date(), z.string()]),
    }),
  ),
  convenio: z
    .object({ id: z.number(), folio: z.string(), status: z.string() })
    .nullable()
    .describe('El convenio firmado del caso (act. 20), si está en el ámbito del usuario'),
  actions: z.array(z.object({ action: z.string(), label: z.string(), activity: z.string() })),
  approvedRemoteTools: z.array(z.string()),
});
