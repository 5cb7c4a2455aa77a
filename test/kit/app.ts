import { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { AppConfig, loadAppConfig } from '../../src/config/app-config';
import { startService } from '../../src/app.factory';
import { runMigrations } from '../../src/database/migrate';
import {
  type Clock,
  type DnsLookup,
  liveRuntime,
  type Runtime,
  systemClock,
  type WebhookTuning,
  type WorkerTuning,
} from '../../src/core/runtime';
import { checkResponsesAgainstOpenApi } from './response-recorder';

export const TEST_API_KEY = 'test-key-0123456789abcdef';

export interface TestAppOptions {
  databaseUrl: string;
  platformUrl: string;
  platformKey: string;
  env?: Record<string, string>;
  clock?: Clock;
  worker?: Partial<WorkerTuning>;
  webhooks?: Partial<WebhookTuning>;
  /** Webhook host names → addresses; default: testDnsLookup. */
  dnsLookup?: DnsLookup;
}

/**
 * Tests never ask real DNS: `*.example.com` / `.example.org` are public (TEST-NET-3 documentation
 * addresses, never connected to), `localhost` is loopback, any other name does not exist.
 */
export const testDnsLookup: DnsLookup = (hostname) => {
  if (/(^|\.)example\.(com|org)$/.test(hostname))
    return Promise.resolve([{ address: '203.0.113.10', family: 4 }]);
  if (hostname === 'localhost') return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
  return Promise.reject(
    Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }),
  );
};

export function testRuntime(o: TestAppOptions): Runtime {
  const config: AppConfig = loadAppConfig({
    API_KEYS: TEST_API_KEY,
    LOG_LEVEL: 'warn',
    CALLROUNDED_API_URL: o.platformUrl,
    CALLROUNDED_API_KEY: o.platformKey,
    CALLROUNDED_TIMEOUT_MS: '2000',
    DATABASE_URL: o.databaseUrl,
    ...o.env,
  });
  return liveRuntime(config, {
    clock: o.clock ?? systemClock,
    worker: o.worker,
    webhooks: o.webhooks,
    dnsLookup: o.dnsLookup ?? testDnsLookup,
  });
}

/**
 * The real Nest HTTP app on a migrated database, listening on a random local port. Every answer
 * it gives is checked against the OpenAPI document it serves (test/kit/response-recorder.ts).
 */
export async function startTestApp(o: TestAppOptions): Promise<INestApplication> {
  await runMigrations(o.databaseUrl);
  const runtime = testRuntime(o);
  if (runtime.config.APP_ROLE === 'worker')
    throw new Error('startTestApp serves HTTP: role all or api');
  const { http } = await startService(runtime, { port: 0, host: '127.0.0.1' });
  const app = http as INestApplication;
  const recorder = checkResponsesAgainstOpenApi(app.getHttpServer() as Server);
  await recorder.loadServedDocument(await app.getUrl());
  return app;
}
