/* global navigator, localStorage, document */
import { FR } from './i18n/fr.js';

/**
 * French or English, from the browser (navigator.language) until the user picks one; the choice
 * is kept in this browser. Texts are written in English in the code and looked up in the French
 * table: `t('Created {date}', { date })`. A text missing from the table shows in English.
 */
const LANG_ITEM = 'callrounded.lang';
export const LANGUAGES = [
  ['en', 'English'],
  ['fr', 'Français'],
];

function pick() {
  let stored = null;
  try {
    stored = localStorage.getItem(LANG_ITEM);
  } catch {
    /* storage refused: follow the browser */
  }
  if (stored === 'fr' || stored === 'en') return stored;
  return String(navigator.language ?? 'en')
    .toLowerCase()
    .startsWith('fr')
    ? 'fr'
    : 'en';
}

export const lang = pick();

/** The locale for Intl: the browser's own when it speaks the chosen language, else a default. */
export const locale = String(navigator.language ?? '')
  .toLowerCase()
  .startsWith(lang)
  ? navigator.language
  : lang === 'fr'
    ? 'fr-FR'
    : 'en-GB';

document.documentElement.lang = lang;

export function t(text, vars) {
  const template = lang === 'fr' ? (FR[text] ?? text) : text;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name) =>
    vars[name] === undefined ? whole : String(vars[name]),
  );
}

/** Keeps the choice and reloads: every view is drawn again in the new language. */
export function setLang(next) {
  try {
    localStorage.setItem(LANG_ITEM, next);
  } catch {
    /* storage refused: the choice lasts for this page only */
  }
  document.location.reload();
}
