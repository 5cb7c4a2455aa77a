import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startService } from '../app.factory';
import { loadAppConfig } from '../config/app-config';
import { prepareRuntime } from '../core/prepare-runtime';
import { DEMO_SCENARIO_AGENT_ID, DEMO_FROM_NUMBER } from './demo-scenario';
import { ProgressBar } from './progress-bar';

/** The parts of the public API's answers the demo reads, as a script would. */
interface CampaignAnswer {
  id: string;
  name: string;
  status: string;
  progress: Parameters<ProgressBar['render']>[0];
}
interface ImportAnswer {
  rows: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  errors?: { row: number; column: string | null; message: string }[];
}
interface ReportAnswer {
  summary: {
    leads: number;
    dialled: number;
    reached: number;
    qualified: number;
    qualification_rate: number | null;
    total_cost: number;
  };
}

/**
 * `npm run demo`: the whole product on one machine with nothing installed. Embedded PostgreSQL,
 * the built-in simulator (always: the demo never rings a real phone), examples/leads.csv imported
 * through the public API, a campaign run at simulator speed, and the report files written.
 */
async function demo(): Promise<void> {
  const apiKey = `demo_${randomBytes(16).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    API_KEYS: apiKey,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    // The demo serves its API and dials: both roles in this one process.
    APP_ROLE: 'all',
  };
  delete env.CALLROUNDED_API_KEY;
  const config = loadAppConfig(env);
  const quiet = { log: () => undefined, warn: () => undefined };
  say(
    'Starting the service: embedded PostgreSQL and the CallRounded simulator (simulation mode, no real calls)…',
  );
  const prepared = await prepareRuntime(config, quiet);
  const service = await startService(prepared.runtime, { port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${service.port}`;
  const api = async (
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        'X-Api-Key': apiKey,
        ...(body !== undefined ? { 'Content-Type': contentType } : {}),
      },
      body:
        body === undefined
          ? undefined
          : typeof body === 'string' || body instanceof Buffer
            ? body
            : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res;
  };

  try {
    const campaign = (await (
      await api('POST', '/v1/campaigns', {
        name: `Démo salons de coiffure ${new Date().toISOString().slice(0, 16)}`,
        agent_id: DEMO_SCENARIO_AGENT_ID,
        from_numbers: [DEMO_FROM_NUMBER],
        timezone: 'Europe/Paris',
        // The demo must run whenever it is started, so its window is always open.
        calling_window: {
          days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
          hours: [{ start: '00:00', end: '24:00' }],
        },
        // The simulator rings no one: no calling law applies (shown as such in the report).
        compliance: { rules: 'none' },
        max_concurrent_calls: 10,
        max_calls_per_minute: 600,
        retry: { max_attempts: 2, delay_minutes: 0, on: ['missed', 'failed'] },
        default_country: 'FR',
        qualification: { match: 'all', rules: [{ question: 'interested', equals: true }] },
      })
    ).json()) as CampaignAnswer;
    say(`Created campaign "${campaign.name}" (${campaign.id})`);

    const file = resolve('examples/leads.csv');
    const imported = (await (
      await api('POST', `/v1/campaigns/${campaign.id}/leads`, readFileSync(file), 'text/csv')
    ).json()) as ImportAnswer;
    say(
      `Imported ${file}: ${imported.rows} rows, ${imported.accepted} accepted, ${imported.rejected} rejected, ${imported.duplicates} duplicates`,
    );
    for (const e of imported.errors ?? []) say(`  row ${e.row}, column ${e.column}: ${e.message}`);

    await api('POST', `/v1/campaigns/${campaign.id}/start`);
    const bar = new ProgressBar(process.stdout);
    for (;;) {
      const c = (await (await api('GET', `/v1/campaigns/${campaign.id}`)).json()) as CampaignAnswer;
      bar.render(c.progress);
      if (['completed', 'cancelled'].includes(c.status)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    bar.done();

    const dir = resolve('reports', campaign.id);
    mkdirSync(dir, { recursive: true });
    const files: string[] = [];
    for (const [name, path] of [
      ['report.json', `/v1/campaigns/${campaign.id}/report`],
      ['report.csv', `/v1/campaigns/${campaign.id}/report.csv`],
      ['report-excel.csv', `/v1/campaigns/${campaign.id}/report.csv?excel=true`],
      ['report.xlsx', `/v1/campaigns/${campaign.id}/report.xlsx`],
    ]) {
      const out = resolve(dir, name);
      writeFileSync(out, Buffer.from(await (await api('GET', path)).arrayBuffer()));
      files.push(out);
    }
    const report = JSON.parse(readFileSync(files[0], 'utf8')) as ReportAnswer;
    const s = report.summary;
    say(
      `Done: ${s.leads} leads, ${s.dialled} dialled, ${s.reached} reached, ${s.qualified} qualified (${(100 * (s.qualification_rate ?? 0)).toFixed(0)} %), cost ${s.total_cost}`,
    );
    say('Report files:');
    for (const f of files) say(`  ${f}`);
  } finally {
    await service.close();
    await prepared.dispose();
  }
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

demo().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`Demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
