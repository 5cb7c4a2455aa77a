import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { spawnService, type ServiceProcess } from '../helpers/service-process';

const run = promisify(execFile);
const README = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
const COMPOSE = readFileSync(join(process.cwd(), 'docker-compose.yml'), 'utf8');

/** The curl commands of the README's quick start, each joined across its `\` line breaks. */
function quickStartCommands(): string[] {
  const start = README.indexOf('## Quick start');
  const section = README.slice(start, README.indexOf('\n## ', start));
  const block = [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((m) => m[1])
    .find((b) => b.includes('curl '));
  if (!block) throw new Error('the README quick start has no curl block');
  return block
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .filter((line) => line.startsWith('curl '));
}

describe("the README's quick start, word for word, in simulation mode", () => {
  let db: TestDatabase;
  let svc: ServiceProcess;
  const cwd = mkdtempSync(join(tmpdir(), 'quick-start-'));

  beforeAll(async () => {
    db = await createTestDatabase();
    // No CALLROUNDED_API_KEY (simulation) and no API_KEYS (the first key is generated and printed).
    svc = await spawnService({ DATABASE_URL: db.url, LOG_LEVEL: 'warn' });
    await svc.ready();
    symlinkSync(join(process.cwd(), 'examples'), join(cwd, 'examples'));
  });

  afterAll(async () => {
    svc?.kill('SIGKILL');
    await db?.drop();
  });

  it('creates the campaign with the documented agent, imports the example file, starts it and downloads the report', async () => {
    const key = /shown only this once[^\n]*\n\n\s+(\S+)/.exec(svc.output())?.[1];
    expect(key).toBeDefined();
    const commands = quickStartCommands();
    expect(commands).toHaveLength(4);
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', KEY: key! };
    const answers: string[] = [];
    for (const command of commands) {
      const line = command.replaceAll('localhost:3000', `127.0.0.1:${svc.port}`);
      const { stdout } = await run('bash', ['-c', line], { cwd, env });
      answers.push(stdout);
      if (answers.length === 1) env.ID = JSON.parse(stdout).id;
    }
    const [created, imported, started] = answers.slice(0, 3).map((a) => JSON.parse(a));
    expect(created).toMatchObject({
      name: 'Relance salons',
      agent_id: '411b82c8-462a-4e1b-89bc-10ab3ce1ed29',
      status: 'draft',
    });
    // The example file keeps one bad number on purpose (the demo shows its row error).
    expect(imported).toMatchObject({ rows: 31, accepted: 30, rejected: 1 });
    expect(['running', 'scheduled']).toContain(started.status);
    const report = readFileSync(join(cwd, 'report.csv'), 'utf8');
    expect(report.startsWith('\uFEFF')).toBe(true);
    expect(report.split('\n')[0]).toContain(';');

    // The campaign does not pause itself on a platform refusal (the agent is one the simulator knows).
    const campaign = await fetch(`http://127.0.0.1:${svc.port}/v1/campaigns/${env.ID}`, {
      headers: { 'X-Api-Key': key! },
    }).then((r) => r.json() as Promise<{ status: string }>);
    expect(campaign.status).not.toBe('paused');
  });
});

describe('docker-compose.yml', () => {
  it('refuses to start without the platform key and a database password (no simulation, no weak default)', () => {
    expect(COMPOSE).toMatch(/CALLROUNDED_API_KEY: \$\{CALLROUNDED_API_KEY:\?[^}]+\}/);
    expect(COMPOSE).toMatch(/POSTGRES_PASSWORD: \$\{POSTGRES_PASSWORD:\?[^}]+\}/);
    expect(COMPOSE).toMatch(/postgres:\/\/campaigns:\$\{POSTGRES_PASSWORD:\?[^}]+\}@/);
    expect(COMPOSE).not.toMatch(/\$\{(CALLROUNDED_API_KEY|POSTGRES_PASSWORD):-/);
  });
});
