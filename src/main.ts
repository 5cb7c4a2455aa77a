import 'reflect-metadata';
import { startService } from './app.factory';
import { ConfigError, loadAppConfig } from './config/app-config';
import { createRootLogger } from './common/logger';
import { prepareRuntime } from './core/prepare-runtime';

/** Starts the service in the role APP_ROLE names; SIGTERM/SIGINT stop it cleanly. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadAppConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(
        `${e.message}\nThe service did not start. Fix the variables above and start it again.\n`,
      );
      process.exit(1);
    }
    throw e;
  }
  const log = createRootLogger(config.LOG_LEVEL);
  const logger = { log: (m: string) => log.info(m), warn: (m: string) => log.warn(m) };
  const prepared = await prepareRuntime(config, logger);
  const { runtime } = prepared;

  // The handlers are in place before the HTTP server listens: a SIGTERM that follows the first
  // answer of /health at once still stops the service cleanly (it waits for the start to finish).
  const starting = startService(runtime);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: finishing in-flight work and shutting down`);
    const force = setTimeout(() => {
      log.error(`${signal}: shutdown did not finish within 30 s, exiting`);
      process.exit(1);
    }, 30_000);
    force.unref();
    const started = await starting.catch(() => undefined);
    await started?.close().catch((e) => log.error(e, 'error while closing'));
    await prepared.dispose();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await starting;
  if (config.APP_ROLE === 'worker') {
    logger.log(`Worker started (no HTTP server); platform mode: ${runtime.platform.mode}`);
  } else {
    logger.log(
      `Listening on http://${config.BIND_ADDRESS ?? 'localhost'}:${config.PORT} (role ${config.APP_ROLE}, platform mode ${runtime.platform.mode}); API docs at /docs`,
    );
  }
}

main().catch((e) => {
  process.stderr.write(`Start-up failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
