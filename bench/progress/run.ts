/**
 * Progress benchmark: how long the dashboard's polls take on a campaign of 1,000,000 leads with
 * 100 calls live, read from the running service (role `api`, its own process).
 *
 *   npm run bench:progress                 # embedded PostgreSQL in a temp folder
 *   DATABASE_URL=postgres://… npm run bench:progress
 *   BENCH_LEADS=200000 BENCH_REQUESTS=100 npm run bench:progress
 *
 * Measured, one request at a time, BENCH_REQUESTS each (after 10 to warm up):
 * `GET /v1/campaigns/{id}`, `GET /v1/campaigns?limit=50` (the big campaign and 49 small ones),
 * `GET /v1/campaigns/{id}/report` (summary and first page). Targets: p50 ≤ 20, 20, 100 ms.
 * For comparison, the full count the counters replace (the former progress query) is timed in
 * SQL. Writes bench/progress/RESULTS.md.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { request } from 'undici';
import {
  type ApiService,
  BENCH_API_KEY,
  startApiService,
  stopApiService,
} from '../support/api-service';
import { log as out, startBenchDatabase } from '../support/database';
import { insertSalonCampaign, SALON_AGENT } from '../support/salon-campaign';

const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const LIVE = 100;
const DIALLED = 20_000;
const TARGETS = { campaign: 20, list: 20, report: 100 };

interface Latency {
  p50: number;
  p95: number;
  max: number;
}

async function main() {
  const database = await startBenchDatabase('progress_bench');
  const dbUrl = database.url;
  let service: ApiService | undefined;
  try {
    const sql = new Client({ connectionString: dbUrl });
    await sql.connect();
    log(`seeding ${LEADS.toLocaleString('en')} leads, ${LIVE} calls live…`);
    const t0 = Date.now();
    const id = await seed(sql);
    const seedSeconds = (Date.now() - t0) / 1000;
    log(`seeded in ${seedSeconds.toFixed(1)} s`);
    const fullCountMs = await timeFullCount(sql, id);
    log(`full count (the former progress query), median of 5: ${fullCountMs.toFixed(0)} ms`);
    const counterRows = Number(
      (
        await sql.query<{ n: string }>(
          `SELECT count(*) AS n FROM campaign_counters WHERE campaign_id = $1`,
          [id],
        )
      ).rows[0].n,
    );
    await sql.end();

    service = await startApiService(dbUrl);
    const campaign = await measure(service, `/v1/campaigns/${id}`);
    log(`GET /v1/campaigns/{id}: ${fmt(campaign)}`);
    const list = await measure(service, `/v1/campaigns?limit=50`);
    log(`GET /v1/campaigns?limit=50: ${fmt(list)}`);
    const report = await measure(service, `/v1/campaigns/${id}/report`);
    log(`GET /v1/campaigns/{id}/report: ${fmt(report)}`);

    const ok =
      campaign.p50 <= TARGETS.campaign && list.p50 <= TARGETS.list && report.p50 <= TARGETS.report;
    writeResults({ campaign, list, report, fullCountMs, seedSeconds, counterRows, ok });
    log(ok ? 'PASS' : 'FAIL');
    process.exitCode = ok ? 0 : 1;
  } finally {
    if (service) await stopApiService(service);
    await database.close();
  }
}

/**
 * 49 small campaigns, then the big one (newest, so first in the list): 1,000,000 imported leads,
 * of which 20,000 were dialled (60 % completed with typed answers, 25 % exhausted, 15 % failed)
 * and 100 are being called now (attempts `live`). Written through the counters' triggers.
 */
async function seed(sql: Client): Promise<string> {
  const qualification = { match: 'all', rules: [{ question: 'interested', equals: true }] };
  const campaign = (name: string) =>
    insertSalonCampaign(sql, { name, status: 'running', qualification });
  for (let i = 0; i < 49; i++) {
    const small = await campaign(`Small ${i}`);
    await sql.query(
      `INSERT INTO leads (campaign_id, phone, variables)
       SELECT $1, '+337' || lpad(($2::int * 1000 + g)::text, 8, '0'), '{"prenom": "X"}'
         FROM generate_series(1, 200) g`,
      [small, i],
    );
  }
  const id = await campaign('Bench progress');
  await sql.query(
    `INSERT INTO leads (campaign_id, phone, variables, status, attempts, answers, qualified)
     SELECT $1, '+336' || lpad(g::text, 8, '0'),
            jsonb_build_object('prenom', 'Prénom ' || g, 'ville', (ARRAY['Paris','Lyon','Lille'])[1 + g % 3]),
            CASE WHEN g > $3 THEN 'pending' WHEN g % 20 < 12 THEN 'completed'
                 WHEN g % 20 < 17 THEN 'exhausted' ELSE 'failed' END,
            CASE WHEN g > $3 THEN 0 ELSE 1 END,
            CASE WHEN g <= $3 AND g % 20 < 12 THEN jsonb_build_object(
                   'interested', g % 3 <> 1, 'nb_employes', 1 + g % 15,
                   'logiciel_actuel', (ARRAY['Aucun','Planity','Kiute'])[1 + g % 3]) END,
            CASE WHEN g <= $3 AND g % 20 < 12 THEN g % 3 <> 1 END
       FROM generate_series(1, $2::int) g`,
    [id, LEADS, DIALLED],
  );
  await sql.query(
    `INSERT INTO call_attempts (lead_id, campaign_id, attempt_number, agent_id, from_number, to_number, state,
                                call_id, call_status, outcome, requested_at, ended_at, duration_seconds, cost)
     SELECT id, campaign_id, 1, $2, '+33912345678', phone, 'ended', 'call-' || seq, status,
            CASE WHEN status = 'completed' THEN 'completed' WHEN status = 'exhausted' THEN 'missed' ELSE 'failed' END,
            now() - interval '1 hour', now() - interval '1 hour',
            CASE WHEN status = 'completed' THEN 30 + seq % 240 ELSE 0 END,
            CASE WHEN status = 'completed' THEN round((30 + seq % 240) * 0.002, 4) ELSE 0 END
       FROM leads WHERE campaign_id = $1 AND status <> 'pending'`,
    [id, SALON_AGENT.id],
  );
  // 100 calls live: their leads `calling`, their attempts holding a slot with a call id.
  await sql.query(
    `UPDATE leads SET status = 'calling', attempts = 1
      WHERE id IN (SELECT id FROM leads WHERE campaign_id = $1 AND status = 'pending' ORDER BY seq LIMIT $2)`,
    [id, LIVE],
  );
  await sql.query(
    `INSERT INTO call_attempts (lead_id, campaign_id, attempt_number, agent_id, from_number, to_number, state,
                                call_id, call_status, requested_at, started_at)
     SELECT id, campaign_id, 1, $2, '+33912345678', phone, 'live', 'live-' || seq, 'in_progress', now(), now()
       FROM leads WHERE campaign_id = $1 AND status = 'calling'`,
    [id, SALON_AGENT.id],
  );
  await sql.query('VACUUM ANALYZE leads');
  await sql.query('VACUUM ANALYZE call_attempts');
  await sql.query('VACUUM ANALYZE campaign_counters');
  return id;
}

/** The progress query the counters replaced: one pass over the campaign's leads. */
async function timeFullCount(sql: Client, id: string): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = process.hrtime.bigint();
    await sql.query(
      `SELECT count(*), count(*) FILTER (WHERE status IN ('pending', 'retry_scheduled')),
              count(*) FILTER (WHERE status = 'calling'), count(*) FILTER (WHERE status = 'completed'),
              count(*) FILTER (WHERE status IN ('failed', 'exhausted')), count(*) FILTER (WHERE qualified),
              count(*) FILTER (WHERE NOT qualified), count(*) FILTER (WHERE status = 'retry_scheduled'),
              count(*) FILTER (WHERE status = 'exhausted'), count(*) FILTER (WHERE status = 'suppressed'),
              count(*) FILTER (WHERE status = 'cancelled'),
              count(*) FILTER (WHERE status IN ('completed', 'failed', 'exhausted', 'suppressed', 'cancelled'))
         FROM leads WHERE campaign_id = $1`,
      [id],
    );
    runs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return percentile(runs, 0.5);
}

/** 10 warm-up requests, then REQUESTS one after the other; latencies in ms. */
async function measure(service: ApiService, path: string): Promise<Latency> {
  const one = async () => {
    const start = process.hrtime.bigint();
    const res = await request(`http://127.0.0.1:${service.port}${path}`, {
      headers: { 'x-api-key': BENCH_API_KEY },
    });
    const body = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${path}: HTTP ${res.statusCode} ${body}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  for (let i = 0; i < 10; i++) await one();
  const runs: number[] = [];
  for (let i = 0; i < REQUESTS; i++) runs.push(await one());
  return { p50: percentile(runs, 0.5), p95: percentile(runs, 0.95), max: Math.max(...runs) };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

const fmt = (l: Latency) =>
  `p50 ${l.p50.toFixed(1)} ms, p95 ${l.p95.toFixed(1)} ms, max ${l.max.toFixed(1)} ms`;
const log = (m: string) => out(`[bench:progress] ${m}`);

function writeResults(r: {
  campaign: Latency;
  list: Latency;
  report: Latency;
  fullCountMs: number;
  seedSeconds: number;
  counterRows: number;
  ok: boolean;
}) {
  const row = (what: string, l: Latency, target: number) =>
    `| ${what} | ${l.p50.toFixed(1)} | ${l.p95.toFixed(1)} | ${l.max.toFixed(1)} | ≤ ${target} | ${l.p50 <= target ? 'met' : 'NOT met'} |`;
  const lines = [
    '# Progress benchmark',
    '',
    `Run on ${new Date().toISOString().slice(0, 10)}: one campaign of ${LEADS.toLocaleString('en')} leads ` +
      `(${DIALLED.toLocaleString('en')} dialled, 60 % of them completed with typed answers; ${LIVE} calls live) and 49 campaigns of 200 leads, ` +
      `${process.platform} ${process.arch}, Node ${process.version}, PostgreSQL ${process.env.DATABASE_URL ? '(DATABASE_URL)' : '(embedded, fsync off)'} on the same machine ` +
      `(load average ${loadAverage()} at the end).`,
    `The service runs as its own process (\`node dist/src/main.js\`, role \`api\`); ${REQUESTS} requests per route, one at a time, after 10 to warm up.`,
    '',
    'Command: `npm run bench:progress` (optional: `BENCH_LEADS`, `BENCH_REQUESTS`, `DATABASE_URL`).',
    '',
    '| request | p50 (ms) | p95 (ms) | max (ms) | target p50 (ms) | |',
    '|---|---:|---:|---:|---:|---|',
    row('`GET /v1/campaigns/{id}`', r.campaign, TARGETS.campaign),
    row('`GET /v1/campaigns?limit=50`', r.list, TARGETS.list),
    row('`GET /v1/campaigns/{id}/report` (summary and first page)', r.report, TARGETS.report),
    '',
    `- The figures come from \`campaign_counters\` (${r.counterRows} rows for the big campaign after the seed, before any fold), ` +
      'kept by statement-level triggers on `leads` and `call_attempts`; live calls from the slot index (at most the concurrency cap).',
    `- For comparison, the former progress query (one pass over the campaign's leads) takes ${r.fullCountMs.toFixed(0)} ms in SQL alone (median of 5).`,
    `- The report's answer distributions come from the same counters (keys \`answers\`, \`answer_type:\`, \`answer_value:\`, \`answer_number:\`; ${(DIALLED * 0.6).toLocaleString('en')} leads have answers here); the first page reads 100 leads by the (campaign_id, seq) index.`,
    `- Seeding (1,000,000 leads and their attempts through the triggers, VACUUM ANALYZE): ${r.seedSeconds.toFixed(1)} s.`,
    '',
  ];
  writeFileSync(resolve(process.cwd(), 'bench/progress/RESULTS.md'), lines.join('\n'));
}

function loadAverage(): string {
  return loadavg()
    .map((x) => x.toFixed(1))
    .join(', ');
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
