import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';

/**
 * The dashboard's texts are written in English and looked up in the French table
 * (public/dashboard/js/i18n/fr.js): every text given to `t('…')` must have its French, or a
 * French browser shows it in English. Also: no view passes a text to `t()` other than as a
 * literal (a variable would hide its text from this check).
 */
const ROOT = join(process.cwd(), 'public/dashboard/js');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'i18n' ? [] : sources(path);
    return path.endsWith('.js') ? [path] : [];
  });
}

function frenchTable(): Record<string, string> {
  const text = readFileSync(join(ROOT, 'i18n/fr.js'), 'utf8');
  const body = text.slice(text.indexOf('export const FR = ') + 'export const FR = '.length);
  // The table is a plain object literal: read as such, in a context of its own.
  return runInNewContext(`(${body.trim().replace(/;$/, '')})`) as Record<string, string>;
}

/** Each `t(` call's first argument: a quoted literal, or the code it starts with. */
function calls(source: string): { literal?: string; other?: string }[] {
  const out: { literal?: string; other?: string }[] = [];
  for (const m of source.matchAll(/(?<![\w.])t\(\s*/g)) {
    const rest = source.slice(m.index + m[0].length);
    const quoted = /^(['"])((?:\\.|(?!\1).)*)\1/s.exec(rest);
    if (quoted) out.push({ literal: quoted[2].replace(/\\(['"\\])/g, '$1') });
    else out.push({ other: rest.slice(0, 40) });
  }
  return out;
}

describe('dashboard translations', () => {
  const fr = frenchTable();
  const files = sources(ROOT);

  it('has a French text for every text the views translate', () => {
    const missing = files.flatMap((file) =>
      calls(readFileSync(file, 'utf8'))
        .filter((c) => c.literal !== undefined && !(c.literal in fr))
        .map((c) => `${file.slice(ROOT.length + 1)}: ${c.literal}`),
    );
    expect(missing).toEqual([]);
  });

  it('translates literals only, except the few tables of texts already translated', () => {
    // Allowed: a text chosen among literals already passed through t() (see leads-tab.js).
    // And the page's fixed texts, by their data-i18n attribute (checked below).
    const allowed = [/^page > 0 \? NO_STATUS/, /^text, vars\)/, /^el\.dataset\.i18n\)/];
    const others = files.flatMap((file) =>
      calls(readFileSync(file, 'utf8'))
        .filter((c) => c.other !== undefined && !allowed.some((a) => a.test(c.other!)))
        .map((c) => `${file.slice(ROOT.length + 1)}: t(${c.other}`),
    );
    expect(others).toEqual([]);
  });

  it('has a French text for every fixed text of the page (data-i18n)', () => {
    const html = readFileSync(join(process.cwd(), 'public/dashboard/index.html'), 'utf8');
    const keys = [...html.matchAll(/data-i18n="([^"]+)"/g)].map((m) => m[1]);
    expect(keys.length).toBeGreaterThan(3);
    expect(keys.filter((k) => !(k in fr))).toEqual([]);
  });

  it('keeps the placeholders of each text in its French', () => {
    const wrong = Object.entries(fr).filter(([en, text]) => {
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      return names(en).join() !== names(text).join();
    });
    expect(wrong).toEqual([]);
  });
});
