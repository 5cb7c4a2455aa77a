import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ADVISORY_LOCKS } from '../../src/common/advisory-locks';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.m?ts$/.test(name) ? [path] : [];
  });
}

describe('advisory locks', () => {
  it('gives every use its own key', () => {
    const keys = Object.values(ADVISORY_LOCKS);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('are all taken with a key from src/common/advisory-locks.ts, never a number written in place', () => {
    const inPlace = sources(join(process.cwd(), 'src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/pg_(try_)?advisory_\w+\(\s*\d/g)].map(
        (m) => `${file}: ${m[0]}`,
      ),
    );
    expect(inPlace).toEqual([]);
  });
});
