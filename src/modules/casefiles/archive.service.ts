/**
 * The national archive (SPEC §6 EXP-4, §4 acts. 35–36, §7 REP-3 and REP-4, §5 DL-16): the DR
 * manager ships the complete files of his delegación with the courier's tracking number (guía),
 * the archive (ANEC) acknowledges receipt per file, and every month the DR manager sends the
 * archive-progress report. Every change runs in the caller's transaction with its events, audit
 * event and messages; batch updates are set-based.
 */
import { sql } from 'kysely';
import { formatDateEs, type IsoDate } from '../../clock.js';
import type { Executor } from '../../db/index.js';
import type { CaseFileOutcome, CaseFileStatus, ConvenioType } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { CONVENIO_TYPE_LABELS } from '../assignment/assignment.rules.js';
import { actorOf, logPersonalDataRead, recordEvent } from '../audit/audit.service.js';
import { archiveReportDueDate, DEADLINE_STATUS_LABELS, dueDateOf } from '../deadlines/deadlines.rules.js';
import { DOCUMENT_TYPES, findCaseDocuments } from '../documents/documents.service.js';
import type { AuthUser } from '../identity/identity.service.js';
import { deadlineContext } from '../mediation/cases.service.js';
import { monthNameEs } from '../notify/outbox.templates.js';
import { notifyArchive } from './casefiles.notifications.js';
import {
  ARCHIVE_PROGRESS_LABELS,
  archiveReportAnchor,
  archiveReportSubject,
  CASE_FILE_OUTCOME_LABELS,
  CASE_FILE_STATUS_LABELS,
  canReportMonth,
  monthAfter,
  monthBefore,
  monthEnd,
  monthStart,
  readyForShipment,
  shipmentFolio,
  type ArchiveProgressFigures,
} from './casefiles.rules.js';

/** EXP-4 "ready": the SQL twin of `readyForShipment` over `case_files f`. */
export const READY_FOR_SHIPMENT_SQL = sql<boolean>`((f.outcome = 'signed' AND f.status = 'digitised')
  OR (f.outcome = 'not_signed' AND f.status = 'accepted' AND f.service_concluded_on IS NOT NULL))`;

/** Roles that read shipments and the progress report (the DR manager only his delegación's). */
export const ARCHIVE_READ_ROLES = ['regional_manager', 'archive', 'mediation_office', 'operations', 'auditor'] as const;

/**
 * The delegación a request is about: the DR manager's own (another one is 404, SEC-2); a
 * national role names it.
 */
async function delegationFor(db: Executor, user: AuthUser, delegationId: number | undefined) {
  let id: number;
  if (user.scope.kind === 'delegation') {
    if (delegationId !== undefined && delegationId !== user.scope.delegationId) throw notFound('Delegación');
    id = user.scope.delegationId;
  } else if (user.scope.kind === 'national') {
    if (delegationId === undefined) throw new AppError('VALIDATION', { userMessage: 'Indique la delegación (delegationId).' });
    id = delegationId;
  } else {
    throw new AppError('FORBIDDEN', { userMessage: 'Su rol no tiene acceso al archivo de expedientes (SEC-2).' });
  }
  const delegation = await db.selectFrom('delegations').select(['id', 'code', 'name']).where('id', '=', id).executeTakeFirst();
  if (!delegation) throw notFound('Delegación');
  return delegation;
}

// ------------------------------------------------------------------------------------------------
// Shipments (act. 35, EXP-4)
// ------------------------------------------------------------------------------------------------

export interface ShipmentCommand {
  courier: string;
  trackingNumber: string;
  shippedOn: IsoDate;
  caseFileIds: readonly number[];
  today: IsoDate;
  now: Date;
}

/**
 * EXP-4, act. 35: the DR manager ships a batch of complete files of his delegación with the
 * courier and its tracking number. All or nothing: a file not ready, or not his delegación's,
 * refuses the whole shipment naming it. The files move in one statement, with one event each;
 * the archive users get the shipment notice. Returns the shipment's id.
 */
export async function createShipment(trx: Executor, user: AuthUser, command: ShipmentCommand): Promise<number> {
  if (user.role !== 'regional_manager' || user.scope.kind !== 'delegation') {
    throw new AppError('FORBIDDEN', { userMessage: 'El envío al ANEC lo prepara el Gerente de Cobranza de la delegación (act. 35).' });
  }
  const delegationId = user.scope.delegationId;
  const courier = command.courier.trim();
  const trackingNumber = command.trackingNumber.trim();
  const ids = [...new Set(command.caseFileIds)];
  if (courier.length < 2 || courier.length > 80) throw new AppError('VALIDATION', { userMessage: 'Indique la paquetería (de 2 a 80 caracteres).' });
  if (trackingNumber.length < 4 || trackingNumber.length > 40) throw new AppError('VALIDATION', { userMessage: 'Indique el número de guía (de 4 a 40 caracteres).' });
  if (ids.length === 0) throw new AppError('VALIDATION', { userMessage: 'Seleccione al menos un expediente para el envío (EXP-4).' });
  if (command.shippedOn > command.today) {
    throw new AppError('VALIDATION', { userMessage: `La fecha de envío no puede ser posterior a hoy (${formatDateEs(command.today)}).` });
  }
  const duplicate = await trx.selectFrom('archive_shipments').select('folio').where('courier', '=', courier).where('tracking_number', '=', trackingNumber).executeTakeFirst();
  if (duplicate) {
    throw new AppError('CONFLICT', { userMessage: `La guía ${trackingNumber} de ${courier} ya se registró en el envío ${duplicate.folio}.` });
  }
  const files = await trx
    .selectFrom('case_files as f')
    .select(['f.id', 'f.credit_number', 'f.delegation_id', 'f.status', 'f.outcome', 'f.service_concluded_on'])
    .where('f.id', 'in', ids)
    .where('f.delegation_id', '=', delegationId)
    .orderBy('f.id')
    .forUpdate()
    .execute();
  const unknown = ids.filter((id) => !files.some((f) => f.id === id));
  if (unknown.length > 0) {
    throw new AppError('INVALID_FILE', {
      userMessage: `No se puede enviar: ${unknown.length === 1 ? 'el expediente' : 'los expedientes'} ${unknown.join(', ')} no existe${unknown.length === 1 ? '' : 'n'} o no pertenece${unknown.length === 1 ? '' : 'n'} a su delegación (SEC-2).`,
      details: { rule: 'SEC-2', caseFileIds: unknown },
    });
  }
  const notReady = files.filter((f) => !readyForShipment({ status: f.status, outcome: f.outcome, serviceConcludedOn: f.service_concluded_on }));
  if (notReady.length > 0) {
    throw new AppError('FORBIDDEN_TRANSITION', {
      userMessage: `No se puede enviar: ${notReady.map((f) => `crédito ${f.credit_number} (${CASE_FILE_STATUS_LABELS[f.status]})`).join('; ')}. Sólo se envían expedientes completos: con convenio, digitalizados; sin convenio, aceptados (EXP-4, act. 35).`,
      details: { rule: 'EXP-4', creditNumbers: notReady.map((f) => f.credit_number) },
    });
  }
  const delegation = await trx.selectFrom('delegations').select(['id', 'code', 'name']).where('id', '=', delegationId).executeTakeFirstOrThrow();
  // the day's sequence of the folio: one shipment at a time per delegación
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`archive_shipment:${delegationId}`}))`.execute(trx);
  const { n } = await trx
    .selectFrom('archive_shipments')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('delegation_id', '=', delegationId)
    .where('shipped_on', '=', command.shippedOn)
    .executeTakeFirstOrThrow();
  const folio = shipmentFolio(delegation.code, command.shippedOn, Number(n) + 1);
  const shipment = await trx
    .insertInto('archive_shipments')
    .values({
      folio,
      delegation_id: delegationId,
      courier,
      tracking_number: trackingNumber,
      shipped_on: command.shippedOn,
      files_count: ids.length,
      created_by_user_id: user.id,
      created_at: command.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const data = JSON.stringify({ shipmentId: shipment.id, folio, courier, trackingNumber, shippedOn: command.shippedOn });
  const moved = await sql<{ n: number }>`
    WITH old AS (
      SELECT f.id, f.status FROM case_files f
      WHERE f.id IN (${sql.join(ids)}) AND f.delegation_id = ${delegationId} AND ${READY_FOR_SHIPMENT_SQL}
    ), moved AS (
      UPDATE case_files f
      SET status = 'shipped', shipment_id = ${shipment.id}, version = f.version + 1, updated_at = ${command.now}
      FROM old WHERE f.id = old.id
      RETURNING f.id, f.version, old.status AS from_status
    ), events AS (
      INSERT INTO case_file_events (case_file_id, version, action, activity, from_status, to_status, on_date, actor_role, actor_user_id, data, recorded_at)
      SELECT id, version, 'ship', 'act. 35', from_status, 'shipped', ${command.today}::date, ${user.role}, ${user.id}, ${data}::jsonb, ${command.now}
      FROM moved
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM events`.execute(trx);
  if ((moved.rows[0]?.n ?? 0) !== ids.length) {
    throw new AppError('CONFLICT', { userMessage: 'Otro usuario modificó los expedientes del envío al mismo tiempo. Recargue y vuelva a intentarlo.' });
  }
  await recordEvent(trx, actorOf(user), command.now, {
    action: 'archive_shipment.create',
    entityType: 'archive_shipment',
    entityId: String(shipment.id),
    after: { folio, delegationId, courier, trackingNumber, shippedOn: command.shippedOn, caseFileIds: ids, status: 'shipped', activity: 'act. 35' },
  });
  await notifyArchive(trx, {
    purpose: 'archive_shipment_notice',
    subject: `Aviso de envío de expedientes ${folio} — Delegación ${delegation.name}`,
    body: [
      'Oficina de Recepción y Validación Documental (ANEC):',
      '',
      `La Delegación Regional ${delegation.name} (${delegation.code}) le envía expedientes del servicio de mediación (act. 35).`,
      '',
      `Folio del envío: ${folio}`,
      `Paquetería: ${courier}`,
      `Número de guía: ${trackingNumber}`,
      `Fecha de envío: ${formatDateEs(command.shippedOn)}`,
      `Número de expedientes: ${ids.length}`,
      '',
      `La lista de expedientes y documentos (Excel) se descarga en la plataforma: Archivo › Envío ${folio} (/archivo/envios/${shipment.id}).`,
      'Al recibir el paquete, registre el acuse de recibo de cada expediente en la misma pantalla (EXP-4).',
    ].join('\n'),
    now: command.now,
  });
  return shipment.id;
}

/**
 * EXP-4: the archive acknowledges receipt of some files of a shipment. Idempotent: a file already
 * acknowledged is left as it is. A file that is not of the shipment refuses the whole request.
 */
export async function acknowledgeReceipt(
  trx: Executor,
  user: AuthUser,
  command: { shipmentId: number; caseFileIds: readonly number[]; today: IsoDate; now: Date },
): Promise<{ archived: number; alreadyArchived: number }> {
  if (user.role !== 'archive') {
    throw new AppError('FORBIDDEN', { userMessage: 'El acuse de recibo lo registra el Archivo Nacional de Expedientes de Crédito (ANEC) (EXP-4).' });
  }
  const shipment = await trx.selectFrom('archive_shipments').select(['id', 'folio', 'shipped_on']).where('id', '=', command.shipmentId).forUpdate().executeTakeFirst();
  if (!shipment) throw notFound('Envío');
  const ids = [...new Set(command.caseFileIds)];
  if (ids.length === 0) throw new AppError('VALIDATION', { userMessage: 'Indique al menos un expediente del envío.' });
  if (command.today < shipment.shipped_on) {
    throw new AppError('FORBIDDEN_TRANSITION', { userMessage: `El envío ${shipment.folio} sale el ${formatDateEs(shipment.shipped_on)}: el acuse no puede ser anterior (EXP-4).` });
  }
  const files = await trx.selectFrom('case_files').select(['id', 'status']).where('shipment_id', '=', shipment.id).where('id', 'in', ids).execute();
  const foreign = ids.filter((id) => !files.some((f) => f.id === id));
  if (foreign.length > 0) {
    throw new AppError('INVALID_FILE', {
      userMessage: `${foreign.length === 1 ? 'El expediente' : 'Los expedientes'} ${foreign.join(', ')} no ${foreign.length === 1 ? 'pertenece' : 'pertenecen'} al envío ${shipment.folio}.`,
      details: { rule: 'EXP-4', caseFileIds: foreign },
    });
  }
  const data = JSON.stringify({ shipmentId: shipment.id, folio: shipment.folio });
  const { rows } = await sql<{ id: number }>`
    WITH received AS (
      UPDATE case_files f
      SET status = 'archived', archived_on = ${command.today}::date, archived_by_user_id = ${user.id}, version = f.version + 1, updated_at = ${command.now}
      WHERE f.shipment_id = ${shipment.id} AND f.id IN (${sql.join(ids)}) AND f.status = 'shipped'
      RETURNING f.id, f.version
    ), events AS (
      INSERT INTO case_file_events (case_file_id, version, action, activity, from_status, to_status, on_date, actor_role, actor_user_id, data, recorded_at)
      SELECT id, version, 'acknowledge_receipt', 'EXP-4', 'shipped', 'archived', ${command.today}::date, ${user.role}, ${user.id}, ${data}::jsonb, ${command.now}
      FROM received
      RETURNING case_file_id
    )
    SELECT case_file_id AS id FROM events ORDER BY case_file_id`.execute(trx);
  if (rows.length > 0) {
    await recordEvent(trx, actorOf(user), command.now, {
      action: 'archive_shipment.acknowledge_receipt',
      entityType: 'archive_shipment',
      entityId: String(shipment.id),
      after: { folio: shipment.folio, caseFileIds: rows.map((r) => r.id), status: 'archived', archivedOn: command.today },
    });
  }
  return { archived: rows.length, alreadyArchived: ids.length - rows.length };
}

/** The shipments in scope (a DR manager his delegación's), newest first. */
export async function listShipments(db: Executor, user: AuthUser, query: { delegationId?: number | undefined }) {
  if (user.scope.kind !== 'delegation' && user.scope.kind !== 'national') throw new AppError('FORBIDDEN', { userMessage: 'Su rol no tiene acceso al archivo de expedientes (SEC-2).' });
  const delegationId = user.scope.kind === 'delegation' ? user.scope.delegationId : query.delegationId;
  if (user.scope.kind === 'delegation' && query.delegationId !== undefined && query.delegationId !== delegationId) return [];
  const rows = await db
    .selectFrom('archive_shipments as s')
    .innerJoin('delegations as d', 'd.id', 's.delegation_id')
    .innerJoin('users as u', 'u.id', 's.created_by_user_id')
    .select([
      's.id',
      's.folio',
      's.courier',
      's.tracking_number',
      's.shipped_on',
      's.files_count',
      's.created_at',
      'd.id as delegation_id',
      'd.code as delegation_code',
      'd.name as delegation_name',
      'u.full_name as created_by',
      (eb) =>
        eb
          .selectFrom('case_files as f')
          .select((e) => e.fn.countAll<string>().as('n'))
          .whereRef('f.shipment_id', '=', 's.id')
          .where('f.status', '=', 'archived')
          .as('received'),
    ])
    .$if(delegationId !== undefined, (qb) => qb.where('s.delegation_id', '=', delegationId!))
    .orderBy('s.shipped_on', 'desc')
    .orderBy('s.id', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    folio: r.folio,
    delegation: { id: r.delegation_id, code: r.delegation_code, name: r.delegation_name },
    courier: r.courier,
    trackingNumber: r.tracking_number,
    shippedOn: r.shipped_on,
    filesCount: r.files_count,
    receivedCount: Number(r.received ?? 0),
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
  }));
}

async function shipmentInScope(db: Executor, user: AuthUser, shipmentId: number) {
  if (user.scope.kind !== 'delegation' && user.scope.kind !== 'national') throw new AppError('FORBIDDEN', { userMessage: 'Su rol no tiene acceso al archivo de expedientes (SEC-2).' });
  const shipment = await db
    .selectFrom('archive_shipments as s')
    .innerJoin('delegations as d', 'd.id', 's.delegation_id')
    .innerJoin('users as u', 'u.id', 's.created_by_user_id')
    .select(['s.id', 's.folio', 's.courier', 's.tracking_number', 's.shipped_on', 's.files_count', 's.created_at', 'd.id as delegation_id', 'd.code as delegation_code', 'd.name as delegation_name', 'u.full_name as created_by'])
    .where('s.id', '=', shipmentId)
    .$if(user.scope.kind === 'delegation', (qb) => qb.where('s.delegation_id', '=', (user.scope as { delegationId: number }).delegationId))
    .executeTakeFirst();
  if (!shipment) throw notFound('Envío');
  return shipment;
}

/** The files of a shipment with their borrowers and their current documents (REP-3). */
async function shipmentFiles(db: Executor, shipmentId: number) {
  const files = await db
    .selectFrom('case_files as f')
    .innerJoin('credits as cr', 'cr.credit_number', 'f.credit_number')
    .select(['f.id', 'f.case_id', 'f.credit_number', 'cr.borrower_name', 'f.outcome', 'f.convenio_type', 'f.status', 'f.archived_on'])
    .where('f.shipment_id', '=', shipmentId)
    .orderBy('f.credit_number')
    .execute();
  const documents = await findCaseDocuments(
    db,
    files.map((f) => f.case_id),
  );
  return files.map((f) => {
    const current = documents
      .filter((d) => d.caseId === f.case_id && d.current)
      .sort((a, b) => DOCUMENT_TYPES.indexOf(a.documentType) - DOCUMENT_TYPES.indexOf(b.documentType));
    return {
      caseFileId: f.id,
      caseId: f.case_id,
      creditNumber: f.credit_number,
      borrowerName: f.borrower_name,
      outcome: f.outcome as CaseFileOutcome,
      outcomeLabel: CASE_FILE_OUTCOME_LABELS[f.outcome],
      convenioType: f.convenio_type as ConvenioType,
      convenioTypeLabel: CONVENIO_TYPE_LABELS[f.convenio_type],
      status: f.status as CaseFileStatus,
      statusLabel: CASE_FILE_STATUS_LABELS[f.status],
      archivedOn: f.archived_on,
      documents: current.map((d) => ({ id: d.id, documentType: d.documentType, documentTypeLabel: d.documentTypeLabel, version: d.version })),
    };
  });
}

/** One shipment with its files and their receipt (EXP-4). Logs the read of the borrowers' names (SEC-4). */
export async function getShipmentDetail(db: Executor, user: AuthUser, shipmentId: number, now: Date) {
  const s = await shipmentInScope(db, user, shipmentId);
  const files = await shipmentFiles(db, s.id);
  await logPersonalDataRead(db, { userId: user.id, role: user.role }, now, files.map((f) => f.creditNumber), `envío al ANEC ${s.folio}`);
  return {
    id: s.id,
    folio: s.folio,
    delegation: { id: s.delegation_id, code: s.delegation_code, name: s.delegation_name },
    courier: s.courier,
    trackingNumber: s.tracking_number,
    shippedOn: s.shipped_on,
    filesCount: s.files_count,
    receivedCount: files.filter((f) => f.status === 'archived').length,
    createdBy: s.created_by,
    createdAt: s.created_at.toISOString(),
    files,
  };
}

export type ShipmentDetail = Awaited<ReturnType<typeof getShipmentDetail>>;

// ------------------------------------------------------------------------------------------------
// REP-4: the monthly archive-progress report (act. 36, DL-16)
// ------------------------------------------------------------------------------------------------

/** REP-4 figures of a delegación's month, computed from dates only (the same any later day). */
export async function archiveProgressFigures(db: Executor, delegationId: number, month: string): Promise<ArchiveProgressFigures> {
  const start = monthStart(month);
  const end = monthEnd(month);
  const { rows } = await sql<ArchiveProgressFigures>`
    WITH files AS (
      SELECT
        count(DISTINCT s.id) FILTER (WHERE s.shipped_on BETWEEN ${start}::date AND ${end}::date)::int AS "shipmentsInMonth",
        count(*) FILTER (WHERE s.shipped_on BETWEEN ${start}::date AND ${end}::date)::int AS "filesShippedInMonth",
        count(*) FILTER (WHERE f.archived_on BETWEEN ${start}::date AND ${end}::date)::int AS "filesReceivedInMonth",
        count(*) FILTER (WHERE s.shipped_on <= ${end}::date AND (f.archived_on IS NULL OR f.archived_on > ${end}::date))::int AS "filesPendingAtMonthEnd",
        count(*) FILTER (WHERE f.outcome = 'signed' AND f.archived_on BETWEEN ${start}::date AND ${end}::date)::int AS "conveniosArchivedInMonth",
        count(*) FILTER (WHERE f.outcome = 'signed' AND f.archived_on <= ${end}::date)::int AS "conveniosArchivedToDate"
      FROM case_files f
      JOIN archive_shipments s ON s.id = f.shipment_id
      WHERE f.delegation_id = ${delegationId}
    ), signed AS (
      SELECT
        count(*) FILTER (WHERE v.signed_on BETWEEN ${start}::date AND ${end}::date)::int AS "conveniosSignedInMonth",
        count(*) FILTER (WHERE v.signed_on <= ${end}::date)::int AS "conveniosSignedToDate"
      FROM convenios v
      WHERE v.delegation_id = ${delegationId}
    )
    SELECT * FROM files, signed`.execute(db);
  return rows[0]!;
}

/**
 * The files behind the REP-4 figures: shipped or received in the month, or pending at its end.
 * The delegación was checked in scope by the caller; the read of the borrowers' names is logged.
 */
export async function archiveProgressFiles(db: Executor, user: AuthUser, delegationId: number, month: string, now: Date) {
  const start = monthStart(month);
  const end = monthEnd(month);
  const rows = await db
    .selectFrom('case_files as f')
    .innerJoin('archive_shipments as s', 's.id', 'f.shipment_id')
    .innerJoin('credits as cr', 'cr.credit_number', 'f.credit_number')
    .select(['f.id', 'f.credit_number', 'cr.borrower_name', 'f.outcome', 'f.convenio_type', 's.folio', 's.courier', 's.tracking_number', 's.shipped_on', 'f.archived_on'])
    .where('f.delegation_id', '=', delegationId)
    .where((eb) =>
      eb.or([
        eb('s.shipped_on', '>=', start).and('s.shipped_on', '<=', end),
        eb('f.archived_on', '>=', start).and('f.archived_on', '<=', end),
        eb('s.shipped_on', '<=', end).and(eb.or([eb('f.archived_on', 'is', null), eb('f.archived_on', '>', end)])),
      ]),
    )
    .orderBy('s.shipped_on')
    .orderBy('s.folio')
    .orderBy('f.credit_number')
    .execute();
  await logPersonalDataRead(db, { userId: user.id, role: user.role }, now, rows.map((r) => r.credit_number), `reporte de avance del ANEC ${month}`);
  return rows.map((r) => {
    const archivedOn = r.archived_on !== null && r.archived_on <= end ? r.archived_on : null;
    return {
      caseFileId: r.id,
      creditNumber: r.credit_number,
      borrowerName: r.borrower_name,
      outcomeLabel: CASE_FILE_OUTCOME_LABELS[r.outcome],
      convenioTypeLabel: CONVENIO_TYPE_LABELS[r.convenio_type],
      folio: r.folio,
      courier: r.courier,
      trackingNumber: r.tracking_number,
      shippedOn: r.shipped_on,
      archivedOn,
      situation: archivedOn !== null ? 'Recibido por el ANEC' : 'Pendiente de acuse del ANEC',
    };
  });
}

/** DL-16 of the report about `month` (due in the first days of the next month), as of `today`. */
async function archiveReportDeadline(db: Executor, month: string, sentOn: IsoDate | undefined, policyVersion: number | null | undefined, today: IsoDate) {
  const anchor = archiveReportAnchor(month);
  const deadlines = await deadlineContext(db, anchor, policyVersion);
  return archiveReportDueDate(monthAfter(month), sentOn, deadlines.policy, deadlines.version, deadlines.holidays, today);
}

/**
 * REP-4 of a delegación's month: the figures, whether the report was sent, and its DL-16 date and
 * status. A DR manager reads his delegación's; national roles name one.
 */
export async function getArchiveProgress(db: Executor, user: AuthUser, query: { delegationId?: number | undefined; month: string; today: IsoDate }) {
  const delegation = await delegationFor(db, user, query.delegationId);
  const [report, breach] = await Promise.all([
    db
      .selectFrom('archive_progress_reports as r')
      .innerJoin('users as u', 'u.id', 'r.sent_by_user_id')
      .select(['r.id', 'r.sent_on', 'r.dl16_due_on', 'r.policy_version', 'r.contents', 'u.full_name'])
      .where('r.delegation_id', '=', delegation.id)
      .where('r.month', '=', query.month)
      .executeTakeFirst(),
    db
      .selectFrom('report_deadline_breaches')
      .select(['due_on', 'flagged_on'])
      .where('subject', '=', archiveReportSubject(delegation.id, query.month))
      .where('rule', '=', 'DL-16')
      .executeTakeFirst(),
  ]);
  const figures = await archiveProgressFigures(db, delegation.id, query.month);
  const due = await archiveReportDeadline(db, query.month, report?.sent_on, report?.policy_version, query.today);
  return {
    delegation: { id: delegation.id, code: delegation.code, name: delegation.name },
    month: query.month,
    monthLabel: monthNameEs(query.month),
    figures,
    figureLabels: ARCHIVE_PROGRESS_LABELS,
    canSend: user.role === 'regional_manager' && report === undefined && canReportMonth(query.month, query.today),
    report: report
      ? { id: report.id, sentOn: report.sent_on, sentBy: report.full_name, contents: report.contents as ArchiveProgressFigures }
      : null,
    dl16: { rule: 'DL-16', dueOn: due.dueOn, status: due.status, statusLabel: DEADLINE_STATUS_LABELS[due.status], explanation: due.explanation },
    breach: breach ? { rule: 'DL-16', dueOn: breach.due_on, flaggedOn: breach.flagged_on } : null,
  };
}

export type ArchiveProgress = Awaited<ReturnType<typeof getArchiveProgress>>;

/**
 * act. 36: the DR manager sends the archive-progress report of a month that ended (REP-4). The
 * figures are stored as sent; DL-16 is due in the first days of the next month, and a late report
 * is flagged at once. The archive users receive it by e-mail. Returns the report's id.
 */
export async function sendArchiveProgressReport(
  trx: Executor,
  user: AuthUser,
  command: { month: string; delegationId?: number | undefined; today: IsoDate; now: Date },
): Promise<number> {
  if (user.role !== 'regional_manager') {
    throw new AppError('FORBIDDEN', { userMessage: 'El reporte de avance lo envía el Gerente de Cobranza de la delegación (act. 36).' });
  }
  const delegation = await delegationFor(trx, user, command.delegationId);
  const { month, today, now } = command;
  if (!canReportMonth(month, today)) {
    throw new AppError('FORBIDDEN_TRANSITION', {
      userMessage: `El mes de ${monthNameEs(month)} aún no termina: su reporte de avance se envía en los primeros días del mes siguiente (act. 36, DL-16).`,
      details: { rule: 'DL-16' },
    });
  }
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`archive_report:${delegation.id}`}))`.execute(trx);
  const sent = await trx.selectFrom('archive_progress_reports').select('sent_on').where('delegation_id', '=', delegation.id).where('month', '=', month).executeTakeFirst();
  if (sent) {
    throw new AppError('CONFLICT', { userMessage: `El reporte de avance de ${monthNameEs(month)} ya se envió el ${formatDateEs(sent.sent_on)} (act. 36).` });
  }
  const figures = await archiveProgressFigures(trx, delegation.id, month);
  const anchor = archiveReportAnchor(month);
  const deadlines = await deadlineContext(trx, anchor);
  const dueOn = dueDateOf('DL-16', anchor, deadlines.policy, deadlines.holidays);
  const report = await trx
    .insertInto('archive_progress_reports')
    .values({
      delegation_id: delegation.id,
      month,
      sent_on: today,
      dl16_due_on: dueOn,
      policy_version: deadlines.version,
      contents: JSON.stringify(figures),
      sent_by_user_id: user.id,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (today > dueOn) {
    await trx
      .insertInto('report_deadline_breaches')
      .values({ subject: archiveReportSubject(delegation.id, month), rule: 'DL-16', delegation_id: delegation.id, month, due_on: dueOn, flagged_on: today, policy_version: deadlines.version })
      .onConflict((oc) => oc.columns(['subject', 'rule']).doNothing())
      .execute();
  }
  await recordEvent(trx, actorOf(user), now, {
    action: 'archive_progress_report.send',
    entityType: 'archive_progress_report',
    entityId: String(report.id),
    after: { delegationId: delegation.id, month, sentOn: today, dl16DueOn: dueOn, figures, activity: 'act. 36' },
  });
  await notifyArchive(trx, {
    purpose: 'archive_progress_report',
    subject: `Reporte de avance de convenios recibidos en el ANEC — ${delegation.name}, ${monthNameEs(month)}`,
    body: [
      'Oficina de Recepción y Validación Documental:',
      '',
      `Reporte del avance de convenios recibidos en el ANEC de la Delegación Regional ${delegation.name} (${delegation.code}), ${monthNameEs(month)} (act. 36, REP-4):`,
      '',
      ...(Object.keys(ARCHIVE_PROGRESS_LABELS) as Array<keyof ArchiveProgressFigures>).map((key) => `${ARCHIVE_PROGRESS_LABELS[key]}: ${figures[key]}`),
      '',
      `El detalle por expediente (Excel) se descarga en la plataforma: Archivo › Reporte de avance (/archivo?delegacion=${delegation.id}&mes=${month}).`,
    ].join('\n'),
    now,
  });
  return report.id;
}

/**
 * DL-16 for the daily sweep: the reports of the last two months whose due date passed, for every
 * delegación that owes one (it had signed convenios or shipments by the month's end) and did not
 * send it by then. Set-based, idempotent. Returns how many were flagged.
 */
export async function flagLateArchiveReports(trx: Executor, today: IsoDate): Promise<number> {
  // nobody owes a report before the first convenio or shipment (and no policy is read then)
  const { rows: activity } = await sql<{ any: boolean }>`SELECT EXISTS (SELECT 1 FROM convenios) OR EXISTS (SELECT 1 FROM archive_shipments) AS any`.execute(trx);
  if (!activity[0]?.any) return 0;
  const previous = monthBefore(today.slice(0, 7));
  const months: Array<{ month: string; end: IsoDate; dueOn: IsoDate; version: number }> = [];
  for (const month of [previous, monthBefore(previous)]) {
    const anchor = archiveReportAnchor(month);
    const deadlines = await deadlineContext(trx, anchor);
    const dueOn = dueDateOf('DL-16', anchor, deadlines.policy, deadlines.holidays);
    if (today > dueOn) months.push({ month, end: monthEnd(month), dueOn, version: deadlines.version });
  }
  if (months.length === 0) return 0;
  const values = sql.join(months.map((m) => sql`(${m.month}::text, ${m.end}::date, ${m.dueOn}::date, ${m.version}::int)`));
  const { rows } = await sql<{ n: number }>`
    WITH months(month, month_end, due_on, policy_version) AS (VALUES ${values}),
    owing AS (
      SELECT d.id AS delegation_id, m.month, m.due_on, m.policy_version
      FROM delegations d CROSS JOIN months m
      WHERE (EXISTS (SELECT 1 FROM convenios v WHERE v.delegation_id = d.id AND v.signed_on <= m.month_end)
             OR EXISTS (SELECT 1 FROM archive_shipments s WHERE s.delegation_id = d.id AND s.shipped_on <= m.month_end))
        AND NOT EXISTS (SELECT 1 FROM archive_progress_reports r WHERE r.delegation_id = d.id AND r.month = m.month AND r.sent_on <= m.due_on)
    ), inserted AS (
      INSERT INTO report_deadline_breaches (subject, rule, delegation_id, month, due_on, flagged_on, policy_version)
      SELECT 'archive_report:' || delegation_id || ':' || month, 'DL-16', delegation_id, month, due_on, ${today}::date, policy_version FROM owing
      ON CONFLICT DO NOTHING
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM inserted`.execute(trx);
  return rows[0]?.n ?? 0;
}
