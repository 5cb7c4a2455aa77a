import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { request } from 'undici';
import { freePort } from './database';

/** The admin key the benchmarks' services accept (`API_KEYS`). */
export const BENCH_API_KEY = 'bench-key-0123456789abcdef';

/** The service as its own process, role `api`, as a deployment runs it. */
export interface ApiService {
  proc: ChildProcess;
  port: number;
}

/**
 * Starts `dist/src/main.js` (built by `nest build`) on a free port, on `databaseUrl`, with no
 * platform (the reads are measured), and answers once `/health` does. `nodeOptions`: e.g. a
 * capped heap.
 */
export async function startApiService(databaseUrl: string, nodeOptions = ''): Promise<ApiService> {
  const port = await freePort();
  const main = resolve(__dirname, '../../src/main.js');
  const proc = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      API_KEYS: BENCH_API_KEY,
      APP_ROLE: 'api',
      CALLROUNDED_API_URL: 'http://127.0.0.1:9/v1',
      CALLROUNDED_API_KEY: 'bench-platform-key-unused',
      LOG_LEVEL: 'warn',
      NODE_OPTIONS: nodeOptions,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await request(`http://127.0.0.1:${port}/health`);
      await res.body.dump();
      if (res.statusCode === 200) break;
    } catch {
      // not up yet
    }
    if (Date.now() > until || proc.exitCode !== null) throw new Error('the service did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  return { proc, port };
}

/** SIGTERM, then waits for the process to exit. */
export async function stopApiService(service: ApiService): Promise<void> {
  if (service.proc.exitCode !== null) return;
  const exited = new Promise((r) => service.proc.once('exit', r));
  service.proc.kill('SIGTERM');
  await exited;
}
