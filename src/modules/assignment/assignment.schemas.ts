import { z } from 'zod';

export const ZMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'El mes debe tener la forma AAAA-MM.');

export const ZRunRequest = z.object({ month: ZMonth, dryRun: z.boolean().default(false) });

const ZCountRow = z.object({ delegationId: z.number(), code: z.string(), name: z.string(), evaluated: z.number(), tagged: z.number(), assigned: z.number() });

export const ZRunSummary = z.object({
  runId: z.number(),
  month: z.string(),
  runOn: z.string(),
  dryRun: z.boolean(),
  alreadyRun: z.boolean(),
  evaluated: z.number(),
  tagged: z.number(),
  excluded: z.number(),
  assigned: z.number(),
  unassigned: z.number(),
  byRule: z.record(z.string(), z.number()),
  ruleWording: z.record(z.string(), z.string()),
  byDelegation: z.array(ZCountRow),
  byAgency: z.array(z.object({ agencyId: z.number(), code: z.string(), name: z.string(), capacity: z.number(), assigned: z.number() })),
  byConvenioType: z.record(z.string(), z.number()),
  policies: z.object({ exclusionCriteria: z.number(), convenioTypeCriteria: z.number(), solutionParameters: z.number() }),
  difference: z.object({
    previousMonth: z.string().nullable(),
    entered: z.number(),
    left: z.number(),
    changedAgency: z.number(),
    leftBecause: z.record(z.string(), z.number()),
  }),
});

export const ZRunList = z.array(
  z.object({ month: z.string(), runOn: z.string(), publishedAt: z.date().nullable(), evaluated: z.number(), tagged: z.number(), assigned: z.number() }),
);

export const ZExplanation = z.object({
  creditNumber: z.string(),
  month: z.string(),
  evaluated: z.boolean(),
  tagged: z.boolean(),
  reasons: z.array(z.object({ rule: z.string(), wording: z.string() })),
  message: z.string(),
  policyVersion: z.number().nullable(),
  assignment: z
    .object({ agencyId: z.number(), agencyName: z.string(), convenioType: z.string(), convenioTypeLabel: z.string(), assignedOn: z.string(), entry: z.string() })
    .nullable(),
});

export const ZAssignedAccounts = z.object({
  month: z.string().nullable(),
  items: z.array(
    z.object({
      creditNumber: z.string(),
      borrowerName: z.string(),
      delegation: z.string(),
      agency: z.string(),
      convenioType: z.string(),
      convenioTypeLabel: z.string(),
      assignedOn: z.string(),
      fieldAgent: z.string().nullable(),
    }),
  ),
  total: z.number(),
});

export const ZNotices = z.array(z.object({ id: z.string(), createdAt: z.date(), title: z.string(), body: z.string(), link: z.string().nullable() }));
