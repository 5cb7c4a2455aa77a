import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { Client } from 'pg';
import request from 'supertest';
import type { Clock, WebhookTuning, WorkerTuning } from '../../src/core/runtime';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../../src/simulator';
import { startTestApp, TEST_API_KEY, type TestAppOptions } from './app';
import { createTestDatabase, type TestDatabase } from './database';

/** The service as a test meets it: a fresh database, a simulator, the real app, a SQL client. */
export interface Stack {
  db: TestDatabase;
  sim: SimulatorHandle;
  app: INestApplication;
  /** Connected to the test's database, after the app migrated it. */
  sql: Client;
  /** The app's base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** supertest on the app, no key. */
  http: () => ReturnType<typeof request>;
  /** supertest on the app with the test's admin key. */
  api: () => ApiClient;
  /** Starts the app again on the same database and simulator (stopping it first), options merged. */
  startApp(options?: AppRestart): Promise<INestApplication>;
  stopApp(): Promise<void>;
  close(): Promise<void>;
}

export interface ApiClient {
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
  patch(path: string, body: object): request.Test;
  put(path: string, body?: object): request.Test;
  delete(path: string): request.Test;
}

export interface AppRestart {
  worker?: Partial<WorkerTuning>;
  env?: Record<string, string>;
}

export interface StackOptions {
  /** APP_ROLE; unset: the service's default (`all`). */
  role?: 'all' | 'api';
  env?: Record<string, string>;
  clock?: Clock;
  worker?: Partial<WorkerTuning>;
  webhooks?: Partial<WebhookTuning>;
  /** The simulator's options (it always listens on a random port). */
  simulator?: Omit<SimulatorOptions, 'port'>;
  dnsLookup?: TestAppOptions['dnsLookup'];
}

export function apiClient(server: Parameters<typeof request>[0], key = TEST_API_KEY): ApiClient {
  return {
    get: (path) => request(server).get(path).set('X-Api-Key', key),
    post: (path, body) => request(server).post(path).set('X-Api-Key', key).send(body),
    patch: (path, body) => request(server).patch(path).set('X-Api-Key', key).send(body),
    put: (path, body) => request(server).put(path).set('X-Api-Key', key).send(body),
    delete: (path) => request(server).delete(path).set('X-Api-Key', key),
  };
}

export async function startStack(o: StackOptions = {}): Promise<Stack> {
  const db = await createTestDatabase();
  const sim = await startSimulator({ ...o.simulator, port: 0 });
  const appOptions = (restart: AppRestart = {}): TestAppOptions => ({
    databaseUrl: db.url,
    platformUrl: sim.url,
    platformKey: sim.apiKey,
    clock: o.clock,
    worker: { ...o.worker, ...restart.worker },
    webhooks: o.webhooks,
    env: { ...(o.role ? { APP_ROLE: o.role } : {}), ...o.env, ...restart.env },
    dnsLookup: o.dnsLookup,
  });
  const app = await startTestApp(appOptions());
  const sql = new Client({ connectionString: db.url });
  await sql.connect();
  const baseUrl = async (a: INestApplication) => (await a.getUrl()).replace('[::1]', '127.0.0.1');
  let running = true;
  const stack: Stack = {
    db,
    sim,
    app,
    sql,
    url: await baseUrl(app),
    http: () => request(stack.app.getHttpServer() as Server),
    api: () => apiClient(stack.app.getHttpServer() as Server),
    async startApp(restart = {}) {
      await stack.stopApp();
      stack.app = await startTestApp(appOptions(restart));
      running = true;
      stack.url = await baseUrl(stack.app);
      return stack.app;
    },
    async stopApp() {
      if (running) await stack.app.close();
      running = false;
    },
    async close() {
      await sql.end().catch(() => undefined);
      await stack.stopApp();
      await sim.close();
      await db.drop();
    },
  };
  return stack;
}
