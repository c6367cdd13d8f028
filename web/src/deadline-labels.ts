/**
 * The deadline vocabulary of SPEC §5 as the browser app shows it: a copy of
 * src/modules/deadlines/deadlines.rules.ts (web/ does not import server modules), kept equal by
 * case-labels-sync.test.ts.
 */
import type { DayUnit, DeadlineAnchor, DeadlineKey } from './api/types';

export const DEADLINE_KEYS: DeadlineKey[] = [
  'DL-1',
  'DL-2',
  'DL-3',
  'DL-4',
  'DL-5',
  'DL-6',
  'DL-7',
  'DL-8',
  'DL-9',
  'DL-10',
  'DL-11',
  'DL-12',
  'DL-13.request',
  'DL-13.answer',
  'DL-14',
  'DL-15',
  'DL-16',
  'DL-17.request',
  'DL-17.answer',
  'DL-18',
  'SL-1',
];

/** What each deadline asks, as users read it. */
export const DEADLINE_SUBJECT: Record<DeadlineKey, string> = {
  'DL-1': 'la agencia aprueba y distribuye el caso a un mediador',
  'DL-2': 'primer contacto del mediador con las partes',
  'DL-3': 'agendar la sesión de mediación',
  'DL-4': 'registrar que no se logró agendar la sesión y su causa (NS-1 a NS-3)',
  'DL-5': 'cierre automático',
  'DL-6': 'registrar los datos de la sesión y enviar la convocatoria por escrito',
  'DL-7': 'celebrar la sesión de mediación (una sola reprogramación)',
  'DL-8': 'cierre automático',
  'DL-9': 'enviar al Gerente de Cobranza de la DR el convenio firmado digitalizado y la identificación',
  'DL-10': 'el Gerente de Cobranza de la DR revisa el convenio',
  'DL-11': 'el mediador responde la solicitud de cambios o aclaraciones',
  'DL-12': 'el Gerente de Cobranza de la DR aprueba la solución',
  'DL-13.request': 'el Gerente de Cobranza de la DR solicita correcciones al expediente',
  'DL-13.answer': 'el mediador responde las correcciones al expediente',
  'DL-14': 'el Gerente de Cobranza de la DR valida el pago de derechos u honorarios',
  'DL-15': 'digitalizar el expediente completo',
  'DL-16': 'enviar el reporte de avance de convenios recibidos en el ANEC',
  'DL-17.request': 'la Gerencia de Mediación y Convenios solicita aclaraciones al informe de la agencia',
  'DL-17.answer': 'la agencia responde las aclaraciones al informe',
  'DL-18': 'la agencia marca la cuenta con mediación aceptada',
  'SL-1': 'nivel de servicio: convenio firmado por el acreditado',
};

export const DEADLINE_CONDITION: Partial<Record<DeadlineKey, string>> = {
  'DL-5': 'sin sesión agendada ni registro de no agendada',
  'DL-8': 'sin sesión celebrada ni nueva fecha',
};

export type DeadlineKind = 'within' | 'window' | 'day' | 'month';

export const DEADLINE_KIND: Record<DeadlineKey, DeadlineKind> = {
  'DL-1': 'within',
  'DL-2': 'within',
  'DL-3': 'window',
  'DL-4': 'day',
  'DL-5': 'day',
  'DL-6': 'within',
  'DL-7': 'window',
  'DL-8': 'day',
  'DL-9': 'within',
  'DL-10': 'within',
  'DL-11': 'within',
  'DL-12': 'within',
  'DL-13.request': 'within',
  'DL-13.answer': 'within',
  'DL-14': 'within',
  'DL-15': 'within',
  'DL-16': 'month',
  'DL-17.request': 'within',
  'DL-17.answer': 'within',
  'DL-18': 'within',
  'SL-1': 'window',
};

/** "de la aceptación" etc.; `a`/`desde` forms are derived (del → al / desde el). */
const ANCHOR_OF_PHRASE: Record<DeadlineAnchor, string> = {
  acceptance: 'de la aceptación',
  distribution: 'de la distribución',
  scheduling: 'del agendado de la sesión',
  signature: 'de la firma del convenio',
  convenio_receipt: 'de la recepción del convenio firmado',
  correction_request: 'de la solicitud de cambios o aclaraciones',
  case_file_receipt: 'de la recepción del expediente',
  file_correction_request: 'de la solicitud de correcciones al expediente',
  certificates_receipt: 'de la recepción de las constancias de pago',
  service_conclusion: 'de la conclusión del servicio',
  month_start: 'del inicio del mes',
  report_receipt: 'de la recepción del informe',
  report_clarification_request: 'de la solicitud de aclaración',
  office_notice: 'del aviso de la Gerencia de Mediación y Convenios',
};

function anchorPhrase(anchor: DeadlineAnchor, preposition: 'de' | 'a' | 'desde'): string {
  const of = ANCHOR_OF_PHRASE[anchor];
  if (preposition === 'de') return of;
  if (of.startsWith('del ')) return preposition === 'a' ? `al ${of.slice(4)}` : `desde el ${of.slice(4)}`;
  return `${preposition} ${of.slice(3)}`;
}

export const UNIT_WORD: Record<DayUnit, string> = { calendar: 'naturales', business: 'hábiles' };
/** "el mismo día de la firma del convenio", "el día 32 desde la aceptación", … (timingPhrase). */
export function timingPhrase(key: DeadlineKey, anchor: DeadlineAnchor, amount: number, unit: DayUnit): string {
  switch (DEADLINE_KIND[key]) {
    case 'day':
      return `el día ${unit === 'business' ? 'hábil ' : ''}${amount} ${anchorPhrase(anchor, 'desde')}`;
    case 'month':
      return `dentro de los primeros ${amount} días ${UNIT_WORD[unit]} del mes`;
    case 'window':
      if (amount === 0) return `el mismo día ${anchorPhrase(anchor, 'de')}`;
      return `dentro de los ${amount} ${amount === 1 ? 'día' : 'días'} ${unit === 'calendar' ? 'natural' : 'hábil'}${amount === 1 ? '' : 'es'} ${anchorPhrase(anchor, 'desde')}`;
    case 'within':
      if (amount === 0) return unit === 'business' ? `el mismo día hábil ${anchorPhrase(anchor, 'de')}` : `el mismo día ${anchorPhrase(anchor, 'de')}`;
      if (amount === 1) {
        return unit === 'business'
          ? `a más tardar el día hábil siguiente ${anchorPhrase(anchor, 'a')}`
          : `a más tardar al día siguiente ${anchorPhrase(anchor, 'de')}`;
      }
      return `dentro de los ${amount} días ${UNIT_WORD[unit]} siguientes ${anchorPhrase(anchor, 'a')}`;
  }
}
