/**
 * Report export benchmark: 1,000,000 leads as CSV and as XLSX from the running service, against
 * PostgreSQL's own `COPY … TO STDOUT` of the same rows, with the service's memory watched from
 * outside.
 *
 *   npm run bench:report                 # embedded PostgreSQL in a temp folder
 *   DATABASE_URL=postgres://… npm run bench:report
 *   BENCH_LEADS=200000 npm run bench:report
 *   BENCH_KEEP_DB=1 …                    # keep the seeded database (to profile it)
 *
 * Targets: CSV export ≤ 3 × the time of COPY of the same rows (the report's query); XLSX export
 * ≤ 2 × the time of the CSV export (CSV and XLSX runs alternate on the same service, so that both
 * see the same machine); service RSS ≤ 200 MB. Writes bench/report/RESULTS.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { request } from 'undici';
import {
  type ApiService,
  BENCH_API_KEY,
  startApiService,
  stopApiService,
} from '../support/api-service';
import { startBenchDatabase } from '../support/database';
import { insertSalonCampaign, SALON_AGENT } from '../support/salon-campaign';

const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CAPPED_HEAP = '--max-old-space-size=128';

type Run = Timed & { peakRssMb: number };

interface Timed {
  ms: number;
  bytes: number;
}

async function main() {
  // A bench database: durability off, the export is what is measured.
  const database = await startBenchDatabase('report_bench');
  const dbUrl = database.url;
  let service: ApiService | undefined;
  try {
    const sql = new Client({ connectionString: dbUrl });
    await sql.connect();
    log(`seeding ${LEADS.toLocaleString('en')} leads…`);
    const t0 = Date.now();
    const campaignId = await seed(sql);
    log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const copyLeads = `COPY (SELECT * FROM leads WHERE campaign_id = '${campaignId}' ORDER BY seq) TO STDOUT (FORMAT csv, HEADER)`;
    const copyReport = `COPY (${REPORT_SQL.replace('$1', `'${campaignId}'`)}) TO STDOUT (FORMAT csv, HEADER)`;
    await copy(sql, copyLeads); // warm the cache once
    const copyLeadsRuns: Timed[] = [];
    const copyReportRuns: Timed[] = [];
    for (let i = 0; i < RUNS; i++) copyLeadsRuns.push(await copy(sql, copyLeads));
    for (let i = 0; i < RUNS; i++) copyReportRuns.push(await copy(sql, copyReport));
    log(`COPY leads: ${fmt(best(copyLeadsRuns))}; COPY report query: ${fmt(best(copyReportRuns))}`);

    // Phase 0: a fresh service's first export is an XLSX (its memory, as for the CSV below).
    service = await startApiService(dbUrl);
    const xlsxFirst = await measured(
      service,
      'report.xlsx (fresh service)',
      `/v1/campaigns/${campaignId}/report.xlsx`,
    );
    await stopApiService(service);

    // Phase 1: the service as started by default. Phase 2: with the heap capped, as a
    // memory-limited deployment would run it (see docs/REPORT.md, "Memory").
    service = await startApiService(dbUrl);
    const plainIdle = rssMb(service.proc.pid as number).rss;
    const plain: Run[] = [];
    const xlsxPlain: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      plain.push(await measured(service, 'report.csv', `/v1/campaigns/${campaignId}/report.csv`));
      xlsxPlain.push(
        await measured(service, 'report.xlsx', `/v1/campaigns/${campaignId}/report.xlsx`),
      );
    }
    await stopApiService(service);

    service = await startApiService(dbUrl, CAPPED_HEAP);
    const cappedIdle = rssMb(service.proc.pid as number).rss;
    const capped: Run[] = [];
    for (let i = 0; i < RUNS; i++)
      capped.push(
        await measured(
          service,
          'report.csv (capped heap)',
          `/v1/campaigns/${campaignId}/report.csv`,
        ),
      );
    const excel = await measured(
      service,
      'report.csv?excel=true (capped heap)',
      `/v1/campaigns/${campaignId}/report.csv?excel=true`,
    );
    const xlsx = await measured(
      service,
      'report.xlsx (capped heap)',
      `/v1/campaigns/${campaignId}/report.xlsx`,
    );
    const json = await measured(
      service,
      'report JSON (capped heap)',
      `/v1/campaigns/${campaignId}/report?limit=1000`,
    );
    await sql.end();

    const csvBest = best([...plain, ...capped]);
    const ratioLeads = csvBest.ms / best(copyLeadsRuns).ms;
    const ratioReport = csvBest.ms / best(copyReportRuns).ms;
    const firstExportRss = plain[0].peakRssMb;
    const cappedPeak = Math.max(...capped.map((r) => r.peakRssMb), excel.peakRssMb);
    // Same service, same flags, runs interleaved: best XLSX ÷ best CSV, and each pair's ratio.
    const xlsxRatio = best(xlsxPlain).ms / best(plain).ms;
    const pairRatios = xlsxPlain.map((x, i) => x.ms / plain[i].ms);
    // Memory as for the CSV: a fresh service's first export, and every export with the heap capped.
    const xlsxPeak = Math.max(xlsxFirst.peakRssMb, xlsx.peakRssMb);
    writeResults({
      leads: LEADS,
      copyLeads: best(copyLeadsRuns),
      copyReport: best(copyReportRuns),
      plain,
      capped,
      excel,
      xlsx,
      xlsxPlain,
      xlsxFirst,
      xlsxRatio,
      pairRatios,
      json,
      ratioLeads,
      ratioReport,
      plainIdle,
      cappedIdle,
    });
    log(
      `CSV ${ratioLeads.toFixed(2)}× COPY of the leads (${ratioReport.toFixed(2)}× COPY of the report query); ` +
        `RSS ${firstExportRss.toFixed(0)} MB on a fresh service's first export, ${cappedPeak.toFixed(0)} MB at most with ${CAPPED_HEAP}`,
    );
    log(
      `XLSX ${xlsxRatio.toFixed(2)}× CSV (best of ${RUNS} each; pairs ${pairRatios.map((r) => r.toFixed(2)).join(', ')}), ` +
        `RSS ${xlsxFirst.peakRssMb.toFixed(0)} MB on a fresh service's first XLSX export, ${xlsx.peakRssMb.toFixed(0)} MB with ${CAPPED_HEAP}`,
    );
    // "COPY of the same rows": the rows the CSV holds, call totals included (see RESULTS.md).
    const ok =
      ratioReport <= 3 &&
      firstExportRss <= 200 &&
      cappedPeak <= 200 &&
      xlsxRatio <= 2 &&
      xlsxPeak <= 200;
    log(ok ? 'PASS' : 'FAIL');
    process.exitCode = ok ? 0 : 1;
  } finally {
    if (service) await stopApiService(service);
    if (process.env.BENCH_KEEP_DB) log(`kept database ${dbUrl}`);
    await database.close(Boolean(process.env.BENCH_KEEP_DB));
  }
}

/** The rows the report reads (src/reports/report-rows.ts), all at once, for COPY. */
const REPORT_SQL = `SELECT l.phone, l.variables, l.status, l.attempts,
        coalesce(l.last_call_id, c.last_call_id) AS last_call_id,
        coalesce(l.last_call_status, c.last_call_status) AS last_call_status,
        c.duration_seconds, c.cost, l.answers, l.qualified
   FROM leads l
   LEFT JOIN LATERAL (
     SELECT sum(a.duration_seconds) AS duration_seconds, sum(a.cost) AS cost,
            (array_agg(a.call_id ORDER BY a.attempt_number DESC))[1] AS last_call_id,
            (array_agg(a.call_status ORDER BY a.attempt_number DESC))[1] AS last_call_status
       FROM call_attempts a WHERE a.lead_id = l.id AND a.call_id IS NOT NULL) c ON true
  WHERE l.campaign_id = $1
  ORDER BY l.seq`;

/**
 * A finished campaign: 70 % completed (typed answers, ~40 % of them qualified), 20 % exhausted
 * after two missed calls, 10 % failed. Lead columns prenom, nom_du_salon, ville, code_postal.
 */
async function seed(sql: Client): Promise<string> {
  const id = await insertSalonCampaign(sql, {
    name: 'Bench salons',
    status: 'completed',
    qualification: {
      match: 'all',
      rules: [
        { question: 'interested', equals: true },
        { question: 'nb_employes', gte: 3 },
      ],
    },
  });
  await sql.query(
    `INSERT INTO leads (campaign_id, phone, variables, status, attempts, last_call_id, last_call_status, outcome, answers, qualified)
     SELECT $1, '+336' || lpad(g::text, 8, '0'),
            jsonb_build_object('prenom', 'Prénom ' || g, 'nom_du_salon', 'Salon n°' || g || ', Coiff''' || (g % 97),
                               'ville', (ARRAY['Paris','Lyon','Marseille','Lille','Saint-Étienne'])[1 + g % 5],
                               'code_postal', lpad((1000 + g % 95000)::text, 5, '0')),
            CASE WHEN g % 10 < 7 THEN 'completed' WHEN g % 10 < 9 THEN 'exhausted' ELSE 'failed' END,
            CASE WHEN g % 10 BETWEEN 7 AND 8 THEN 2 ELSE 1 END,
            'call-' || g || '-' || CASE WHEN g % 10 BETWEEN 7 AND 8 THEN 2 ELSE 1 END,
            CASE WHEN g % 10 < 7 THEN 'completed' WHEN g % 10 < 9 THEN 'missed' ELSE 'failed' END,
            CASE WHEN g % 10 < 7 THEN 'completed' WHEN g % 10 < 9 THEN 'missed' ELSE 'failed' END,
            CASE WHEN g % 10 < 7 THEN jsonb_build_object(
                   'interested', g % 3 <> 1, 'nb_employes', 1 + g % 15,
                   'logiciel_actuel', (ARRAY['Aucun','Planity','Kiute','Shortcuts','Agenda papier','Autre'])[1 + g % 6],
                   'services', CASE WHEN g % 2 = 0 THEN '["Coupe femme","Coloration"]'::jsonb ELSE '["Coupe homme","Barbe"]'::jsonb END,
                   'rappel_souhaite', CASE WHEN g % 5 = 0 THEN NULL ELSE g % 2 = 0 END,
                   'commentaire', CASE WHEN g % 4 = 0 THEN 'Rappeler lundi, le salon est fermé' END) END,
            CASE WHEN g % 10 < 7 THEN g % 3 <> 1 AND 1 + g % 15 >= 3 END
       FROM generate_series(1, $2::int) g`,
    [id, LEADS],
  );
  // First attempt for every lead; a second one for the exhausted leads.
  await sql.query(
    `INSERT INTO call_attempts (lead_id, campaign_id, attempt_number, agent_id, from_number, to_number, state,
                                call_id, call_status, outcome, requested_at, ended_at, duration_seconds, cost)
     SELECT id, campaign_id, 1, $2, '+33912345678', phone, 'ended', 'call-' || seq || '-1',
            CASE WHEN status = 'completed' THEN 'completed' WHEN status = 'exhausted' THEN 'missed' ELSE 'failed' END,
            CASE WHEN status = 'completed' THEN 'completed' WHEN status = 'exhausted' THEN 'missed' ELSE 'failed' END,
            now() - interval '1 day', now() - interval '1 day',
            CASE WHEN status = 'completed' THEN 30 + seq % 240 ELSE 0 END,
            CASE WHEN status = 'completed' THEN round((30 + seq % 240) * 0.002, 4) ELSE 0 END
       FROM leads WHERE campaign_id = $1`,
    [id, SALON_AGENT.id],
  );
  await sql.query(
    `INSERT INTO call_attempts (lead_id, campaign_id, attempt_number, agent_id, from_number, to_number, state,
                                call_id, call_status, outcome, requested_at, ended_at, duration_seconds, cost)
     SELECT id, campaign_id, 2, $2, '+33912345678', phone, 'ended', 'call-' || seq || '-2', 'missed', 'missed',
            now(), now(), 0, 0
       FROM leads WHERE campaign_id = $1 AND status = 'exhausted'`,
    [id, SALON_AGENT.id],
  );
  // The state autovacuum soon reaches on a real database: visibility map and hint bits set.
  await sql.query('VACUUM ANALYZE leads');
  await sql.query('VACUUM ANALYZE call_attempts');
  return id;
}

async function copy(sql: Client, statement: string): Promise<Timed> {
  const start = process.hrtime.bigint();
  const stream = sql.query(copyTo(statement));
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, bytes };
}

async function measured(service: ApiService, label: string, path: string): Promise<Run> {
  const r = await download(service, path);
  log(`${label}: ${fmt(r)}, service RSS peak ${r.peakRssMb.toFixed(0)} MB`);
  return r;
}

async function download(service: ApiService, path: string): Promise<Timed & { peakRssMb: number }> {
  const pid = service.proc.pid as number;
  let peak = rssMb(pid).rss;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid).rss)), 50);
  const start = process.hrtime.bigint();
  try {
    const res = await request(`http://127.0.0.1:${service.port}${path}`, {
      headers: { 'x-api-key': BENCH_API_KEY },
    });
    if (res.statusCode !== 200)
      throw new Error(`${path}: HTTP ${res.statusCode} ${await res.body.text()}`);
    let bytes = 0;
    let tail = Buffer.alloc(0);
    for await (const chunk of res.body) {
      bytes += (chunk as Buffer).length;
      if (path.includes('.xlsx')) tail = Buffer.concat([tail, chunk as Buffer]).subarray(-4096);
    }
    // A workbook cut short would still count its bytes: it must end with the zip's directory.
    if (path.includes('.xlsx') && tail.lastIndexOf(ZIP_END_OF_DIRECTORY) < 0)
      throw new Error(`${path}: the download is not a complete zip`);
    return {
      ms: Number(process.hrtime.bigint() - start) / 1e6,
      bytes,
      peakRssMb: Math.max(peak, rssMb(pid).rss),
    };
  } finally {
    clearInterval(sampler);
  }
}

const ZIP_END_OF_DIRECTORY = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

function rssMb(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

const best = <T extends Timed>(runs: T[]): T => runs.reduce((a, b) => (b.ms < a.ms ? b : a));
const fmt = (t: Timed) => `${(t.ms / 1000).toFixed(2)} s, ${(t.bytes / 1e6).toFixed(1)} MB`;
const log = (m: string) => process.stdout.write(`[bench:report] ${m}\n`);

function writeResults(r: {
  leads: number;
  copyLeads: Timed;
  copyReport: Timed;
  plain: Run[];
  capped: Run[];
  excel: Run;
  xlsx: Run;
  xlsxPlain: Run[];
  xlsxFirst: Run;
  xlsxRatio: number;
  pairRatios: number[];
  json: Run;
  ratioLeads: number;
  ratioReport: number;
  plainIdle: number;
  cappedIdle: number;
}) {
  const s = (t: Timed) => (t.ms / 1000).toFixed(2);
  const mb = (t: Timed) => (t.bytes / 1e6).toFixed(1);
  const row = (what: string, t: Run) =>
    `| ${what} | ${s(t)} | ${mb(t)} | ${t.peakRssMb.toFixed(0)} |`;
  const lines = [
    '# Report export benchmark',
    '',
    `Run on ${new Date().toISOString().slice(0, 10)}: ${r.leads.toLocaleString('en')} leads (70 % reached with 6 typed answers, 1.2 attempts per lead), ` +
      `${process.platform} ${process.arch}, Node ${process.version}, PostgreSQL ${process.env.DATABASE_URL ? '(DATABASE_URL)' : '(embedded, fsync off)'} on the same machine.`,
    'The service runs as its own process (`node dist/src/main.js`, role `api`); its RSS is read from `/proc/<pid>/status` every 50 ms; the client counts the bytes and throws them away.',
    '',
    'Command: `npm run bench:report` (optional: `BENCH_LEADS`, `BENCH_RUNS`, `DATABASE_URL`, `BENCH_KEEP_DB=1`).',
    '',
    '| what | time (s) | size (MB) | service RSS peak (MB) |',
    '|---|---:|---:|---:|',
    `| PostgreSQL \`COPY (SELECT * FROM leads WHERE campaign_id = … ORDER BY seq) TO STDOUT (FORMAT csv)\` | ${s(r.copyLeads)} | ${mb(r.copyLeads)} | – |`,
    `| PostgreSQL \`COPY (<the report's query: leads + per-lead call totals>) TO STDOUT (FORMAT csv)\` | ${s(r.copyReport)} | ${mb(r.copyReport)} | – |`,
    ...r.plain.map((t, i) =>
      row(
        `\`GET …/report.csv\`, default flags, run ${i + 1} (idle ${r.plainIdle.toFixed(0)} MB)`,
        t,
      ),
    ),
    row("`GET …/report.xlsx`, default flags, a fresh service's first export", r.xlsxFirst),
    ...r.xlsxPlain.map((t, i) =>
      row(`\`GET …/report.xlsx\`, default flags, run ${i + 1} (after CSV run ${i + 1})`, t),
    ),
    ...r.capped.map((t, i) =>
      row(
        `\`GET …/report.csv\`, \`${CAPPED_HEAP}\`, run ${i + 1} (idle ${r.cappedIdle.toFixed(0)} MB)`,
        t,
      ),
    ),
    row(`\`GET …/report.csv?excel=true\`, \`${CAPPED_HEAP}\``, r.excel),
    row(`\`GET …/report.xlsx\`, \`${CAPPED_HEAP}\``, r.xlsx),
    row(`\`GET …/report?limit=1000\` (summary aggregates + one page), \`${CAPPED_HEAP}\``, r.json),
    '',
    `- CSV export (best run): **${r.ratioReport.toFixed(2)} ×** the COPY of the same rows, i.e. of the report's own query (target ≤ 3 ×). ` +
      `Against a COPY of the bare lead rows, which skips the per-lead call totals (the database's main cost here, one index lookup per lead), ${r.ratioLeads.toFixed(2)} ×.`,
    '- On this 2-core machine the database and the service share the CPU, and other jobs ran at the same time: figures vary by ±20 % from run to run.',
    `- Service RSS: **${r.plain[0].peakRssMb.toFixed(0)} MB** during a fresh service's first export (target ≤ 200 MB). Back-to-back exports with default flags creep up (${r.plain.map((t) => t.peakRssMb.toFixed(0)).join(' → ')} MB): garbage V8 has not collected yet, not a leak (the live heap after a forced GC stays flat). With \`${CAPPED_HEAP}\` the heap is collected as it goes: at most **${Math.max(...r.capped.map((t) => t.peakRssMb), r.excel.peakRssMb).toFixed(0)} MB** over the CSV exports and ${r.xlsx.peakRssMb.toFixed(0)} MB during the XLSX.`,
    `- XLSX export (best run): **${r.xlsxRatio.toFixed(2)} ×** the best CSV export on the same service (target ≤ 2 ×); run by run, each XLSX after its CSV: ${r.pairRatios.map((x) => x.toFixed(2)).join(', ')} ×. ` +
      `Service RSS: **${r.xlsxFirst.peakRssMb.toFixed(0)} MB** during a fresh service's first XLSX export, **${r.xlsx.peakRssMb.toFixed(0)} MB** with \`${CAPPED_HEAP}\` (target ≤ 200 MB); back to back with default flags, ${r.xlsxPlain.map((t) => t.peakRssMb.toFixed(0)).join(', ')} MB (the CSV's lazy-GC creep, above). ` +
      'The sheet XML is written by hand into a yazl zip, its deflate (level 1) running on the thread pool; see docs/REPORT.md. (Excel stops at 1,048,576 rows.)',
    '',
  ];
  writeFileSync(resolve(process.cwd(), 'bench/report/RESULTS.md'), lines.join('\n'));
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
