import { AppConfig } from '../config/app-config';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import { runMigrations } from '../database/migrate';
import { startSimulator } from '../simulator';
import { Runtime, systemClock } from './runtime';

interface Logger {
  log(message: string): void;
  warn(message: string): void;
}

export interface PreparedRuntime {
  runtime: Runtime;
  /** Stops what this process started (simulator, embedded database), in reverse order. */
  dispose(): Promise<void>;
}

/**
 * Everything that must exist before Nest starts: the database (embedded when DATABASE_URL is
 * unset), its schema (migrated under an advisory lock) and the platform (the in-process simulator
 * when CALLROUNDED_API_KEY is unset).
 */
export async function prepareRuntime(config: AppConfig, logger: Logger): Promise<PreparedRuntime> {
  const disposers: (() => Promise<void>)[] = [];
  const dispose = async () => {
    for (const d of disposers.reverse()) await d().catch(() => undefined);
  };
  try {
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      const embedded = await startEmbeddedPostgres(
        config.DATA_DIR,
        config.EMBEDDED_PG_PORT,
        logger,
      );
      disposers.push(() => embedded.stop());
      databaseUrl = embedded.url;
    }
    const applied = await runMigrations(databaseUrl);
    if (applied.length > 0) logger.log(`Applied migrations: ${applied.join(', ')}`);

    let platform: Runtime['platform'];
    if (config.simulation) {
      const sim = await startSimulator({ port: 0 });
      disposers.push(() => sim.close());
      platform = {
        mode: 'simulation',
        baseUrl: sim.url,
        apiKey: sim.apiKey,
        timeoutMs: config.CALLROUNDED_TIMEOUT_MS,
      };
      logger.warn(
        `SIMULATION MODE: CALLROUNDED_API_KEY is not set, so calls go to the built-in CallRounded simulator at ${sim.url}. No real phone rings.`,
      );
    } else {
      platform = {
        mode: 'live',
        baseUrl: config.CALLROUNDED_API_URL,
        apiKey: config.CALLROUNDED_API_KEY as string,
        timeoutMs: config.CALLROUNDED_TIMEOUT_MS,
      };
      logger.log(`Live mode: calls go to CallRounded at ${config.CALLROUNDED_API_URL}`);
    }
    return { runtime: { config, databaseUrl, platform, clock: systemClock }, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}
