import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { cellXml, excelSerial, textCell } from '../../src/reports/xlsx/cell-xml';
import { STYLE } from '../../src/reports/xlsx/package-parts';
import { columnLetters, keepsSpace, xmlText } from '../../src/reports/xlsx/xml-text';

/** What an XML parser gives back for our escaped text (the entities we write, then Excel's `_xHHHH_`). */
function readBack(xml: string): string {
  return xml
    .replace(/&#13;/g, '\r')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Single UTF-16 units (lone surrogates included), weighted towards what the escaping handles. */
const CHARS = fc.oneof(
  fc.constantFrom('_', 'x', '0', '4', 'A', 'f', '&', '<', '>', '\r', '\n', '\t', '\u0001', '\uD83D', '\uDE00'),
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
);

describe('XLSX cell XML', () => {
  it('escapes markup, keeps CR, drops what XML 1.0 forbids, protects _xHHHH_', () => {
    expect(xmlText('plain text')).toBe('plain text');
    expect(xmlText('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    expect(xmlText('Ligne 1\r\nLigne 2\tTab')).toBe('Ligne 1&#13;\nLigne 2\tTab');
    expect(xmlText('bell\u0007 nul\u0001 \uFFFE')).toBe('bell nul ');
    expect(xmlText('emoji 😀 lone \uD83D end')).toBe('emoji 😀 lone  end');
    expect(xmlText('_x0041_ and _x00e9_ but not _x12_')).toBe('_x005F_x0041_ and _x005F_x00e9_ but not _x12_');
  });

  it('any text reads back as itself, less the characters XML cannot hold', () => {
    fc.assert(
      fc.property(fc.string({ unit: CHARS, maxLength: 40 }), (s) => {
        const xml = xmlText(s);
        expect(xml).not.toMatch(FORBIDDEN);
        expect(xml.replace(/&(amp|lt|gt|#13);/g, '')).not.toMatch(/[<>&\r]/);
        expect(readBack(xml)).toBe(s.replace(FORBIDDEN, ''));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes formula-like text as plain text with the quote-prefix style, never with an apostrophe', () => {
    expect(textCell('C2', '=HYPERLINK("http://x","clic")')).toBe(
      `<c r="C2" s="${STYLE.quoted}" t="inlineStr"><is><t>=HYPERLINK("http://x","clic")</t></is></c>`,
    );
    expect(textCell('A1', '@SUM(1)', true)).toContain(`s="${STYLE.boldQuoted}"`);
    expect(textCell('B2', 'Amélie')).toBe('<c r="B2" t="inlineStr"><is><t>Amélie</t></is></c>');
    expect(textCell('B2', ' padded ')).toContain('<t xml:space="preserve"> padded </t>');
    expect(textCell('B2', '\tx')).toContain(`s="${STYLE.quoted}"`);
  });

  it('types numbers, booleans, dates, lists and empties', () => {
    expect(cellXml('E2', 3)).toBe('<c r="E2"><v>3</v></c>');
    expect(cellXml('I2', 0.36, true)).toBe(`<c r="I2" s="${STYLE.decimal}"><v>0.36</v></c>`);
    expect(cellXml('J2', false)).toBe('<c r="J2" t="b"><v>0</v></c>');
    expect(cellXml('B4', new Date('1970-01-02T12:00:00Z'))).toBe(`<c r="B4" s="${STYLE.date}"><v>25570.5</v></c>`);
    expect(cellXml('O2', ['Coupe', 'Barbe'])).toContain('<t>Coupe;Barbe</t>');
    expect(cellXml('O2', { a: 1 })).toContain('<t>{"a":1}</t>');
    expect(cellXml('O2', null)).toBe('');
    expect(excelSerial(new Date('1900-03-01T00:00:00Z'))).toBe(61);
  });

  it('names columns A…Z, AA…, and knows which texts keep their spaces', () => {
    expect([0, 25, 26, 51, 701, 702, 16383].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AZ', 'ZZ', 'AAA', 'XFD']);
    expect(keepsSpace('x')).toBe(false);
    expect(keepsSpace('')).toBe(false);
    expect(keepsSpace(' x')).toBe(true);
    expect(keepsSpace('x\n')).toBe(true);
  });
});
