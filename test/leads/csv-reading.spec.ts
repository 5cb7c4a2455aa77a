import { describe, expect, it } from '@jest/globals';
import * as iconv from 'iconv-lite';
import { Readable } from 'node:stream';
import { openCsv } from '../../src/leads/csv/csv-reader';
import { sniffDelimiter } from '../../src/leads/csv/delimiter';
import { findPhoneColumn, toVariableKey } from '../../src/leads/csv/header-mapping';
import { normalizePhone } from '../../src/leads/csv/phone-normalizer';
import { CsvTextDecoder } from '../../src/leads/csv/text-decoder';

async function decode(
  chunks: Buffer[],
  declared?: string,
): Promise<{ text: string; encoding: string | null }> {
  const decoder = new CsvTextDecoder(declared);
  const out: Buffer[] = [];
  for await (const b of decoder.decode(Readable.from(chunks))) out.push(b);
  return { text: Buffer.concat(out).toString('utf8'), encoding: decoder.encoding };
}

/** Every way of cutting `bytes` in two. */
function everySplit(bytes: Buffer): Buffer[][] {
  return Array.from({ length: bytes.length + 1 }, (_, i) => [
    bytes.subarray(0, i),
    bytes.subarray(i),
  ]);
}

describe('CsvTextDecoder', () => {
  const text = 'prénom;tél\nZoé;€ 12 — ok 😀\n';

  it('reads UTF-8 the same wherever the chunks cut a character', async () => {
    for (const chunks of everySplit(Buffer.from(text, 'utf8'))) {
      expect(await decode(chunks)).toEqual({ text, encoding: 'utf-8' });
    }
  });

  it('reads Windows-1252, including 0x80–0x9F, wherever the chunks cut', async () => {
    const cp = 'Prénom;Société\nŒuvre;12 € – “ok” ‰\n';
    for (const chunks of everySplit(iconv.encode(cp, 'windows-1252'))) {
      expect(await decode(chunks)).toEqual({ text: cp, encoding: 'windows-1252' });
    }
  });

  it('decides on the first chunk holding a non-ASCII byte, even after a long ASCII start', async () => {
    const ascii = Buffer.from(`phone,name\n${'+33612345678,Jean\n'.repeat(10_000)}`);
    const late = iconv.encode('+33612345679,Zoé\n', 'windows-1252');
    expect(await decode([ascii, late])).toMatchObject({ encoding: 'windows-1252' });
    expect((await decode([ascii, late])).text.endsWith('Zoé\n')).toBe(true);
  });

  it('keeps UTF-8 once seen and reads a later stray byte as Windows-1252', async () => {
    const chunks = [Buffer.from('name\nZoé\n'), Buffer.from([0x4e, 0x6f, 0xeb, 0x6c, 0x80, 0x0a])];
    expect(await decode(chunks)).toEqual({ text: 'name\nZoé\nNoël€\n', encoding: 'utf-8' });
  });

  it('reads UTF-16 by its BOM (LE and BE), and LE without BOM', async () => {
    const t = 'nom\ttél\nŁukasz\t1\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(t, 'utf-16be')]);
    for (const chunks of everySplit(le))
      expect(await decode(chunks)).toEqual({ text: t, encoding: 'utf-16le' });
    expect(await decode([be])).toEqual({ text: t, encoding: 'utf-16be' });
    expect(await decode([Buffer.from(t, 'utf16le')])).toEqual({ text: t, encoding: 'utf-16le' });
  });

  it('follows a declared encoding', async () => {
    expect(await decode([Buffer.from([0x61, 0xa4, 0x0a])], 'iso-8859-15')).toEqual({
      text: 'a€\n',
      encoding: 'iso-8859-15',
    });
  });
});

describe('openCsv', () => {
  it('sniffs the delimiter from the header line only, quotes respected', async () => {
    const csv = await openCsv(
      Readable.from([Buffer.from('"Nom, prénom";Téléphone\n"a,b,c,d";1\n')]),
    );
    expect(csv.delimiter).toBe(';');
    expect(csv.header).toEqual(['Nom, prénom', 'Téléphone']);
    const rows = [];
    for await (const r of csv.rows()) rows.push(r);
    expect(rows).toEqual([{ row: 2, cells: ['a,b,c,d', '1'] }]);
  });

  it('handles old Mac line endings and CRLF blank lines in row numbering', async () => {
    const csv = await openCsv(
      Readable.from([Buffer.from('phone\r+33612345678\r\r+33612345679\r')]),
    );
    const rows = [];
    for await (const r of csv.rows()) rows.push(r);
    expect(rows).toEqual([
      { row: 2, cells: ['+33612345678'] },
      { row: 3, cells: [''] },
      { row: 4, cells: ['+33612345679'] },
    ]);
  });
});

describe('sniffDelimiter', () => {
  it.each([
    ['phone,name,city', ','],
    ['phone;name;city', ';'],
    ['phone\tname\tcity', '\t'],
    ['phone|name|city', '|'],
    ['"a;b";c,d', ','],
    ['phone', ','],
  ])('%j → %j', (line, expected) => {
    expect(sniffDelimiter(line)).toBe(expected);
  });
});

describe('toVariableKey', () => {
  it.each([
    ['Prénom', 'prenom'],
    ["Nom de l'entreprise", 'nom_de_l_entreprise'],
    ['  Montant dû (€) ', 'montant_du'],
    ['firstName', 'first_name'],
    ['Cœur', 'coeur'],
    ['N° client', 'n_client'],
    ['TÉLÉPHONE', 'telephone'],
    ['Straße', 'strasse'],
  ])('%j → %j', (header, key) => {
    expect(toVariableKey(header)).toBe(key);
  });

  it('finds the phone column by its usual names, in any case and accent', () => {
    expect(findPhoneColumn(['Nom', 'TÉLÉPHONE'])).toEqual({ index: 1, header: 'TÉLÉPHONE' });
    expect(findPhoneColumn(['Nom', 'Numéro'])).toEqual({ index: 1, header: 'Numéro' });
    expect(findPhoneColumn(['Nom', 'Téléphone fixe'])).toEqual({
      index: 1,
      header: 'Téléphone fixe',
    });
    // A mobile beats a plain phone column (issue #12); phone_column still overrides.
    expect(findPhoneColumn(['mobile', 'phone'])).toEqual({ index: 0, header: 'mobile' });
    expect(findPhoneColumn(['mobile', 'phone'], 'phone')).toEqual({ index: 1, header: 'phone' });
    expect(findPhoneColumn(['Tel. fixe', 'Tel. mobile'])).toEqual({
      index: 1,
      header: 'Tel. mobile',
    });
  });
});

describe('normalizePhone', () => {
  it.each([
    ['="+33612345678"', '+33612345678'],
    ['=+33612345678', '+33612345678'],
    ["'+33612345678", '+33612345678'],
    ['+33 (0)6 12 34 56 78', '+33612345678'],
    ['0033.6.12.34.56.78', '+33612345678'],
    ['06 12 34 56 78', '+33612345678'],
    ['6 12 34 56 78', '+33612345678'],
    ['+1 (212) 555-0123', '+12125550123'],
    ['+33\u202f6\u202f12\u202f34\u202f56\u202f78', '+33612345678'],
  ])('%j → %j', (raw, e164) => {
    expect(normalizePhone(raw, 'FR')).toEqual({ ok: true, e164 });
  });

  it('uses the full metadata: a well-sized number outside any range is invalid', () => {
    expect(normalizePhone('+1 555 123 4567')).toEqual({
      ok: false,
      message: '"+1 555 123 4567" is not a valid phone number (no such number range)',
    });
  });
});
