// A service instance for the engine's multi-process tests: like src/main.ts, against the
// database and platform in its environment, but with the worker tunings of ENGINE_WORKER_TUNING
// (JSON) so that leases and grace periods last a second, not a minute. Compiled by
// buildEngineInstance() (instances.ts) and run as a child process.
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { createHttpApp, createWorkerContext } from '../../src/app.factory';
import { loadAppConfig } from '../../src/config/app-config';
import { systemClock, type Runtime } from '../../src/core/runtime';
import { runMigrations } from '../../src/database/migrate';

async function main(): Promise<void> {
  const config = loadAppConfig(process.env);
  const runtime: Runtime = {
    config,
    databaseUrl: config.DATABASE_URL as string,
    platform: {
      mode: 'live',
      baseUrl: config.CALLROUNDED_API_URL,
      apiKey: config.CALLROUNDED_API_KEY as string,
      timeoutMs: config.CALLROUNDED_TIMEOUT_MS,
    },
    clock: systemClock,
    worker: JSON.parse(process.env.ENGINE_WORKER_TUNING ?? '{}'),
  };
  await runMigrations(runtime.databaseUrl);
  let app: INestApplicationContext;
  if (config.APP_ROLE === 'worker') {
    app = await createWorkerContext(runtime);
    await app.init();
  } else {
    const http = await createHttpApp(runtime);
    await http.listen(config.PORT, '127.0.0.1');
    app = http;
  }
  process.stdout.write(`ENGINE INSTANCE READY role=${config.APP_ROLE} pid=${process.pid}\n`);
  const stop = () => {
    void app.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  process.stderr.write(`engine instance failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
