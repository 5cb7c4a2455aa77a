/** Trims binary noise (0.1 + 0.2) from computed figures. */
export function roundOrNull(value: number | null | undefined, decimals: number): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
