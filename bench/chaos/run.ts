/**
 * Chaos benchmark: the production entry (dist/src/main.js) as one API and three worker processes
 * on one PostgreSQL, against the simulator in its own process with a platform limit of 10 live
 * calls, below the two campaigns' caps together (8 + 4), so that both share it.
 *
 *   npm run bench:chaos                         # embedded PostgreSQL in a temp folder
 *   DATABASE_URL=postgres://… npm run bench:chaos
 *   BENCH_ONLY=clean|429|chaos BENCH_CHAOS_LEADS=400 npm run bench:chaos
 *
 * The same two campaigns run three times, each on a new database:
 *  1. clean — no fault: the ideal makespan;
 *  2. 429 — 5 % of all platform requests answer 429 with Retry-After: 1: makespan ÷ clean
 *     (target ≤ 1.5);
 *  3. chaos — 5 % 500s (half of them on POST /calls/phone created the call), 3 % POSTs whose
 *     answer never comes, 5 % 429s, ten kill -9 of a worker (restarted), the database's
 *     connections terminated twice, a 5 s platform outage, one worker SIGTERM'd and restarted.
 * After each run it checks the dialling invariants (each platform call on exactly one attempt of
 * its own lead, no lead called more than its retry policy allows, no number rung twice at once,
 * each campaign's cap held on the platform's own timeline) and that both campaigns completed.
 * Prints the figures and writes bench/chaos/results.json. Exits 1 when an invariant broke.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../../src/database/migrate';
import { HAIR_SALON_FR_SCENARIO } from '../../src/simulator';
import type { SimCall, SimFaults } from '../../src/simulator';
import { createDatabase, freePort, log, round, sleep, startDatabase } from '../support/database';
import { RemoteSimulator } from '../support/remote-simulator';

const API_KEY = 'bench-key-0123456789abcdef';
const PLATFORM_LIMIT = 10;
const MAX_ATTEMPTS = 2;
const LEADS = Number(process.env.BENCH_CHAOS_LEADS ?? 400);
const CAMPAIGNS = [
  { name: 'salons', cap: 8, leads: Math.round(LEADS / 2), prefix: '+3361' },
  { name: 'instituts', cap: 4, leads: LEADS - Math.round(LEADS / 2), prefix: '+3362' },
];
const OUT = join(process.cwd(), 'bench/out/chaos');
const MAIN = join(process.cwd(), 'dist/src/main.js');
const TIMEOUT_MS = 20 * 60_000;

const FAULTS_429: Partial<SimFaults> = { rateLimitRate: 0.05, retryAfterSeconds: 1 };
const FAULTS_CHAOS: Partial<SimFaults> = {
  ...FAULTS_429,
  errorRate: 0.05,
  postErrorCreatesCallRate: 0.5,
  postNoAnswerRate: 0.03,
};

type RunName = 'clean' | '429' | 'chaos';
type ChaosEvent = 'kill' | 'sigterm' | 'connections' | 'outage';
/** Ten kill -9s, two connection kills, one outage, one SIGTERM, one every few seconds. */
const CHAOS_EVENTS: ChaosEvent[] = [
  'kill',
  'connections',
  'kill',
  'kill',
  'outage',
  'kill',
  'sigterm',
  'kill',
  'kill',
  'connections',
  'kill',
  'kill',
  'kill',
  'kill',
];
const EVENT_EVERY_MS = 5_000;

/** One service process: `node dist/src/main.js` with its role, its output kept in bench/out. */
class Service {
  proc!: ChildProcess;
  private exit!: Promise<void>;
  restarts = 0;

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
  ) {}

  /** Starts the process; ready once /health answers (API) or the log says the worker started. */
  async start(): Promise<void> {
    const out = createWriteStream(join(OUT, `${this.name}.log`), { flags: 'a' });
    this.proc = spawn(process.execPath, [MAIN], {
      env: { ...process.env, ...this.env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc.stderr!.pipe(out);
    this.proc.stdout!.pipe(out);
    let seen = '';
    this.proc.stdout!.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-8192);
    });
    this.exit = new Promise((r) => this.proc.once('exit', () => r()));
    const port = this.env.PORT;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null)
        throw new Error(`${this.name} exited (${this.proc.exitCode}) at start`);
      if (port) {
        const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
      } else if (seen.includes('Worker started')) return;
      await sleep(100);
    }
    throw new Error(`${this.name} not ready after 60 s`);
  }

  async kill9(): Promise<void> {
    this.proc.kill('SIGKILL');
    await this.exit;
  }

  /** SIGTERM, waits for the exit, and says how long the shutdown took. */
  async sigterm(): Promise<number> {
    const t = Date.now();
    this.proc.kill('SIGTERM');
    await this.exit;
    return Date.now() - t;
  }

  async restart(): Promise<void> {
    this.restarts++;
    await this.start();
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const pg = await startDatabase();
  const results: Record<string, unknown>[] = [];
  let broken = false;
  try {
    for (const name of ['clean', '429', 'chaos'] as RunName[]) {
      if (process.env.BENCH_ONLY && process.env.BENCH_ONLY !== name) continue;
      const result = await run(pg.url, name);
      if ((result.problems as string[]).length > 0) broken = true;
      results.push(result);
      // Written after each run, so that a later run's failure loses nothing.
      writeResults(results);
    }
  } finally {
    await pg.stop();
  }
  writeResults(results);
  log(
    JSON.stringify(
      results.map(({ problems, ...r }) => ({ ...r, problems: (problems as string[]).length })),
      null,
      2,
    ),
  );
  log('results written to bench/chaos/results.json');
  if (broken) {
    log('AN INVARIANT BROKE: see "problems" in results.json');
    process.exit(1);
  }
}

/** Each run's makespan ÷ the clean run's, then bench/chaos/results.json. */
function writeResults(results: Record<string, unknown>[]): void {
  const clean = results.find((r) => r.run === 'clean');
  for (const r of results) {
    if (clean && r !== clean)
      r.makespan_ratio = round(Number(r.makespan_s) / Number(clean.makespan_s), 3);
  }
  writeFileSync(
    join(process.cwd(), 'bench/chaos/results.json'),
    JSON.stringify(results, null, 2) + '\n',
  );
}

async function run(adminUrl: string, name: RunName): Promise<Record<string, unknown>> {
  const dbUrl = await createDatabase(adminUrl, `chaos_bench_${name}_${Date.now()}`);
  await runMigrations(dbUrl);
  const sim = await RemoteSimulator.start({
    seed: 11,
    concurrencyLimit: PLATFORM_LIMIT,
    scenario: {
      ...HAIR_SALON_FR_SCENARIO,
      outcomes: { completed: 8, missed: 2, failed: 0, unknown: 0 },
    },
    durations: {
      ringMs: 300,
      talkMinMs: 1000,
      talkMaxMs: 3000,
      missedAfterMs: 1500,
      answersDelayMs: 0,
    },
  });
  const apiPort = await freePort();
  const common = {
    DATABASE_URL: dbUrl,
    CALLROUNDED_API_URL: sim.url,
    CALLROUNDED_API_KEY: sim.apiKey,
    API_KEYS: API_KEY,
  };
  const api = new Service(`${name}-api`, { ...common, APP_ROLE: 'api', PORT: String(apiPort) });
  const workers = [1, 2, 3].map(
    (i) => new Service(`${name}-worker-${i}`, { ...common, APP_ROLE: 'worker' }),
  );
  const sql = new Client({ connectionString: dbUrl });
  await sql.connect();
  const events: string[] = [];
  let shutdownMs: number | null = null;
  try {
    await api.start();
    await Promise.all(workers.map((w) => w.start()));
    const base = `http://127.0.0.1:${apiPort}`;
    const ids: string[] = [];
    for (const c of CAMPAIGNS) ids.push(await createCampaign(base, c));
    if (name !== 'clean') await sim.setFaults(name === '429' ? FAULTS_429 : FAULTS_CHAOS);
    await sim.reset();
    log(
      `${name}: ${LEADS} leads in two campaigns (caps 8 and 4), platform limit ${PLATFORM_LIMIT}, 3 workers`,
    );
    const t0 = Date.now();
    for (const id of ids) await call(base, 'POST', `/v1/campaigns/${id}/start`);

    const chaos =
      name === 'chaos' ? runChaos(workers, sim, sql, events, (ms) => (shutdownMs = ms)) : null;
    let last = 0;
    for (;;) {
      await sleep(500);
      const { rows } = await sql.query<{ done: number; final: number }>(
        `SELECT (SELECT count(*)::int FROM campaigns WHERE id = ANY($1) AND status = 'completed') AS done,
                (SELECT count(*)::int FROM leads WHERE campaign_id = ANY($1)
                   AND status IN ('completed', 'failed', 'exhausted', 'suppressed', 'cancelled')) AS final`,
        [ids],
      );
      if (rows[0].done === ids.length) break;
      if (Date.now() - last > 10_000) {
        last = Date.now();
        log(`  ${((Date.now() - t0) / 1000).toFixed(0)} s: ${rows[0].final}/${LEADS} leads final`);
      }
      if (Date.now() - t0 > TIMEOUT_MS)
        throw new Error(`${name}: not completed after ${TIMEOUT_MS / 60_000} min`);
    }
    const makespanS = (Date.now() - t0) / 1000;
    await chaos;
    const stats = await sim.stats();
    const calls = await sim.calls();
    const problems = await checkInvariants(sql, calls, ids);
    if (stats.maxLivePerNumber > 1)
      problems.push(`a number was rung ${stats.maxLivePerNumber} times at once`);
    const perCampaign = await callsPerCampaign(sql, ids);
    const result = {
      run: name,
      leads: LEADS,
      platform_limit: PLATFORM_LIMIT,
      load_average: loadavg().map((l) => round(l, 2)),
      makespan_s: round(makespanS, 1),
      calls: calls.length,
      max_live_observed: stats.maxLive,
      requests: stats.requests,
      calls_per_campaign: perCampaign,
      sharing: await sharing(sql, ids, t0),
      events,
      sigterm_shutdown_ms: shutdownMs,
      problems,
    };
    log(
      `${name}: makespan ${result.makespan_s} s, ${calls.length} calls, ${problems.length} invariant problems`,
    );
    return result;
  } finally {
    await sql.end();
    for (const s of [api, ...workers]) {
      if (s.proc.exitCode === null && s.proc.signalCode === null) await s.sigterm();
    }
    await sim.close();
  }
}

/** The events of the chaos run, one every EVENT_EVERY_MS, each on a worker picked in turn. */
async function runChaos(
  workers: Service[],
  sim: RemoteSimulator,
  sql: Client,
  events: string[],
  onShutdown: (ms: number) => void,
): Promise<void> {
  for (const [i, event] of CHAOS_EVENTS.entries()) {
    await sleep(EVENT_EVERY_MS);
    const w = workers[i % workers.length];
    if (event === 'kill') {
      await w.kill9();
      events.push(`kill -9 ${w.name}`);
      await sleep(1000);
      await w.restart();
    } else if (event === 'sigterm') {
      const ms = await w.sigterm();
      onShutdown(ms);
      events.push(`SIGTERM ${w.name} (exited in ${ms} ms)`);
      await w.restart();
    } else if (event === 'connections') {
      const { rows } = await sql.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      events.push(`${rows[0].n} database connections terminated`);
    } else {
      await sim.setFaults({ errorRate: 1 });
      await sleep(5000);
      await sim.setFaults({ errorRate: FAULTS_CHAOS.errorRate });
      events.push('platform outage of 5 s');
    }
  }
}

async function createCampaign(base: string, c: (typeof CAMPAIGNS)[number]): Promise<string> {
  const created = (await call(base, 'POST', '/v1/campaigns', {
    name: c.name,
    agent_id: HAIR_SALON_FR_SCENARIO.agents[0].id,
    from_numbers: HAIR_SALON_FR_SCENARIO.phone_numbers.map((n) => n.number),
    timezone: 'Europe/Paris',
    calling_window: {
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      hours: [{ start: '00:00', end: '24:00' }],
    },
    max_concurrent_calls: c.cap,
    max_calls_per_minute: 600,
    retry: { max_attempts: MAX_ATTEMPTS, delay_minutes: 0, on: ['missed'] },
  })) as { id: string };
  const rows = Array.from(
    { length: c.leads },
    (_, i) => `${c.prefix}${String(i).padStart(7, '0')},Lead ${i}`,
  );
  await call(
    base,
    'POST',
    `/v1/campaigns/${created.id}/leads`,
    ['phone,prenom', ...rows].join('\n'),
  );
  return created.id;
}

async function call(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      'X-Api-Key': API_KEY,
      ...(body === undefined
        ? {}
        : { 'Content-Type': typeof body === 'string' ? 'text/csv' : 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The dialling invariants, read from the platform's own record of its calls and from ours. */
async function checkInvariants(sql: Client, calls: SimCall[], ids: string[]): Promise<string[]> {
  const problems: string[] = [];
  const { rows } = await sql.query<{ call_id: string; phone: string; campaign_id: string }>(
    `SELECT a.call_id, l.phone, l.campaign_id FROM call_attempts a JOIN leads l ON l.id = a.lead_id
      WHERE a.call_id IS NOT NULL`,
  );
  const byCall = new Map<string, typeof rows>();
  for (const r of rows) byCall.set(r.call_id, [...(byCall.get(r.call_id) ?? []), r]);
  const perNumber = new Map<string, number>();
  for (const c of calls) {
    perNumber.set(c.to_number, (perNumber.get(c.to_number) ?? 0) + 1);
    const recorded = byCall.get(c.id) ?? [];
    if (recorded.length !== 1)
      problems.push(`call ${c.id} recorded on ${recorded.length} attempts`);
    else if (recorded[0].phone !== c.to_number)
      problems.push(`call ${c.id} recorded on another lead`);
  }
  for (const [n, k] of perNumber) if (k > MAX_ATTEMPTS) problems.push(`${n} called ${k} times`);
  // Each campaign's cap, on the platform's timeline: calls live at once, by their numbers.
  for (const c of CAMPAIGNS) {
    const spans = calls
      .filter((call) => call.to_number.startsWith(c.prefix))
      .flatMap((call) => [
        { t: Date.parse(call.start_time), d: 1 },
        { t: Date.parse(call.end_time ?? new Date().toISOString()), d: -1 },
      ])
      .sort((a, b) => a.t - b.t || a.d - b.d);
    let live = 0;
    let max = 0;
    for (const s of spans) max = Math.max(max, (live += s.d));
    if (max > c.cap) problems.push(`${c.name}: ${max} calls live at once (cap ${c.cap})`);
  }
  const { rows: open } = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM leads WHERE campaign_id = ANY($1)
        AND status NOT IN ('completed', 'failed', 'exhausted', 'suppressed', 'cancelled')`,
    [ids],
  );
  if (open[0].n > 0) problems.push(`${open[0].n} leads not final`);
  return problems;
}

async function callsPerCampaign(sql: Client, ids: string[]): Promise<Record<string, number>> {
  const { rows } = await sql.query<{ name: string; n: number }>(
    `SELECT c.name, count(a.*)::int AS n FROM campaigns c LEFT JOIN call_attempts a ON a.campaign_id = c.id
      WHERE c.id = ANY($1) AND a.call_id IS NOT NULL GROUP BY c.name`,
    [ids],
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.n]));
}

/**
 * Fair share under the platform's limit: when each campaign completed, and its share of the calls
 * started in the first 30 s, while both were running (caps 8 and 4: about two thirds and one third).
 */
async function sharing(sql: Client, ids: string[], t0: number): Promise<Record<string, unknown>> {
  const { rows } = await sql.query<{ name: string; completed_s: number; early: number }>(
    `SELECT c.name, extract(epoch FROM c.completed_at) - $2 / 1000.0 AS completed_s,
            (SELECT count(*)::int FROM call_attempts a WHERE a.campaign_id = c.id AND a.call_id IS NOT NULL
                AND a.requested_at < to_timestamp($2 / 1000.0) + interval '30 seconds') AS early
       FROM campaigns c WHERE c.id = ANY($1) ORDER BY c.name`,
    [ids, t0],
  );
  const early = rows.reduce((sum, r) => sum + r.early, 0);
  return Object.fromEntries(
    rows.map((r) => [
      r.name,
      {
        completed_after_s: round(Number(r.completed_s), 1),
        share_first_30_s: round(r.early / early, 2),
      },
    ]),
  );
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
