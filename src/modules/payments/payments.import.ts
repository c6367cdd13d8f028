/**
 * Bulk load of payments (PAY-1): window payments, payroll deductions and transfers from a file
 * (format in payments.csv-format.ts), applied to the credits; then the first payments of
 * convenios are detected (CNV-5).
 *
 * As the credit import: every row is validated (zod) while the file streams; valid rows go by
 * COPY into a staging table; then set-based statements only. All of it happens in the caller's
 * transaction, and it is all or nothing: the whole file is refused (INVALID_FILE, with the first
 * errors and their line numbers) and nothing is written when
 *   - a row is invalid (format, future date…),
 *   - a credit number is not in the portfolio,
 *   - a (credit_number, reference) pair repeats inside the file,
 *   - a (credit_number, reference) pair was already loaded with another date, amount or channel.
 * A pair already loaded with the same date, amount and channel is the same payment: it is counted
 * as `alreadyLoaded` and skipped, so loading a file again (or a file that overlaps an earlier one)
 * never applies a payment twice.
 *
 * Applying the new payments is one UPDATE of the credits they touch:
 *   - balance_cents decreases by the sum of the credit's new payments, never below 0;
 *   - payments_made increases by the number of new payments of at least the monthly payment plus
 *     insurance and fees (monthly_payment_cents + insurance_fees_cents, as the credit stands
 *     before this import), and months_in_arrears decreases by the same number, never below 0;
 *     a smaller payment lowers the balance only (partial payments are not added up);
 *   - updated_at = now.
 * VSM balances (balance_vsm) are not converted here.
 */
import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { IsoDate } from '../../clock.js';
import type { Executor } from '../../db/index.js';
import type { PaymentChannel } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { formatPesos, parsePesos } from '../../money.js';
import { recordEvent, type Actor } from '../audit/audit.service.js';
import { detectFirstPayments } from '../convenios/convenios.service.js';
import { csvField } from '../portfolio/csv.js';
import { invalidFileError, MAX_REPORTED_ERRORS, stageCsvFile, type ImportProblem } from '../portfolio/csv-staging.js';
import { acceptsPaymentRow, PAYMENT_CHANNEL_LABELS, PAYMENT_CSV_COLUMNS, paymentCsvRowSchema } from './payments.csv-format.js';

export { MAX_REPORTED_ERRORS, type ImportProblem };
/** Payment imports run one at a time: a second one waits, then finds the first one's payments loaded. */
const PAYMENTS_IMPORT_LOCK = 'payments import';

const STAGING_COLUMNS = ['line_no', 'credit_number', 'reference', 'paid_on', 'amount_cents', 'channel'] as const;

export interface PaymentsImportResult {
  importRunId: number;
  /** Data rows in the file. */
  rowsTotal: number;
  /** Payments written by this import (rowsTotal − alreadyLoaded). */
  inserted: number;
  /** Rows that were the same payment as one loaded before (same credit, reference, date, amount, channel): skipped. */
  alreadyLoaded: number;
  /** Sum of the inserted payments, in cents. */
  totalCents: bigint;
  /** Credits whose balance, payments made or arrears this import changed. */
  creditsUpdated: number;
  /** Convenios put in force by their first payment (CNV-5) after these payments were applied. */
  firstPaymentsDetected: number;
  sha256: string;
}

export interface PaymentsImportInput {
  fileName: string;
  input: Readable | AsyncIterable<Buffer>;
  /** The import's calendar date: no payment may be dated after it. */
  today: IsoDate;
  now: Date;
  onProgress?: (rowsRead: number, bytesRead: number) => void;
}

function invalidFile(problems: ImportProblem[], more: boolean): AppError {
  return invalidFileError('El archivo de pagos', problems, more);
}

export async function importPayments(trx: Executor, actor: Actor, options: PaymentsImportInput): Promise<PaymentsImportResult> {
  await sql`DROP TABLE IF EXISTS pg_temp.payments_import`.execute(trx);
  await sql`CREATE TEMP TABLE payments_import (
      line_no       integer NOT NULL,
      credit_number text COLLATE "C" NOT NULL,
      reference     text NOT NULL,
      paid_on       date NOT NULL,
      amount_cents  bigint NOT NULL,
      channel       text NOT NULL
    ) ON COMMIT DROP`.execute(trx);

  const schema = paymentCsvRowSchema(options.today);
  const { rowsTotal, sha256, problems } = await stageCsvFile(trx, {
    input: options.input,
    table: 'payments_import',
    columns: STAGING_COLUMNS,
    fileColumns: PAYMENT_CSV_COLUMNS,
    onProgress: options.onProgress,
    stageRow(values, record) {
      // the common valid row skips zod (a property test proves the two agree)
      if (acceptsPaymentRow(values, options.today)) {
        return `${record.line},${values[0]},${csvField(values[1])},${values[2]},${parsePesos(values[3]!)},${values[4]}`;
      }
      const raw: Record<string, string> = {};
      PAYMENT_CSV_COLUMNS.forEach((column, index) => (raw[column] = values[index]!));
      const parsed = schema.safeParse(raw);
      if (parsed.success) {
        const row = parsed.data;
        return `${record.line},${row.credit_number},${csvField(row.reference)},${row.paid_on},${row.amount_cents},${row.channel}`;
      }
      return parsed.error.issues.slice(0, 3).map((issue) => ({ line: record.line, column: String(issue.path[0] ?? ''), message: issue.message }));
    },
  });
  if (problems.length > 0) throw invalidFile(problems, problems.length >= MAX_REPORTED_ERRORS);

  // From here on, what this import checks against (the portfolio, the payments loaded) must not
  // change under it: a concurrent payment import waits for this one to commit.
  await sql`SELECT pg_advisory_xact_lock(hashtext(${PAYMENTS_IMPORT_LOCK}))`.execute(trx);
  await sql`ANALYZE payments_import`.execute(trx);

  const fileProblems = await findFileProblems(trx);
  if (fileProblems.length > 0) throw invalidFile(fileProblems, fileProblems.length >= MAX_REPORTED_ERRORS);

  // Rows already loaded are, after the check above, the same payments: drop them from the staging
  // table, which then holds exactly the new payments.
  const skipped = await sql`
    DELETE FROM payments_import s USING payments p
    WHERE p.credit_number = s.credit_number AND p.reference = s.reference`.execute(trx);
  const alreadyLoaded = Number(skipped.numAffectedRows ?? 0n);
  const inserted = rowsTotal - alreadyLoaded;

  const totals = await sql<{ total_cents: bigint }>`
    SELECT coalesce(sum(amount_cents), 0)::bigint AS total_cents FROM payments_import`.execute(trx);
  const totalCents = totals.rows[0]!.total_cents;

  // One UPDATE for every concern of the credit, each credit written once. The credit's own
  // threshold (monthly payment + insurance) is read in the aggregate, before the update.
  const applied = await sql`
    UPDATE credits c SET
      balance_cents     = greatest(c.balance_cents - n.amount_cents, 0),
      payments_made     = c.payments_made + n.full_payments,
      months_in_arrears = greatest(c.months_in_arrears - n.full_payments, 0),
      updated_at        = ${options.now}
    FROM (
      SELECT s.credit_number,
             sum(s.amount_cents) AS amount_cents,
             count(*) FILTER (WHERE s.amount_cents >= k.monthly_payment_cents + k.insurance_fees_cents) AS full_payments
      FROM payments_import s
      JOIN credits k ON k.credit_number = s.credit_number
      GROUP BY s.credit_number
    ) n
    WHERE c.credit_number = n.credit_number`.execute(trx);
  const creditsUpdated = Number(applied.numAffectedRows ?? 0n);

  const run = await trx
    .insertInto('import_runs')
    .values({
      kind: 'payments',
      file_name: options.fileName,
      file_sha256: sha256,
      rows_total: rowsTotal,
      rows_inserted: inserted,
      rows_updated: creditsUpdated,
      user_id: actor.userId,
      started_at: options.now,
      finished_at: options.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  // In the order of the unique index (credit_number, reference): index pages are filled in turn.
  await sql`
    INSERT INTO payments (import_run_id, credit_number, reference, paid_on, amount_cents, channel)
    SELECT ${run.id}, credit_number, reference, paid_on, amount_cents, channel
    FROM payments_import
    ORDER BY credit_number, reference`.execute(trx);

  const firstPaymentsDetected = await detectFirstPayments(trx, { today: options.today, now: options.now });

  // No personal data: counts, amounts and the file's name and hash only.
  await recordEvent(trx, actor, options.now, {
    action: 'payments.imported',
    entityType: 'import_run',
    entityId: String(run.id),
    after: { fileName: options.fileName, sha256, today: options.today, rowsTotal, inserted, alreadyLoaded, totalCents, creditsUpdated, firstPaymentsDetected },
  });
  return { importRunId: run.id, rowsTotal, inserted, alreadyLoaded, totalCents, creditsUpdated, firstPaymentsDetected, sha256 };
}

interface FileProblemRow {
  kind: 'repeated' | 'unknown_credit' | 'conflict';
  line_no: number;
  credit_number: string;
  reference: string;
  lines: number[] | null;
  import_run_id: number | null;
  paid_on: string | null;
  amount_cents: bigint | null;
  channel: PaymentChannel | null;
}

/**
 * The checks that need the whole file or the database, in one statement: pairs repeated inside
 * the file, unknown credits, and pairs already loaded with other data. The first ones by line.
 */
async function findFileProblems(trx: Executor): Promise<ImportProblem[]> {
  const result = await sql<FileProblemRow>`
    SELECT * FROM (
      SELECT 'repeated' AS kind, r.lines[2] AS line_no, r.credit_number, r.reference, r.lines,
             NULL::integer AS import_run_id, NULL::date AS paid_on, NULL::bigint AS amount_cents, NULL::text AS channel
      FROM (
        SELECT credit_number, reference, array_agg(line_no ORDER BY line_no) AS lines
        FROM payments_import GROUP BY credit_number, reference HAVING count(*) > 1
      ) r
      UNION ALL
      SELECT 'unknown_credit', s.line_no, s.credit_number, s.reference, NULL, NULL, NULL, NULL, NULL
      FROM payments_import s
      WHERE NOT EXISTS (SELECT 1 FROM credits c WHERE c.credit_number = s.credit_number)
      UNION ALL
      SELECT 'conflict', s.line_no, s.credit_number, s.reference, NULL, p.import_run_id, p.paid_on, p.amount_cents, p.channel
      FROM payments_import s
      JOIN payments p ON p.credit_number = s.credit_number AND p.reference = s.reference
      WHERE (p.paid_on, p.amount_cents, p.channel) IS DISTINCT FROM (s.paid_on, s.amount_cents, s.channel)
    ) problems
    ORDER BY line_no, kind
    LIMIT ${MAX_REPORTED_ERRORS}`.execute(trx);
  return result.rows.map((row) => {
    switch (row.kind) {
      case 'repeated':
        return {
          line: row.line_no,
          column: 'reference',
          message: `la referencia ${row.reference} del crédito ${row.credit_number} aparece repetida (líneas ${row.lines!.join(', ')})`,
        };
      case 'unknown_credit':
        return { line: row.line_no, column: 'credit_number', message: `el crédito ${row.credit_number} no existe en la cartera` };
      case 'conflict':
        return {
          line: row.line_no,
          column: 'reference',
          message:
            `la referencia ${row.reference} del crédito ${row.credit_number} ya se cargó (carga ${row.import_run_id}) con otros datos: ` +
            `fecha ${row.paid_on}, importe ${formatPesos(row.amount_cents!)}, canal ${PAYMENT_CHANNEL_LABELS[row.channel!].toLowerCase()}`,
        };
    }
  });
}

