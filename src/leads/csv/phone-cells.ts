/**
 * Separators between several numbers in one cell: Google Contacts' ` ::: `, `/`, `,`, `;`, `|`,
 * a line break, or a word (`or`, `ou`, `oder`, `et`, `and`, `y`, `o`).
 */
const BETWEEN_NUMBERS = /\s*(?::::|[|;,/\n\r]|\s(?:or|ou|oder|et|and|y|o)\s)\s*/i;
/** A part must hold this many digits to count as a number (`030/1234567` is one number). */
const MIN_DIGITS = 6;

/**
 * The numbers of a cell that holds several, or null when it does not look like several numbers
 * (fewer than two parts, or a part too short to be a number).
 */
export function splitNumbers(raw: string): string[] | null {
  if (!BETWEEN_NUMBERS.test(raw)) return null;
  const parts = raw
    .split(BETWEEN_NUMBERS)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length < 2) return null;
  for (const p of parts) if (p.replace(/\D/g, '').length < MIN_DIGITS) return null;
  return parts;
}
