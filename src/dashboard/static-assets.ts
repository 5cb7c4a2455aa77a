import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

/** One file the dashboard serves, held in memory with its compressed forms. */
export interface StaticAsset {
  contentType: string;
  cacheControl: string;
  /** Strong validator of the uncompressed content, quoted. */
  etag: string;
  identity: Buffer;
  gzip?: Buffer;
  br?: Buffer;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};
/** Worth compressing: text. PNG and ICO are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg']);

/**
 * Under /app/v/{hash}/ every file is cached for a year (`immutable`): the hash is taken over the
 * content of every file, so a release changes the URLs and browsers fetch the new files. The page
 * itself and the unversioned paths are revalidated on each visit (a cheap 304 thanks to ETag).
 */
const REVALIDATE = 'no-cache';
const IMMUTABLE = 'public, max-age=31536000, immutable';

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

export interface AssetMap {
  /** By URL path under /app ('' = the page); versioned paths are `v/{version}/…`. */
  assets: Map<string, StaticAsset>;
  /** The content hash in the versioned URLs. */
  version: string;
}

/** Every servable file under the dashboard folder, plus the vendor builds, read and compressed once. */
export function buildAssetMap(root: string): AssetMap {
  const files = new Map<string, { ext: string; content: Buffer }>();
  const base = join(root, DASHBOARD_DIR);
  for (const file of walk(base)) {
    const ext = extname(file).toLowerCase();
    if (!CONTENT_TYPES[ext]) continue;
    files.set(relative(base, file).split(sep).join('/'), { ext, content: readFileSync(file) });
  }
  for (const [urlPath, file] of Object.entries(VENDOR_FILES)) {
    const path = join(root, 'node_modules', file);
    if (existsSync(path)) files.set(urlPath, { ext: '.js', content: readFileSync(path) });
  }

  const hash = createHash('sha256');
  for (const urlPath of [...files.keys()].sort()) {
    hash.update(urlPath).update('\0').update(files.get(urlPath)!.content).update('\0');
  }
  const version = hash.digest('hex').slice(0, 16);

  const assets = new Map<string, StaticAsset>();
  for (const [urlPath, { ext, content }] of files) {
    const body = urlPath === 'index.html' ? versionedPage(content, version) : content;
    assets.set(urlPath, asset(ext, body, REVALIDATE));
    assets.set(`v/${version}/${urlPath}`, asset(ext, body, IMMUTABLE));
  }
  const index = assets.get('index.html');
  if (index) assets.set('', index);
  return { assets, version };
}

/** The page's own references (`"/app/…"`) point at the versioned copies. */
function versionedPage(html: Buffer, version: string): Buffer {
  return Buffer.from(html.toString('utf8').replaceAll('"/app/', `"/app/v/${version}/`), 'utf8');
}

function asset(ext: string, identity: Buffer, cacheControl: string): StaticAsset {
  const etag = `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`;
  const compress = COMPRESSIBLE.has(ext) && identity.length > 256;
  return {
    contentType: CONTENT_TYPES[ext],
    cacheControl,
    etag,
    identity,
    gzip: compress ? gzipSync(identity, { level: 9 }) : undefined,
    br: compress
      ? brotliCompressSync(identity, {
          params: {
            [zlib.BROTLI_PARAM_QUALITY]: 11,
            [zlib.BROTLI_PARAM_SIZE_HINT]: identity.length,
          },
        })
      : undefined,
  };
}

/** The smallest encoding the client accepts: brotli, then gzip, else none. */
export function pickEncoding(
  asset: StaticAsset,
  acceptEncoding: string | undefined,
): { body: Buffer; encoding?: 'br' | 'gzip' } {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (asset.br && ok('br')) return { body: asset.br, encoding: 'br' };
  if (asset.gzip && ok('gzip')) return { body: asset.gzip, encoding: 'gzip' };
  return { body: asset.identity };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name.startsWith('.')) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
