import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixture, insertCampaign, leadsOf, type LeadsTestEnv, startLeadsEnv } from './support';
import { TEST_API_KEY } from '../kit/app';

/** Real CRM and contact-app exports (test/fixtures/leads/vendors), imported without any hint. */
describe('lead files exported from CRMs and contact apps', () => {
  let env: LeadsTestEnv;

  beforeAll(async () => {
    env = await startLeadsEnv();
  });

  afterAll(async () => {
    await env?.close();
  });

  const upload = (campaignId: string, name: string, query = '') =>
    env
      .http()
      .post(`/v1/campaigns/${campaignId}/leads${query}`)
      .set('X-Api-Key', TEST_API_KEY)
      .set('Content-Type', 'text/csv')
      .send(fixture(`vendors/${name}`));

  /** Each lead as phone, row and the variables the test looks at. */
  async function numbers(campaignId: string, ...keys: string[]) {
    return (await leadsOf(env.pg, campaignId)).map((l) => ({
      row: l.row_number,
      phone: l.phone,
      ...Object.fromEntries(keys.map((k) => [k, l.variables[k]])),
    }));
  }

  it('Google Contacts: the number labelled Mobile on each row, never a fax, several numbers in a cell', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(campaign, 'google-contacts.csv');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rows: 4, accepted: 4, rejected: 0 });
    expect(res.body.phone_column).toBe('Phone 1 - Value');
    expect(res.body.phone_column_reason).toContain('its type column says, row by row');
    expect(await numbers(campaign, 'phone_source', 'other_phones')).toEqual([
      { row: 2, phone: '+33612345678', phone_source: 'Phone 2 - Value', other_phones: undefined },
      { row: 3, phone: '+33698765432', phone_source: 'Phone 1 - Value', other_phones: undefined },
      { row: 4, phone: '+33142685303', phone_source: 'Phone 2 - Value', other_phones: undefined },
      {
        row: 5,
        phone: '+33611223344',
        phone_source: 'Phone 1 - Value',
        other_phones: '+33142685304',
      },
    ]);
  });

  it('Outlook (Windows-1252): the mobile, else Primary Phone, else Business Phone; fax, pager and assistant never', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(campaign, 'outlook.csv');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      accepted: 3,
      encoding: 'windows-1252',
      phone_column: 'Mobile Phone',
    });
    expect(res.body.phone_column_reason).toBe(
      '"Mobile Phone": its header says mobile; on a row where it is empty, the next filled of "Primary Phone", "Business Phone", "Business Phone 2", "Home Phone" (the lead\'s phone_source says which); never dialled: "Business Fax", "Pager"',
    );
    expect(await numbers(campaign, 'phone_source', 'first_name')).toEqual([
      { row: 2, phone: '+33612345670', phone_source: 'Mobile Phone', first_name: 'Hélène' },
      { row: 3, phone: '+33612345671', phone_source: 'Primary Phone', first_name: 'Marc' },
      { row: 4, phone: '+33142685314', phone_source: 'Business Phone', first_name: 'Inès' },
    ]);
  });

  it('Apple Contacts exporter: "Phone : iPhone" and "Phone : mobile" before home', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(campaign, 'apple-contacts.csv');
    expect(res.status).toBe(201);
    expect(await numbers(campaign, 'phone_source')).toEqual([
      { row: 2, phone: '+33612345672', phone_source: 'Phone : iPhone' },
      { row: 3, phone: '+33612345673', phone_source: 'Phone : mobile' },
    ]);
  });

  it('HubSpot: extensions accepted and kept as phone_extension', async () => {
    const campaign = await insertCampaign(env.pg, { defaultCountry: 'US' });
    const res = await upload(campaign, 'hubspot.csv');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      accepted: 3,
      rejected: 0,
      phone_column: 'Mobile Phone Number',
    });
    expect(await numbers(campaign, 'phone_extension', 'phone_source')).toEqual([
      { row: 2, phone: '+12125550123', phone_extension: '204', phone_source: 'Phone Number' },
      {
        row: 3,
        phone: '+19175550126',
        phone_extension: undefined,
        phone_source: 'Mobile Phone Number',
      },
      { row: 4, phone: '+12125550127', phone_extension: '12', phone_source: 'Phone Number' },
    ]);
  });

  it('Salesforce report: the footer lines are ignored_rows, not rejected leads', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(campaign, 'salesforce-report.csv');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      rows: 3,
      accepted: 2,
      rejected: 1,
      blank_rows: 3,
      errors: [{ row: 4, column: 'Phone', message: expect.stringContaining('"12"') }],
      ignored_rows: [
        { row: 6, text: 'Grand Totals (3 records)' },
        { row: 9, text: 'Confidential Information - Do Not Distribute' },
        { row: 10, text: 'Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.' },
      ],
    });
    const record = await env
      .http()
      .get(`/v1/campaigns/${campaign}/imports/${res.body.import_id}`)
      .set('X-Api-Key', TEST_API_KEY);
    expect(record.body.ignored_rows).toEqual(res.body.ignored_rows);
    expect(record.body.phone_column_reason).toBe(res.body.phone_column_reason);
  });

  it('a footer-like row followed by data is a rejected lead after all', async () => {
    const campaign = await insertCampaign(env.pg);
    const body = 'Name,Phone\nTotal,\nAnn,+33612345678\nNote only,\n';
    const res = await env
      .http()
      .post(`/v1/campaigns/${campaign}/leads`)
      .set('X-Api-Key', TEST_API_KEY)
      .set('Content-Type', 'text/csv')
      .send(body);
    expect(res.body).toMatchObject({
      rows: 2,
      accepted: 1,
      rejected: 1,
      errors: [{ row: 2 }],
      ignored_rows: [{ row: 4, text: 'Note only' }],
    });
  });

  it('Pipedrive in English and French: Mobile, else Work / Travail', async () => {
    const en = await insertCampaign(env.pg);
    expect((await upload(en, 'pipedrive-en.csv')).status).toBe(201);
    expect(await numbers(en, 'phone_source')).toEqual([
      { row: 2, phone: '+447911123456', phone_source: 'Person - Phone - Mobile' },
      { row: 3, phone: '+442079460001', phone_source: 'Person - Phone - Work' },
    ]);
    const fr = await insertCampaign(env.pg);
    const res = await upload(fr, 'pipedrive-fr.csv');
    expect(res.body).toMatchObject({ delimiter: ';', encoding: 'utf-8' });
    expect(await numbers(fr, 'phone_source', 'personne_nom')).toEqual([
      {
        row: 2,
        phone: '+33612345674',
        phone_source: 'Personne - Téléphone - Mobile',
        personne_nom: 'Élise Dupont',
      },
      {
        row: 3,
        phone: '+33142685331',
        phone_source: 'Personne - Téléphone - Travail',
        personne_nom: 'Noé Garnier',
      },
    ]);
  });

  it('Zoho and Brevo: digits with the country code but no "+"; SMS and WhatsApp are mobiles', async () => {
    const zoho = await insertCampaign(env.pg);
    expect((await upload(zoho, 'zoho.csv')).body).toMatchObject({ accepted: 2, rejected: 0 });
    expect(await numbers(zoho)).toEqual([
      { row: 2, phone: '+4915123456789' },
      { row: 3, phone: '+33142685340' },
    ]);
    const brevo = await insertCampaign(env.pg, { defaultCountry: null });
    const res = await upload(brevo, 'brevo.csv');
    expect(res.body).toMatchObject({
      accepted: 3,
      rejected: 0,
      phone_column: 'SMS',
      delimiter: ';',
    });
    expect(await numbers(brevo, 'phone_source')).toEqual([
      { row: 2, phone: '+33612345675', phone_source: 'SMS' },
      { row: 3, phone: '+33612345676', phone_source: 'WHATSAPP' },
      { row: 4, phone: '+33142685352', phone_source: 'LANDLINE_NUMBER' },
    ]);
  });

  it('Mailchimp and a LinkedIn scraper: several numbers in one cell → the mobile, the rest in other_phones', async () => {
    const mailchimp = await insertCampaign(env.pg);
    const res = await upload(mailchimp, 'mailchimp.csv');
    expect(res.body).toMatchObject({ accepted: 2, phone_column: 'Phone Number' });
    expect(await numbers(mailchimp, 'other_phones')).toEqual([
      { row: 2, phone: '+12125550140', other_phones: undefined },
      // Both are US numbers, FIXED_LINE_OR_MOBILE: the first one wins.
      { row: 3, phone: '+12125550141', other_phones: '+19175550142' },
    ]);
    const linkedin = await insertCampaign(env.pg);
    await upload(linkedin, 'linkedin-scraper.csv');
    expect(await numbers(linkedin, 'other_phones')).toEqual([
      { row: 2, phone: '+33612345677', other_phones: '+33142685360' },
    ]);
  });

  it('a German sheet: Handynummer before Telefon, Fax never', async () => {
    const campaign = await insertCampaign(env.pg, { defaultCountry: 'DE' });
    await upload(campaign, 'german-sheet.csv');
    expect(await numbers(campaign, 'phone_source', 'fax')).toEqual([
      { row: 2, phone: '+4915123456789', phone_source: 'Handynummer', fax: '030 1234568' },
      { row: 3, phone: '+49301234569', phone_source: 'Telefon', fax: '' },
    ]);
  });

  it('Excel for Mac (Mac Roman, CR line endings): accents and variable names intact', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(campaign, 'excel-mac-macroman.csv');
    expect(res.body).toMatchObject({ accepted: 2, encoding: 'macintosh', delimiter: ';' });
    expect(res.body.warnings).toBeUndefined();
    const leads = await leadsOf(env.pg, campaign);
    expect(leads.map((l) => l.variables)).toEqual([
      { prenom: 'Zoé', nom_de_l_entreprise: 'Boulangerie Noël', ville: 'Besançon' },
      { prenom: 'François', nom_de_l_entreprise: 'Café Crème', ville: 'Orléans' },
    ]);
  });

  it('the same Mac file forced as Windows-1252: imported as asked, with a warning about the header', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(campaign, 'excel-mac-macroman.csv', '?encoding=windows-1252');
    expect(res.status).toBe(201);
    expect(res.body.warnings).toEqual([
      'byte 93 of the file cannot be read as windows-1252 (encoding=windows-1252 was given): such characters read as U+FFFD (�)',
      expect.stringContaining(
        'the header "PrŽnom", "Nom de lÕentreprise" reads like the wrong encoding (windows-1252)',
      ),
    ]);
  });

  it('Google Sheets: a number column that lost its leading 0 or got the Number format', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(campaign, 'google-sheets.csv');
    expect(res.body).toMatchObject({ accepted: 3, rejected: 0, phone_column: 'Portable' });
    expect(await numbers(campaign, 'prenom')).toEqual([
      { row: 2, phone: '+33612345678', prenom: 'Zoé' },
      { row: 3, phone: '+33612345679', prenom: 'Paul' },
      { row: 4, phone: '+33612345680', prenom: 'Anne' },
    ]);
  });

  it('LibreOffice: full scientific notation read, digits lost refused with the fix', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(campaign, 'libreoffice.csv');
    expect(res.body).toMatchObject({ accepted: 2, rejected: 1, phone_column: 'Téléphone mobile' });
    expect(res.body.errors).toEqual([
      {
        row: 4,
        column: 'Téléphone mobile',
        message:
          '"3.36123E+10" was turned into scientific notation by a spreadsheet and its last digits are lost; format the column as text and export again',
      },
    ]);
    expect(await numbers(campaign, 'remarque')).toEqual([
      { row: 2, phone: '+33612345681', remarque: 'Cliente depuis 2019, "fidèle"' },
      { row: 3, phone: '+33612345682', remarque: '' },
    ]);
  });

  it('two phone columns nothing tells apart: 400 listing them and naming phone_column', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(campaign, 'undecidable-phones.csv');
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('"Manager phone", "Assistant phone"');
    expect(res.body.message).toContain('phone_column');
    const hinted = await upload(
      campaign,
      'undecidable-phones.csv',
      '?phone_column=Manager%20phone',
    );
    expect(hinted.body).toMatchObject({ accepted: 1, phone_column: 'Manager phone' });
  });
});
