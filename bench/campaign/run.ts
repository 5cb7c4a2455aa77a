/**
 * Campaign engine benchmark, against the simulator over HTTP and a real PostgreSQL.
 *
 *   npm run bench:campaign                       # embedded PostgreSQL in a temp folder
 *   DATABASE_URL=postgres://… npm run bench:campaign
 *   BENCH_ONLY=efficiency|live1000 npm run bench:campaign
 *   BENCH_PG_STATS=1 npm run bench:campaign      # + where PostgreSQL's time went (pg_stat_statements)
 *
 * 1. efficiency: 10,000 leads, max_concurrent_calls 100, calls of 1–3 s (all answered):
 *    efficiency = ideal ÷ actual makespan, ideal = max(N ÷ rate, N × mean call duration ÷ concurrency).
 *    Target ≥ 0.95.
 * 2. live1000: max_concurrent_calls 1,000 with calls of 20–40 s, so that 1,000 calls are live at
 *    once: platform requests per finished call (target ≤ 2.5) and the delay between a call's end
 *    on the platform and the orchestrator recording it (p95, target ≤ 5 s).
 * The service runs in this process as a worker (dialer + poller), with production tunings unless
 * a scenario says otherwise. Prints the figures and writes bench/campaign/results.json.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startService } from '../../src/app.factory';
import { loadAppConfig } from '../../src/config/app-config';
import { defaultWorkerTuning, liveRuntime, type WorkerTuning } from '../../src/core/runtime';
import { runMigrations } from '../../src/database/migrate';
import { HAIR_SALON_FR_SCENARIO } from '../../src/simulator/scenarios/hair-salon.fr';
import { createDatabase, log, round, sleep, startDatabase } from '../support/database';
import { RemoteSimulator } from '../support/remote-simulator';
import { DEFAULT_COMPLIANCE, evaluate, loadRuleBook } from '../../src/compliance';
import { RULE_FILES } from '../../src/compliance/rules';

interface Scenario {
  name: string;
  leads: number;
  concurrency: number;
  perMinute: number;
  talkMs: [number, number];
  tuning: Partial<WorkerTuning>;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'efficiency',
    leads: Number(process.env.BENCH_LEADS ?? 10_000),
    concurrency: 100,
    perMinute: 6000,
    talkMs: [1000, 3000],
    // Calls of 2 s on average: a slot is refilled within a poll interval, so poll often.
    tuning: { pollIntervalMs: 100, dialIntervalMs: 50 },
  },
  {
    name: 'live1000',
    leads: Number(process.env.BENCH_LIVE_LEADS ?? 4000),
    concurrency: 1000,
    perMinute: 3000,
    talkMs: [20_000, 40_000],
    tuning: {},
  },
];

const AGENT = HAIR_SALON_FR_SCENARIO.agents[0];
/**
 * BENCH_LEAD_TIMEZONE=Europe/Paris gives every lead a `timezone` column, as a CSV with one
 * would: the calling window then skips the per-number zone lookup (libphonenumber-geo-carrier).
 */
const LEAD_TIMEZONE = process.env.BENCH_LEAD_TIMEZONE || null;
/**
 * BENCH_CONTROLS=1 sets every campaign control (daily cap, budget, end date; the circuit breaker
 * is on by default) far above what the run reaches, so that each claim pays for all their checks.
 */
const CONTROLS = process.env.BENCH_CONTROLS === '1';
/**
 * BENCH_PG_STATS=1 (embedded PostgreSQL only) loads pg_stat_statements and adds to each result
 * the statements that took the most execution time in the run, per finished call.
 */
const PG_STATS = process.env.BENCH_PG_STATS === '1';

/**
 * Every compliance check runs on every claim and start (French law for +33 numbers: hours,
 * holidays, the 4-in-30-days count under its per-number lock, the refusal look-up, consent), so
 * the run needs the law open for its whole length: without BENCH_LEAD_TIMEZONE, the leads get
 * the first zone below where French law allows calls now and in 30 minutes (any weekday: one of
 * these zones is in 10:00–13:00 or 14:00–20:00); at a weekend, where US law allows them
 * (rules ['US'], hours only). BENCH_COMPLIANCE=none turns the checks off, for comparison.
 */
const BENCH_ZONES = [
  'Pacific/Kiritimati',
  'Pacific/Auckland',
  'Australia/Sydney',
  'Asia/Tokyo',
  'Asia/Shanghai',
  'Asia/Bangkok',
  'Asia/Dhaka',
  'Asia/Karachi',
  'Asia/Dubai',
  'Europe/Moscow',
  'Europe/Athens',
  'Europe/Paris',
  'Europe/London',
  'Atlantic/Azores',
  'America/Noronha',
  'America/Sao_Paulo',
  'America/Halifax',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'Pacific/Pago_Pago',
];
const ALWAYS = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as ('mon' | 'sat')[],
  hours: [{ start: '00:00', end: '24:00' }],
};

function benchLaw(): { compliance: Record<string, unknown>; zone: string | null } {
  if (process.env.BENCH_COMPLIANCE === 'none')
    return { compliance: { ...DEFAULT_COMPLIANCE, rules: 'none' }, zone: LEAD_TIMEZONE };
  const book = loadRuleBook(RULE_FILES, new Date());
  const history = { attempts: [], refusedAt: null };
  for (const rules of [['FR'], ['US']]) {
    const compliance = { ...DEFAULT_COMPLIANCE, rules };
    const zones = LEAD_TIMEZONE ? [LEAD_TIMEZONE] : BENCH_ZONES;
    const zone = zones.find((z) =>
      [0, 30 * 60_000].every((later) => {
        const lead = {
          phone: '+33600000001',
          zones: [z],
          contact_type: null,
          consent_at: new Date(),
        };
        const v = evaluate(
          lead,
          { callingWindow: ALWAYS, compliance },
          new Date(Date.now() + later),
          history,
          book,
        );
        return 'allowed' in v && v.allowed;
      }),
    );
    if (zone) return { compliance, zone };
  }
  throw new Error('no zone where the law is open for the run: set BENCH_COMPLIANCE=none');
}
const LAW = benchLaw();
const FROM = HAIR_SALON_FR_SCENARIO.phone_numbers.map((n) => n.number);

async function main(): Promise<void> {
  const pg = await startDatabase(
    PG_STATS
      ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'track_functions=all']
      : [],
  );
  const results: Record<string, unknown>[] = [];
  try {
    for (const scenario of SCENARIOS) {
      if (process.env.BENCH_ONLY && process.env.BENCH_ONLY !== scenario.name) continue;
      results.push(await run(pg.url, scenario));
    }
  } finally {
    await pg.stop();
  }
  writeFileSync(
    join(process.cwd(), 'bench/campaign/results.json'),
    JSON.stringify(results, null, 2) + '\n',
  );
  log('results written to bench/campaign/results.json');
}

async function run(adminUrl: string, s: Scenario): Promise<Record<string, unknown>> {
  const dbUrl = await createDatabase(adminUrl, `campaign_bench_${s.name}_${Date.now()}`);
  await runMigrations(dbUrl);
  const sim = await RemoteSimulator.start({
    seed: 7,
    scenario: {
      ...HAIR_SALON_FR_SCENARIO,
      outcomes: { completed: 1, missed: 0, failed: 0, unknown: 0 },
    },
    durations: { ringMs: 0, talkMinMs: s.talkMs[0], talkMaxMs: s.talkMs[1], answersDelayMs: 0 },
  });
  const tuning = { ...defaultWorkerTuning, ...s.tuning };
  const config = loadAppConfig({
    DATABASE_URL: dbUrl,
    CALLROUNDED_API_URL: sim.url,
    CALLROUNDED_API_KEY: sim.apiKey,
    APP_ROLE: 'worker',
    LOG_LEVEL: 'warn',
    API_KEYS: 'bench-key-0123456789abcdef',
  });
  const { app } = await startService(liveRuntime(config, { worker: tuning }));
  const sql = new Client({ connectionString: dbUrl });
  await sql.connect();
  try {
    const campaignId = await seed(sql, s);
    log(
      `${s.name}: ${s.leads} leads, concurrency ${s.concurrency}, ${s.perMinute}/min, calls ${s.talkMs[0] / 1000}–${s.talkMs[1] / 1000} s, poll ${tuning.pollIntervalMs} ms`,
    );
    await sim.reset();
    if (PG_STATS) {
      await sql.query(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
      await sql.query(`SELECT pg_stat_statements_reset()`);
    }
    const t0 = Date.now();
    await sql.query(`UPDATE campaigns SET status = 'running', started_at = now() WHERE id = $1`, [
      campaignId,
    ]);

    // Steady state = while the platform has (nearly) `concurrency` calls live.
    const steadyFloor = Math.floor(s.concurrency * 0.95);
    let steady: { t: number; requests: number; finished: number } | undefined;
    let steadyEnd: { t: number; requests: number; finished: number } | undefined;
    let liveSamples = 0;
    let liveSum = 0;
    let slotSum = 0;
    for (;;) {
      await sleep(250);
      const stats = await sim.stats();
      const live = stats.live;
      liveSamples++;
      liveSum += live;
      const finished = await countFinished(sql, campaignId);
      slotSum += await countSlots(sql, campaignId);
      if (!steady && live >= steadyFloor)
        steady = { t: Date.now(), requests: stats.requests, finished };
      if (steady && !steadyEnd && live < steadyFloor && finished > steady.finished) {
        steadyEnd = { t: Date.now(), requests: stats.requests, finished };
      }
      if (liveSamples % 20 === 0)
        log(
          `  ${((Date.now() - t0) / 1000).toFixed(0)} s: ${finished}/${s.leads} final, ${live} live`,
        );
      if (finished >= s.leads) break;
    }
    const makespanS = (Date.now() - t0) / 1000;
    const final = await sim.stats();
    const meanDurationS = final.meanDurationMs / 1000;
    const idealS = Math.max(
      s.leads / (s.perMinute / 60),
      (s.leads * meanDurationS) / s.concurrency,
    );
    const delays = await recordingDelays(sql, campaignId);
    const cycle = await slotCycle(
      sql,
      campaignId,
      final.meanDurationMs,
      s.concurrency,
      t0,
      Date.now(),
    );
    const requests = final.requestCounts;
    const totalRequests = final.requests;
    const result: Record<string, unknown> = {
      scenario: s.name,
      leads: s.leads,
      concurrency: s.concurrency,
      per_minute: s.perMinute,
      poll_interval_ms: tuning.pollIntervalMs,
      lead_timezone_column: LAW.zone,
      compliance: LAW.compliance,
      load_average: loadavg().map((l) => round(l, 2)),
      calls: final.calls,
      max_live_observed: final.maxLive,
      mean_live: Math.round(liveSum / liveSamples),
      // Slots held in PostgreSQL (starting, ambiguous, live): above mean_live = calls over or not
      // yet started at the platform but still holding their slot (recording and start delays).
      mean_slots_held: Math.round(slotSum / liveSamples),
      mean_call_duration_s: round(meanDurationS, 3),
      makespan_s: round(makespanS, 1),
      ideal_s: round(idealS, 1),
      efficiency: round(idealS / makespanS, 3),
      requests_per_finished_call: round(totalRequests / final.calls, 3),
      requests_per_finished_call_steady:
        steady && steadyEnd
          ? round(
              (steadyEnd.requests - steady.requests) / (steadyEnd.finished - steady.finished),
              3,
            )
          : null,
      steady_state_s: steady && steadyEnd ? round((steadyEnd.t - steady.t) / 1000, 1) : null,
      requests,
      end_to_recorded_ms: delays,
      slot_cycle_ms: cycle,
      ...(PG_STATS ? { pg_statements: await topStatements(sql, final.calls) } : {}),
    };
    log(JSON.stringify(result, null, 2));
    return result;
  } finally {
    await app.close();
    await sql.end();
    await sim.close();
  }
}

async function seed(sql: Client, s: Scenario): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO campaigns (name, agent_id, from_numbers, timezone, calling_window, max_concurrent_calls,
                            max_calls_per_minute, retry, status, questions, compliance)
     VALUES ($1, $2, $3, 'Europe/Paris', $4, $5, $6, $7, 'draft', $8, $9) RETURNING id`,
    [
      `bench ${s.name}`,
      AGENT.id,
      FROM,
      JSON.stringify({
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        hours: [{ start: '00:00', end: '24:00' }],
      }),
      s.concurrency,
      s.perMinute,
      JSON.stringify({ max_attempts: 1, delay_minutes: 0, on: [] }),
      JSON.stringify(AGENT.post_call_questions),
      JSON.stringify(LAW.compliance),
    ],
  );
  const id = rows[0].id;
  if (CONTROLS) {
    // Every campaign control set, none binding: each claim runs all their checks.
    await sql.query(
      `UPDATE campaigns SET max_calls_per_day = 1000000, max_cost = 1000000000,
              ends_at = now() + interval '30 days' WHERE id = $1`,
      [id],
    );
  }
  await sql.query(
    `INSERT INTO leads (campaign_id, phone, timezone, variables, consent_at, consent_source)
     SELECT $1, '+336' || lpad(g::text, 8, '0'), $3, jsonb_build_object('prenom', 'Lead ' || g),
            now() - interval '1 day', 'bench'
       FROM generate_series(1, $2) AS g`,
    [id, s.leads, LAW.zone],
  );
  return id;
}

async function countFinished(sql: Client, campaignId: string): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM leads WHERE campaign_id = $1 AND status IN ('completed', 'failed', 'exhausted', 'suppressed', 'cancelled')`,
    [campaignId],
  );
  return rows[0].n;
}

async function countSlots(sql: Client, campaignId: string): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM call_attempts WHERE campaign_id = $1 AND state IN ('starting', 'ambiguous', 'live')`,
    [campaignId],
  );
  return rows[0].n;
}

/**
 * When an attempt's end was recorded: the commit of the transaction that wrote it (the bench's
 * embedded PostgreSQL tracks commit timestamps), else finished_at, which is the start of the poll
 * tick that saw the end (before the list request and the finalising transaction: an underestimate).
 */
async function recordedAtExpression(sql: Client): Promise<string> {
  const { rows } = await sql.query<{ on: string }>(
    `SELECT current_setting('track_commit_timestamp') AS on`,
  );
  return rows[0].on === 'on'
    ? 'coalesce(pg_xact_commit_timestamp(xmin), finished_at)'
    : 'finished_at';
}

/** The slot cycle's columns: numeric, so pg hands them over as text. */
type SlotColumn =
  | 'claim_to_post'
  | 'post_to_live'
  | 'live_to_end'
  | 'end_to_recorded'
  | 'held'
  | 'held_s'
  | 'held_mid_s';

/** Platform end time → the attempt recorded as ended (same clock: the simulator runs here). */
async function recordingDelays(sql: Client, campaignId: string): Promise<Record<string, number>> {
  const recordedAt = await recordedAtExpression(sql);
  const { rows } = await sql.query<{ p50: number; p95: number; max: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY d) AS p95,
            max(d) AS max
       FROM (SELECT extract(epoch FROM ${recordedAt} - ended_at) * 1000 AS d
               FROM call_attempts WHERE campaign_id = $1 AND state = 'ended') t`,
    [campaignId],
  );
  return {
    p50: Math.round(rows[0].p50),
    p95: Math.round(rows[0].p95),
    max: Math.round(rows[0].max),
  };
}

/**
 * Where a slot's time goes, per attempt (means, ms; one clock for the database, this process and
 * the simulator): claim → last checks before the POST (claim transaction, pacing), then → call
 * saved live (checks, POST), → platform end, → end recorded (committed). `overhead` = slot held
 * minus the platform's mean call time; `utilisation` = slot time held ÷ (concurrency × makespan).
 */
async function slotCycle(
  sql: Client,
  campaignId: string,
  platformMeanMs: number,
  concurrency: number,
  t0: number,
  t1: number,
): Promise<Record<string, number>> {
  const ms = (a: string, b: string) => `avg(extract(epoch FROM ${b} - ${a})) * 1000`;
  const recordedAt = await recordedAtExpression(sql);
  // Slot time held inside [from, to], in seconds.
  const heldWithin = (from: string, to: string) =>
    `sum(greatest(0, extract(epoch FROM least(${recordedAt}, ${to}) - greatest(created_at, ${from}))))`;
  const mid = (f: number) => `to_timestamp(${(t0 + f * (t1 - t0)) / 1000})`;
  const { rows } = await sql.query<Record<SlotColumn, string>>(
    `SELECT ${ms('created_at', 'requested_at')} AS claim_to_post,
            ${ms('requested_at', 'started_at')} AS post_to_live,
            ${ms('started_at', 'ended_at')} AS live_to_end,
            ${ms('ended_at', recordedAt)} AS end_to_recorded,
            ${ms('created_at', recordedAt)} AS held,
            sum(extract(epoch FROM ${recordedAt} - created_at)) AS held_s,
            ${heldWithin(mid(0.1), mid(0.9))} AS held_mid_s
       FROM call_attempts WHERE campaign_id = $1 AND state = 'ended'`,
    [campaignId],
  );
  const r = rows[0];
  const slotSeconds = (concurrency * (t1 - t0)) / 1000;
  return {
    claim_to_post: Math.round(Number(r.claim_to_post)),
    post_to_live: Math.round(Number(r.post_to_live)),
    live_to_end: Math.round(Number(r.live_to_end)),
    end_to_recorded: Math.round(Number(r.end_to_recorded)),
    held: Math.round(Number(r.held)),
    overhead: Math.round(Number(r.held) - platformMeanMs),
    utilisation: round(Number(r.held_s) / slotSeconds, 3),
    // The same without the ramp-up and the last calls draining (the middle 80 % of the run).
    utilisation_mid: round(Number(r.held_mid_s) / (0.8 * slotSeconds), 3),
  };
}

/** The statements of this database that took the most execution time, per finished call. */
async function topStatements(sql: Client, calls: number): Promise<Record<string, unknown>[]> {
  const { rows } = await sql.query<{
    calls: string;
    mean_ms: number;
    total_ms: number;
    query: string;
  }>(
    `SELECT calls, mean_exec_time AS mean_ms, total_exec_time AS total_ms, query
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      ORDER BY total_exec_time DESC LIMIT 15`,
  );
  return rows.map((r) => ({
    per_call: round(Number(r.calls) / calls, 2),
    mean_ms: round(r.mean_ms, 3),
    ms_per_call: round(r.total_ms / calls, 3),
    statement: r.query.replace(/\s+/g, ' ').slice(0, 120),
  }));
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
