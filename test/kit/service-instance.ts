// A service instance for the multi-process tests: like src/main.ts, against the database and
// platform in its environment, but with the tunings of ENGINE_WORKER_TUNING and
// ENGINE_WEBHOOK_TUNING (JSON) so that leases and grace periods last a second, not a minute;
// ENGINE_CLOCK_OFFSET_MS shifts its clock (the test's simulator shares the shift).
// Compiled by buildEngineInstance() (instances.ts) and run as a child process.
import 'reflect-metadata';
import { startService } from '../../src/app.factory';
import { loadAppConfig } from '../../src/config/app-config';
import {
  liveRuntime,
  systemClock,
  type Clock,
  type WebhookTuning,
  type WorkerTuning,
} from '../../src/core/runtime';
import { runMigrations } from '../../src/database/migrate';

function clockFromEnv(): Clock {
  const offset = Number(process.env.ENGINE_CLOCK_OFFSET_MS ?? 0);
  return offset ? { now: () => new Date(Date.now() + offset) } : systemClock;
}

async function main(): Promise<void> {
  const config = loadAppConfig(process.env);
  const runtime = liveRuntime(config, {
    clock: clockFromEnv(),
    worker: JSON.parse(process.env.ENGINE_WORKER_TUNING ?? '{}') as Partial<WorkerTuning>,
    webhooks: JSON.parse(process.env.ENGINE_WEBHOOK_TUNING ?? '{}') as Partial<WebhookTuning>,
  });
  await runMigrations(runtime.databaseUrl);
  const service = await startService(runtime, { port: config.PORT, host: '127.0.0.1' });
  process.stdout.write(`ENGINE INSTANCE READY role=${config.APP_ROLE} pid=${process.pid}\n`);
  const stop = () => {
    void service.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  process.stderr.write(`engine instance failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
