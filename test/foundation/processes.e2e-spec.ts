import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, chmodSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../kit/database';
import { freePort } from '../kit/ports';
import { ServiceProcess, spawnService } from '../kit/processes';

const API_KEYS = 'process-test-key-0123456789';

/** A zombie (exited, not yet reaped by whichever process adopted it) counts as stopped. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('the service as a process', () => {
  let db: TestDatabase;
  const running: ServiceProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    for (const p of running) p.kill('SIGKILL');
    await db?.drop();
  });

  it('refuses to start on bad configuration, naming the variable', async () => {
    const svc = await spawnService({ DATABASE_URL: db.url, APP_ROLE: 'both', API_KEYS });
    expect(await svc.exited()).toBe(1);
    expect(svc.output()).toContain('APP_ROLE must be one of: all, api, worker');
  });

  it('two instances starting at once on one empty database both come up, and SIGTERM stops them cleanly', async () => {
    const env = { DATABASE_URL: db.url, API_KEYS, APP_ROLE: 'api' };
    const [a, b] = await Promise.all([spawnService(env), spawnService(env)]);
    running.push(a, b);
    await Promise.all([a.ready(), b.ready()]);
    for (const svc of [a, b]) {
      const health = await fetch(`http://127.0.0.1:${svc.port}/health`).then((r) => r.json());
      expect(health).toMatchObject({ database: 'up', platform: { mode: 'simulation' } });
    }
    expect(a.output() + b.output()).toContain('SIMULATION MODE');
    const stopped = await Promise.all([a.stop(), b.stop()]);
    expect(stopped).toEqual([{ code: 0 }, { code: 0 }]);
  });

  it('a worker boots without an HTTP server', async () => {
    const port = await freePort();
    const w = await spawnService({
      DATABASE_URL: db.url,
      API_KEYS,
      APP_ROLE: 'worker',
      PORT: String(port),
    });
    running.push(w);
    await w.ready();
    const answered = await fetch(`http://127.0.0.1:${port}/health`).then(
      () => true,
      () => false,
    );
    expect(answered).toBe(false);
    expect(await w.stop()).toEqual({ code: 0 });
  });

  it('without API_KEYS, generates a key at first start, prints it once and stores only its hash', async () => {
    const first = await spawnService({ DATABASE_URL: db.url, APP_ROLE: 'api' });
    running.push(first);
    await first.ready();
    const key = /\n {4}(crk_[A-Za-z0-9_-]+)\n/.exec(first.output())?.[1];
    expect(key).toBeDefined();
    const ok = await fetch(`http://127.0.0.1:${first.port}/v1/campaigns`, {
      headers: { 'X-Api-Key': key as string },
    });
    expect(ok.status).not.toBe(401);
    const c = new Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query('SELECT key_hash FROM api_keys');
    await c.end();
    expect(rows).toHaveLength(1);
    expect(rows[0].key_hash).not.toContain(key);
    first.kill('SIGTERM');
    await first.exited();

    const second = await spawnService({ DATABASE_URL: db.url, APP_ROLE: 'api' });
    running.push(second);
    await second.ready();
    expect(second.output()).not.toContain('crk_');
    second.kill('SIGTERM');
    await second.exited();
  });

  it('with no DATABASE_URL, runs an embedded PostgreSQL whose data survive a restart and a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crc-embedded-'));
    chmodSync(dir, 0o755);
    const env = {
      DATA_DIR: join(dir, 'data'),
      EMBEDDED_PG_PORT: String(await freePort()),
      API_KEYS,
    };
    const first = await spawnService(env);
    running.push(first);
    await first.ready(60_000);
    const health = await fetch(`http://127.0.0.1:${first.port}/health`).then((r) => r.json());
    expect(health).toMatchObject({
      status: 'ok',
      database: 'up',
      platform: { mode: 'simulation' },
    });
    expect(await first.stop()).toEqual({ code: 0 });
    // A stale lock file, as a crash of the whole machine leaves it, must not stop the next start.
    const pidFile = join(dir, 'data/pg/postmaster.pid');
    expect(existsSync(pidFile)).toBe(false);
    writeFileSync(
      pidFile,
      '999999\n' + join(dir, 'data/pg') + '\n0\n' + env.EMBEDDED_PG_PORT + '\n',
    );
    const second = await spawnService(env);
    running.push(second);
    await second.ready(60_000);
    expect(second.output()).not.toContain('Creating the embedded PostgreSQL data directory');
    // kill -9 orphans the database server; the next start adopts it instead of failing.
    second.kill('SIGKILL');
    await second.exited();
    const third = await spawnService(env);
    running.push(third);
    await third.ready(60_000);
    expect(third.output()).toContain('reusing it');
    const orphanPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    expect(await third.stop()).toEqual({ code: 0 });
    // The adopted orphan had no other owner: the third instance stopped it on its way out.
    expect(existsSync(pidFile)).toBe(false);
    expect(isRunning(orphanPid)).toBe(false);
  });
});
