/**
 * The 32 delegaciones regionales: one per federal entity (31 states + Ciudad de México), SPEC §2.
 *
 * `id` is the INEGI entity key (clave de entidad federativa, alphabetical by official name, so
 * 9 = Ciudad de México, 15 = México/Estado de México). `population` is the total population of
 * the Censo de Población y Vivienda 2020 (INEGI, results published 25 Jan 2021; national total
 * 126,014,024), used to weight the synthetic portfolio. Source: INEGI, "Censo de Población y
 * Vivienda 2020, Cuestionario básico, población total por entidad federativa"
 * (https://www.inegi.org.mx/programas/ccpv/2020/).
 */
export interface Delegation {
  id: number;
  code: string;
  name: string;
  state: string;
  population: number;
}

function delegation(id: number, code: string, state: string, population: number): Delegation {
  return Object.freeze({ id, code, name: `Delegación Regional ${state}`, state, population });
}

export const DELEGATIONS: ReadonlyArray<Delegation> = Object.freeze([
  delegation(1, 'AGS', 'Aguascalientes', 1_425_607),
  delegation(2, 'BC', 'Baja California', 3_769_020),
  delegation(3, 'BCS', 'Baja California Sur', 798_447),
  delegation(4, 'CAMP', 'Campeche', 928_363),
  delegation(5, 'COAH', 'Coahuila', 3_146_771),
  delegation(6, 'COL', 'Colima', 731_391),
  delegation(7, 'CHIS', 'Chiapas', 5_543_828),
  delegation(8, 'CHIH', 'Chihuahua', 3_741_869),
  delegation(9, 'CDMX', 'Ciudad de México', 9_209_944),
  delegation(10, 'DGO', 'Durango', 1_832_650),
  delegation(11, 'GTO', 'Guanajuato', 6_166_934),
  delegation(12, 'GRO', 'Guerrero', 3_540_685),
  delegation(13, 'HGO', 'Hidalgo', 3_082_841),
  delegation(14, 'JAL', 'Jalisco', 8_348_151),
  delegation(15, 'MEX', 'Estado de México', 16_992_418),
  delegation(16, 'MICH', 'Michoacán', 4_748_846),
  delegation(17, 'MOR', 'Morelos', 1_971_520),
  delegation(18, 'NAY', 'Nayarit', 1_235_456),
  delegation(19, 'NL', 'Nuevo León', 5_784_442),
  delegation(20, 'OAX', 'Oaxaca', 4_132_148),
  delegation(21, 'PUE', 'Puebla', 6_583_278),
  delegation(22, 'QRO', 'Querétaro', 2_368_467),
  delegation(23, 'QROO', 'Quintana Roo', 1_857_985),
  delegation(24, 'SLP', 'San Luis Potosí', 2_822_255),
  delegation(25, 'SIN', 'Sinaloa', 3_026_943),
  delegation(26, 'SON', 'Sonora', 2_944_840),
  delegation(27, 'TAB', 'Tabasco', 2_402_598),
  delegation(28, 'TAMS', 'Tamaulipas', 3_527_735),
  delegation(29, 'TLAX', 'Tlaxcala', 1_342_977),
  delegation(30, 'VER', 'Veracruz', 8_062_579),
  delegation(31, 'YUC', 'Yucatán', 2_320_898),
  delegation(32, 'ZAC', 'Zacatecas', 1_622_138),
]);

/** The delegation with that id; throws RangeError for an unknown id. */
export function delegationById(id: number): Delegation {
  const found = DELEGATIONS[id - 1];
  if (!found || found.id !== id) throw new RangeError(`Unknown delegation id: ${id}`);
  return found;
}
