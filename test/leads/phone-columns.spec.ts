import { describe, expect, it } from '@jest/globals';
import * as iconv from 'iconv-lite';
import { Readable } from 'node:stream';
import { openCsv } from '../../src/leads/csv/csv-reader';
import { planLeadColumns } from '../../src/leads/csv/header-mapping';
import { guessLegacyEncoding } from '../../src/leads/csv/legacy-encoding';
import { normalizePhone } from '../../src/leads/csv/phone-normalizer';
import { fixture } from './support';

/** The phone columns a header gives: the first tried, then the others in order. */
function order(header: string[]): string[] {
  return planLeadColumns(header).phone.candidates.map((c) => c.header);
}

describe('choosing the phone column without a hint', () => {
  it.each([
    [['Nom', 'TÉLÉPHONE'], ['TÉLÉPHONE']],
    [['Nom', 'Numéro'], ['Numéro']],
    [['Nom', 'Téléphone fixe'], ['Téléphone fixe']],
    [
      ['phone', 'mobile'],
      ['mobile', 'phone'],
    ],
    [
      ['Tel. fixe', 'Tel. mobile'],
      ['Tel. mobile', 'Tel. fixe'],
    ],
    [['Name', 'SMS'], ['SMS']],
    [['Name', 'WhatsApp'], ['WhatsApp']],
    [['Name', 'Mobil'], ['Mobil']],
    [
      ['Name', 'Telefon', 'Handynummer'],
      ['Handynummer', 'Telefon'],
    ],
    [
      ['Name', 'Mobiltelefon', 'Telefon geschäftlich', 'Fax geschäftlich'],
      ['Mobiltelefon', 'Telefon geschäftlich'],
    ],
    [
      ['Name', 'Numéro de portable', 'Téléphone'],
      ['Numéro de portable', 'Téléphone'],
    ],
    [
      ['Name', 'Teléfono', 'Móvil'],
      ['Móvil', 'Teléfono'],
    ],
    [
      ['Name', 'GSM', 'Tel'],
      ['GSM', 'Tel'],
    ],
    [['Name', 'Your work phone number'], ['Your work phone number']],
    [
      ['Name', 'phoneNumber', 'mobilePhone'],
      ['mobilePhone', 'phoneNumber'],
    ],
    [['Name', 'Fax', 'Pager', 'Phone'], ['Phone']],
    [['Name', 'Phone', 'Phone Opt Out', 'SMS Opt-in', 'Phone Type'], ['Phone']],
  ])('%j → %j', (header, expected) => {
    expect(order(header)).toEqual(expected);
  });

  it('names what it chose and why, and what it never dials', () => {
    const plan = planLeadColumns(['Name', 'Business Phone', 'Business Fax', 'Mobile Phone']).phone;
    expect(plan.primary).toEqual({ index: 3, header: 'Mobile Phone' });
    expect(plan.reason).toBe(
      '"Mobile Phone": its header says mobile; on a row where it is empty, the next filled of "Business Phone" (the lead\'s phone_source says which); never dialled: "Business Fax"',
    );
    expect(planLeadColumns(['Name', 'Phone']).phone.reason).toBe('the only phone column');
  });

  it('only a truly undecidable file is refused, naming the candidates and phone_column', () => {
    expect(() => planLeadColumns(['Name', 'Manager phone', 'Assistant phone'])).toThrow(
      'Several columns could hold the phone number ("Manager phone", "Assistant phone") and none says mobile or phone alone: name the one to use with the phone_column query parameter',
    );
    // One such column alone is used; beside a plain phone column, the plain one wins.
    expect(order(['Name', 'Manager phone'])).toEqual(['Manager phone']);
    expect(order(['Name', 'Manager phone', 'Phone'])).toEqual(['Phone']);
  });

  it('phone_column overrides the choice, alone', () => {
    const plan = planLeadColumns(['Phone', 'Mobile'], { phoneColumn: 'phone' }).phone;
    expect(plan.candidates.map((c) => c.header)).toEqual(['Phone']);
    expect(plan.reason).toBe('named by the phone_column parameter');
  });

  it.each([
    ['google-contacts.csv', ['Phone 1 - Value', 'Phone 2 - Value']],
    [
      'outlook.csv',
      ['Mobile Phone', 'Primary Phone', 'Business Phone', 'Business Phone 2', 'Home Phone'],
    ],
    ['apple-contacts.csv', ['Phone : iPhone', 'Phone : mobile', 'Phone : home']],
    ['hubspot.csv', ['Mobile Phone Number', 'Phone Number']],
    ['salesforce-report.csv', ['Mobile', 'Phone']],
    [
      'pipedrive-en.csv',
      [
        'Person - Phone - Mobile',
        'Person - Phone - Work',
        'Person - Phone - Home',
        'Person - Phone - Other',
      ],
    ],
    [
      'pipedrive-fr.csv',
      [
        'Personne - Téléphone - Mobile',
        'Personne - Téléphone - Travail',
        'Personne - Téléphone - Domicile',
      ],
    ],
    ['zoho.csv', ['Mobile', 'Phone']],
    ['brevo.csv', ['SMS', 'WHATSAPP', 'LANDLINE_NUMBER']],
    ['mailchimp.csv', ['Phone Number']],
    ['linkedin-scraper.csv', ['phoneNumber']],
    ['german-sheet.csv', ['Handynummer', 'Telefon']],
  ])('%s: phone columns in the order tried', async (name, expected) => {
    const csv = await openCsv(Readable.from([fixture(`vendors/${name}`)]));
    csv.close();
    expect(order(csv.header)).toEqual(expected);
  });
});

describe('normalizePhone on real cells', () => {
  it.each([
    ['+1 212 555 0123 ext. 204', undefined, { e164: '+12125550123', extension: '204' }],
    ['(212) 555-0127 x12', 'US', { e164: '+12125550127', extension: '12' }],
    ['01 42 68 53 00 poste 12', 'FR', { e164: '+33142685300', extension: '12' }],
    ['+49 30 1234567 Durchwahl 3', undefined, { e164: '+49301234567', extension: '3' }],
    ['33612345678', 'FR', { e164: '+33612345678' }],
    ['33612345678', undefined, { e164: '+33612345678' }],
    ['4915123456789', 'US', { e164: '+4915123456789' }],
    [
      '+33 1 42 68 53 04 ::: +33 6 11 22 33 44',
      undefined,
      { e164: '+33611223344', others: ['+33142685304'] },
    ],
    ['06 12 34 56 78 / 01 42 68 53 00', 'FR', { e164: '+33612345678', others: ['+33142685300'] }],
    ['01 42 68 53 00, 06 12 34 56 78', 'FR', { e164: '+33612345678', others: ['+33142685300'] }],
    ['01 42 68 53 00 ou 01 42 68 53 01', 'FR', { e164: '+33142685300', others: ['+33142685301'] }],
    ['030/1234567', 'DE', { e164: '+49301234567' }],
    // A number column a spreadsheet wrote with its Number format or in full scientific notation.
    ['612345678.0', 'FR', { e164: '+33612345678' }],
    ['612,345,678.00', 'FR', { e164: '+33612345678' }],
    ['612\u202f345\u202f678,00', 'FR', { e164: '+33612345678' }],
    ['33,612,345,678.00', undefined, { e164: '+33612345678' }],
    ['6.12345678E+08', 'FR', { e164: '+33612345678' }],
    ['3,3612345678E+10', undefined, { e164: '+33612345678' }],
  ] as const)('%j (%s) → %j', (raw, country, expected) => {
    expect(normalizePhone(raw, country)).toEqual({ ok: true, ...expected });
  });

  it('keeps the national reading when it is valid, and rejects what is neither', () => {
    expect(normalizePhone('0612345678', 'FR')).toEqual({ ok: true, e164: '+33612345678' });
    expect(normalizePhone('612345678', 'FR')).toEqual({ ok: true, e164: '+33612345678' });
    expect(normalizePhone('12', 'FR')).toMatchObject({ ok: false });
    expect(normalizePhone('0612 / 0613', 'FR')).toMatchObject({ ok: false });
  });

  it('scientific notation that hides digits is refused, saying how to export it', () => {
    expect(normalizePhone('3.36123E+10', 'FR')).toEqual({
      ok: false,
      message:
        '"3.36123E+10" was turned into scientific notation by a spreadsheet and its last digits are lost; format the column as text and export again',
    });
    // Grouped by twos is a written number, not a Number format: its last "00" is digits.
    expect(normalizePhone('06.12.34.56.00', 'FR')).toEqual({ ok: true, e164: '+33612345600' });
  });
});

describe('single-byte encodings', () => {
  const text = 'Prénom;Société;Ville\nZoé;Boulangerie Noël;Besançon\nFrançois;Café Crème;Orléans\n';

  it('tells Mac Roman from Windows-1252', () => {
    expect(guessLegacyEncoding(iconv.encode(text, 'macintosh'), false)).toBe('macintosh');
    expect(guessLegacyEncoding(iconv.encode(text, 'windows-1252'), false)).toBe('windows-1252');
    expect(guessLegacyEncoding(iconv.encode('a;12 €\n', 'windows-1252'), false)).toBe(
      'windows-1252',
    );
  });

  it('reads an Excel for Mac file (Mac Roman, CR line endings) with its accents', async () => {
    const csv = await openCsv(Readable.from([fixture('vendors/excel-mac-macroman.csv')]));
    const rows = [];
    for await (const r of csv.rows()) rows.push(r.cells);
    expect(csv.header).toEqual(['Prénom', 'Nom de l’entreprise', 'Téléphone portable', 'Ville']);
    expect(csv.encoding).toBe('macintosh');
    expect(csv.lineEnding).toBe('CR');
    expect(rows[1]).toEqual(['François', 'Café Crème', '06 98 76 54 32', 'Orléans']);
    expect(csv.warnings).toEqual([]);
  });

  it('a byte the detected encoding cannot read is a 400 naming its offset', async () => {
    const bytes = Buffer.concat([
      Buffer.from('phone;name\n+33612345678;Zo'),
      iconv.encode('é', 'windows-1252'),
      Buffer.from('\n+33612345679;Abc'),
      Buffer.from([0x81]),
      Buffer.from('\n'),
    ]);
    const read = async () => {
      const csv = await openCsv(Readable.from([bytes]));
      for await (const r of csv.rows()) void r;
    };
    await expect(read()).rejects.toMatchObject({
      response: {
        message: expect.stringContaining('byte 44 of the file cannot be read as windows-1252'),
      },
    });
  });

  it('with a declared encoding, the same byte is a warning', async () => {
    const bytes = Buffer.concat([
      Buffer.from('phone;name\n+33612345678;Ab'),
      Buffer.from([0x81, 0x0a]),
    ]);
    const csv = await openCsv(Readable.from([bytes]), { encoding: 'windows-1252' });
    for await (const r of csv.rows()) void r;
    expect(csv.warnings).toEqual([
      'byte 26 of the file cannot be read as windows-1252 (encoding=windows-1252 was given): such characters read as U+FFFD (�)',
    ]);
  });

  it('a UTF-8 file with one stray byte stays UTF-8 and says where the byte is', async () => {
    const bytes = Buffer.concat([
      Buffer.from('phone;prénom\n+33612345678;Zoé\n+33612345679;No'),
      Buffer.from([0xeb]),
      Buffer.from('l\n'),
    ]);
    const csv = await openCsv(Readable.from([bytes]));
    const rows = [];
    for await (const r of csv.rows()) rows.push(r.cells);
    expect(csv.encoding).toBe('utf-8');
    expect(rows[1]).toEqual(['+33612345679', 'Noël']);
    expect(csv.warnings[0]).toContain('byte 47 of the file (0xEB) is not UTF-8');
  });
});
