/**
 * Spreadsheets run a cell that starts with one of these as a formula (`=HYPERLINK(...)`,
 * `+cmd|...`, `@SUM(...)`, `-2+3`), or strip them first (tab, carriage return). The full-width
 * forms count too: some Excel locales read them as the ASCII ones.
 */
const FORMULA_TRIGGERS = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Prefixes a text with `'` when it would start a formula, so that it stays inert text. */
export function neutralise(text: string): string {
  // The common case (a letter or a digit first) decided without the regexp: this runs per cell.
  const c = text.charCodeAt(0);
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x7a) || Number.isNaN(c)) return text;
  return FORMULA_TRIGGERS.test(text) ? `'${text}` : text;
}

export function startsFormula(text: string): boolean {
  return FORMULA_TRIGGERS.test(text);
}
