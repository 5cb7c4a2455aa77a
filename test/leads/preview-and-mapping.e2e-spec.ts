import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { fixture, insertCampaign, leadsOf, type LeadsTestEnv, startLeadsEnv } from './support';
import { SALON_AGENT_ID } from '../kit/simulator';
import { TEST_API_KEY } from '../kit/app';

describe('dry runs, column mapping and the lead template', () => {
  let env: LeadsTestEnv;

  beforeAll(async () => {
    env = await startLeadsEnv();
  });

  afterAll(async () => {
    await env?.close();
  });

  const upload = (campaignId: string, body: Buffer | string, query = '') =>
    env
      .http()
      .post(`/v1/campaigns/${campaignId}/leads${query}`)
      .set('X-Api-Key', TEST_API_KEY)
      .set('Content-Type', 'text/csv')
      .send(body);

  /** What a dry run must leave alone. */
  async function counts(campaignId: string) {
    const { rows } = await env.pg.query<Record<string, number>>(
      `SELECT (SELECT count(*) FROM leads WHERE campaign_id = $1)::int AS leads,
              (SELECT count(*) FROM lead_imports WHERE campaign_id = $1)::int AS imports,
              (SELECT count(*) FROM suppressions)::int AS suppressions,
              -- This database's only: other test files' databases hold locks of their own.
              (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))::int AS advisory_locks`,
      [campaignId],
    );
    return rows[0];
  }

  it('a dry run answers what the import would, plus a preview, and stores nothing', async () => {
    const campaign = await insertCampaign(env.pg, { variables: { offre: 'Essai gratuit' } });
    // One number already a lead, one on the do-not-call list: both counted as the import would.
    await upload(campaign, 'phone\n+33698765432\n');
    await env
      .http()
      .post('/v1/suppressions')
      .set('X-Api-Key', TEST_API_KEY)
      .send({ phones: ['+33612345679'] });
    const before = await counts(campaign);
    const dry = await upload(campaign, fixture('fr-excel-cp1252.csv'), '?dry_run=true');
    expect(dry.status).toBe(201);
    expect(await counts(campaign)).toEqual(before);
    expect(dry.body).toMatchObject({
      import_id: null,
      dry_run: true,
      rows: 6,
      accepted: 2,
      rejected: 1,
      duplicates: 2,
      suppressed: 1,
      errors: [{ row: 5, column: 'Téléphone', message: '"0612" is too short for FR' }],
      missing_variables: ['nom_du_salon'],
    });
    expect(dry.body.preview).toEqual({
      encoding: 'windows-1252',
      delimiter: ';',
      line_ending: 'CRLF',
      header: ['Prénom', "Nom de l'entreprise", 'Téléphone', 'Ville', 'Montant dû'],
      phone_column: 'Téléphone',
      phone_column_reason: 'the only phone column',
      phone_columns: ['Téléphone'],
      columns: [
        {
          header: 'Prénom',
          variable: 'prenom',
          role: 'variable',
          samples: ['Zoé', 'François', 'Hélène'],
        },
        {
          header: "Nom de l'entreprise",
          variable: 'nom_de_l_entreprise',
          role: 'variable',
          samples: ['Boulangerie Noël', 'Café "Le Cœur"; Lyon', 'L’Œuf à la coque'],
        },
        {
          header: 'Téléphone',
          variable: null,
          role: 'phone',
          samples: ['06 12 34 56 78', '+33 6 98 76 54 32', '="0612345679"'],
        },
        {
          header: 'Ville',
          variable: 'ville',
          role: 'variable',
          samples: ['Besançon', 'Orléans', 'Nîmes'],
        },
        {
          header: 'Montant dû',
          variable: 'montant_du',
          role: 'variable',
          samples: ['1 234,50 €', '12,00 €', '–'],
        },
      ],
      leads: expect.any(Array),
      missing_variables: ['nom_du_salon'],
    });
    expect(dry.body.preview.leads.slice(0, 2)).toEqual([
      {
        row: 2,
        to_number: '+33612345678',
        dynamic_variables_values: {
          offre: 'Essai gratuit',
          prenom: 'Zoé',
          nom_de_l_entreprise: 'Boulangerie Noël',
          ville: 'Besançon',
          montant_du: '1 234,50 €',
        },
      },
      expect.objectContaining({ row: 3, to_number: '+33698765432' }),
    ]);
    expect(dry.body.preview.leads).toHaveLength(5);

    // The import itself gives the same counts.
    const real = await upload(campaign, fixture('fr-excel-cp1252.csv'));
    const pick = ({
      rows,
      accepted,
      rejected,
      duplicates,
      suppressed,
      errors,
    }: Record<string, unknown>) => ({ rows, accepted, rejected, duplicates, suppressed, errors });
    expect(pick(real.body)).toEqual(pick(dry.body));
  });

  it('a dry run needs no import lock: it is answered while an import of the same campaign runs', async () => {
    const campaign = await insertCampaign(env.pg);
    // Hold the campaign's import lock as an import would.
    const holder = new Client({ connectionString: env.db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(727274003, hashtext($1))', [campaign]);
      expect((await upload(campaign, 'phone\n+33612345678\n')).status).toBe(409);
      const dry = await upload(campaign, 'phone\n+33612345678\n', '?dry_run=true');
      expect(dry.status).toBe(201);
      expect(dry.body).toMatchObject({ dry_run: true, accepted: 1 });
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });

  it('a dry run of an unreadable file is the same 400, and stores nothing', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(campaign, fixture('unknown-phone-header.csv'), '?dry_run=true');
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('No phone column found');
    expect(await counts(campaign)).toMatchObject({ leads: 0, imports: 0 });
  });

  it('mapping renames and drops columns, and names the phone column; the preview and the import use it', async () => {
    const campaign = await insertCampaign(env.pg);
    const body =
      'Nom,Société,Portable,Fixe,Notes internes\nZoé,Salon Zoé,06 12 34 56 78,01 42 68 53 00,VIP\n';
    const mapping = JSON.stringify({
      Société: 'nom_du_salon',
      'Notes internes': null,
      Portable: 'phone',
    });
    const query = `?mapping=${encodeURIComponent(mapping)}`;
    const dry = await upload(campaign, body, `${query}&dry_run=1`);
    expect(dry.status).toBe(201);
    expect(
      dry.body.preview.columns.map(
        (c: { header: string; variable: string | null; role: string }) => [
          c.header,
          c.variable,
          c.role,
        ],
      ),
    ).toEqual([
      ['Nom', 'nom', 'variable'],
      ['Société', 'nom_du_salon', 'variable'],
      ['Portable', null, 'phone'],
      ['Fixe', 'fixe', 'variable'],
      ['Notes internes', null, 'dropped'],
    ]);
    expect(dry.body.preview.phone_column_reason).toBe('named by the phone_column parameter');
    const res = await upload(campaign, body, query);
    expect(res.body).toMatchObject({ accepted: 1, phone_column: 'Portable' });
    expect((await leadsOf(env.pg, campaign))[0].variables).toEqual({
      nom: 'Zoé',
      nom_du_salon: 'Salon Zoé',
      fixe: '01 42 68 53 00',
    });
  });

  it('mapping as a multipart field, sent before the file', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await env
      .http()
      .post(`/v1/campaigns/${campaign}/leads`)
      .set('X-Api-Key', TEST_API_KEY)
      .field('mapping', JSON.stringify({ name: 'prenom' }))
      .attach('file', Buffer.from('phone,name\n+33612345678,Zoé\n'), 'leads.csv');
    expect(res.status).toBe(201);
    expect((await leadsOf(env.pg, campaign))[0].variables).toEqual({ prenom: 'Zoé' });
  });

  it('mapping errors: unknown headers named, not JSON, not an object of strings, two phone columns', async () => {
    const campaign = await insertCampaign(env.pg);
    const body = 'phone,name\n+33612345678,Zoé\n';
    const q = (m: string) => `?mapping=${encodeURIComponent(m)}`;
    const unknown = await upload(
      campaign,
      body,
      q('{"Prénom": "prenom", "Ville": null, "name": "x"}'),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe(
      'mapping names columns this file does not have: "Prénom", "Ville". Columns seen: "phone", "name"',
    );
    const notJson = await upload(campaign, body, q('{name: prenom}'));
    expect(notJson.status).toBe(400);
    expect(notJson.body.message).toContain('mapping must be a JSON object');
    const notStrings = await upload(campaign, body, q('{"name": 3}'));
    expect(notStrings.status).toBe(400);
    const emptyName = await upload(campaign, body, q('{"name": "  "}'));
    expect(emptyName.status).toBe(400);
    expect(emptyName.body.message).toContain('no usable variable name for "name"');
    const twoPhones = await upload(campaign, body, q('{"name": "phone", "phone": "phone"}'));
    expect(twoPhones.status).toBe(400);
    expect(twoPhones.body.message).toContain('several columns to "phone"');
    expect(await counts(campaign)).toMatchObject({ leads: 0, imports: 0 });
  });

  it('GET /v1/lead-template.csv: the phone and the agent’s own variables', async () => {
    const res = await env
      .http()
      .get(`/v1/lead-template.csv?agent_id=${SALON_AGENT_ID}`)
      .set('X-Api-Key', TEST_API_KEY);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.text).toBe('phone,prenom,nom_du_salon,ville\r\n');
    const excel = await env
      .http()
      .get(`/v1/lead-template.csv?agent_id=${SALON_AGENT_ID}&excel=true`)
      .set('X-Api-Key', TEST_API_KEY);
    expect(excel.text).toBe('\ufeffphone;prenom;nom_du_salon;ville\r\n');
    const unknown = await env
      .http()
      .get('/v1/lead-template.csv?agent_id=00000000-0000-4000-8000-000000000000')
      .set('X-Api-Key', TEST_API_KEY);
    expect(unknown.status).toBe(404);
    const missing = await env.http().get('/v1/lead-template.csv').set('X-Api-Key', TEST_API_KEY);
    expect(missing.status).toBe(400);
  });

  it('the template, filled in and uploaded, supplies every variable of the agent', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(
      campaign,
      'phone,prenom,nom_du_salon,ville\r\n+33612345678,Zoé,Salon Zoé,Lyon\r\n',
    );
    expect(res.body).toMatchObject({ accepted: 1, missing_variables: [] });
  });
});
