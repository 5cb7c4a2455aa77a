// A real worker process (APP_ROLE=worker) for the kill -9 test: compiled with the service by
// buildWebhookWorker() (test/kit/instances.ts), killed with SIGKILL mid-delivery.
import { createWorkerContext } from '../../src/app.factory';
import { loadAppConfig } from '../../src/config/app-config';

async function main() {
  const config = loadAppConfig({ ...process.env, APP_ROLE: 'worker', LOG_LEVEL: 'error' });
  const app = await createWorkerContext({
    config,
    databaseUrl: process.env.DATABASE_URL as string,
    platform: {
      mode: 'live',
      baseUrl: process.env.CALLROUNDED_API_URL as string,
      apiKey: process.env.CALLROUNDED_API_KEY as string,
      timeoutMs: 2000,
    },
    // The test's clock runs ahead of the system's (backoff waits skipped by hand): keep in step.
    clock: { now: () => new Date(Date.now() + Number(process.env.TEST_CLOCK_OFFSET_MS ?? 0)) },
    worker: JSON.parse(process.env.TEST_WORKER_TUNING ?? '{}'),
  });
  process.stdout.write('worker ready\n');
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
