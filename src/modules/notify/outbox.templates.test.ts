/**
 * The texts in Spanish: every channel carries the key facts of act. 11, 14 and 21 and ASG-1;
 * SMS shorter than WhatsApp shorter than e-mail, SMS in GSM-7.
 */
import { describe, expect, it } from 'vitest';
import type { OutboxChannel } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { isGsm7 } from './outbox.rules.js';
import {
  assignmentAvailableMessage,
  rescheduleSummonsMessage,
  summonsMessage,
  surveyInvitationMessage,
  type SummonsMessageInput,
} from './outbox.templates.js';

const CHANNELS: OutboxChannel[] = ['email', 'whatsapp', 'sms'];

const inPerson: SummonsMessageInput = {
  recipientKind: 'borrower',
  recipientName: 'Ana López Pérez',
  creditNumber: '1234567890',
  caseId: 42,
  sessionDate: '2026-11-25',
  sessionTime: '10:30',
  mode: 'in_person',
  place: 'Av. Insurgentes Sur 100, Ciudad de México',
  mediatorName: 'Juan Martínez',
  agencyName: 'Soluciones Hipotecarias AS01',
  privacyNoticeUrl: 'https://cobranza.example/aviso',
};

const remote: SummonsMessageInput = { ...inPerson, mode: 'remote', place: undefined, remoteTool: 'Microsoft Teams', remoteLink: 'https://teams.example/j/1' };

function lengths(render: (channel: OutboxChannel) => { body: string }) {
  const [email, whatsapp, sms] = CHANNELS.map((channel) => render(channel).body.length) as [number, number, number];
  expect(sms).toBeLessThan(whatsapp);
  expect(whatsapp).toBeLessThan(email);
}

describe('act. 11: summons (convocatoria)', () => {
  it('names the credit, the case, the date dd/mm/yyyy, the time, the place, the mediator and the agency on every channel', () => {
    for (const channel of CHANNELS) {
      const { subject, body } = summonsMessage(inPerson, channel);
      expect(subject).toBe('Convocatoria a sesión de mediación — crédito 1234567890 (caso 42)');
      for (const fact of ['1234567890', '42', '25/11/2026', '10:30', 'presencial', 'Insurgentes Sur 100', 'Juan Mart', 'Soluciones Hipotecarias AS01', 'https://cobranza.example/aviso']) {
        expect(body, `${channel}: ${fact}`).toContain(fact);
      }
      expect(body).toMatch(/voluntari/i);
      expect(body).toMatch(/privacidad/i);
    }
  });

  it('e-mail: complete, voluntary attendance, the privacy notice, identification, the signature', () => {
    const { body } = summonsMessage(inPerson, 'email');
    expect(body).toMatch(/^Estimado\(a\) Ana López Pérez:/);
    expect(body).toContain('Por este medio se le convoca a la sesión de mediación del crédito Infonavit número 1234567890 (caso de mediación 42).');
    expect(body).toContain('Fecha: 25/11/2026');
    expect(body).toContain('Hora: 10:30 (hora del centro de México)');
    expect(body).toContain('La mediación es voluntaria: usted decide si asiste a la sesión y si firma algún convenio.');
    expect(body).toContain('aviso de privacidad del Infonavit, que puede consultar en https://cobranza.example/aviso');
    expect(body).toContain('identificación oficial con fotografía');
    expect(body).toContain('Juan Martínez, mediador(a)');
  });

  it('remote: names the approved tool and the link (Lineamiento 3)', () => {
    for (const channel of CHANNELS) {
      const { body } = summonsMessage(remote, channel);
      expect(body).toContain('a distancia');
      expect(body).toContain('Microsoft Teams');
      expect(body).toContain('https://teams.example/j/1');
      expect(body).not.toContain('presencial');
    }
    expect(summonsMessage(remote, 'email').body).toContain('herramienta aprobada por la Gerencia de Mediación y Convenios');
  });

  it('to the Infonavit representative: convened as the fund\'s representative, asked for proof of powers', () => {
    const { body } = summonsMessage({ ...inPerson, recipientKind: 'representative', recipientName: 'Luis Ramírez' }, 'email');
    expect(body).toContain('en representación del Infonavit');
    expect(body).toContain('La mediación es voluntaria para las partes');
    expect(body).toContain('facultades de representación');
  });

  it('without a privacy-notice link, says it is shown at the start of the session', () => {
    for (const channel of CHANNELS) {
      expect(summonsMessage({ ...inPerson, privacyNoticeUrl: undefined }, channel).body).toMatch(/privacidad.*(al inicio|al iniciar)/);
    }
  });

  it('SMS is short, in GSM-7; WhatsApp medium; e-mail complete', () => {
    const sms = summonsMessage(inPerson, 'sms').body;
    expect(isGsm7(sms)).toBe(true);
    expect(sms).toContain('Mediacion');
    expect(sms.length).toBeLessThanOrEqual(320);
    lengths((channel) => summonsMessage(inPerson, channel));
  });

  it('refuses a session without its facts, with Spanish messages', () => {
    const attempts: Array<[Partial<SummonsMessageInput>, RegExp]> = [
      [{ place: ' ' }, /lugar de la sesión presencial/],
      [{ mode: 'remote', remoteTool: undefined }, /herramienta aprobada/],
      [{ sessionDate: '2026-02-30' }, /fecha de la sesión/],
      [{ sessionTime: '25:00' }, /hora de la sesión/],
      [{ mediatorName: '' }, /mediador/],
    ];
    for (const [change, message] of attempts) {
      const call = () => summonsMessage({ ...inPerson, ...change }, 'email');
      expect(call).toThrow(AppError);
      expect(call).toThrow(message);
    }
  });
});

describe('act. 14: summons after rescheduling', () => {
  it('says the previous date, the new one, and that it is the only reschedule', () => {
    const input = { ...inPerson, sessionDate: '2026-12-10', sessionTime: '09:00', previousSessionDate: '2026-11-25', previousSessionTime: '10:30' };
    for (const channel of CHANNELS) {
      const { subject, body } = rescheduleSummonsMessage(input, channel);
      expect(subject).toBe('Reprogramación de la sesión de mediación — crédito 1234567890 (caso 42)');
      expect(body).toContain('25/11/2026');
      expect(body).toContain('10/12/2026');
      expect(body).toContain('09:00');
      expect(body).toMatch(/reprogram/);
      expect(body).toMatch(/voluntari/i);
    }
    const email = rescheduleSummonsMessage(input, 'email').body;
    expect(email).toContain('prevista para el 25/11/2026 a las 10:30 no se celebró y se reprogramó');
    expect(email).toContain('única reprogramación');
    expect(email).not.toContain('La sesión sólo puede reprogramarse una vez.');
    expect(isGsm7(rescheduleSummonsMessage(input, 'sms').body)).toBe(true);
  });
});

describe('act. 21: survey invitation (SRV-1, CMP-1)', () => {
  const input = {
    recipientName: 'Ana López Pérez',
    creditNumber: '1234567890',
    caseId: 42,
    surveyUrl: 'https://cobranza.example/encuesta/abc',
    mediatorName: 'Juan Martínez',
    agencyName: 'Soluciones Hipotecarias AS01',
    complaintsUrl: 'https://cobranza.example/quejas',
    complaintsPhone: '800 008 3900',
  };

  it('gives the survey link and where to complain on every channel', () => {
    for (const channel of CHANNELS) {
      const { subject, body } = surveyInvitationMessage(input, channel);
      expect(subject).toContain('Encuesta de calidad del servicio de mediación');
      expect(body).toContain('https://cobranza.example/encuesta/abc');
      expect(body).toContain('https://cobranza.example/quejas');
      expect(body).toContain('800 008 3900');
      expect(body).toMatch(/[Qq]uejas? (y|o) denuncias?/);
    }
    const email = surveyInvitationMessage(input, 'email').body;
    expect(email).toContain('haya firmado o no un convenio');
    expect(email).toContain('identidad de quien denuncia');
    lengths((channel) => surveyInvitationMessage(input, channel));
  });
});

describe('ASG-1: assignment available to an agency', () => {
  it('names the month in Spanish and the count of credits', () => {
    const input = { agencyName: 'Soluciones Hipotecarias AS01', month: '2026-11', creditCount: 1234, appUrl: 'https://cobranza.example' };
    for (const channel of CHANNELS) {
      const { subject, body } = assignmentAvailableMessage(input, channel);
      expect(subject).toBe('Asignación de noviembre de 2026 disponible: 1,234 créditos');
      expect(body).toContain('noviembre de 2026');
      expect(body).toContain('1,234');
      expect(body).toContain('https://cobranza.example');
    }
    expect(assignmentAvailableMessage({ ...input, creditCount: 1 }, 'email').subject).toBe('Asignación de noviembre de 2026 disponible: 1 crédito');
    expect(() => assignmentAvailableMessage({ ...input, month: '2026-13' }, 'email')).toThrow(/mes no es válido/);
    lengths((channel) => assignmentAvailableMessage(input, channel));
  });
});
