// A real worker process (APP_ROLE=worker) for the kill -9 test: compiled with the service by
// buildWebhookWorker() (test/kit/instances.ts), killed with SIGKILL mid-delivery.
import { startService } from '../../src/app.factory';
import { loadAppConfig } from '../../src/config/app-config';
import { liveRuntime } from '../../src/core/runtime';

async function main() {
  const config = loadAppConfig({
    CALLROUNDED_TIMEOUT_MS: '2000',
    ...process.env,
    APP_ROLE: 'worker',
    LOG_LEVEL: 'error',
  });
  const service = await startService(
    liveRuntime(config, {
      // The test's clock runs ahead of the system's (backoff waits skipped by hand): keep in step.
      clock: { now: () => new Date(Date.now() + Number(process.env.TEST_CLOCK_OFFSET_MS ?? 0)) },
      webhooks: JSON.parse(process.env.TEST_WEBHOOK_TUNING ?? '{}'),
    }),
  );
  process.stdout.write('worker ready\n');
  process.on('SIGTERM', () => void service.close().then(() => process.exit(0)));
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
