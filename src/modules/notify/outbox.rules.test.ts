/**
 * The outbox's pure rules: address shapes per channel, masking, backoff (DL-6 retries), redaction
 * of personal data from errors, GSM-7 SMS text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterFailure, isGsm7, maskAddress, MAX_ERROR_LENGTH, MAX_RETRY_DELAY_MS, normalizeAddress, redactError, retryDelayMs, toGsm7 } from './outbox.rules.js';

describe('normalizeAddress', () => {
  it('accepts a 10-digit Mexican phone with or without +52 and separators, stored as +52 and 10 digits', () => {
    for (const phone of ['5512345678', '+525512345678', '+52 55 1234 5678', '(55) 1234-5678', '55.1234.5678']) {
      expect(normalizeAddress('sms', phone)).toEqual({ ok: true, address: '+525512345678' });
      expect(normalizeAddress('whatsapp', phone)).toEqual({ ok: true, address: '+525512345678' });
    }
  });

  it('refuses phones that are not 10 digits or carry another country code, with a Spanish message', () => {
    for (const phone of ['551234567', '55123456789', '+15512345678', '+52 55 1234 567', 'abc', '', 'ana@example.com']) {
      const result = normalizeAddress('sms', phone);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/teléfono de México de 10 dígitos/);
    }
    const whatsapp = normalizeAddress('whatsapp', '123');
    expect(!whatsapp.ok && whatsapp.message).toMatch(/Para WhatsApp/);
  });

  it('accepts e-mail addresses for e-mail only', () => {
    expect(normalizeAddress('email', ' ana.lopez@ejemplo.invalid ')).toEqual({ ok: true, address: 'ana.lopez@ejemplo.invalid' });
    for (const address of ['ana', 'ana@', '@ejemplo.mx', 'ana@ejemplo', 'ana lopez@ejemplo.mx', '5512345678', 'a@b.c']) {
      const result = normalizeAddress('email', address);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toBe('La dirección de correo electrónico no es válida.');
    }
    expect(normalizeAddress('sms', 'ana@ejemplo.mx').ok).toBe(false);
  });
});

describe('maskAddress', () => {
  it('keeps only the last 4 characters', () => {
    expect(maskAddress('+525512345678')).toBe('*********5678');
    expect(maskAddress('ana@ejemplo.mx')).toBe('**********o.mx');
    expect(maskAddress('abcd')).toBe('****');
    expect(maskAddress('')).toBe('');
  });

  it('never shows more than 4 original characters (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (address) => {
        const masked = maskAddress(address);
        expect([...masked].length).toBe([...address].length);
        expect([...masked].filter((c) => c !== '*').length).toBeLessThanOrEqual(4);
      }),
    );
  });
});

describe('retry backoff', () => {
  it('doubles from the base after each failed attempt, capped at an hour', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 60_000))).toEqual([60_000, 120_000, 240_000, 480_000, 960_000]);
    expect(retryDelayMs(12, 60_000)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(1000, 60_000)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('retries until the attempts are used up, and never after a permanent error', () => {
    const now = new Date('2026-11-23T18:00:00Z');
    expect(afterFailure({ attempts: 1, maxAttempts: 3, permanent: false, now, retryBaseMs: 1000 })).toEqual({
      status: 'pending',
      nextAttemptAt: new Date('2026-11-23T18:00:01Z'),
    });
    expect(afterFailure({ attempts: 2, maxAttempts: 3, permanent: false, now, retryBaseMs: 1000 })).toEqual({
      status: 'pending',
      nextAttemptAt: new Date('2026-11-23T18:00:02Z'),
    });
    expect(afterFailure({ attempts: 3, maxAttempts: 3, permanent: false, now, retryBaseMs: 1000 })).toEqual({ status: 'failed' });
    expect(afterFailure({ attempts: 1, maxAttempts: 3, permanent: true, now, retryBaseMs: 1000 })).toEqual({ status: 'failed' });
  });
});

describe('redactError', () => {
  it('removes e-mail addresses, phone numbers and the given personal values', () => {
    const error = new Error('550 5.1.1 <ana.lopez@ejemplo.mx>: Recipient address rejected for Ana López at +52 55 1234 5678');
    const text = redactError(error, ['Ana López']);
    expect(text).not.toMatch(/ana\.lopez|Ana López|5678/);
    expect(text).toContain('[correo]');
    expect(text).toContain('[número]');
    expect(text).toContain('[dato personal]');
    expect(text).toMatch(/^550 5\.1\.1/);
  });

  it('keeps short codes and limits the length', () => {
    expect(redactError(new Error('HTTP 503'))).toBe('HTTP 503');
    expect(redactError('x'.repeat(1000)).length).toBe(MAX_ERROR_LENGTH);
    expect(redactError(undefined)).toBe('Error desconocido');
  });
});

describe('GSM-7 SMS text', () => {
  it('drops the accents GSM lacks and keeps é, ñ and ü', () => {
    expect(toGsm7('Mediación: sesión el día 25, José Muñoz, pingüino')).toBe('Mediacion: sesion el dia 25, José Muñoz, pingüino');
    expect(toGsm7('«Convocatoria» — caso 42…')).toBe('"Convocatoria" - caso 42...');
    expect(isGsm7(toGsm7('Ámbar Íñigo Óscar Úrsula ç 😀'))).toBe(true);
  });
});
