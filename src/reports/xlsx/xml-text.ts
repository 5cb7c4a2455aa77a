/**
 * Text as the content of an XML element in a workbook part.
 *
 * - `&` and `<` are escaped (`>` too, so that `]]>` never appears).
 * - A carriage return is written `&#13;`: a raw one would reach the reader as a line feed
 *   (XML normalises line ends), and `Ligne 1\r\nLigne 2` must come back as it was.
 * - Characters XML 1.0 forbids (C0 controls other than tab, line feed and carriage return;
 *   U+FFFE, U+FFFF; lone surrogates) are dropped: one of them would make the whole file unreadable.
 * - Excel decodes `_xHHHH_` in cell text as the character HHHH; a text that holds such a
 *   sequence gets its `_` written `_x005F_` so that it reads back literally.
 */
export function xmlText(text: string): string {
  return NEEDS_WORK.test(text) ? text.replace(REPLACED, replace) : text;
}

// Surrogates of any kind go the slow way; pairs are kept by REPLACED.
// eslint-disable-next-line no-control-regex
const NEEDS_WORK = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]|_x[0-9A-Fa-f]{4}_/;

const REPLACED =
  // eslint-disable-next-line no-control-regex
  /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|_(?=x[0-9A-Fa-f]{4}_)/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;', _: '_x005F_' };

function replace(c: string): string {
  return ENTITIES[c] ?? '';
}

/** Excel trims leading and trailing white space of a cell text unless told to keep it. */
export function keepsSpace(text: string): boolean {
  return text.length > 0 && (isSpace(text.charCodeAt(0)) || isSpace(text.charCodeAt(text.length - 1)));
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** `A`, `B`, … `Z`, `AA`, … for a 0-based column index. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}
