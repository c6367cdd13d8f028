/** Spanish labels of the portfolio's enumerations (glossary, SPEC §2–3). */
import type { HousingStatus, LegalStage, Segment } from '../../db/schema.js';

export const SEGMENT_LABELS: Record<Segment, string> = {
  cobranza_administrativa: 'Cobranza Administrativa',
  recuperacion_cartera_vencida: 'Recuperación de Cartera Vencida',
  recuperacion_vivienda_vulnerable: 'Recuperación de Vivienda Vulnerable',
  recuperacion_especializada: 'Recuperación Especializada',
};

export const HOUSING_STATUS_LABELS: Record<HousingStatus, string> = {
  inhabited: 'Habitada',
  abandoned: 'Abandonada',
  invaded: 'Invadida',
  vandalised: 'Vandalizada',
  uninhabited: 'Deshabitada',
  not_located: 'No localizada',
};

export const LEGAL_STAGE_LABELS: Record<LegalStage, string> = {
  none: 'Sin proceso judicial',
  lawsuit_filed: 'Demanda presentada',
  judgment: 'Sentencia',
  execution: 'Ejecución',
};
