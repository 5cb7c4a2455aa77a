import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { startService } from '../../src/app.factory';
import { CampaignsController } from '../../src/campaigns/campaigns.controller';
import { runMigrations } from '../../src/database/migrate';
import { WorkerLoops } from '../../src/worker/worker-loops.service';
import { testRuntime } from '../kit/app';
import { createTestDatabase, type TestDatabase } from '../kit/database';

/** Whether any module of the app registers `type` as a provider or a controller. */
function composes(app: INestApplicationContext, type: object): boolean {
  return [...app.get(ModulesContainer).values()].some(
    (m) => m.providers.has(type as never) || m.controllers.has(type as never),
  );
}

/** Loops that do not tick during the test. */
const IDLE = {
  dialIntervalMs: 3_600_000,
  pollIntervalMs: 3_600_000,
  scheduleIntervalMs: 3_600_000,
};

describe('APP_ROLE chooses what an instance composes', () => {
  let db: TestDatabase;
  const runtime = (role: string) =>
    testRuntime({
      databaseUrl: db.url,
      platformUrl: 'http://127.0.0.1:9/v1',
      platformKey: 'unused-platform-key',
      env: { APP_ROLE: role },
      worker: IDLE,
      webhooks: { webhookPollIntervalMs: 3_600_000 },
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    await runMigrations(db.url);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('a worker has the loops and no controller, so it cannot serve a route', async () => {
    const worker = await startService(runtime('worker'));
    try {
      expect(worker.http).toBeUndefined();
      expect(composes(worker.app, WorkerLoops)).toBe(true);
      expect(composes(worker.app, CampaignsController)).toBe(false);
      const controllers = [...worker.app.get(ModulesContainer).values()].flatMap((m) => [
        ...m.controllers.keys(),
      ]);
      expect(controllers).toEqual([]);
    } finally {
      await worker.close();
    }
  });

  it('an api instance has the controllers and no loop, so it cannot dial', async () => {
    const api = await startService(runtime('api'), { port: 0, host: '127.0.0.1' });
    try {
      expect(api.port).toBeGreaterThan(0);
      expect(composes(api.app, CampaignsController)).toBe(true);
      expect(composes(api.app, WorkerLoops)).toBe(false);
    } finally {
      await api.close();
    }
  });
});
