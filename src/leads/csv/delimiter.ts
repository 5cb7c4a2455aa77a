/** The delimiters a lead file may use, in the order that breaks a tie. */
export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** Names accepted by the `delimiter` query parameter, besides the characters themselves. */
export const DELIMITER_NAMES: Record<string, Delimiter> = {
  ',': ',',
  comma: ',',
  ';': ';',
  semicolon: ';',
  '\t': '\t',
  tab: '\t',
  '\\t': '\t',
  '|': '|',
  pipe: '|',
};

/**
 * Picks the delimiter of a file from its header line: the candidate found most often outside
 * quotes (a header like `"Nom, prénom";Téléphone` is `;`-separated). A header with none of them
 * is a one-column file, read with `,`. Ties go to the earlier candidate in DELIMITERS.
 */
export function sniffDelimiter(headerLine: string): Delimiter {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best: Delimiter = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const c = counts.get(d)!;
    if (c > bestCount) {
      best = d;
      bestCount = c;
    }
  }
  return best;
}

/**
 * Where the header line ends in the first bytes of a (UTF-8) file: the first CR or LF outside
 * quotes, or -1 when the bytes seen so far do not hold it yet.
 */
export function headerLineEnd(bytes: Buffer): number {
  let quoted = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x22) quoted = !quoted;
    else if (!quoted && (b === 0x0a || b === 0x0d)) return i;
  }
  return -1;
}
