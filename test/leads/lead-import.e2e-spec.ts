import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as iconv from 'iconv-lite';
import { randomUUID } from 'node:crypto';
import { fixture, insertCampaign, leadsOf, type LeadsTestEnv, startLeadsEnv } from './support';
import { TEST_API_KEY } from '../kit/app';

/** The French Excel sheet of fr-excel-*.csv, as the leads it must give. */
const FRENCH_LEADS = [
  {
    phone: '+33612345678',
    row_number: 2,
    status: 'pending',
    timezone: null,
    variables: {
      prenom: 'Zoé',
      nom_de_l_entreprise: 'Boulangerie Noël',
      ville: 'Besançon',
      montant_du: '1 234,50 €',
    },
  },
  {
    phone: '+33698765432',
    row_number: 3,
    status: 'pending',
    timezone: null,
    variables: {
      prenom: 'François',
      nom_de_l_entreprise: 'Café "Le Cœur"; Lyon',
      ville: 'Orléans',
      montant_du: '12,00 €',
    },
  },
  {
    phone: '+33612345679',
    row_number: 4,
    status: 'pending',
    timezone: null,
    variables: {
      prenom: 'Hélène',
      nom_de_l_entreprise: 'L’Œuf à la coque',
      ville: 'Nîmes',
      montant_du: '–',
    },
  },
  {
    phone: '+33611223344',
    row_number: 8,
    status: 'pending',
    timezone: null,
    variables: {
      prenom: 'Noémie',
      nom_de_l_entreprise: 'Chez Noémie',
      ville: 'Dijon',
      montant_du: '7',
    },
  },
];

describe('POST /v1/campaigns/{id}/leads', () => {
  let env: LeadsTestEnv;

  beforeAll(async () => {
    env = await startLeadsEnv();
  });

  afterAll(async () => {
    await env?.close();
  });

  const upload = (campaignId: string, body: Buffer, query = '', type = 'text/csv') =>
    env
      .http()
      .post(`/v1/campaigns/${campaignId}/leads${query}`)
      .set('X-Api-Key', TEST_API_KEY)
      .set('Content-Type', type)
      .send(body);

  it('reads a French Excel export (Windows-1252, `;`, CRLF) with exact counts, rows and values', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(campaign, fixture('fr-excel-cp1252.csv'));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      import_id: expect.any(String),
      rows: 6,
      accepted: 4,
      rejected: 1,
      duplicates: 1,
      suppressed: 0,
      blank_rows: 1,
      ignored_rows: [],
      errors: [{ row: 5, column: 'Téléphone', message: '"0612" is too short for FR' }],
      error_count: 1,
      missing_variables: ['nom_du_salon'],
      phone_column: 'Téléphone',
      phone_column_reason: 'the only phone column',
      delimiter: ';',
      encoding: 'windows-1252',
    });
    expect(await leadsOf(env.pg, campaign)).toEqual(FRENCH_LEADS);

    // Importing the same file again adds nothing.
    const again = await upload(campaign, fixture('fr-excel-cp1252.csv'));
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({
      rows: 6,
      accepted: 0,
      rejected: 1,
      duplicates: 5,
      suppressed: 0,
    });
    expect(await leadsOf(env.pg, campaign)).toEqual(FRENCH_LEADS);
  });

  it('reads the same sheet saved as CSV UTF-8 (BOM), sent as multipart, to the same leads', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await env
      .http()
      .post(`/v1/campaigns/${campaign}/leads`)
      .set('X-Api-Key', TEST_API_KEY)
      .field('note', 'ignored')
      .attach('file', fixture('fr-excel-utf8-bom.csv'), {
        filename: 'Relance salons – novembre.csv',
        contentType: 'text/csv',
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      rows: 6,
      accepted: 4,
      rejected: 1,
      duplicates: 1,
      blank_rows: 1,
      encoding: 'utf-8',
    });
    expect(await leadsOf(env.pg, campaign)).toEqual(FRENCH_LEADS);

    const record = await env
      .http()
      .get(`/v1/campaigns/${campaign}/imports/${res.body.import_id}`)
      .set('X-Api-Key', TEST_API_KEY);
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({
      import_id: res.body.import_id,
      campaign_id: campaign,
      file_name: 'Relance salons – novembre.csv',
      status: 'completed',
      rows: 6,
      accepted: 4,
      rejected: 1,
      duplicates: 1,
      suppressed: 0,
      blank_rows: 1,
      error_count: 1,
      errors: [{ row: 5, column: 'Téléphone', message: '"0612" is too short for FR' }],
      missing_variables: ['nom_du_salon'],
      phone_column: 'Téléphone',
      delimiter: ';',
      encoding: 'utf-8',
      failure: null,
    });
    expect(Date.parse(record.body.finished_at)).toBeGreaterThanOrEqual(
      Date.parse(record.body.started_at),
    );
  });

  it('reads Excel "Unicode text" (UTF-16LE with BOM, tab-separated)', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(campaign, fixture('unicode-text-utf16le.txt'), '', 'text/plain');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      rows: 3,
      accepted: 3,
      rejected: 0,
      delimiter: '\t',
      encoding: 'utf-16le',
    });
    const leads = await leadsOf(env.pg, campaign);
    expect(leads.map((l) => [l.row_number, l.phone, l.variables])).toEqual([
      [2, '+48512345678', { nom: 'Łukasz', societe: 'Żabka Sp. z o.o.' }],
      [3, '+34612345678', { nom: 'José', societe: 'Peña & Cía' }],
      [4, '+4741234567', { nom: 'Ørjan', societe: 'Blåbær AS' }],
    ]);
  });

  it('settles the encoding on the first non-ASCII byte, even far into the file', async () => {
    const campaign = await insertCampaign(env.pg);
    let ascii = 'phone,prenom\n';
    for (let i = 0; i < 8000; i++) ascii += `+336${String(20_000_000 + i)},Jean\n`;
    const body = Buffer.concat([
      Buffer.from(ascii),
      iconv.encode('+33699999999,Zoé Noël – 5 €\n', 'windows-1252'),
    ]);
    expect(body.length).toBeGreaterThan(128 * 1024);
    const res = await upload(campaign, body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rows: 8001, accepted: 8001, encoding: 'windows-1252' });
    const { rows } = await env.pg.query(
      `SELECT row_number, variables FROM leads WHERE campaign_id = $1 AND phone = '+33699999999'`,
      [campaign],
    );
    expect(rows).toEqual([{ row_number: 8002, variables: { prenom: 'Zoé Noël – 5 €' } }]);
  });

  it('a file of many batches keeps every row, in file order, with its own values', async () => {
    const campaign = await insertCampaign(env.pg);
    let csv = 'phone,ref,note\n';
    for (let i = 0; i < 12_345; i++)
      csv += `+336${String(30_000_000 + i)},ref ${i},${'é'.repeat(i % 7)}\n`;
    csv += '+33630000000,repeat of row 2,\n';
    const res = await upload(campaign, Buffer.from(csv));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rows: 12_346, accepted: 12_345, duplicates: 1 });
    const { rows } = await env.pg.query<{ row_number: number; phone: string; variables: object }>(
      'SELECT row_number, phone, variables FROM leads WHERE campaign_id = $1 ORDER BY seq',
      [campaign],
    );
    expect(rows).toHaveLength(12_345);
    rows.forEach((r, i) => {
      expect(r).toEqual({
        row_number: i + 2,
        phone: `+336${String(30_000_000 + i)}`,
        variables: { ref: `ref ${i}`, note: 'é'.repeat(i % 7) },
      });
    });
  });

  it('keeps every cell exactly as typed: quotes, backslashes, tabs, newlines, emoji, formulas', async () => {
    const campaign = await insertCampaign(env.pg);
    const cells = [
      'Salon "Chez Zoé"',
      'C:\\Users\\zoe\\n',
      'tab\there',
      'line one\nline two',
      'Coiffure ✂️ 😀 — 5 €',
      '=1+1',
      '\\N',
      '{"json": [1, 2]}',
    ];
    const quoted = (v: string) => `"${v.replaceAll('"', '""')}"`;
    const csv = `phone,${cells.map((_, i) => `c${i}`).join(',')}\n+33612340001,${cells.map(quoted).join(',')}\n`;
    const res = await upload(campaign, Buffer.from(csv));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rows: 1, accepted: 1, error_count: 0 });
    const { rows } = await env.pg.query('SELECT variables FROM leads WHERE campaign_id = $1', [
      campaign,
    ]);
    expect(rows[0].variables).toEqual(Object.fromEntries(cells.map((v, i) => [`c${i}`, v])));
  });

  it('into a campaign that has leads: its numbers are duplicates (in any format), new ones go in', async () => {
    const campaign = await insertCampaign(env.pg);
    const first = await upload(
      campaign,
      Buffer.from('phone,prenom\n+33612340011,Ana\n+33612340012,Bo\n+33612340013,Cy\n'),
    );
    expect(first.body).toMatchObject({ rows: 3, accepted: 3, duplicates: 0 });
    const second = await upload(
      campaign,
      Buffer.from(
        'phone,prenom\n06 12 34 00 12,Bo again\n+33612340021,Dee\n0033612340013,Cy again\n' +
          '06.12.34.00.21,Dee again\n+33612340022,Eve\n',
      ),
    );
    expect(second.body).toMatchObject({ rows: 5, accepted: 2, duplicates: 3, rejected: 0 });
    const { rows } = await env.pg.query(
      "SELECT phone, variables->>'prenom' AS prenom FROM leads WHERE campaign_id = $1 ORDER BY seq",
      [campaign],
    );
    expect(rows).toEqual([
      { phone: '+33612340011', prenom: 'Ana' },
      { phone: '+33612340012', prenom: 'Bo' },
      { phone: '+33612340013', prenom: 'Cy' },
      { phone: '+33612340021', prenom: 'Dee' },
      { phone: '+33612340022', prenom: 'Eve' },
    ]);
  });

  it('lists the first 1,000 row errors in the answer and the import record, and counts them all', async () => {
    const campaign = await insertCampaign(env.pg);
    // Rows 2–1501 are invalid numbers (too short), row 1502 a good one.
    const bad = Array.from({ length: 1500 }, (_, i) => `06${i},x`).join('\n');
    const res = await upload(campaign, Buffer.from(`phone,note\n${bad}\n+33612340999,ok\n`));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rows: 1501, accepted: 1, rejected: 1500, error_count: 1500 });
    expect(res.body.errors).toHaveLength(1000);
    expect(res.body.errors[0]).toEqual({
      row: 2,
      column: 'phone',
      message: '"060" is too short for FR',
    });
    expect(res.body.errors[999].row).toBe(1001);
    const record = await env
      .http()
      .get(`/v1/campaigns/${campaign}/imports/${res.body.import_id}`)
      .set('X-Api-Key', TEST_API_KEY);
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({ status: 'completed', rejected: 1500, error_count: 1500 });
    expect(record.body.errors).toEqual(res.body.errors);
    expect((await leadsOf(env.pg, campaign)).map((l) => [l.phone, l.row_number])).toEqual([
      ['+33612340999', 1502],
    ]);
  });

  it('sniffs pipe and tab delimiters', async () => {
    const pipe = await insertCampaign(env.pg, { defaultCountry: null });
    const res = await upload(pipe, fixture('pipe.csv'), '', 'application/octet-stream');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      rows: 3,
      accepted: 3,
      delimiter: '|',
      phone_column: 'phone_number',
    });
    expect((await leadsOf(env.pg, pipe)).map((l) => [l.phone, l.variables])).toEqual([
      ['+12125550123', { first_name: 'John', city: 'New York' }],
      ['+442079460958', { first_name: 'Olivia', city: 'London' }],
      ['+4930901820', { first_name: 'Lena', city: 'Düsseldorf' }],
    ]);

    const tab = await insertCampaign(env.pg);
    const res2 = await upload(tab, fixture('tab.tsv'), '', 'text/tab-separated-values');
    expect(res2.body).toMatchObject({ rows: 2, accepted: 2, delimiter: '\t', phone_column: 'tel' });
    expect((await leadsOf(env.pg, tab)).map((l) => l.variables)).toEqual([
      { notes: 'a\tb', city: 'Paris' },
      { notes: 'say "hi"', city: 'Lyon' },
    ]);
  });

  it('numbers rows as a spreadsheet does: quoted newlines are one row, blank lines count, ragged rows are kept', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(campaign, fixture('quoted-multiline.csv'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      rows: 8,
      accepted: 6,
      rejected: 2,
      duplicates: 0,
      blank_rows: 3,
      errors: [
        { row: 9, column: 'phone', message: '"not a number" contains letters: not a phone number' },
        { row: 11, column: 'phone', message: 'phone number is empty' },
      ],
    });
    expect(
      (await leadsOf(env.pg, campaign)).map((l) => [l.row_number, l.phone, l.variables]),
    ).toEqual([
      [2, '+33612345601', { name: 'Dupont, Jean', notes: 'Line one\nline two\nline three' }],
      [3, '+33612345602', { name: 'Martin', notes: 'He said "hi"' }],
      [5, '+33612345603', { name: 'Short', notes: '' }],
      [6, '+33612345604', { name: 'Long', notes: 'extra' }],
      [10, '+33612345605', { name: 'Quoted "phone"', notes: 'a\nb' }],
      [12, '+33612345606', { name: 'Last', notes: 'end' }],
    ]);
  });

  it('understands formula-wrapped and oddly formatted numbers from many countries, and says why others are invalid', async () => {
    const campaign = await insertCampaign(env.pg, { defaultCountry: null });
    const res = await upload(campaign, fixture('phones.csv'), '?default_country=fr');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      rows: 30,
      accepted: 20,
      rejected: 7,
      duplicates: 3,
      suppressed: 0,
    });
    expect(res.body.errors).toEqual([
      { row: 21, column: 'telephone', message: '"12345" is too short for FR' },
      { row: 22, column: 'telephone', message: '"+336123456789012" is too long for FR' },
      {
        row: 23,
        column: 'telephone',
        message: '"+999 123 456" does not start with a known country calling code',
      },
      { row: 24, column: 'telephone', message: '"hello" contains letters: not a phone number' },
      {
        row: 25,
        column: 'telephone',
        message:
          '"3.36123E+10" was turned into scientific notation by a spreadsheet and its last digits are lost; format the column as text and export again',
      },
      {
        row: 26,
        column: 'telephone',
        message: '"+1 555 123 4567" is not a valid phone number (no such number range)',
      },
      { row: 27, column: 'telephone', message: 'phone number is empty' },
    ]);
    const leads = await leadsOf(env.pg, campaign);
    expect(leads.map((l) => [l.row_number, l.phone])).toEqual([
      [2, '+33612345610'],
      [3, '+33612345611'],
      [4, '+33612345612'],
      [5, '+33612345613'],
      [6, '+33612345614'],
      [7, '+33612345615'],
      [8, '+33612345616'],
      [9, '+33612345617'],
      [10, '+33612345618'],
      [11, '+12125550199'],
      [12, '+447911123456'],
      [13, '+4915123456789'],
      [14, '+34612345678'],
      [15, '+393123456789'],
      [16, '+819012345678'],
      [17, '+61412345678'],
      [18, '+5511912345678'],
      [19, '+919876543210'],
      [20, '+262692123456'],
      // An extension is kept apart (issue #12): the number is dialled, the extension is a variable.
      [28, '+33612345678'],
    ]);
    expect(leads[0].variables).toEqual({ label: 'formula text' });
    expect(leads[19].variables).toEqual({ label: 'extension', phone_extension: '12' });
  });

  it('without a default country, national numbers are row errors that say so', async () => {
    const campaign = await insertCampaign(env.pg, { defaultCountry: null });
    const res = await upload(campaign, fixture('fr-excel-cp1252.csv'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rows: 6, accepted: 2, rejected: 4, duplicates: 0 });
    expect(res.body.errors.map((e: { row: number }) => e.row)).toEqual([2, 4, 5, 6]);
    expect(res.body.errors[0].message).toBe(
      '"06 12 34 56 78" has no country code (+…) and neither the import nor the campaign has a default_country',
    );
  });

  it('validates the optional timezone column per row', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(campaign, fixture('timezones.csv'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      rows: 5,
      accepted: 3,
      rejected: 2,
      errors: [
        {
          row: 4,
          column: 'timezone',
          message: '"Mars/Olympus" is not an IANA time zone (such as Europe/Paris)',
        },
        {
          row: 5,
          column: 'timezone',
          message: '"+02:00" is not an IANA time zone (such as Europe/Paris)',
        },
      ],
    });
    expect(
      (await leadsOf(env.pg, campaign)).map((l) => [l.phone, l.timezone, l.variables]),
    ).toEqual([
      ['+33612345620', 'Europe/Paris', { prenom: 'A' }],
      ['+33612345621', 'America/New_York', { prenom: 'B' }],
      ['+33612345624', null, { prenom: 'E' }],
    ]);
  });

  it('finds the phone column named by phone_column, ignoring case and accents', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(
      campaign,
      fixture('unknown-phone-header.csv'),
      '?phone_column=COORDONNEES',
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rows: 1, accepted: 1, phone_column: 'Coordonnées' });
    expect(await leadsOf(env.pg, campaign)).toMatchObject([
      { phone: '+33612345640', variables: { nom: 'Zoé', ville: 'Lyon' } },
    ]);
  });

  it('missing_variables drops what the campaign supplies; a platform failure is a warning, not an error', async () => {
    const supplied = await insertCampaign(env.pg, { variables: { nom_du_salon: 'Salon' } });
    const res = await upload(supplied, fixture('fr-excel-cp1252.csv'));
    expect(res.status).toBe(201);
    expect(res.body.missing_variables).toEqual([]);
    expect(res.body.warnings).toBeUndefined();

    const unknownAgent = await insertCampaign(env.pg, { agentId: randomUUID() });
    const res2 = await upload(unknownAgent, fixture('fr-excel-cp1252.csv'));
    expect(res2.status).toBe(201);
    expect(res2.body).toMatchObject({ accepted: 4, missing_variables: [] });
    expect(res2.body.warnings).toEqual([expect.stringContaining('Could not read agent')]);
  });

  it('GET leads pages through the campaign in import order, with a status filter', async () => {
    const campaign = await insertCampaign(env.pg);
    await upload(campaign, fixture('fr-excel-cp1252.csv')).expect(201);
    await env.pg.query(
      `UPDATE leads SET status = 'completed' WHERE campaign_id = $1 AND row_number = 3`,
      [campaign],
    );
    const get = (query: string) =>
      env.http().get(`/v1/campaigns/${campaign}/leads${query}`).set('X-Api-Key', TEST_API_KEY);

    const first = await get('?limit=3');
    expect(first.status).toBe(200);
    expect(first.body.data.map((l: { phone: string }) => l.phone)).toEqual([
      '+33612345678',
      '+33698765432',
      '+33612345679',
    ]);
    expect(first.body.data[0]).toEqual({
      id: expect.any(String),
      phone: '+33612345678',
      variables: FRENCH_LEADS[0].variables,
      status: 'pending',
      attempts: 0,
      last_call_id: null,
      last_call_status: null,
      next_attempt_at: null,
      qualified: null,
      outcome: null,
      status_reason: null,
      contact_type: null,
      consent_at: null,
      consent_source: null,
      row_number: 2,
      timezone: null,
      import_id: expect.any(String),
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const second = await get(`?limit=3&cursor=${first.body.next_cursor}`);
    expect(second.body.data.map((l: { phone: string }) => l.phone)).toEqual(['+33611223344']);
    expect(second.body.next_cursor).toBeNull();

    const pending = await get('?status=pending');
    expect(pending.body.data.map((l: { row_number: number }) => l.row_number)).toEqual([2, 4, 8]);
    const several = await get('?status=completed,suppressed');
    expect(several.body.data.map((l: { row_number: number }) => l.row_number)).toEqual([3]);

    expect((await get('?status=dialled')).status).toBe(400);
    expect((await get('?limit=0')).status).toBe(400);
    const badCursor = await get('?cursor=nonsense');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.message).toContain('cursor');
    const missing = await env
      .http()
      .get(`/v1/campaigns/${randomUUID()}/leads`)
      .set('X-Api-Key', TEST_API_KEY);
    expect(missing.status).toBe(404);
  });

  it("GET imports lists the campaign's imports, newest first, page by page, without row errors", async () => {
    const campaign = await insertCampaign(env.pg);
    const other = await insertCampaign(env.pg);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await upload(campaign, Buffer.from(`phone\n+3361234${1000 + i}\n0612\n`));
      expect(res.status).toBe(201);
      ids.push(res.body.import_id);
    }
    await upload(other, Buffer.from('phone\n+33612349999\n'));
    const get = (query: string) =>
      env.http().get(`/v1/campaigns/${campaign}/imports${query}`).set('X-Api-Key', TEST_API_KEY);

    const first = await get('?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.data.map((i: { import_id: string }) => i.import_id)).toEqual([
      ids[2],
      ids[1],
    ]);
    expect(first.body.data[0]).toMatchObject({
      campaign_id: campaign,
      status: 'completed',
      rows: 2,
      accepted: 1,
      rejected: 1,
      error_count: 1,
      phone_column: 'phone',
    });
    expect(first.body.data[0]).not.toHaveProperty('errors');
    const second = await get(`?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.data.map((i: { import_id: string }) => i.import_id)).toEqual([ids[0]]);
    expect(second.body.next_cursor).toBeNull();

    expect((await get('?cursor=nonsense')).status).toBe(400);
    expect((await get('?limit=0')).body.message).toMatch(/limit/);
    const missing = await env
      .http()
      .get(`/v1/campaigns/${randomUUID()}/imports`)
      .set('X-Api-Key', TEST_API_KEY);
    expect(missing.status).toBe(404);
  });

  it('GET an unknown import is 404', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await env
      .http()
      .get(`/v1/campaigns/${campaign}/imports/${randomUUID()}`)
      .set('X-Api-Key', TEST_API_KEY);
    expect(res.status).toBe(404);
  });
});
