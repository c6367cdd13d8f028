/**
 * HTTP input and output of case files and the archive (EXP-1..4, acts. 28–36, REP-3, REP-4):
 * validated on the way in and on the way out, so the API never sends what it did not declare.
 */
import { z } from 'zod';
import { isIsoDate } from '../../clock.js';
import { ZCaseDocument } from '../documents/documents.schemas.js';
import { DOCUMENT_TYPES } from '../documents/documents.service.js';
import { ARCHIVE_PROGRESS_LABELS, CASE_FILE_ACTIONS, CASE_FILE_STATUSES, isMonth } from './casefiles.rules.js';
import { CASE_FILE_QUEUES } from './casefiles.service.js';

const CONVENIO_TYPES = ['RATIFIED', 'NOTARIAL', 'ADMINISTRATIVE'] as const;
const OUTCOMES = ['signed', 'not_signed'] as const;

export const ZIsoDate = z.string().refine(isIsoDate, 'Use una fecha válida con el formato AAAA-MM-DD.');
export const ZMonth = z.string().refine(isMonth, 'Use el formato AAAA-MM.');
const ZDelegation = z.object({ id: z.number(), code: z.string(), name: z.string() });

// ------------------------------------------------------------------------------------------------
// Inputs

export const ZCaseFileActionBody = z.object({
  action: z.enum(CASE_FILE_ACTIONS),
  version: z.number().int().min(1).optional().describe('La versión del expediente que se vio (obligatoria salvo en la primera entrega)'),
  note: z.string().trim().max(4000).optional().describe('Correcciones solicitadas (act. 30), aclaración del mediador o nota'),
  receivedOn: ZIsoDate.optional().describe('Fecha de recepción de las constancias de pago (act. 31); por omisión, hoy'),
});

export const ZCaseFileListQuery = z.object({
  queue: z.enum(CASE_FILE_QUEUES).default('all'),
  delegationId: z.coerce.number().int().min(1).max(99).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

const ZCaseFileIds = z.array(z.number().int().positive()).min(1, 'Seleccione al menos un expediente.').max(1000);

export const ZShipmentBody = z.object({
  courier: z.string().trim().min(2, 'Indique la paquetería (al menos 2 caracteres).').max(80),
  trackingNumber: z.string().trim().min(4, 'Indique el número de guía (al menos 4 caracteres).').max(40),
  shippedOn: ZIsoDate,
  caseFileIds: ZCaseFileIds,
});

export const ZReceiptsBody = z.object({ caseFileIds: ZCaseFileIds });

export const ZProgressQuery = z.object({
  delegationId: z.coerce.number().int().min(1).max(99).optional(),
  month: ZMonth.optional().describe('AAAA-MM; por omisión, el mes anterior (el que se reporta en los primeros días de este)'),
});

export const ZProgressReportBody = z.object({ month: ZMonth, delegationId: z.number().int().min(1).max(99).optional() });

// ------------------------------------------------------------------------------------------------
// Outputs

const ZChecklistDocument = z.object({
  id: z.number(),
  documentType: z.enum(DOCUMENT_TYPES),
  documentTypeLabel: z.string(),
  version: z.number(),
  fileName: z.string(),
  uploadedOn: z.string(),
});

export const ZChecklist = z.object({
  rule: z.enum(['EXP-1', 'EXP-2']),
  items: z.array(
    z.object({
      id: z.string().describe("'EXP-1.i' … 'EXP-2.iii'"),
      label: z.string(),
      documentTypes: z.array(z.enum(DOCUMENT_TYPES)),
      required: z.boolean(),
      satisfied: z.boolean(),
      documents: z.array(ZChecklistDocument),
    }),
  ),
  missing: z.array(z.object({ id: z.string(), label: z.string() })),
  complete: z.boolean(),
});

const ZDueDate = z.object({
  rule: z.string(),
  dueOn: z.string(),
  status: z.enum(['met', 'pending', 'breached']),
  statusLabel: z.string(),
  explanation: z.string(),
});

export const ZCaseFileDetail = z.object({
  caseId: z.number(),
  caseFileId: z.number().nullable().describe('null mientras el expediente está en integración (antes de la primera entrega)'),
  version: z.number().nullable(),
  case: z.object({
    creditNumber: z.string(),
    borrowerName: z.string(),
    round: z.number(),
    state: z.string(),
    stateLabel: z.string(),
    sessionHeldOn: z.string().nullable(),
    delegation: ZDelegation,
    agencyName: z.string(),
    mediatorName: z.string().nullable(),
    convenio: z
      .object({
        id: z.number(),
        folio: z.string(),
        convenioType: z.enum(CONVENIO_TYPES),
        convenioTypeLabel: z.string(),
        solutionId: z.string(),
        solutionName: z.string(),
        status: z.string(),
        signedOn: z.string(),
      })
      .nullable(),
  }),
  outcome: z.enum(OUTCOMES),
  outcomeLabel: z.string(),
  convenioType: z.enum(CONVENIO_TYPES),
  convenioTypeLabel: z.string(),
  status: z.enum(CASE_FILE_STATUSES),
  statusLabel: z.string(),
  feeValidationRequired: z.boolean(),
  dates: z.object({
    submittedOn: z.string().nullable().describe('La última recepción del expediente por la DR (entrega o respuesta a correcciones)'),
    reviewRounds: z.number(),
    correctionsRequestedOn: z.string().nullable(),
    acceptedOn: z.string().nullable(),
    certificatesReceivedOn: z.string().nullable(),
    feeValidatedOn: z.string().nullable(),
    serviceConcludedOn: z.string().nullable(),
    digitisedOn: z.string().nullable(),
    archivedOn: z.string().nullable(),
  }),
  deadlinePolicyVersion: z.number().nullable(),
  checklist: ZChecklist,
  documents: z.array(ZCaseDocument).describe('Todas las versiones de cada documento (EXP-3)'),
  dueDates: z.array(ZDueDate),
  breaches: z.array(z.object({ rule: z.string(), dueOn: z.string(), flaggedOn: z.string() })),
  events: z.array(
    z.object({
      version: z.number(),
      action: z.string(),
      label: z.string(),
      activity: z.string(),
      fromStatus: z.string().nullable(),
      toStatus: z.string(),
      onDate: z.string(),
      actorRole: z.string(),
      actorRoleLabel: z.string(),
      actorName: z.string().nullable(),
      note: z.string().nullable(),
      data: z.unknown(),
      recordedAt: z.string(),
    }),
  ),
  availableActions: z.array(z.object({ action: z.enum(CASE_FILE_ACTIONS), label: z.string(), activity: z.string() })),
  shipment: z.object({ id: z.number(), folio: z.string(), courier: z.string(), trackingNumber: z.string(), shippedOn: z.string() }).nullable(),
});

export const ZCaseFileList = z.object({
  items: z.array(
    z.object({
      caseId: z.number(),
      caseFileId: z.number().nullable(),
      version: z.number().nullable(),
      creditNumber: z.string(),
      borrowerName: z.string(),
      delegation: ZDelegation,
      agencyName: z.string(),
      mediatorName: z.string().nullable(),
      outcome: z.enum(OUTCOMES),
      outcomeLabel: z.string(),
      convenioType: z.enum(CONVENIO_TYPES),
      convenioTypeLabel: z.string(),
      status: z.enum(CASE_FILE_STATUSES),
      statusLabel: z.string(),
      missingCount: z.number(),
      nextDue: z.object({ rule: z.string(), dueOn: z.string() }).nullable(),
      breachedRules: z.array(z.string()),
      shipmentId: z.number().nullable(),
      archivedOn: z.string().nullable(),
    }),
  ),
  total: z.number(),
});

const ZShipmentSummary = z.object({
  id: z.number(),
  folio: z.string(),
  delegation: ZDelegation,
  courier: z.string(),
  trackingNumber: z.string(),
  shippedOn: z.string(),
  filesCount: z.number(),
  receivedCount: z.number(),
  createdBy: z.string().describe('Gerente de Cobranza de la Delegación que preparó el envío'),
  createdAt: z.string(),
});

export const ZShipmentList = z.array(ZShipmentSummary);

export const ZShipmentDetail = ZShipmentSummary.extend({
  files: z.array(
    z.object({
      caseFileId: z.number(),
      caseId: z.number(),
      creditNumber: z.string(),
      borrowerName: z.string(),
      outcome: z.enum(OUTCOMES),
      outcomeLabel: z.string(),
      convenioType: z.enum(CONVENIO_TYPES),
      convenioTypeLabel: z.string(),
      status: z.enum(CASE_FILE_STATUSES),
      statusLabel: z.string(),
      archivedOn: z.string().nullable(),
      documents: z.array(z.object({ id: z.number(), documentType: z.enum(DOCUMENT_TYPES), documentTypeLabel: z.string(), version: z.number() })),
    }),
  ),
});

const FIGURE_KEYS = Object.keys(ARCHIVE_PROGRESS_LABELS) as Array<keyof typeof ARCHIVE_PROGRESS_LABELS>;
const ZFigures = z.object(Object.fromEntries(FIGURE_KEYS.map((k) => [k, z.number().int()])) as Record<(typeof FIGURE_KEYS)[number], z.ZodNumber>);

export const ZArchiveProgress = z.object({
  delegation: ZDelegation,
  month: z.string(),
  monthLabel: z.string(),
  figures: ZFigures,
  figureLabels: z.object(Object.fromEntries(FIGURE_KEYS.map((k) => [k, z.string()])) as Record<(typeof FIGURE_KEYS)[number], z.ZodString>),
  canSend: z.boolean(),
  report: z.object({ id: z.number(), sentOn: z.string(), sentBy: z.string(), contents: ZFigures }).nullable(),
  dl16: ZDueDate.describe('DL-16: el reporte del mes se envía en los primeros días del mes siguiente'),
  breach: z.object({ rule: z.string(), dueOn: z.string(), flaggedOn: z.string() }).nullable(),
});
