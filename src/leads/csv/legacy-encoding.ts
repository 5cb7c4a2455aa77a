import * as iconv from 'iconv-lite';

/** The single-byte encodings a file that is not UTF-8 is read in: Windows Excel's, and Excel for Mac's. */
export type LegacyEncoding = 'windows-1252' | 'macintosh';

/** Symbols common in lead files, plausible on their own (`12 €`, `– ok`, `« Lyon »`). */
const COMMON_SYMBOLS = new Set('€£’‘“”–—…«»°·•©®\u00a0');
const APOSTROPHES = new Set('’‘');
const LOWER = /\p{Ll}/u;
const UPPER = /\p{Lu}/u;
const LETTER = /\p{L}/u;
const SAMPLE_BYTES = 64 * 1024;

/**
 * Which single-byte encoding reads a (non-UTF-8) sample as text: Windows-1252 or Mac Roman (what
 * Excel for Mac writes as "CSV (Macintosh)"). The two disagree exactly on accented letters: `é`
 * in Mac Roman is `Ž` in Windows-1252, `é` in Windows-1252 is `È` in Mac Roman. The reading
 * that puts lower-case letters inside words, capitals at their start and no undefined byte wins;
 * a tie goes to Windows-1252, or to Mac Roman when lines end with CR alone (old Mac files).
 */
export function guessLegacyEncoding(sample: Buffer, crOnly: boolean): LegacyEncoding {
  const bytes = sample.subarray(0, SAMPLE_BYTES);
  const windows = plausibility(iconv.decode(bytes, 'windows-1252'));
  const mac = plausibility(iconv.decode(bytes, 'macintosh'));
  if (mac > windows || (mac === windows && crOnly)) return 'macintosh';
  return 'windows-1252';
}

/**
 * How much a text's non-ASCII characters look like words rather than mojibake: positive for a
 * right reading, negative for a wrong one.
 */
export function plausibility(text: string): number {
  let score = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 0x80) continue;
    const ch = text[i];
    const code = text.charCodeAt(i);
    if (code === 0xfffd || (code >= 0x80 && code <= 0x9f)) {
      score -= 3;
      continue;
    }
    const prev = i > 0 ? text[i - 1] : ' ';
    const next = i + 1 < text.length ? text[i + 1] : ' ';
    const prevLetter = LETTER.test(prev);
    const nextLetter = LETTER.test(next);
    if (LOWER.test(ch)) score += prevLetter || nextLetter ? 1 : 0;
    else if (UPPER.test(ch)) score += LOWER.test(prev) ? -1 : nextLetter ? 1 : 0;
    else if (APOSTROPHES.has(ch) && prevLetter && nextLetter) score += 1;
    else if (prevLetter && nextLetter) score -= 1;
    else if (COMMON_SYMBOLS.has(ch)) score += 0.5;
  }
  return score;
}

/** Whether a decoded header cell reads like mojibake (a wrong encoding). */
export function looksGarbled(text: string): boolean {
  return plausibility(text) < 0;
}
