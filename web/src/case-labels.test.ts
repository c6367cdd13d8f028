import { describe, expect, it } from 'vitest';
import {
  appLicenceProblem,
  CHECKLIST_ITEMS,
  checkContactData,
  dayLabel,
  NOT_SCHEDULED_CAUSES,
  normalisePhone,
  queueFromParam,
  queuesFor,
  REFUSAL_TO_SIGN_CAUSES,
} from './case-labels';

describe('normalisePhone (act. 4 contact data, as cases.schemas ZPhone reads it)', () => {
  it('keeps 10 digits, dropping separators and a leading +52', () => {
    expect(normalisePhone('55 1234 5678')).toBe('5512345678');
    expect(normalisePhone('(55) 1234-5678')).toBe('5512345678');
    expect(normalisePhone('+52 55.1234.5678')).toBe('5512345678');
    expect(normalisePhone('525512345678')).toBe('5512345678');
  });

  it('blank is blank; anything else that is not 10 digits is refused', () => {
    expect(normalisePhone('   ')).toBe('');
    expect(normalisePhone('551234567')).toBeNull();
    expect(normalisePhone('55123456789')).toBeNull();
    expect(normalisePhone('55-1234-567a')).toBeNull();
  });
});

describe('checkContactData (SEC-1 forms)', () => {
  const blank = { landline: '', mobile: '', email: '' };

  it('sends only the fields written, normalised', () => {
    expect(checkContactData({ ...blank, mobile: '55 1234 5678', email: ' a@b.mx ' }, false)).toEqual({
      contactData: { mobile: '5512345678', email: 'a@b.mx' },
    });
  });

  it('acceptance may go without contact data; a capture of contact data needs at least one field', () => {
    expect(checkContactData(blank, false)).toEqual({});
    expect(checkContactData(blank, true).problem).toEqual({ field: 'mobile', message: 'Capture al menos un teléfono o un correo electrónico.' });
  });

  it('names the first field to correct', () => {
    expect(checkContactData({ ...blank, landline: '123' }, false).problem?.field).toBe('landline');
    expect(checkContactData({ ...blank, mobile: '55123' }, false).problem?.field).toBe('mobile');
    expect(checkContactData({ ...blank, email: 'sin-arroba' }, false).problem?.field).toBe('email');
  });
});

describe('work lists', () => {
  it('the agency starts at "Por distribuir" (act. 5), the mediator at "Nuevos" (act. 6), the rest at the open cases', () => {
    expect(queuesFor('agency')[0]).toMatchObject({ queue: 'to_distribute', label: 'Por distribuir' });
    expect(queuesFor('mediator').map((option) => option.label)).toEqual(['Nuevos', 'Por agendar', 'Agendadas', 'En sesión', 'Cerrados', 'Todos']);
    expect(queuesFor('regional_manager')[0]).toMatchObject({ queue: 'drafts_requested', label: 'Convenios preliminares solicitados' });
  });

  it('reads ?lista= and falls back to the role\'s first list', () => {
    expect(queueFromParam('mediator', 'agendadas').queue).toBe('scheduled');
    expect(queueFromParam('mediator', 'por-distribuir').queue).toBe('new');
    expect(queueFromParam('agency', null).queue).toBe('to_distribute');
  });
});

describe('wording', () => {
  it('has every cause and checklist item of SPEC §4', () => {
    expect(NOT_SCHEDULED_CAUSES).toEqual(['NS-1', 'NS-2', 'NS-3']);
    expect(REFUSAL_TO_SIGN_CAUSES).toEqual(['NR-1', 'NR-2', 'NR-3', 'NR-4', 'NR-5']);
    expect(CHECKLIST_ITEMS).toEqual(['CHK-1', 'CHK-2', 'CHK-3', 'CHK-4', 'CHK-5', 'CHK-6', 'CHK-7', 'CHK-8', 'CHK-9', 'CHK-10']);
  });

  it('day N counts from acceptance (SPEC §5)', () => {
    expect(dayLabel(null)).toBe('Sin aceptación todavía');
    expect(dayLabel(0)).toBe('Día 0 desde la aceptación');
    expect(dayLabel(1234)).toBe('Día 1,234 desde la aceptación');
  });

  it('app licences as the server accepts them (upper-cased before checking)', () => {
    expect(appLicenceProblem('gm-000123')).toBeNull();
    expect(appLicenceProblem('GM 1')).toMatch(/de 6 a 30/);
  });
});
