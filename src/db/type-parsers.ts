/**
 * One mapping of PostgreSQL types to JavaScript, the same on PGlite and on a server:
 * int8 → bigint (money, counts), numeric → string (exact decimals), date → 'YYYY-MM-DD',
 * timestamptz → Date.
 */
export const PG_TYPE = { INT8: 20, NUMERIC: 1700, DATE: 1082, TIMESTAMPTZ: 1184, TIMESTAMP: 1114 } as const;

export const typeParsers: Record<number, (value: string) => unknown> = {
  [PG_TYPE.INT8]: (value) => BigInt(value),
  [PG_TYPE.NUMERIC]: (value) => value,
  [PG_TYPE.DATE]: (value) => value,
};
