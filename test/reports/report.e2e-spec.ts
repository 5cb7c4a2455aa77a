import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { get as httpGet, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { createTestDatabase, TestDatabase } from '../kit/database';
import { startTestApp, TEST_API_KEY } from '../kit/app';
import { waitFor } from '../kit/wait';
import { insertCampaign, salonAnswers, seedLead, SeedLead } from './seed';
import { DataSource } from 'typeorm';

/**
 * A campaign with a known mix of outcomes and answers (written as the engine writes them, then
 * qualified through QualificationService as the dialer does): the report must give exact totals,
 * the exact qualified set and distributions, and the CSV/XLSX must hold the same rows.
 */

const HOSTILE = {
  prenom: '=HYPERLINK("http://evil.example/x","clic")',
  nom_du_salon: '@SUM(1+1)',
  ville: "+cmd|' /C calc'!A0",
  note: '-2+3',
};

const LEADS: SeedLead[] = [
  {
    phone: '+33612345001',
    variables: { prenom: 'Amélie', nom_du_salon: 'Coiff’Amélie', ville: 'Paris' },
    status: 'completed',
    attempts: [
      {
        outcome: 'completed',
        cost: 0.36,
        duration: 180,
        answers: salonAnswers({
          interested: true,
          nb_employes: 5,
          logiciel_actuel: 'Planity',
          services: ['Coupe femme', 'Coloration'],
          rappel_souhaite: true,
          commentaire: 'Rappeler lundi; merci, "vite"\nsinon mardi',
        }),
      },
    ],
  },
  {
    phone: '+33612345002',
    variables: { prenom: 'Bruno', nom_du_salon: 'Barbier B', ville: 'Lyon' },
    status: 'completed',
    attempts: [
      {
        outcome: 'completed',
        cost: 0.12,
        duration: 60,
        answers: salonAnswers({
          interested: true,
          nb_employes: 2,
          logiciel_actuel: 'Aucun',
          services: ['Coupe homme', 'Barbe'],
          rappel_souhaite: false,
          commentaire: null,
        }),
      },
    ],
  },
  {
    phone: '+33612345003',
    variables: { prenom: 'Chloé', nom_du_salon: 'Salon C', ville: 'Nantes' },
    status: 'completed',
    attempts: [
      {
        outcome: 'completed',
        cost: 0.24,
        duration: 120,
        answers: salonAnswers({
          interested: false,
          nb_employes: 10,
          logiciel_actuel: 'Kiute',
          services: ['Coupe femme'],
          rappel_souhaite: null,
          commentaire: 'Déjà équipé',
        }),
      },
    ],
  },
  {
    phone: '+33612345004',
    variables: { prenom: 'David', nom_du_salon: 'D Coiffure', ville: 'Lille' },
    status: 'completed',
    attempts: [
      { outcome: 'missed' },
      {
        outcome: 'completed',
        cost: 0.3,
        duration: 150,
        answers: salonAnswers({
          interested: true,
          nb_employes: 3,
          logiciel_actuel: 'Planity',
          services: ['Soins'],
          rappel_souhaite: true,
        }),
      },
    ],
  },
  {
    phone: '+33612345005',
    variables: { prenom: 'Emma', nom_du_salon: 'E', ville: 'Nice' },
    status: 'exhausted',
    attempts: [{ outcome: 'missed' }, { outcome: 'missed' }, { outcome: 'missed' }],
  },
  {
    phone: '+33612345006',
    variables: { prenom: 'Fanny', nom_du_salon: 'F', ville: 'Metz' },
    status: 'failed',
    attempts: [{ outcome: 'failed' }],
    noLastCall: true,
  },
  { phone: '+33612345007', variables: { prenom: 'Gaël', nom_du_salon: 'G', ville: 'Brest' }, status: 'pending' },
  {
    phone: '+33612345008',
    variables: { prenom: 'Hugo', nom_du_salon: 'H', ville: 'Tours' },
    status: 'completed',
    attempts: [
      {
        outcome: 'completed',
        cost: 0.06,
        duration: 30,
        answers: salonAnswers({
          interested: null,
          nb_employes: 8,
          logiciel_actuel: null,
          services: null,
          rappel_souhaite: null,
          commentaire: null,
        }),
      },
    ],
  },
  { phone: '+33612345009', variables: { prenom: 'Inès', nom_du_salon: 'I', ville: 'Caen' }, status: 'suppressed' },
  {
    phone: '+33612345010',
    variables: HOSTILE,
    status: 'completed',
    attempts: [
      { outcome: 'unknown' },
      {
        outcome: 'completed',
        cost: 0.18,
        duration: 90,
        answers: salonAnswers({
          interested: true,
          nb_employes: 4,
          logiciel_actuel: 'Autre',
          services: ['Coloration'],
          rappel_souhaite: false,
          commentaire: '=1+1',
        }),
      },
    ],
  },
  {
    phone: '+33612345011',
    variables: { prenom: 'Jade', nom_du_salon: 'J', ville: 'Pau' },
    status: 'pending',
    attempts: [{ outcome: 'not_dialled' }],
  },
  {
    // What the database's COPY format escapes must come back intact.
    phone: '+33612345012',
    variables: { prenom: 'Tab\there', nom_du_salon: 'Back\\slash \\N «ça»', ville: 'Ligne 1\r\nLigne 2', note: '' },
    status: 'pending',
  },
];

const RULES = {
  match: 'all',
  rules: [
    { question: 'interested', equals: true },
    { question: 'nb_employes', gte: 3 },
  ],
};

// No import declared its header order here: lead columns come first-seen, then alphabetically.
const EXPECTED_HEADER = [
  'phone',
  'nom_du_salon',
  'prenom',
  'ville',
  'note',
  'status',
  'attempts',
  'last_call_id',
  'last_call_status',
  'duration_seconds',
  'cost',
  'interested',
  'nb_employes',
  'logiciel_actuel',
  'services',
  'rappel_souhaite',
  'commentaire',
  'qualified',
  'status_reason',
  'contact_type',
  'consent_at',
  'consent_source',
];

type JsonLead = {
  id: string;
  phone: string;
  variables: Record<string, string>;
  status: string;
  attempts: number;
  last_call_id: string | null;
  last_call_status: string | null;
  duration_seconds: number | null;
  cost: number | null;
  answers: Record<string, unknown> | null;
  qualified: boolean | null;
  status_reason: string | null;
  contact_type: string | null;
  consent_at: string | null;
  consent_source: string | null;
};

/** What the CSV must say for a JSON lead (the documented cell rules, written out independently). */
function expectedCsvRow(l: JsonLead, excel = false): string[] {
  const text = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    if (typeof v === 'boolean') return String(v);
    if (typeof v === 'number') return excel ? String(v).replace('.', ',') : String(v);
    const s = Array.isArray(v) ? v.join(';') : typeof v === 'string' ? v : JSON.stringify(v);
    return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  };
  const a = l.answers ?? {};
  return [
    text(l.phone),
    ...['nom_du_salon', 'prenom', 'ville', 'note'].map((k) => text(l.variables[k])),
    text(l.status),
    text(l.attempts),
    text(l.last_call_id),
    text(l.last_call_status),
    text(l.duration_seconds),
    text(l.cost),
    ...['interested', 'nb_employes', 'logiciel_actuel', 'services', 'rappel_souhaite', 'commentaire'].map((k) =>
      text(a[k]),
    ),
    text(l.qualified),
    ...[l.status_reason, l.contact_type, l.consent_at, l.consent_source].map(text),
  ];
}

/**
 * What the XLSX must hold for a JSON lead: typed values as they are, multiple choices joined by
 * `;`, texts exactly as written (no apostrophe: a text cell never runs), empty as empty cells.
 */
function expectedXlsxRow(l: JsonLead): unknown[] {
  const cell = (v: unknown): unknown => {
    if (v === null || v === undefined || v === '') return null;
    return Array.isArray(v) ? v.join(';') : v;
  };
  const a = l.answers ?? {};
  return [
    l.phone,
    ...['nom_du_salon', 'prenom', 'ville', 'note'].map((k) => cell(l.variables[k])),
    l.status,
    l.attempts,
    cell(l.last_call_id),
    cell(l.last_call_status),
    cell(l.duration_seconds),
    cell(l.cost),
    ...['interested', 'nb_employes', 'logiciel_actuel', 'services', 'rappel_souhaite', 'commentaire'].map((k) =>
      cell(a[k]),
    ),
    cell(l.qualified),
    ...[l.status_reason, l.contact_type, l.consent_at, l.consent_source].map(cell),
  ];
}

/** A sheet's rows as arrays of cell values (exceljs numbers columns from 1). */
function sheetRows(sheet: ExcelJS.Worksheet, columns: number): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) =>
    rows.push(Array.from({ length: columns }, (_, i) => row.getCell(i + 1).value ?? null)),
  );
  return rows;
}

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe('campaign report: JSON, CSV and XLSX', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let campaign: Campaign;
  let http: ReturnType<typeof request>;
  const get = (path: string) => request(app.getHttpServer()).get(path).set('X-Api-Key', TEST_API_KEY);
  const getBinary = (path: string) => get(path).buffer(true).parse(binary);

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startTestApp({
      databaseUrl: database.url,
      platformUrl: 'http://127.0.0.1:9/v1',
      platformKey: 'unused-platform-key',
      env: { APP_ROLE: 'api' },
    });
    http = request(app.getHttpServer());
    campaign = await insertCampaign(app.get(DataSource), { qualification: RULES });
    for (const lead of LEADS) await seedLead(app, campaign, lead);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  async function allLeads(query = '', limit = 4): Promise<JsonLead[]> {
    const out: JsonLead[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(
        `/v1/campaigns/${campaign.id}/report?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.leads.length).toBeLessThanOrEqual(limit);
      out.push(...res.body.leads);
      cursor = res.body.next_cursor;
    } while (cursor);
    return out;
  }

  it('gives exact totals and distributions', async () => {
    const res = await get(`/v1/campaigns/${campaign.id}/report`);
    expect(res.status).toBe(200);
    const s = res.body.summary;
    expect(s).toMatchObject({
      leads: 12,
      dialled: 8,
      reached: 6,
      qualified: 3,
      not_qualified: 3,
      qualification_rate: 0.5,
      reach_rate: 0.75,
      total_cost: 1.26,
      total_duration_seconds: 630,
      by_outcome: { completed: 6, missed: 1, failed: 1, not_called: 4 },
      by_status: { completed: 6, exhausted: 1, failed: 1, pending: 3, suppressed: 1 },
      calls: { total: 12, by_outcome: { completed: 6, missed: 4, failed: 1, unknown: 1 } },
    });
    expect(s.questions).toEqual([
      { name: 'interested', type: 'boolean', answered: 5, no_answer: 1, counts: { true: 4, false: 1 } },
      { name: 'nb_employes', type: 'number', answered: 6, no_answer: 0, min: 2, mean: 5.3333, max: 10 },
      {
        name: 'logiciel_actuel',
        type: 'single_choice',
        answered: 5,
        no_answer: 1,
        counts: { Aucun: 1, Planity: 2, Kiute: 1, Shortcuts: 0, 'Agenda papier': 0, Autre: 1 },
      },
      {
        name: 'services',
        type: 'multiple_choice',
        answered: 5,
        no_answer: 1,
        counts: {
          'Coupe femme': 2,
          'Coupe homme': 1,
          Coloration: 2,
          Barbe: 1,
          Soins: 1,
          'Chignon mariage': 0,
        },
      },
      { name: 'rappel_souhaite', type: 'boolean', answered: 4, no_answer: 2, counts: { true: 2, false: 2 } },
      { name: 'commentaire', type: 'text', answered: 3, no_answer: 3 },
    ]);
    expect(res.body.campaign).toMatchObject({ id: campaign.id, name: 'Relance salons novembre' });
    expect(res.body.questions.map((q: { name: string; type: string }) => [q.name, q.type])).toEqual([
      ['interested', 'boolean'],
      ['nb_employes', 'number'],
      ['logiciel_actuel', 'single_choice'],
      ['services', 'multiple_choice'],
      ['rappel_souhaite', 'boolean'],
      ['commentaire', 'text'],
    ]);
  });

  it('lists every lead once, in import order, page by page, with typed answers', async () => {
    const leads = await allLeads();
    expect(leads.map((l) => l.phone)).toEqual(LEADS.map((l) => l.phone));
    const [l1, , , l4, l5, l6, l7] = leads;
    expect(l1).toMatchObject({
      status: 'completed',
      attempts: 1,
      last_call_status: 'completed',
      duration_seconds: 180,
      cost: 0.36,
      qualified: true,
      answers: {
        interested: true,
        nb_employes: 5,
        logiciel_actuel: 'Planity',
        services: ['Coupe femme', 'Coloration'],
        rappel_souhaite: true,
      },
    });
    expect(l1.last_call_id).toMatch(/^call-/);
    expect(l4).toMatchObject({ attempts: 2, cost: 0.3, duration_seconds: 150, qualified: true });
    expect(l4.answers).not.toHaveProperty('commentaire');
    expect(l5).toMatchObject({ status: 'exhausted', attempts: 3, qualified: null, answers: null });
    // The lead row lacks its last call: the report reads it from the attempts.
    expect(l6).toMatchObject({ last_call_status: 'failed', qualified: null });
    expect(l6.last_call_id).toMatch(/^call-/);
    expect(l7).toMatchObject({ attempts: 0, last_call_id: null, cost: null, duration_seconds: null });
  });

  it('filters by qualified and status', async () => {
    const phones = async (q: string) => (await allLeads(q, 2)).map((l) => l.phone.slice(-2));
    expect(await phones('&qualified=true')).toEqual(['01', '04', '10']);
    expect(await phones('&qualified=false')).toEqual(['02', '03', '08']);
    expect(await phones('&qualified=null')).toEqual(['05', '06', '07', '09', '11', '12']);
    expect(await phones('&status=exhausted,failed')).toEqual(['05', '06']);
    expect(await phones('&status=pending&status=suppressed')).toEqual(['07', '09', '11', '12']);
    expect(await phones('&status=completed&qualified=false')).toEqual(['02', '03', '08']);
  });

  it('answers 4xx naming the field for bad queries, 404 for unknown campaigns', async () => {
    const bad = async (q: string, field: string) => {
      const res = await get(`/v1/campaigns/${campaign.id}/report?${q}`);
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    };
    await bad('qualified=maybe', 'qualified');
    await bad('status=done', 'status');
    await bad('limit=0', 'limit');
    await bad('limit=5000', 'limit');
    await bad('cursor=not-a-cursor', 'cursor');
    await bad('colour=red', 'colour');
    expect((await get(`/v1/campaigns/00000000-0000-4000-8000-000000000000/report`)).status).toBe(404);
    expect((await get(`/v1/campaigns/not-a-uuid/report.csv`)).status).toBe(404);
    expect((await get(`/v1/campaigns/00000000-0000-4000-8000-000000000000/report.xlsx`)).status).toBe(404);
    expect((await http.get(`/v1/campaigns/${campaign.id}/report.csv`)).status).toBe(401);
  });

  it('CSV: the contract columns, RFC 4180, and the same rows as the JSON', async () => {
    const res = await getBinary(`/v1/campaigns/${campaign.id}/report.csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="relance-salons-novembre-report\.csv"/);
    const text = (res.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/"[^"]*"/g, '').includes('\n')).toBe(true);
    // Every record ends with CRLF (line breaks inside quoted fields aside).
    expect(text.replace(/"[^"]*"/g, '').split('\r\n').every((line) => !line.includes('\n'))).toBe(true);
    const rows: string[][] = parse(text, { relax_column_count: false });
    expect(rows[0]).toEqual(EXPECTED_HEADER);
    const leads = await allLeads('', 100);
    expect(rows.slice(1)).toEqual(leads.map((l) => expectedCsvRow(l)));
    expect(rows[1][16]).toBe('Rappeler lundi; merci, "vite"\nsinon mardi');
    expect(rows[12].slice(1, 5)).toEqual(['Back\\slash \\N «ça»', 'Tab\there', 'Ligne 1\r\nLigne 2', '']);
    expect(rows[1][1]).toBe('Coiff’Amélie');
  });

  it('CSV: no cell starts a formula; hostile values and phones are prefixed with an apostrophe', async () => {
    const res = await getBinary(`/v1/campaigns/${campaign.id}/report.csv`);
    const rows: string[][] = parse((res.body as Buffer).toString('utf8'));
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const hostile = rows.find((r) => r[0] === "'+33612345010") as string[];
    expect(hostile.slice(1, 5)).toEqual([
      `'${HOSTILE.nom_du_salon}`,
      `'${HOSTILE.prenom}`,
      `'${HOSTILE.ville}`,
      `'${HOSTILE.note}`,
    ]);
    expect(hostile[16]).toBe("'=1+1");
  });

  it('CSV with excel=true: BOM, semicolons, decimal commas, same filters', async () => {
    const res = await getBinary(`/v1/campaigns/${campaign.id}/report.csv?excel=true&qualified=true`);
    expect(res.status).toBe(200);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = body.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toBe(EXPECTED_HEADER.join(';'));
    const rows: string[][] = parse(text, { delimiter: ';' });
    const leads = await allLeads('&qualified=true', 100);
    expect(rows.slice(1)).toEqual(leads.map((l) => expectedCsvRow(l, true)));
    expect(rows[1][10]).toBe('0,36');
  });

  it('XLSX: typed cells, bold frozen filtered header, and a summary sheet', async () => {
    const res = await getBinary(`/v1/campaigns/${campaign.id}/report.xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const sheet = wb.getWorksheet('Leads') as ExcelJS.Worksheet;
    expect(sheet.rowCount).toBe(LEADS.length + 1);
    const header = sheet.getRow(1);
    expect((header.values as unknown[]).slice(1)).toEqual(EXPECTED_HEADER);
    expect(header.getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
    expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(14);

    const col = (name: string) => EXPECTED_HEADER.indexOf(name) + 1;
    const first = sheet.getRow(2);
    expect(first.getCell(col('phone')).value).toBe('+33612345001');
    expect(first.getCell(col('attempts')).value).toBe(1);
    expect(first.getCell(col('cost')).value).toBe(0.36);
    expect(first.getCell(col('duration_seconds')).value).toBe(180);
    expect(first.getCell(col('interested')).value).toBe(true);
    expect(first.getCell(col('nb_employes')).value).toBe(5);
    expect(first.getCell(col('services')).value).toBe('Coupe femme;Coloration');
    expect(first.getCell(col('qualified')).value).toBe(true);
    expect(sheet.getRow(3).getCell(col('qualified')).value).toBe(false);
    expect(sheet.getRow(6).getCell(col('qualified')).value).toBeNull();

    // Every row is the JSON lead, typed; texts that would start a formula are plain text cells,
    // exactly as the lead wrote them (a typed text cell never runs).
    const leads = await allLeads('', 100);
    expect(sheetRows(sheet, EXPECTED_HEADER.length).slice(1)).toEqual(leads.map(expectedXlsxRow));
    const hostile = sheet.getRow(11);
    expect(hostile.getCell(col('phone')).value).toBe('+33612345010');
    expect(hostile.getCell(col('prenom')).value).toBe(HOSTILE.prenom);
    expect(hostile.getCell(col('nom_du_salon')).value).toBe(HOSTILE.nom_du_salon);
    expect(hostile.getCell(col('ville')).value).toBe(HOSTILE.ville);
    expect(hostile.getCell(col('note')).value).toBe(HOSTILE.note);
    expect(hostile.getCell(col('commentaire')).value).toBe('=1+1');
    // What COPY escapes, and a CR inside a text, come back intact.
    expect(sheet.getRow(13).getCell(col('ville')).value).toBe('Ligne 1\r\nLigne 2');
    expect(sheet.getRow(13).getCell(col('prenom')).value).toBe('Tab\there');
    const types = new Map<number, ExcelJS.ValueType>();
    sheet.eachRow((row, n) =>
      row.eachCell((cell) => {
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
        if (n > 1 && cell.value !== null) types.set(Number(cell.col), cell.type);
      }),
    );
    expect(types.get(col('phone'))).toBe(ExcelJS.ValueType.String);
    expect(types.get(col('attempts'))).toBe(ExcelJS.ValueType.Number);
    expect(types.get(col('cost'))).toBe(ExcelJS.ValueType.Number);
    expect(types.get(col('qualified'))).toBe(ExcelJS.ValueType.Boolean);
    expect(sheet.getRow(2).getCell(col('cost')).numFmt).toBe('0.###');
    for (let c = 1; c <= EXPECTED_HEADER.length; c++) expect(header.getCell(c).font?.bold).toBe(true);
    expect(sheet.autoFilter).toBe(`A1:V${LEADS.length + 1}`);

    const summary = wb.getWorksheet('Summary') as ExcelJS.Worksheet;
    const byLabel = new Map<string, ExcelJS.CellValue>();
    summary.eachRow((row) => byLabel.set(row.getCell(1).text, row.getCell(2).value));
    expect(byLabel.get('Leads')).toBe(12);
    expect(byLabel.get('Qualified')).toBe(3);
    expect(byLabel.get('Total cost')).toBe(1.26);
    expect(byLabel.get('Qualification rate (qualified ÷ reached)')).toBe(0.5);
    expect(byLabel.get('Started at (UTC)')).toBeInstanceOf(Date);
    expect(byLabel.get('Calling laws (compliance.rules)')).toBe("auto (each lead's number)");
    expect(byLabel.get('Question: services')).toBe('multiple_choice');
    expect(byLabel.get('Report generated at (UTC)')).toBeInstanceOf(Date);
    expect(summary.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(summary.getColumn(1).width).toBe(36);
  });

  it('XLSX: texts XML cannot hold or Excel would decode are written so that they read back as meant', async () => {
    const odd = await insertCampaign(app.get(DataSource), { name: '=Étrange', questions: null });
    await seedLead(app, odd, {
      phone: '+33700000101',
      variables: {
        a_control: 'bell\u0007 and nul\u0001 gone',
        b_escape: '_x0041_ stays literal',
        c_formula: '=SUM(A1:A9)',
        d_spaces: '  padded  ',
        e_emoji: 'emoji 😀 <b>&amp;</b>',
        f_tab: '\tstarts with a tab',
      },
      status: 'pending',
    });
    const res = await getBinary(`/v1/campaigns/${odd.id}/report.xlsx`);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const sheet = wb.getWorksheet('Leads') as ExcelJS.Worksheet;
    const [header, row] = sheetRows(sheet, 7);
    expect(header.slice(0, 7)).toEqual(['phone', 'a_control', 'b_escape', 'c_formula', 'd_spaces', 'e_emoji', 'f_tab']);
    expect(row).toEqual([
      '+33700000101',
      'bell and nul gone',
      // Excel and LibreOffice decode `_xHHHH_` in cell text, so its `_` is escaped as `_x005F_`
      // (LibreOffice shows `_x0041_ stays literal`); exceljs's reader does not decode inline strings.
      '_x005F_x0041_ stays literal',
      '=SUM(A1:A9)',
      '  padded  ',
      'emoji 😀 <b>&amp;</b>',
      '\tstarts with a tab',
    ]);
    const summary = wb.getWorksheet('Summary') as ExcelJS.Worksheet;
    expect(summary.getRow(1).getCell(2).value).toBe('=Étrange');
  });

  it('XLSX honours the same filters', async () => {
    const res = await getBinary(`/v1/campaigns/${campaign.id}/report.xlsx?status=completed&qualified=false`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const sheet = wb.getWorksheet('Leads') as ExcelJS.Worksheet;
    const phones: unknown[] = [];
    sheet.eachRow((row, n) => n > 1 && phones.push(row.getCell(1).value));
    expect(phones).toEqual(['+33612345002', '+33612345003', '+33612345008']);
  });

  it('an empty campaign gives a header-only CSV and an empty summary', async () => {
    const empty = await insertCampaign(app.get(DataSource), { name: 'Vide', questions: null });
    const csv = await getBinary(`/v1/campaigns/${empty.id}/report.csv`);
    expect((csv.body as Buffer).toString()).toBe(
      'phone,status,attempts,last_call_id,last_call_status,duration_seconds,cost,qualified,status_reason,contact_type,consent_at,consent_source\r\n',
    );
    const json = await get(`/v1/campaigns/${empty.id}/report`);
    expect(json.body.summary).toMatchObject({ leads: 0, dialled: 0, reached: 0, qualification_rate: null, total_cost: 0 });
    expect(json.body.leads).toEqual([]);
    expect(json.body.next_cursor).toBeNull();
    const xlsx = await getBinary(`/v1/campaigns/${empty.id}/report.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as never);
    expect((wb.getWorksheet('Leads') as ExcelJS.Worksheet).rowCount).toBe(1);
  });

  it('without stored questions, the answered ones are typed from the answers and become columns', async () => {
    const blind = await insertCampaign(app.get(DataSource), { name: 'Sans questions', questions: null, qualification: RULES });
    const answers = (interested: boolean, services: string[]) => salonAnswers({ interested, nb_employes: 7, services });
    await seedLead(app, blind, {
      phone: '+33700000001',
      status: 'completed',
      attempts: [{ outcome: 'completed', answers: answers(true, ['Barbe', 'Soins']) }],
    });
    await seedLead(app, blind, {
      phone: '+33700000002',
      status: 'completed',
      attempts: [{ outcome: 'completed', answers: answers(false, ['Barbe']) }],
    });
    const res = await get(`/v1/campaigns/${blind.id}/report`);
    expect(res.body.questions.map((q: { name: string; type: string }) => [q.name, q.type]).sort()).toEqual([
      ['interested', 'boolean'],
      ['nb_employes', 'number'],
      ['services', 'multiple_choice'],
    ]);
    expect(res.body.summary.qualified).toBe(1);
    expect(res.body.summary.questions.find((q: { name: string }) => q.name === 'services').counts).toEqual({
      Barbe: 2,
      Soins: 1,
    });
    const csv = await getBinary(`/v1/campaigns/${blind.id}/report.csv`);
    const header = (csv.body as Buffer).toString().split('\r\n')[0].split(',');
    expect(header.slice(-8, -5).sort()).toEqual(['interested', 'nb_employes', 'services']);
  });

  it('the OpenAPI document describes the report and webhook routes', async () => {
    const doc = (await http.get('/docs-json')).body;
    for (const path of [
      '/v1/campaigns/{id}/report',
      '/v1/campaigns/{id}/report.csv',
      '/v1/campaigns/{id}/report.xlsx',
      '/v1/campaigns/{id}/webhook-events',
      '/v1/campaigns/{id}/webhook-events/{eventId}/retry',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
    const report = doc.paths['/v1/campaigns/{id}/report'].get;
    expect(report.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['id', 'qualified', 'status', 'limit', 'cursor']),
    );
  });

  describe('long exports', () => {
    let big: Campaign;
    const exportConnections = async (): Promise<number> =>
      (
        await app
          .get(DataSource)
          .query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'callrounded-report-export'`)
      )[0].n;
    const open = (path: string) =>
      new Promise<IncomingMessage>((resolve, reject) => {
        const { port } = app.getHttpServer().address() as AddressInfo;
        httpGet({ host: '127.0.0.1', port, path, headers: { 'X-Api-Key': TEST_API_KEY } }, resolve).on('error', reject);
      });

    beforeAll(async () => {
      big = await insertCampaign(app.get(DataSource), { name: 'Gros fichier' });
      await app.get(DataSource).query(
        `INSERT INTO leads (campaign_id, phone, variables, status)
         SELECT $1, '+3361' || lpad(g::text, 8, '0'),
                jsonb_build_object('prenom', 'Prénom ' || g, 'ville', repeat('Saint-Étienne ', 8)), 'pending'
           FROM generate_series(1, 60000) g`,
        [big.id],
      );
    });

    it('a client that hangs up mid-download stops the database read and frees its connection', async () => {
      const res = await open(`/v1/campaigns/${big.id}/report.csv`);
      expect(res.statusCode).toBe(200);
      await new Promise((r) => res.once('data', r));
      expect(await exportConnections()).toBe(1);
      res.destroy();
      await waitFor('the export connection to close', async () => (await exportConnections()) === 0);
      const again = await get(`/v1/campaigns/${campaign.id}/report.csv`);
      expect(again.status).toBe(200);
    });

    it('at most 4 exports at once per instance: the next one gets 429 until one ends', async () => {
      const slow: IncomingMessage[] = [];
      try {
        for (let i = 0; i < 4; i++) {
          const res = await open(`/v1/campaigns/${big.id}/report.${i % 2 ? 'xlsx' : 'csv'}`);
          res.pause(); // a client that does not read: back-pressure keeps the export open
          slow.push(res);
        }
        await waitFor('4 exports running', async () => (await exportConnections()) === 4);
        const refused = await get(`/v1/campaigns/${campaign.id}/report.csv`);
        expect(refused.status).toBe(429);
        expect(refused.body.message).toContain('exports are running');
      } finally {
        for (const res of slow) res.destroy();
      }
      await waitFor('every export connection to close', async () => (await exportConnections()) === 0);
      expect((await get(`/v1/campaigns/${campaign.id}/report.csv`)).status).toBe(200);
    });
  });
});
