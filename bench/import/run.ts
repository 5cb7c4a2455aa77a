/**
 * Lead import benchmark: a 1,000,000-row lead file (phone + 5 text columns, about 80 MB) uploaded
 * over HTTP to the built service running as its own process, against a bare csv-parse +
 * libphonenumber-js/max pass over the same file measured in the same run.
 *
 *   npm run bench:import          (nest build, tsc -p tsconfig.bench.json, node dist-bench/bench/import/run.js)
 *
 * Environment: BENCH_PG_URL (a PostgreSQL server where a scratch database is created and dropped;
 * default postgres://postgres@127.0.0.1:5432/postgres), BENCH_ROWS (default 1000000), BENCH_RUNS
 * (imports, each into a new database through a new service process; default 3: the machine may
 * be shared, and the median of three says more than one run).
 * Prints the figures and writes them to bench/out/import-results.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { Client } from 'pg';
import { writeLeadFile } from './lead-file';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** BENCH_DRY_RUN=0 skips the dry run timed before each import. */
const DRY_RUN = process.env.BENCH_DRY_RUN !== '0';
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const API_KEY = 'bench-import-key-0123456789abcdef';
const SALON_AGENT_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const OUT_DIR = join(process.cwd(), 'bench/out');

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, `leads-${ROWS}.csv`);
  if (!existsSync(file)) {
    const t = Date.now();
    await writeLeadFile(file, ROWS);
    log(`generated ${file} in ${Date.now() - t} ms`);
  }
  const bytes = statSync(file).size;
  log(`file: ${ROWS} rows, ${(bytes / 1e6).toFixed(1)} MB, ${RUNS} run(s)`);

  // The machine may be shared: a bare pass before each import and one after the last; each
  // import's ratio uses the mean of the bare passes on either side of it.
  const bares: number[] = [];
  const runs: ImportRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    bares.push(await timedBarePass(file));
    runs.push(await importOnce(file, bytes));
  }
  bares.push(await timedBarePass(file));
  const results = runs.map((run, i) => {
    const bareMs = Math.round((bares[i] + bares[i + 1]) / 2);
    return {
      ...run,
      bare_pass_ms: [bares[i], bares[i + 1]],
      bare_rows_per_s: Math.round((ROWS / bareMs) * 1000),
      ratio_to_bare: Number((run.import_wall_ms / bareMs).toFixed(2)),
    };
  });
  const ratios = results.map((r) => r.ratio_to_bare);
  const summary = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    rows: ROWS,
    file_mb: Number((bytes / 1e6).toFixed(1)),
    runs: results,
    median_ratio_to_bare: median(ratios),
    max_service_peak_rss_mb: Math.max(...results.map((r) => r.service_peak_rss_mb)),
  };
  writeFileSync(join(OUT_DIR, 'import-results.json'), JSON.stringify(summary, null, 2));
  console.log(JSON.stringify(summary, null, 2));
  log(
    `ratio per run: ${ratios.join(', ')}; median ${summary.median_ratio_to_bare}; ` +
      `peak RSS ${summary.max_service_peak_rss_mb} MB`,
  );
  if (
    results.some(
      (r) =>
        r.import_status !== 201 ||
        r.leads_in_database !== ROWS ||
        (r.dry_run && (r.dry_run.status !== 201 || !r.dry_run.database_unchanged)),
    )
  ) {
    process.exitCode = 1;
  }
}

type ImportRun = Awaited<ReturnType<typeof importOnce>>;

async function timedBarePass(file: string): Promise<number> {
  const bare = await barePass(file);
  log(
    `bare csv-parse + libphonenumber-js/max: ${bare.ms} ms (${bare.valid} valid of ${bare.rows})`,
  );
  return bare.ms;
}

/** One import into a new scratch database, through a freshly started service. */
async function importOnce(file: string, bytes: number) {
  const loadBefore = loadAverage();
  const dbName = `bench_import_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = withDatabase(PG_URL, dbName);
  let service: ChildProcess | undefined;
  try {
    const port = await freePort();
    // BENCH_SERVICE_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=bench/out", profiles the service.
    const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    service = spawn(process.execPath, [...nodeArgs, join(process.cwd(), 'dist/src/main.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        DATABASE_URL: dbUrl,
        API_KEYS: API_KEY,
        APP_ROLE: 'api',
        PORT: String(port),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const pid = service.pid!;
    await waitForHealth(port);
    const startupPeakMb = memoryMb(pid).peak;

    const db = new Client({ connectionString: dbUrl });
    await db.connect();
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO campaigns (name, agent_id, from_numbers, calling_window, retry, default_country)
       VALUES ('bench', $1, ARRAY['+33912345678'], '{"days":["mon"],"hours":[{"start":"10:00","end":"18:00"}]}',
               '{"max_attempts":1,"delay_minutes":60,"on":["missed"]}', 'FR') RETURNING id`,
      [SALON_AGENT_ID],
    );
    const campaignId = rows[0].id;
    const dryRun = DRY_RUN ? await dryRunOnce(db, port, campaignId, file, bytes) : null;

    let maxRssMb = 0;
    const sampler = setInterval(() => (maxRssMb = Math.max(maxRssMb, memoryMb(pid).rss)), 25);
    const cpu0 = cpuSeconds(pid);
    // PostgreSQL's side: CPU of the backends serving the scratch database (same machine).
    const sampleBackends = async (into: Map<number, number>) => {
      const { rows } = await admin.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = $1',
        [dbName],
      );
      for (const r of rows) {
        const cpu = cpuSecondsOrNull(r.pid);
        if (cpu !== null) into.set(r.pid, cpu);
      }
    };
    const backendsBefore = new Map<number, number>();
    await sampleBackends(backendsBefore);
    const backends = new Map(backendsBefore);
    const watchBackends = setInterval(
      () => void sampleBackends(backends).catch(() => undefined),
      200,
    );
    // Each import starts from a checkpoint, so that runs do not pay for the previous run's WAL.
    await admin.query('CHECKPOINT').catch(() => log('CHECKPOINT refused (not a superuser)'));
    const walBefore = await walPosition(admin);
    const t0 = performance.now();
    const answer = await uploadFile(port, `/v1/campaigns/${campaignId}/leads`, file, bytes);
    const wallMs = Math.round(performance.now() - t0);
    const serviceCpu = cpuSeconds(pid) - cpu0;
    const walMb = Math.round(((await walPosition(admin)) - walBefore) / 1e6);
    clearInterval(watchBackends);
    await sampleBackends(backends);
    let postgresCpu = 0;
    for (const [backend, cpu] of backends) postgresCpu += cpu - (backendsBefore.get(backend) ?? 0);
    clearInterval(sampler);
    const mem = memoryMb(pid);
    const { rows: counted } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM leads WHERE campaign_id = $1',
      [campaignId],
    );
    await db.end();

    log(`import: ${wallMs} ms, answer ${answer.status}`);
    return {
      import_status: answer.status,
      import_answer: { ...answer.body, errors: undefined },
      leads_in_database: counted[0].n,
      import_wall_ms: wallMs,
      import_rows_per_s: Math.round((ROWS / wallMs) * 1000),
      service_cpu_s: Number(serviceCpu.toFixed(1)),
      postgres_cpu_s: Number(postgresCpu.toFixed(1)),
      postgres_wal_mb: walMb,
      service_peak_rss_mb: mem.peak,
      service_max_sampled_rss_mb: Math.round(maxRssMb),
      service_startup_peak_rss_mb: startupPeakMb,
      load_average_before_after: [loadBefore, loadAverage()],
      ...(dryRun ? { dry_run: dryRun } : {}),
    };
  } finally {
    if (service && service.exitCode === null) {
      service.kill('SIGTERM');
      await new Promise((r) => service!.once('exit', r));
    }
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

/**
 * A dry run of the same file into the same (empty) campaign, before the import: its wall time
 * (to be no more than the import's), and the database's row counts before and after (unchanged).
 */
async function dryRunOnce(
  db: Client,
  port: number,
  campaignId: string,
  file: string,
  bytes: number,
) {
  const countRows = async () =>
    (
      await db.query<{ leads: number; imports: number }>(
        `SELECT (SELECT count(*) FROM leads)::int AS leads, (SELECT count(*) FROM lead_imports)::int AS imports`,
      )
    ).rows[0];
  const before = await countRows();
  const t0 = performance.now();
  const answer = await uploadFile(
    port,
    `/v1/campaigns/${campaignId}/leads?dry_run=true`,
    file,
    bytes,
  );
  const wallMs = Math.round(performance.now() - t0);
  const after = await countRows();
  const unchanged = before.leads === after.leads && before.imports === after.imports;
  log(`dry run: ${wallMs} ms, answer ${answer.status}, database unchanged: ${unchanged}`);
  return {
    status: answer.status,
    accepted: (answer.body as { accepted?: number }).accepted,
    wall_ms: wallMs,
    rows_before: before,
    rows_after: after,
    database_unchanged: unchanged,
  };
}

/** What the service must beat by no more than 1.5×: parse every row and validate its number. */
async function barePass(file: string): Promise<{ ms: number; rows: number; valid: number }> {
  const t0 = performance.now();
  let rows = 0;
  let valid = 0;
  let header = true;
  for await (const record of createReadStream(file).pipe(
    parse({ relax_column_count: true }),
  ) as AsyncIterable<string[]>) {
    if (header) {
      header = false;
      continue;
    }
    rows++;
    if (parsePhoneNumberFromString(record[0], 'FR')?.isValid()) valid++;
  }
  return { ms: Math.round(performance.now() - t0), rows, valid };
}

function uploadFile(
  port: number,
  path: string,
  file: string,
  bytes: number,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'X-Api-Key': API_KEY, 'Content-Type': 'text/csv', 'Content-Length': bytes },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(text || '{}') as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    createReadStream(file).pipe(req);
  });
}

/** Resident memory now and its peak over the process's life (VmHWM), in MB. */
function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

/** User + system CPU time of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function cpuSecondsOrNull(pid: number): number | null {
  try {
    return cpuSeconds(pid);
  } catch {
    return null;
  }
}

/** The 1-minute load average: other work on the machine skews every figure. */
function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

async function waitForHealth(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the service did not become healthy within 60 s');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The server's current WAL position, in bytes. */
async function walPosition(admin: Client): Promise<number> {
  const { rows } = await admin.query<{ lsn: string }>(
    `SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::text AS lsn`,
  );
  return Number(rows[0].lsn);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : Number(((sorted[mid - 1] + sorted[mid]) / 2).toFixed(2));
}

function log(message: string): void {
  console.error(`[bench:import] ${message}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
