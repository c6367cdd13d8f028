/**
 * The messages a case event sends through the outbox, in the event's transaction (a rolled-back
 * change sends nothing): the written summons of act. 11 and act. 14 to the borrower and the
 * Infonavit representative — the delivery is the evidence DL-6 asks for — and the survey
 * invitation of act. 21 (SRV-1) with the complaint channel (CMP-1).
 */
import { config } from '../../config.js';
import type { Executor } from '../../db/index.js';
import type { OutboxChannel } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { enqueueMessage, listCaseMessages as listOutboxMessagesOfCase } from '../notify/outbox.service.js';
import { rescheduleSummonsMessage, summonsMessage, surveyInvitationMessage, type SummonsMessageInput } from '../notify/outbox.templates.js';
import type { AnyCaseEvent, CaseFacts } from './mediation.rules.js';

export interface CaseEventNotice {
  caseId: number;
  eventId: bigint;
  event: AnyCaseEvent;
  /** The facts before the event (for the previous session date of a reschedule). */
  before: CaseFacts;
  now: Date;
}

interface Parties {
  creditNumber: string;
  borrowerName: string;
  borrowerEmail: string | null;
  borrowerMobile: string | null;
  agencyName: string;
  mediatorName: string | null;
  representativeName: string | null;
  representativeEmail: string | null;
  representativePhone: string | null;
}

async function partiesOf(trx: Executor, caseId: number): Promise<Parties> {
  const row = await trx
    .selectFrom('mediation_cases as c')
    .innerJoin('credits as cr', 'cr.credit_number', 'c.credit_number')
    .innerJoin('agencies as ag', 'ag.id', 'c.agency_id')
    .leftJoin('mediators as m', 'm.id', 'c.mediator_id')
    .leftJoin('representatives as r', 'r.id', 'c.representative_id')
    .select([
      'c.credit_number',
      'cr.borrower_name',
      // SEC-1: the contact data captured after the privacy notice comes first, then the fund's
      'c.contact_email',
      'c.contact_mobile',
      'cr.email as credit_email',
      'cr.phone_mobile as credit_mobile',
      'ag.name as agency_name',
      'm.full_name as mediator_name',
      'r.full_name as representative_name',
      'r.email as representative_email',
      'r.phone as representative_phone',
    ])
    .where('c.id', '=', caseId)
    .executeTakeFirstOrThrow();
  return {
    creditNumber: row.credit_number,
    borrowerName: row.borrower_name,
    borrowerEmail: row.contact_email ?? row.credit_email,
    borrowerMobile: row.contact_mobile ?? row.credit_mobile,
    agencyName: row.agency_name,
    mediatorName: row.mediator_name,
    representativeName: row.representative_name,
    representativeEmail: row.representative_email,
    representativePhone: row.representative_phone,
  };
}

/** The session as last scheduled (act. 11 or 14): its place is in the event, not in the facts. */
async function sessionPlan(trx: Executor, caseId: number) {
  const row = await trx
    .selectFrom('case_events')
    .select('data')
    .where('case_id', '=', caseId)
    .where('action', 'in', ['schedule_session', 'reschedule_session'])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return row.data as { sessionDate: string; sessionTime: string; mode: 'in_person' | 'remote'; place?: string; remoteTool?: string };
}

function addressFor(channel: OutboxChannel, email: string | null, mobile: string | null): string | null {
  return channel === 'email' ? email : mobile;
}

const CHANNEL_NAMES: Record<OutboxChannel, string> = { email: 'correo electrónico', sms: 'SMS', whatsapp: 'WhatsApp' };

export async function notifyCaseEvent(trx: Executor, notice: CaseEventNotice): Promise<void> {
  const { event, caseId, eventId, now } = notice;
  if (event.action === 'send_summons') {
    const parties = await partiesOf(trx, caseId);
    const plan = await sessionPlan(trx, caseId);
    const channel = event.data.channel;
    const rescheduled = notice.before.rescheduledOn !== undefined;
    for (const recipient of event.data.recipients) {
      const borrower = recipient === 'borrower';
      const name = borrower ? parties.borrowerName : (parties.representativeName ?? '');
      const address = borrower
        ? addressFor(channel, parties.borrowerEmail, parties.borrowerMobile)
        : addressFor(channel, parties.representativeEmail, parties.representativePhone);
      if (!address) {
        throw new AppError('VALIDATION', {
          userMessage: borrower
            ? `No hay ${CHANNEL_NAMES[channel]} del acreditado para enviarle la convocatoria: capture sus datos de contacto (con el aviso de privacidad, SEC-1) o elija otro medio (act. 11).`
            : `El representante designado no tiene ${CHANNEL_NAMES[channel]} registrado: elija otro medio (act. 11).`,
        });
      }
      const input: SummonsMessageInput = {
        recipientKind: recipient,
        recipientName: name,
        creditNumber: parties.creditNumber,
        caseId,
        sessionDate: plan.sessionDate,
        sessionTime: plan.sessionTime,
        mode: plan.mode,
        place: plan.place,
        remoteTool: plan.remoteTool,
        mediatorName: parties.mediatorName ?? '',
        agencyName: parties.agencyName,
      };
      const message = rescheduled
        ? rescheduleSummonsMessage({ ...input, previousSessionDate: notice.before.sessionDate ?? plan.sessionDate }, channel)
        : summonsMessage(input, channel);
      await enqueueMessage(trx, {
        purpose: rescheduled ? 'reschedule_summons' : 'summons',
        channel,
        recipientKind: recipient,
        recipientName: name,
        recipientAddress: address,
        subject: message.subject,
        body: message.body,
        caseId,
        caseEventId: eventId,
        now,
      });
    }
    return;
  }
  if (event.action === 'invite_to_survey' && event.data.channel === 'link') {
    // SRV-1: the link goes to the borrower's phone (SMS) or, without one, to his e-mail
    const parties = await partiesOf(trx, caseId);
    const channel: OutboxChannel | null = parties.borrowerMobile ? 'sms' : parties.borrowerEmail ? 'email' : null;
    if (channel === null) {
      throw new AppError('VALIDATION', {
        userMessage: 'El acreditado no tiene teléfono móvil ni correo para recibir la encuesta: ofrézcale responderla en su dispositivo (act. 21).',
      });
    }
    const cfg = config();
    const message = surveyInvitationMessage(
      {
        recipientName: parties.borrowerName,
        creditNumber: parties.creditNumber,
        caseId,
        surveyUrl: `${cfg.surveyUrl}${cfg.surveyUrl.includes('?') ? '&' : '?'}caso=${caseId}`,
        mediatorName: parties.mediatorName ?? '',
        agencyName: parties.agencyName,
        complaintsUrl: cfg.complaintsUrl,
      },
      channel,
    );
    await enqueueMessage(trx, {
      purpose: 'survey_invitation',
      channel,
      recipientKind: 'borrower',
      recipientName: parties.borrowerName,
      recipientAddress: addressFor(channel, parties.borrowerEmail, parties.borrowerMobile)!,
      subject: message.subject,
      body: message.body,
      caseId,
      caseEventId: eventId,
      now,
    });
  }
}

/** The outbox evidence of a case (addresses masked); the caller checks scope and logs the read. */
export async function listCaseMessages(db: Executor, caseId: number) {
  return listOutboxMessagesOfCase(db, caseId);
}
