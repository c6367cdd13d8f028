/** HTTP output of the case documents (EXP-3). */
import { z } from 'zod';
import { DOCUMENT_TYPES, MEDIA_TYPES } from './documents.service.js';

export const ZCaseDocument = z.object({
  id: z.number(),
  caseId: z.number(),
  documentType: z.enum(DOCUMENT_TYPES),
  documentTypeLabel: z.string(),
  version: z.number(),
  replacesDocumentId: z.number().nullable(),
  sha256: z.string(),
  mediaType: z.enum(MEDIA_TYPES),
  fileName: z.string(),
  sizeBytes: z.number(),
  uploadedBy: z.string(),
  uploadedRole: z.string(),
  uploadedAt: z.string(),
  uploadedOn: z.string(),
  current: z.boolean(),
});
