import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startStack, type Stack } from '../kit/stack';

/** The dashboard's files: served without a key, safely, and kept out of the API document. */
describe('dashboard static files', () => {
  let stack: Stack;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    stack = await startStack({ role: 'api' });
    app = stack.app;
    base = await app.getUrl();
  });

  afterAll(async () => {
    await stack?.close();
  });

  const get = (path: string) => fetch(`${base}${path}`, { redirect: 'manual' });
  /** The bytes as sent (fetch would decompress them). */
  const raw = (path: string, acceptEncoding: string) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>(
      (resolve, reject) => {
        const req = httpRequest(`${base}${path}`, {
          headers: { 'Accept-Encoding': acceptEncoding },
        });
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
            }),
          );
        });
        req.on('error', reject);
        req.end();
      },
    );

  it('redirects / to /app', async () => {
    const res = await get('/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/app');
  });

  it('serves the page without a key, revalidated on each visit, with a policy that allows only its own scripts', async () => {
    for (const path of ['/app', '/app/']) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const html = await res.text();
      expect(html).toMatch(/<script type="module" src="\/app\/v\/[0-9a-f]{16}\/js\/main.js">/);
      expect(html).toMatch(/\/app\/v\/[0-9a-f]{16}\/vendor\/chart.umd.min.js/);
    }
  });

  it('answers 304 to a browser that has the current page', async () => {
    const first = await get('/app');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    // Cache-Control as a browser revalidating sends it (fetch would add no-cache, which forbids a 304).
    const again = await fetch(`${base}/app`, {
      headers: { 'If-None-Match': etag!, 'Cache-Control': 'max-age=0' },
    });
    expect(again.status).toBe(304);
  });

  it('serves the scripts as JavaScript modules and Chart.js from its package (unversioned paths revalidated)', async () => {
    const main = await get('/app/js/main.js');
    expect(main.status).toBe(200);
    expect(main.headers.get('content-type')).toMatch(/^text\/javascript/);
    const chart = await get('/app/vendor/chart.umd.min.js');
    expect(chart.status).toBe(200);
    expect(chart.headers.get('cache-control')).toBe('no-cache');
    expect(await chart.text()).toContain('Chart.js v4.');
  });

  it('serves the scripts and styles compressed (brotli, else gzip) and cached for good under their content hash', async () => {
    const html = await (await get('/app')).text();
    const [main, version] = /\/app\/v\/([0-9a-f]{16})\/js\/main.js/.exec(html)!;
    for (const [accept, encoding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['identity', null],
    ] as const) {
      const res = await raw(main, accept);
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe(encoding ?? undefined);
      expect(res.headers['vary']).toBe('Accept-Encoding');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const text = (
        encoding === 'br'
          ? brotliDecompressSync(res.body)
          : encoding === 'gzip'
            ? gunzipSync(res.body)
            : res.body
      ).toString('utf8');
      expect(text).toContain("from './api.js'");
      if (encoding) expect(res.body.length).toBeLessThan(text.length / 2);
    }
    const css = await raw(`/app/v/${version}/app.css`, 'br');
    expect(css.headers['content-encoding']).toBe('br');
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    // Another release's hash names other content: not served from this one.
    expect((await get('/app/v/0123456789abcdef/js/main.js')).status).toBe(404);
  });

  it('serves nothing but its own files: unknown names and climbing out of the folder are 404 with the error body', async () => {
    for (const path of [
      '/app/nope.js',
      '/app/../package.json',
      '/app/%2e%2e/%2e%2e/package.json',
      '/app/js/../../../src/main.ts',
      '/app/.env',
    ]) {
      const res = await get(path);
      expect(res.status).toBe(404);
      const body = (await res.json()) as { message: unknown };
      expect(body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      expect(typeof body.message).toBe('string');
    }
  });

  it('keeps the API key requirement on /v1 and the dashboard out of the OpenAPI document', async () => {
    expect((await get('/v1/campaigns')).status).toBe(401);
    const doc = (await (await get('/docs-json')).json()) as { paths: Record<string, unknown> };
    const paths = Object.keys(doc.paths);
    expect(paths.some((p) => p === '/' || p.startsWith('/app'))).toBe(false);
  });
});
