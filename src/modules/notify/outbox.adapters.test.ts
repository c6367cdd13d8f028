/**
 * The delivery adapters against real servers on this machine: a provider gateway
 * (http.createServer) for SMS and WhatsApp, and a minimal SMTP server (net.createServer) for e-mail.
 */
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adaptersFromConfig, buildEmail, createHttpAdapter, createLocalAdapter, createSmtpAdapter, describeAdapters, OutboxDeliveryError, type OutgoingMessage } from './outbox.adapters.js';

const sms: OutgoingMessage = {
  id: 17,
  purpose: 'summons',
  channel: 'sms',
  recipientName: 'Ana López',
  recipientAddress: '+525512345678',
  subject: 'Convocatoria a sesión de mediación',
  body: 'Infonavit Mediacion: sesion del 25/11/2026 10:30 h.',
};

// ------------------------------------------------------------------------------------------------
// A provider gateway

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

let gateway: HttpServer;
let gatewayUrl: string;
let received: Received[] = [];
/** What the gateway answers next: status and JSON body, or a delay longer than the client's timeout. */
let nextReply: { status: number; body: unknown; delayMs?: number } = { status: 200, body: {} };

beforeAll(async () => {
  gateway = createHttpServer((request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: JSON.parse(text) });
      const reply = nextReply;
      setTimeout(() => {
        if (response.destroyed) return;
        response.writeHead(reply.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(reply.body));
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/v1/messages`;
});
afterAll(async () => {
  gateway.closeAllConnections();
  await new Promise((resolve) => gateway.close(resolve));
});
beforeEach(() => {
  received = [];
  nextReply = { status: 200, body: {} };
});

describe('HTTP adapter (SMS and WhatsApp providers)', () => {
  it('POSTs JSON with the token and an idempotency key, and returns the provider id as evidence', async () => {
    nextReply = { status: 202, body: { id: 'SM-000123', status: 'queued' } };
    const adapter = createHttpAdapter({ name: 'sms-http', channel: 'sms', url: gatewayUrl, token: 'secret-token' });
    await expect(adapter.send(sms)).resolves.toEqual({ providerMessageId: 'SM-000123' });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request).toMatchObject({ method: 'POST', url: '/v1/messages' });
    expect(request!.headers.authorization).toBe('Bearer secret-token');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['idempotency-key']).toBe('outbox-17');
    expect(request!.body).toEqual({ channel: 'sms', to: '+525512345678', body: sms.body, reference: 'outbox-17' });
  });

  it('reads the id under the names providers use (messageId, message_id, sid, nested)', async () => {
    const adapter = createHttpAdapter({ name: 'whatsapp-http', channel: 'whatsapp', url: gatewayUrl });
    const whatsapp = { ...sms, channel: 'whatsapp' as const };
    for (const [body, id] of [
      [{ messageId: 'wamid.A' }, 'wamid.A'],
      [{ message_id: 42 }, '42'],
      [{ sid: 'SMabc' }, 'SMabc'],
      [{ data: { id: 'nested-1' } }, 'nested-1'],
    ] as const) {
      nextReply = { status: 200, body };
      await expect(adapter.send(whatsapp)).resolves.toEqual({ providerMessageId: id });
    }
    expect(received[0]!.headers.authorization).toBeUndefined();
  });

  it('a 5xx or 429 is retried; a 4xx is permanent; an accepted message with no id is permanent', async () => {
    const adapter = createHttpAdapter({ name: 'sms-http', channel: 'sms', url: gatewayUrl });
    const failure = async () => {
      try {
        await adapter.send(sms);
      } catch (error) {
        return error as OutboxDeliveryError;
      }
      throw new Error('expected a failure');
    };
    nextReply = { status: 503, body: { error: 'unavailable' } };
    expect(await failure()).toMatchObject({ name: 'OutboxDeliveryError', permanent: false, message: 'SMS: el proveedor respondió HTTP 503.' });
    nextReply = { status: 429, body: {} };
    expect((await failure()).permanent).toBe(false);
    nextReply = { status: 400, body: { error: 'invalid number +525512345678' } };
    const rejected = await failure();
    expect(rejected).toMatchObject({ permanent: true, message: 'SMS: el proveedor respondió HTTP 400.' });
    expect(rejected.message).not.toContain('5512345678');
    nextReply = { status: 200, body: { ok: true } };
    expect(await failure()).toMatchObject({ permanent: true, message: 'SMS: el proveedor aceptó el mensaje sin devolver su identificador.' });
  });

  it('times out a provider that does not answer, and reports an unreachable one, both to be retried', async () => {
    nextReply = { status: 200, body: { id: 'late' }, delayMs: 2000 };
    const slow = createHttpAdapter({ name: 'sms-http', channel: 'sms', url: gatewayUrl, timeoutMs: 100 });
    await expect(slow.send(sms)).rejects.toMatchObject({ permanent: false, message: 'SMS: el proveedor no respondió en 1 s.' });
    const closed = createHttpAdapter({ name: 'sms-http', channel: 'sms', url: 'http://127.0.0.1:9/none', timeoutMs: 1000 });
    await expect(closed.send(sms)).rejects.toMatchObject({ permanent: false, message: 'SMS: no se pudo conectar con el proveedor.' });
  });

  it('refuses a message of another channel without calling the provider', async () => {
    const adapter = createHttpAdapter({ name: 'sms-http', channel: 'sms', url: gatewayUrl });
    await expect(adapter.send({ ...sms, channel: 'whatsapp' })).rejects.toMatchObject({ permanent: true });
    expect(received).toHaveLength(0);
  });
});

// ------------------------------------------------------------------------------------------------
// A minimal SMTP server: enough of RFC 5321 for one client without TLS or authentication.

interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
}

function startSmtpServer(options: { rejectRecipient?: boolean } = {}): Promise<{ server: NetServer; url: string; mails: ReceivedMail[] }> {
  const mails: ReceivedMail[] = [];
  const server = createNetServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let mail: ReceivedMail = { from: '', to: [], data: '' };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 localhost ESMTP test');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mail.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          mails.push(mail);
          reply(`250 2.0.0 Ok: queued as Q${mails.length}`);
          mail = { from: '', to: [], data: '' };
          continue;
        }
        const newline = buffer.indexOf('\r\n');
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') reply('250 localhost');
        else if (verb === 'MAIL') {
          mail.from = line;
          reply('250 2.1.0 Ok');
        } else if (verb === 'RCPT') {
          if (options.rejectRecipient) reply(`550 5.1.1 ${line.slice(8)}: Recipient address rejected: User unknown`);
          else {
            mail.to.push(line);
            reply('250 2.1.5 Ok');
          }
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 End data with <CR><LF>.<CR><LF>');
        } else if (verb === 'QUIT') {
          reply('221 2.0.0 Bye');
          socket.end();
          return;
        } else if (verb === 'RSET' || verb === 'NOOP') reply('250 Ok');
        else reply('502 5.5.2 Error: command not recognized');
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`, mails })),
  );
}

const email: OutgoingMessage = {
  id: 99,
  purpose: 'summons',
  channel: 'email',
  recipientName: 'Ana López',
  recipientAddress: 'ana.lopez@ejemplo.invalid',
  subject: 'Convocatoria a sesión de mediación — crédito 1234567890 (caso 42)',
  body: 'Estimado(a) Ana López:\n\nPor este medio se le convoca a la sesión de mediación…',
};

describe('SMTP adapter (e-mail)', () => {
  it('builds a UTF-8 text e-mail whose Message-ID comes from the outbox id', () => {
    const built = buildEmail(email, 'Cobranza Social <no-responder@cobranza.example>');
    expect(built).toMatchObject({
      from: 'Cobranza Social <no-responder@cobranza.example>',
      to: { name: 'Ana López', address: 'ana.lopez@ejemplo.invalid' },
      subject: email.subject,
      text: email.body,
      messageId: '<outbox-99@cobranza.example>',
    });
    expect(built.headers).toMatchObject({ 'X-Outbox-Id': '99' });
  });

  it('delivers to an SMTP server and returns the Message-ID as evidence', async () => {
    const smtp = await startSmtpServer();
    try {
      const adapter = createSmtpAdapter({ url: smtp.url, from: 'Cobranza Social <no-responder@cobranza.example>', timeoutMs: 5000 });
      await expect(adapter.send(email)).resolves.toEqual({ providerMessageId: '<outbox-99@cobranza.example>' });
      expect(smtp.mails).toHaveLength(1);
      const [mail] = smtp.mails;
      expect(mail!.from).toContain('<no-responder@cobranza.example>');
      expect(mail!.to).toEqual(['RCPT TO:<ana.lopez@ejemplo.invalid>']);
      expect(mail!.data).toContain('Message-ID: <outbox-99@cobranza.example>');
      expect(mail!.data).toMatch(/^X-Outbox-Id: 99\r$/im);
      expect(mail!.data).toMatch(/Subject: =\?UTF-8\?/);
      expect(mail!.data).toMatch(/charset=utf-8/i);
    } finally {
      smtp.server.close();
    }
  });

  it('a recipient refused with 5xx is a permanent failure', async () => {
    const smtp = await startSmtpServer({ rejectRecipient: true });
    try {
      const adapter = createSmtpAdapter({ url: smtp.url, from: 'no-responder@cobranza.example', timeoutMs: 5000 });
      await expect(adapter.send(email)).rejects.toMatchObject({ name: 'OutboxDeliveryError', permanent: true });
      expect(smtp.mails).toHaveLength(0);
    } finally {
      smtp.server.close();
    }
  });

  it('an unreachable server is retried', async () => {
    const adapter = createSmtpAdapter({ url: 'smtp://127.0.0.1:9', from: 'no-responder@cobranza.example', timeoutMs: 1000 });
    await expect(adapter.send(email)).rejects.toMatchObject({ permanent: false });
  });
});

describe('local adapter and configuration', () => {
  it('the local adapter delivers at once with a local provider id', async () => {
    await expect(createLocalAdapter().send(sms)).resolves.toEqual({ providerMessageId: 'local-17' });
  });

  it('a channel without a provider uses the local adapter', () => {
    const base = {
      smtpUrl: undefined,
      smtpFrom: 'no-responder@cobranza.example',
      smsProviderUrl: undefined,
      smsProviderToken: undefined,
      whatsappProviderUrl: undefined,
      whatsappProviderToken: undefined,
      maxAttempts: 8,
      retryBaseMs: 60_000,
      intervalMs: 10_000,
    };
    expect(describeAdapters(adaptersFromConfig(base))).toBe('email: local, sms: local, whatsapp: local');
    expect(describeAdapters(adaptersFromConfig({ ...base, smtpUrl: 'smtp://127.0.0.1:2525', smsProviderUrl: gatewayUrl }))).toBe(
      'email: smtp, sms: sms-http, whatsapp: local',
    );
  });
});
