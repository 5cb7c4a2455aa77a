import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';

/** One file the dashboard serves, by its URL path under /app. */
export interface StaticAsset {
  file: string;
  contentType: string;
  cacheControl: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * The app's own files change with each release under the same names: browsers revalidate them
 * every time (a cheap 304 thanks to ETag). Chart.js changes only with its package version.
 */
const REVALIDATE = 'no-cache';
const VENDOR_CACHE = 'public, max-age=86400';

export const DASHBOARD_DIR = join('public', 'dashboard');
/** Browser builds taken from their packages: URL path under /app → file under node_modules. */
export const VENDOR_FILES: Record<string, string> = {
  'vendor/chart.umd.min.js': join('chart.js', 'dist', 'chart.umd.min.js'),
  'vendor/cronstrue.min.js': join('cronstrue', 'dist', 'cronstrue.min.js'),
  'vendor/cronstrue-fr.min.js': join('cronstrue', 'locales', 'fr.min.js'),
};

/**
 * The project root holding public/dashboard: next to the compiled code (dist/src/dashboard →
 * ../../..) when that is known, else the working directory (Jest, `node dist/src/main.js` from
 * the root, the Docker image's /app).
 */
export function findProjectRoot(): string | undefined {
  const candidates: string[] = [];
  // __dirname exists in the compiled CommonJS build only; Jest runs the sources as ES modules.
  if (typeof __dirname === 'string') candidates.push(resolve(__dirname, '..', '..', '..'));
  candidates.push(process.cwd());
  return candidates.find((root) => existsSync(join(root, DASHBOARD_DIR, 'index.html')));
}

/** Every servable file under the dashboard folder, plus the vendor builds, keyed by URL path ('' = index). */
export function buildAssetMap(root: string): Map<string, StaticAsset> {
  const assets = new Map<string, StaticAsset>();
  const base = join(root, DASHBOARD_DIR);
  for (const file of walk(base)) {
    const contentType = CONTENT_TYPES[extname(file).toLowerCase()];
    if (!contentType) continue;
    const urlPath = relative(base, file).split(sep).join('/');
    assets.set(urlPath, { file, contentType, cacheControl: REVALIDATE });
  }
  const index = assets.get('index.html');
  if (index) assets.set('', index);
  for (const [urlPath, file] of Object.entries(VENDOR_FILES)) {
    const path = join(root, 'node_modules', file);
    if (existsSync(path))
      assets.set(urlPath, {
        file: path,
        contentType: CONTENT_TYPES['.js'],
        cacheControl: VENDOR_CACHE,
      });
  }
  return assets;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name.startsWith('.')) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
